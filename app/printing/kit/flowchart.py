"""The printed flowchart of a flow (报账流程图 and the document-handling charts), drawn from its definition.

The chart uses app.core.workflow.layout, the same layout the screen draws, scaled onto one A4 page in
whichever orientation lets it be larger. With a FlowTrail it highlights where a record stands and the way
it came, with who acted and when beside each step it passed.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.core.workflow.engine import Flow
from app.core.workflow.layout import (
    FlowLayout,
    FlowTrail,
    LayoutClock,
    LayoutEdge,
    LayoutMetrics,
    LayoutNode,
    Point,
    Rect,
    crossings,
    layout_flow,
)
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.linebreak import plan_lines
from app.printing.kit.page import CREATOR, draw_text

ACCENT = colors.HexColor("#1F4E79")
VISITED_FILL = colors.HexColor("#DCE6F2")
NODE_FILL = colors.white
FINAL_FILL = colors.HexColor("#F2F2F2")
LINE = colors.HexColor("#3A3A3A")
MUTED = colors.HexColor("#7F7F7F")
TEXT = colors.HexColor("#1A1A1A")
DETAIL_TEXT = colors.HexColor("#404040")
NOTE_TEXT = colors.HexColor("#1F4E79")
CLOCK = colors.HexColor("#8A5A00")
OVERDUE = colors.HexColor("#C0392B")

PAGE_MARGIN = 12 * mm
HEADER_HEIGHT = 64.0
LEGEND_HEIGHT = 42.0
MAX_SCALE = 1.3
HOP_RADIUS = 3.0
# Room beside each column of boxes for “who, when” when a trail is drawn and no free room is beside the boxes.
NOTE_WIDTH = 84.0
# The smallest type on the printed chart: labels, roles, time limits and notes (六号 is 7.5 pt; a form's
# small print is not set below 8 pt).
MIN_TEXT_SIZE = 8.0
# Factors the layout's type may grow by, smallest first. The layout is scaled to the page, so larger type in
# the layout prints larger only as far as the boxes and gaps let it; the first factor that prints every
# label at MIN_TEXT_SIZE is taken, else the one that prints them largest.
TEXT_GROWTH = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5, 3.0)
TITLE_SIZE = 20.0
TITLE_MIN_SIZE = 14.0


@dataclass(frozen=True)
class FlowchartData:
    """What the form registry hands the flowchart renderer."""

    flow: Flow
    trail: FlowTrail | None = None
    title: str | None = None
    office_name: str = ""


@dataclass(frozen=True)
class PagePlacement:
    page_width: float
    page_height: float
    scale: float
    origin_x: float
    origin_top: float

    def point(self, p: Point) -> Point:
        return (self.origin_x + p[0] * self.scale, self.origin_top - p[1] * self.scale)


def choose_page(layout: FlowLayout, header_height: float = HEADER_HEIGHT, extent: Rect | None = None) -> PagePlacement:
    """Portrait or landscape A4, whichever shows the chart larger; the chart is centred under the header.

    extent is what must fit, in layout units: the layout, and any note placed outside it (see plan_chart).
    """
    box = extent or Rect(0.0, 0.0, layout.width, layout.height)
    best: PagePlacement | None = None
    for size in (A4, landscape(A4)):
        width, height = size
        avail_w = width - 2 * PAGE_MARGIN
        avail_h = height - 2 * PAGE_MARGIN - header_height - LEGEND_HEIGHT
        scale = min(avail_w / box.width, avail_h / box.height, MAX_SCALE)
        origin_x = PAGE_MARGIN + (avail_w - box.width * scale) / 2 - box.x * scale
        top = height - PAGE_MARGIN - header_height
        origin_top = top - (avail_h - box.height * scale) / 2 + box.y * scale
        candidate = PagePlacement(width, height, scale, origin_x, origin_top)
        if best is None or candidate.scale > best.scale + 1e-6:
            best = candidate
    assert best is not None
    return best


def trail_edges(layout: FlowLayout, trail: FlowTrail | None) -> set[int]:
    """Indexes into layout.edges of the edges the record travelled."""
    if trail is None:
        return set()
    taken: set[int] = set()
    for source, target in trail.path():
        for i, edge in enumerate(layout.edges):
            if edge.source == source and edge.target == target:
                taken.add(i)
    return taken


def visit_notes(trail: FlowTrail | None) -> dict[str, list[str]]:
    """For each visited step, one short line per visit: who acted and when (latest three)."""
    if trail is None:
        return {}
    notes: dict[str, list[str]] = {}
    for step, actor, when in trail.visited:
        notes.setdefault(step, []).append(f"{actor} {_short_time(when)}")
    for step, lines in notes.items():
        if len(lines) > 3:
            notes[step] = [f"…前{len(lines) - 2}次略"] + lines[-2:]
    return notes


def _short_time(when: datetime) -> str:
    return f"{when.month}月{when.day}日 {when.hour}:{when.minute:02d}"


def note_size(layout: FlowLayout) -> float:
    """Notes are set like the boxes' detail lines."""
    return layout.metrics.node_detail_size


def place_notes(layout: FlowLayout, notes: dict[str, list[str]]) -> dict[str, Rect]:
    """A free spot beside each annotated box: touching no box, no line, no label and no other note."""
    placed, _ = _place_notes(layout, notes)
    return placed


def _place_notes(layout: FlowLayout, notes: dict[str, list[str]]) -> tuple[dict[str, Rect], bool]:
    """The spots, and whether every one of them is free (else some note sits on the first candidate)."""
    from app.core.workflow.layout import text_width

    size = note_size(layout)
    all_free = True
    obstacles = [n.rect.inflated(2) for n in layout.nodes]
    obstacles += [e.label_box.inflated(1) for e in layout.edges]
    obstacles += [r.inflated(2) for clock in layout.clocks for r in (clock.bracket, clock.label_box)]
    for edge in layout.edges:
        for a, b in zip(edge.points, edge.points[1:], strict=False):
            obstacles.append(Rect.around([a, b]).inflated(1.5))
    placed: dict[str, Rect] = {}
    for node in layout.nodes:
        lines = notes.get(node.key)
        if not lines:
            continue
        width = max(text_width(line, size) for line in lines) + 2
        height = len(lines) * size * 1.3
        candidates = _note_candidates(node, width, height)
        # A spot may lie outside the layout (above the first box): the page then makes room for it.
        choice = next((c for c in candidates if not any(c.intersects(o) for o in obstacles)), None)
        all_free = all_free and choice is not None
        placed[node.key] = choice or candidates[0]
        obstacles.append(placed[node.key].inflated(2))
    return placed, all_free


def _note_candidates(node: LayoutNode, width: float, height: float) -> list[Rect]:
    r = node.rect
    gap = 4.0
    ys = [r.y + i * 2.0 for i in range(int(max(0.0, r.height - height) // 2) + 1)]
    right = [Rect(r.right + gap, y, width, height) for y in ys]
    left = [Rect(r.x - gap - width, y, width, height) for y in ys]
    below = [Rect(r.right - width, r.bottom + gap, width, height)]
    above = [Rect(r.right - width, r.y - gap - height, width, height)]
    return right + left + below + above


class _Painter:
    def __init__(self, canvas: Canvas, layout: FlowLayout, place: PagePlacement, fonts: FontSet) -> None:
        self.c = canvas
        self.layout = layout
        self.place = place
        self.fonts = fonts
        self.s = place.scale

    def pt(self, p: Point) -> Point:
        return self.place.point(p)

    def text(self, x: float, y: float, text: str, font: str, size: float, color: colors.Color, align: str) -> None:
        """Text at a layout point (x is the left, centre or right per align; y is the baseline)."""
        px, py = self.pt((x, y))
        scaled = size * self.s
        width = self.fonts.string_width(text, font, scaled)
        if align == "center":
            px -= width / 2
        elif align == "right":
            px -= width
        self.c.setFillColor(color)
        draw_text(self.c, self.fonts, px, py, text, font, scaled)

    def fitted_size(self, lines: Iterable[str], font: str, size: float, width: float) -> float:
        """The font size at which the widest line fits the width (the layout's widths are estimates)."""
        widest = max((self.fonts.string_width(line, font, size) for line in lines), default=0.0)
        return size if widest <= width or widest == 0 else size * width / widest

    # -- pieces --
    def edge(self, edge: LayoutEdge, taken: bool, hops: Sequence[Point] = ()) -> None:
        c = self.c
        c.saveState()
        if taken:
            c.setStrokeColor(ACCENT)
            c.setFillColor(ACCENT)
            c.setLineWidth(2.0 * self.s)
        else:
            color = LINE if edge.kind == "forward" else MUTED
            c.setStrokeColor(color)
            c.setFillColor(color)
            c.setLineWidth(0.8 * self.s)
        if edge.kind == "return":
            c.setDash([4 * self.s, 2.5 * self.s])
        elif edge.kind == "cancel":
            c.setDash([1.2 * self.s, 2 * self.s])
        head = 6.0 * self.s
        radius = HOP_RADIUS * self.s
        points = [self.pt(p) for p in edge.points]
        hop_points = [self.pt(p) for p in hops]
        # Stop the line where the arrow head starts, so a thick line does not poke through the tip.
        x2, y2 = points[-1]
        x1, y1 = points[-2]
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-6)
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        stops = points[:-1] + [(x2 - ux * head * 0.8, y2 - uy * head * 0.8)]
        path = c.beginPath()
        path.moveTo(*stops[0])
        for (ax, ay), (bx, by) in itertools.pairwise(stops):
            if abs(ay - by) < 0.01:
                direction = 1 if bx > ax else -1
                on_run = [hx for hx, hy in hop_points if abs(hy - ay) < 0.01 and min(ax, bx) < hx < max(ax, bx)]
                # A hop: a half circle over the line this one crosses.
                for hx in sorted(on_run, key=lambda v: v * direction):
                    path.lineTo(hx - direction * radius, ay)
                    start = 180 if direction > 0 else 0
                    path.arcTo(hx - radius, ay - radius, hx + radius, ay + radius, start, -180 * direction)
            path.lineTo(bx, by)
        c.setLineJoin(0)
        c.drawPath(path, stroke=1, fill=0)
        c.setDash([])
        arrow = c.beginPath()
        arrow.moveTo(x2, y2)
        arrow.lineTo(x2 - ux * head - uy * head * 0.42, y2 - uy * head + ux * head * 0.42)
        arrow.lineTo(x2 - ux * head + uy * head * 0.42, y2 - uy * head - ux * head * 0.42)
        arrow.close()
        c.drawPath(arrow, stroke=0, fill=1)
        c.restoreState()

    def edge_label(self, edge: LayoutEdge, taken: bool) -> None:
        m = self.layout.metrics
        box = edge.label_box
        size = self.fitted_size(edge.label_lines, self.fonts.song, m.edge_label_size, box.width)
        leading = m.edge_label_size * m.line_factor
        self.c.saveState()
        x0, y0 = self.pt((box.x - 1, box.bottom))
        self.c.setFillColor(colors.white)
        self.c.rect(x0, y0, (box.width + 2) * self.s, box.height * self.s, stroke=0, fill=1)
        y = box.y + size * 0.95
        for i, line in enumerate(edge.label_lines):
            color = ACCENT if taken else (TEXT if i == 0 else DETAIL_TEXT)
            font = self.fonts.song if i == 0 else self.fonts.kai
            self.text(box.x, y, line, font, size, color, "left")
            y += leading
        self.c.restoreState()

    def node(self, node: LayoutNode, state: str) -> None:
        m = self.layout.metrics
        c = self.c
        r = node.rect
        x, y = self.pt((r.x, r.bottom))
        w, h = r.width * self.s, r.height * self.s
        radius = h / 2 if node.final else 5 * self.s
        fill = {"current": ACCENT, "visited": VISITED_FILL}.get(state, FINAL_FILL if node.final else NODE_FILL)
        c.saveState()
        c.setFillColor(fill)
        c.setStrokeColor(ACCENT)
        c.setLineWidth((1.6 if state == "current" else 1.0) * self.s)
        c.roundRect(x, y, w, h, radius, stroke=1, fill=1)
        on_dark = state == "current"
        main = colors.white if on_dark else TEXT
        detail = colors.white if on_dark else DETAIL_TEXT
        inner = r.width - 2 * m.node_padding
        cx = r.x + r.width / 2
        lines: list[tuple[str, str, float, colors.Color]] = [(node.label, self.fonts.hei, m.node_label_size, main)]
        lines += [(line, self.fonts.song, m.node_detail_size, detail) for line in node.roles_lines]
        if node.time_limit_text:
            lines.append((node.time_limit_text, self.fonts.song, m.node_detail_size, detail))
        heights = [size * m.line_factor for _, _, size, _ in lines]
        y_text = r.y + (r.height - sum(heights)) / 2
        for (text, font, size, color), height in zip(lines, heights, strict=True):
            fitted = self.fitted_size([text], font, size, inner)
            self.text(cx, y_text + height * 0.5 + fitted * 0.36, text, font, fitted, color, "center")
            y_text += height
        c.restoreState()

    def clock(self, clock: LayoutClock) -> None:
        """A clock's bracket over the rows of its steps, its label and steps, and a record's reading of it."""
        m = self.layout.metrics
        c = self.c
        bracket = clock.bracket
        c.saveState()
        c.setStrokeColor(CLOCK)
        c.setLineWidth(1.1 * self.s)
        path = c.beginPath()
        path.moveTo(*self.pt((bracket.x, bracket.y)))
        path.lineTo(*self.pt((clock.x, bracket.y)))
        path.lineTo(*self.pt((clock.x, bracket.bottom)))
        path.lineTo(*self.pt((bracket.x, bracket.bottom)))
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()
        box = clock.label_box
        size = self.fitted_size(clock.lines, self.fonts.song, m.edge_label_size, box.width)
        leading = m.edge_label_size * m.line_factor
        y = box.y + size * 0.95
        for number, line in enumerate(clock.lines):
            font = self.fonts.hei if number == 0 else self.fonts.song
            color = CLOCK if number < 2 else (OVERDUE if clock.overdue else DETAIL_TEXT)
            self.text(box.x, y, line, font, size, color, "left")
            y += leading

    def note(self, box: Rect, lines: Sequence[str]) -> None:
        size = note_size(self.layout)
        y = box.y + size
        for line in lines:
            self.text(box.x + 1, y, line, self.fonts.song, size, NOTE_TEXT, "left")
            y += size * 1.3


@dataclass(frozen=True)
class Heading:
    """The title as it prints: its lines (broken by the line-breaking rules) and its size."""

    lines: tuple[str, ...]
    size: float

    @property
    def leading(self) -> float:
        return self.size * 1.3

    @property
    def height(self) -> float:
        """The header's height: one title line fits the standard header, each further line adds its leading."""
        return HEADER_HEIGHT + self.leading * (len(self.lines) - 1)


def heading_for(title: str, fonts: FontSet, width: float) -> Heading:
    """The title within the page's width: on one line, else on two at 二号, else smaller, down to 四号."""
    size = TITLE_SIZE
    head, colon, rest = title.partition("：")
    if colon and rest and fonts.string_width(title, fonts.song, size) > width:
        # “报账流程图：报销单…” breaks after the colon when each half fits a line.
        if max(fonts.string_width(part, fonts.song, size) for part in (head + colon, rest)) <= width:
            return Heading((head + colon, rest), size)
    while True:
        widths = [fonts.string_width(ch, fonts.song, size) for ch in title]
        planned = plan_lines(title, widths, [width])
        if len(planned) <= 2 or size <= TITLE_MIN_SIZE:
            return Heading(tuple(title[p.start : p.end] for p in planned), size)
        size -= 1


def _title_width(page_width: float) -> float:
    # The stroked outline of the title is a little wider than its advance.
    return page_width - 2 * PAGE_MARGIN - 4


def _draw_header(c: Canvas, fonts: FontSet, place: PagePlacement, heading: Heading, office: str, current: str) -> None:
    top = place.page_height - PAGE_MARGIN
    centre = place.page_width / 2
    y = top - 16
    if office:
        width = fonts.string_width(office, fonts.song, 14)
        c.setFillColor(TEXT)
        draw_text(c, fonts, centre - width / 2, y, office, fonts.song, 14)
        y -= 28
    else:
        y -= 8
    c.saveState()
    c.setLineWidth(0.5)
    c.setStrokeColor(TEXT)
    for number, line in enumerate(heading.lines):
        if number:
            y -= heading.leading
        width = fonts.string_width(line, fonts.song, heading.size)
        # Stroke-thickened Song stands in for the 小标宋 of official titles.
        draw_text(c, fonts, centre - width / 2, y, line, fonts.song, heading.size, mode=2)
    c.restoreState()
    if current:
        text = f"当前环节：{current}"
        width = fonts.string_width(text, fonts.song, 10.5)
        c.setFillColor(ACCENT)
        draw_text(c, fonts, place.page_width - PAGE_MARGIN - width, y - 20, text, fonts.song, 10.5)


@dataclass(frozen=True)
class _LegendItem:
    label: str
    fill: colors.Color | None = None  # a box swatch
    pill: bool = False
    color: colors.Color = LINE  # a line swatch
    width: float = 0.8
    dash: tuple[float, ...] = ()
    bracket: bool = False  # a clock's bracket, not an arrow

    @property
    def swatch_width(self) -> float:
        return 26.0 if self.fill is not None else 29.0


def _draw_legend(c: Canvas, fonts: FontSet, place: PagePlacement, with_trail: bool, with_clocks: bool = False) -> None:
    """Swatches for the box states and line kinds, wrapped onto a second row if the page is narrow."""
    size = 8.5
    items: list[_LegendItem] = []
    if with_trail:
        items += [_LegendItem("当前环节", fill=ACCENT), _LegendItem("已办环节", fill=VISITED_FILL)]
    items += [
        _LegendItem("办理环节", fill=NODE_FILL),
        _LegendItem("结束", fill=FINAL_FILL, pill=True),
        _LegendItem("流转"),
        _LegendItem("退回", color=MUTED, dash=(4, 2.5)),
        _LegendItem("撤销/作废", color=MUTED, dash=(1.2, 2)),
    ]
    if with_trail:
        items.append(_LegendItem("已走路径", color=ACCENT, width=2.0))
    if with_clocks:
        items.append(_LegendItem("时限区间", color=CLOCK, width=1.1, bracket=True))
    widths = [item.swatch_width + fonts.string_width(item.label, fonts.song, size) + 12 for item in items]
    prefix = fonts.string_width("图例：", fonts.hei, size) + 4
    room = place.page_width - 2 * PAGE_MARGIN - prefix
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, width in enumerate(widths):
        if rows[-1] and used + width > room:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += width
    row_pitch = 14.0
    top_y = PAGE_MARGIN + 4 + row_pitch * (len(rows) - 1)
    c.saveState()
    c.setStrokeColor(MUTED)
    c.setLineWidth(0.5)
    c.line(PAGE_MARGIN, top_y + 14, place.page_width - PAGE_MARGIN, top_y + 14)
    c.restoreState()
    c.setFillColor(TEXT)
    draw_text(c, fonts, PAGE_MARGIN, top_y, "图例：", fonts.hei, size)
    for row_number, row in enumerate(rows):
        y = top_y - row_number * row_pitch
        x = PAGE_MARGIN + prefix
        for i in row:
            item = items[i]
            c.saveState()
            if item.fill is not None:
                c.setFillColor(item.fill)
                c.setStrokeColor(ACCENT)
                c.setLineWidth(0.8)
                c.roundRect(x, y - 3, 22, 11, 5.5 if item.pill else 2, stroke=1, fill=1)
            elif item.bracket:
                c.setStrokeColor(item.color)
                c.setLineWidth(item.width)
                path = c.beginPath()
                path.moveTo(x + 8, y + 9)
                path.lineTo(x + 14, y + 9)
                path.lineTo(x + 14, y - 3)
                path.lineTo(x + 8, y - 3)
                c.drawPath(path, stroke=1, fill=0)
            else:
                c.setStrokeColor(item.color)
                c.setFillColor(item.color)
                c.setLineWidth(item.width)
                if item.dash:
                    c.setDash(list(item.dash))
                c.line(x, y + 2.5, x + 20, y + 2.5)
                c.setDash([])
                arrow = c.beginPath()
                arrow.moveTo(x + 25, y + 2.5)
                arrow.lineTo(x + 19, y + 5)
                arrow.lineTo(x + 19, y)
                arrow.close()
                c.drawPath(arrow, stroke=0, fill=1)
            c.restoreState()
            c.setFillColor(TEXT)
            draw_text(c, fonts, x + item.swatch_width, y, item.label, fonts.song, size)
            x += widths[i]


def _metrics(growth: float, note_width: float) -> LayoutMetrics:
    base = LayoutMetrics()
    return dataclasses.replace(
        base,
        node_label_size=base.node_label_size * growth,
        node_detail_size=base.node_detail_size * growth,
        edge_label_size=base.edge_label_size * growth,
        node_min_width=base.node_min_width * growth,
        node_max_width=base.node_max_width * growth,
        note_width=note_width * growth,
    )


def smallest_text(layout: FlowLayout) -> float:
    """The smallest type size in the layout (its units: the page scales it)."""
    m = layout.metrics
    return min(m.node_label_size, m.node_detail_size, m.edge_label_size)


@dataclass(frozen=True)
class ChartPlan:
    """The chart as it prints: its layout, the “who, when” notes and their spots, and its place on the page."""

    layout: FlowLayout
    notes: dict[str, list[str]]
    note_boxes: dict[str, Rect]
    place: PagePlacement


def _extent(layout: FlowLayout, boxes: Iterable[Rect]) -> Rect:
    rects = [Rect(0.0, 0.0, layout.width, layout.height), *(b.inflated(2) for b in boxes)]
    left, top = min(r.x for r in rects), min(r.y for r in rects)
    return Rect(left, top, max(r.right for r in rects) - left, max(r.bottom for r in rects) - top)


def plan_chart(flow: Flow, trail: FlowTrail | None = None, header_height: float = HEADER_HEIGHT) -> ChartPlan:
    """The chart with its type as large as one page allows (see TEXT_GROWTH).

    “Who, when” notes of a trail go into free room beside (or above) the boxes when there is some, else the
    layout leaves a column of room beside each column of boxes.
    """
    notes = visit_notes(trail)
    clocks = trail.clock_notes if trail is not None else ()
    best: tuple[float, ChartPlan] | None = None
    for growth in TEXT_GROWTH:
        for note_width in (0.0, NOTE_WIDTH) if notes else (0.0,):
            layout = layout_flow(flow, _metrics(growth, note_width), clocks)
            boxes, free = _place_notes(layout, notes)
            if not free:
                continue  # a note would cover a box, a line or a label
            place = choose_page(layout, header_height, _extent(layout, boxes.values()))
            plan = ChartPlan(layout, notes, boxes, place)
            printed = smallest_text(layout) * place.scale
            if printed >= MIN_TEXT_SIZE:
                return plan
            if best is None or printed > best[0]:
                best = (printed, plan)
            break
    if best is None:  # no size leaves the notes a free spot: the standard layout, as the screen has it
        layout = layout_flow(flow, _metrics(1.0, NOTE_WIDTH if notes else 0.0), clocks)
        boxes, _ = _place_notes(layout, notes)
        extent = _extent(layout, boxes.values())
        return ChartPlan(layout, notes, boxes, choose_page(layout, header_height, extent))
    return best[1]


def flowchart_layout(flow: Flow, trail: FlowTrail | None = None) -> FlowLayout:
    """The layout the printed chart uses (plan_chart's, with the standard header)."""
    return plan_chart(flow, trail).layout


def default_title(flow: Flow) -> str:
    """报账流程 → 报账流程图; 收文办理 → 收文办理流程图."""
    return f"{flow.label}图" if flow.label.endswith("流程") else f"{flow.label}流程图"


def render_flowchart_pdf(
    flow: Flow,
    trail: FlowTrail | None = None,
    title: str | None = None,
    office_name: str = "",
) -> bytes:
    fonts = resolve_fonts()
    text = title or default_title(flow)
    # The title is broken for the narrower (portrait) page, so it fits whichever way the chart turns.
    heading = heading_for(text, fonts, _title_width(A4[0]))
    plan = plan_chart(flow, trail, heading.height)
    layout, place = plan.layout, plan.place
    buffer = io.BytesIO()
    c = Canvas(
        buffer,
        pagesize=(place.page_width, place.page_height),
        pageCompression=1,
        initialFontName=fonts.song,  # else the page names Helvetica, which is never embedded
    )
    c.setTitle(text)
    c.setAuthor(office_name or "GovDesk")
    c.setCreator(CREATOR)
    current = ""
    if trail is not None and trail.current_step and flow.has_step(trail.current_step):
        current = flow.step(trail.current_step).label
    _draw_header(c, fonts, place, heading, office_name, current)
    painter = _Painter(c, layout, place, fonts)
    taken = trail_edges(layout, trail)
    # Travelled edges last, so their bold line lies on top where lines meet.
    order = sorted(range(len(layout.edges)), key=lambda i: i in taken)
    hops = crossings(layout)
    for i in order:
        painter.edge(layout.edges[i], i in taken, hops.get(i, []))
    visited = {step for step, _, _ in trail.visited} if trail else set()
    for node in layout.nodes:
        state = "current" if trail and node.key == trail.current_step else "visited" if node.key in visited else ""
        painter.node(node, state)
    for i, edge in enumerate(layout.edges):
        painter.edge_label(edge, i in taken)
    for key, box in plan.note_boxes.items():
        painter.note(box, plan.notes[key])
    for clock in layout.clocks:
        painter.clock(clock)
    _draw_legend(c, fonts, place, trail is not None, bool(layout.clocks))
    c.showPage()
    c.save()
    return buffer.getvalue()


def render_flowchart(data: FlowchartData) -> bytes:
    """The registry's entry point: one dataclass in, PDF bytes out."""
    return render_flowchart_pdf(data.flow, data.trail, data.title, data.office_name)
