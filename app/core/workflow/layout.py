"""A flow laid out for drawing: boxes, arrows and their labels, in abstract units (points).

The Qt view (QGraphicsScene) and the printed flowchart (reportlab) draw this same layout, so the chart
on screen and on paper agree. The layout is pure and deterministic: the same flow gives the same layout.

Coordinates have their origin at the top left and y grows downwards, as in Qt; a PDF renderer flips them.

How it is laid out:
- Ranks (rows) follow the longest forward path from the start, ignoring return and cancel edges, so each
  forward arrow points down. A step reached only by a return or cancel edge (已撤销, 已退文) sits beside
  the step it leaves from.
- The longest path is the spine, drawn as one straight column. Branches stand side by side to its right.
- A forward edge that skips rows (报销金额不超过5,000 skips 主要领导审批) runs in its own column on the
  right; return edges run up separate lanes on the left. Neither crosses a box.
- Edge labels are placed where they touch no box, no line and no other label.
"""

from __future__ import annotations

import dataclasses
import itertools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from app.core.roles import describe_roles
from app.core.workflow.engine import ACTOR_FACT_PREFIX, ANY_ROLE, Flow, Step, Transition

EdgeKind = Literal["forward", "return", "cancel"]
Point = tuple[float, float]
Side = Literal["top", "bottom", "left", "right"]

OTHERWISE = "其他情况"
# A clock's bracket: its ticks' length, its distance from what is left of it, its label's widest line.
CLOCK_TICK = 6.0
CLOCK_GAP = 14.0
CLOCK_LABEL_MAX = 132.0


# ----- value types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def inflated(self, by: float) -> Rect:
        return Rect(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def intersects(self, other: Rect) -> bool:
        return (
            self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom
        )

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)

    @staticmethod
    def around(points: Iterable[Point]) -> Rect:
        xs, ys = zip(*points, strict=True)
        return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


@dataclass(frozen=True)
class LayoutMetrics:
    """Sizes the layout assumes. A renderer uses the same font sizes, so the estimated text widths hold."""

    node_label_size: float = 11.5
    node_detail_size: float = 8.0
    edge_label_size: float = 8.0
    line_factor: float = 1.3
    node_min_width: float = 118.0
    node_max_width: float = 176.0
    node_padding: float = 6.0
    column_gap: float = 30.0
    row_gap_min: float = 26.0
    track_gap: float = 7.0
    lane_gap: float = 11.0
    label_offset: float = 3.0
    margin: float = 10.0
    note_width: float = 0.0
    detail_max_lines: int = 2


@dataclass(frozen=True)
class LayoutNode:
    key: str
    label: str
    roles_text: str
    time_limit_text: str
    x: float
    y: float
    width: float
    height: float
    final: bool
    rank: int
    column: int
    # Role text wrapped to the box width.
    roles_lines: tuple[str, ...] = ()

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.width, self.height)

    @property
    def center(self) -> Point:
        return self.rect.center


@dataclass(frozen=True)
class LayoutEdge:
    source: str
    target: str
    kind: EdgeKind
    action: str
    action_label: str
    # Guard text from Transition.describe_guard; 其他情况 for the fall-through branch of a guarded action.
    condition: str
    label_lines: tuple[str, ...]
    label_box: Rect
    points: tuple[Point, ...]
    # Indexes into flow.transitions of the transitions this edge draws (parallel ones are merged).
    transitions: tuple[int, ...]
    # A forward edge that closes a cycle, drawn upwards like a return.
    back: bool = False

    @property
    def label(self) -> str:
        return f"{self.action_label}（{self.condition}）" if self.condition else self.action_label


@dataclass(frozen=True)
class LayoutClock:
    """A clock of the flow (app.core.workflow.clocks) drawn as a bracket beside the rows of the steps it spans,
    with its label (受理时限 15日), the steps it runs over, and, for a record, where it stands."""

    key: str
    # The bracket's vertical line, and where its two ticks are.
    x: float
    top: float
    bottom: float
    lines: tuple[str, ...]
    label_box: Rect
    # The record's reading of the clock is past its due date (drawn as a warning).
    overdue: bool = False

    @property
    def bracket(self) -> Rect:
        return Rect(self.x - CLOCK_TICK, self.top, CLOCK_TICK, self.bottom - self.top)


@dataclass(frozen=True)
class FlowLayout:
    flow_key: str
    title: str
    nodes: tuple[LayoutNode, ...]
    edges: tuple[LayoutEdge, ...]
    width: float
    height: float
    metrics: LayoutMetrics
    clocks: tuple[LayoutClock, ...] = ()

    @property
    def bounds(self) -> Rect:
        return Rect(0.0, 0.0, self.width, self.height)

    def node(self, key: str) -> LayoutNode:
        for node in self.nodes:
            if node.key == key:
                return node
        raise KeyError(key)

    def edges_between(self, source: str, target: str) -> list[LayoutEdge]:
        return [e for e in self.edges if e.source == source and e.target == target]


@dataclass(frozen=True)
class FlowTrail:
    """Where one record stands in its flow and the steps it went through: (step key, who acted, when)."""

    current_step: str | None
    visited: list[tuple[str, str, datetime]] = field(default_factory=list)
    # Where each of the record's clocks stands, as a line (clock key, text, overdue), drawn by its bracket.
    clock_notes: tuple[tuple[str, str, bool], ...] = ()

    def path(self) -> list[tuple[str, str]]:
        """The (source, target) moves made, in order, ending at the current step."""
        keys = [step for step, _, _ in self.visited]
        if self.current_step is not None and (not keys or keys[-1] != self.current_step):
            keys.append(self.current_step)
        return list(itertools.pairwise(keys))

    def visits(self, step_key: str) -> list[tuple[str, datetime]]:
        return [(actor, when) for step, actor, when in self.visited if step == step_key]


# ----- text measures ------------------------------------------------------------------------------


def char_width(char: str) -> float:
    """Width of a character in ems: CJK and full-width forms are square, Latin about half."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.56


def text_width(text: str, size: float) -> float:
    return size * sum(char_width(c) for c in text)


# A line may end after these, or start with these: 报销金额大于5,000 / 或超出预算.
_BREAK_AFTER = "、，；）"
_BREAK_BEFORE = "或且（"


def _tokens(text: str) -> list[str]:
    # Latin runs (5,000 / 2026) stay whole; each CJK character is its own token.
    tokens: list[str] = []
    for char in text:
        if tokens and char_width(char) < 1 and char_width(tokens[-1][-1]) < 1 and not char.isspace():
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap_text(text: str, size: float, max_width: float) -> list[str]:
    """Greedy wrapping that prefers to break after 、 or before 或/且, and never splits a number."""
    if not text:
        return []
    lines: list[str] = []
    current: list[str] = []
    for token in _tokens(text):
        if current and text_width("".join(current) + token, size) > max_width:
            # 或 joins whole alternatives, so a line break before it reads best; then 、 and 且.
            cut = next((i for i in range(len(current) - 1, 0, -1) if current[i] == "或"), 0)
            if not cut:
                cut = next(
                    (
                        i
                        for i in range(len(current) - 1, len(current) // 2 - 1, -1)
                        if i > 0 and (current[i - 1][-1] in _BREAK_AFTER or current[i][0] in _BREAK_BEFORE)
                    ),
                    0,
                )
            if cut:
                lines.append("".join(current[:cut]))
                current = current[cut:]
            else:
                lines.append("".join(current))
                current = []
            current = [t for t in current if not t.isspace()]
        current.append(token)
    if current:
        lines.append("".join(current))
    return lines


# ----- the graph as drawn ----------------------------------------------------------------------------


@dataclass
class _Edge:
    index: int
    source: str
    target: str
    kind: EdgeKind
    action: str
    action_label: str
    condition: str
    transitions: list[int]
    back: bool = False
    category: str = ""
    lane: int = 0
    channel: int = 0
    lines: list[str] = field(default_factory=list)
    label_size: tuple[float, float] = (0.0, 0.0)


def _merge_transitions(flow: Flow) -> list[_Edge]:
    """One drawn edge per (source, target, kind, action); parallel guarded transitions join with 或."""
    groups: dict[tuple[str, str, EdgeKind, str], list[int]] = {}
    for i, t in enumerate(flow.transitions):
        groups.setdefault((t.source, t.target, t.kind, t.action), []).append(i)
    edges: list[_Edge] = []
    for n, ((source, target, kind, action), indexes) in enumerate(groups.items()):
        members = [flow.transitions[i] for i in indexes]
        guards = [t.describe_guard(flow) for t in members]
        if all(guards):
            condition = "或".join(dict.fromkeys(guards))
        elif not any(guards) and _is_fallthrough(flow, members[0], indexes[0]):
            condition = OTHERWISE
        else:
            condition = ""
        edges.append(_Edge(n, source, target, kind, action, members[0].label, condition, indexes))
    return edges


def _is_fallthrough(flow: Flow, transition: Transition, index: int) -> bool:
    # The engine takes the first candidate whose guard holds, so an unguarded one after guarded ones is "else".
    return any(
        t.source == transition.source and t.action == transition.action and t.describe_guard(flow)
        for t in flow.transitions[:index]
    )


def roles_text(flow: Flow, step: Step) -> str:
    """Who acts at a step, in the office's words. 任何用户 narrowed by a guard reads as the guard (经办人本人)."""
    if step.final:
        return ""
    if ANY_ROLE not in step.roles:
        return describe_roles(set(step.roles)) if step.roles else ""
    outgoing = flow.transitions_from(step.key)
    shared = None
    for t in outgoing:
        actor_guards = {c for c in t.conditions if c.field.startswith(ACTOR_FACT_PREFIX)}
        shared = actor_guards if shared is None else shared & actor_guards
    if shared:
        return "、".join(sorted(text for c in shared if (text := c.describe(flow.field_labels))))
    return "任何用户"


def time_limit_text(step: Step) -> str:
    return f"时限：{step.time_limit.describe()}" if step.time_limit is not None else ""


# ----- ranks and columns ---------------------------------------------------------------------------


def _back_edges(flow: Flow, forward: list[_Edge]) -> set[int]:
    """Forward edges that close a cycle (found by depth-first search in declaration order)."""
    out: dict[str, list[_Edge]] = {}
    for e in forward:
        out.setdefault(e.source, []).append(e)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[int] = set()
    for root in [flow.start] + [s.key for s in flow.steps]:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            edges = out.get(node, [])
            if i < len(edges):
                stack[-1] = (node, i + 1)
                e = edges[i]
                if state.get(e.target) == 1:
                    back.add(e.index)
                elif e.target not in state:
                    state[e.target] = 1
                    stack.append((e.target, 0))
            else:
                state[node] = 2
                stack.pop()
    return back


def _ranks(flow: Flow, edges: list[_Edge], dag: list[_Edge]) -> tuple[dict[str, int], set[str]]:
    order = {s.key: i for i, s in enumerate(flow.steps)}
    rank: dict[str, int] = {flow.start: 0}

    def relax() -> None:
        # Longest paths over the acyclic forward edges; terminates because there is no cycle.
        changed = True
        while changed:
            changed = False
            for e in dag:
                if e.source in rank and rank.get(e.target, -1) < rank[e.source] + 1:
                    rank[e.target] = rank[e.source] + 1
                    changed = True

    relax()
    side: set[str] = set()
    dag_ids = {e.index for e in dag}
    while len(rank) < len(flow.steps):
        candidates = [e for e in edges if e.source in rank and e.target not in rank]
        if not candidates:  # unreachable steps cannot be declared, but never loop forever
            for s in flow.steps:
                rank.setdefault(s.key, max(rank.values()) + 1)
            break
        e = min(candidates, key=lambda c: (c.index not in dag_ids, order[c.source], c.index))
        if e.index in dag_ids:
            rank[e.target] = rank[e.source] + 1
        else:
            rank[e.target] = rank[e.source]
            side.add(e.target)
        relax()
    return rank, side


def _spine(flow: Flow, rank: dict[str, int], dag: list[_Edge], side: set[str]) -> list[str]:
    out: dict[str, list[_Edge]] = {}
    for e in dag:
        out.setdefault(e.source, []).append(e)
    height: dict[str, int] = {}

    def tail(key: str) -> int:
        if key not in height:
            height[key] = 0
            height[key] = max((tail(e.target) + 1 for e in out.get(key, [])), default=0)
        return height[key]

    spine = [flow.start]
    while True:
        here = spine[-1]
        nexts = [
            e.target
            for e in out.get(here, [])
            if rank[e.target] == rank[here] + 1 and e.target not in side and e.target not in spine
        ]
        if not nexts:
            return spine
        spine.append(max(nexts, key=lambda k: (tail(k), -nexts.index(k))))


# ----- routing helpers ----------------------------------------------------------------------------------


@dataclass
class _Attach:
    edge: int
    node: str
    side: Side
    key: tuple[float, ...]
    anchor: bool = False
    offset: float = 0.0


@dataclass
class _Horizontal:
    edge: int
    gap: int
    x1: float = 0.0
    x2: float = 0.0
    # Where lines leave this horizontal upwards and downwards: they decide which track goes above which.
    up_stubs: list[float] = field(default_factory=list)
    down_stubs: list[float] = field(default_factory=list)
    track: int = 0


class _Router:
    """Places everything once ranks and columns are known. One instance lays out one flow."""

    def __init__(self, flow: Flow, metrics: LayoutMetrics) -> None:
        self.flow = flow
        self.m = metrics
        self.edges = _merge_transitions(flow)
        self.step_index = {s.key: i for i, s in enumerate(flow.steps)}

    # -- structure --
    def structure(self) -> None:
        forward = [e for e in self.edges if e.kind == "forward"]
        back = _back_edges(self.flow, forward)
        for e in self.edges:
            e.back = e.index in back
        dag = [e for e in forward if not e.back]
        self.rank, self.side = _ranks(self.flow, self.edges, dag)
        self.rows = max(self.rank.values()) + 1
        spine = _spine(self.flow, self.rank, dag, self.side)
        self.col: dict[str, int] = {k: 0 for k in spine}
        self.cells: dict[tuple[int, int], str] = {(self.rank[k], 0): k for k in spine}
        others = [s.key for s in self.flow.steps if s.key not in self.col]
        others.sort(key=lambda k: (self.rank[k], k in self.side, self.step_index[k]))
        for key in others:
            start = 1
            if key in self.side:
                sources = [e.source for e in self.edges if e.target == key and e.source in self.col]
                if sources:
                    start = min(self.col[s] for s in sources) + 1
            c = start
            while (self.rank[key], c) in self.cells:
                c += 1
            self.col[key] = c
            self.cells[(self.rank[key], c)] = key
        self.node_cells = dict(self.cells)
        self._classify()

    def _classify(self) -> None:
        long_edges: list[_Edge] = []
        up_edges: list[_Edge] = []
        for e in self.edges:
            rs, rt = self.rank[e.source], self.rank[e.target]
            if e.source == e.target or rt < rs:
                e.category = "up"
                up_edges.append(e)
            elif rt == rs:
                e.category = "same"
            elif rt == rs + 1:
                e.category = "adjacent"
            else:
                e.category = "long"
                long_edges.append(e)
        # Shorter spans take the inner channels, so channels nest instead of crossing.
        long_edges.sort(
            key=lambda e: (self.rank[e.target] - self.rank[e.source], self.rank[e.source], e.index)
        )
        for e in long_edges:
            rs, rt = self.rank[e.source], self.rank[e.target]
            d = max(self.col[e.source], self.col[e.target]) + 1
            while any((r, d) in self.cells for r in range(rs, rt + 1)):
                d += 1
            e.channel = d
            for r in range(rs, rt + 1):
                self.cells[(r, d)] = f"#edge{e.index}"
        up_edges.sort(key=lambda e: (self.rank[e.source] - self.rank[e.target], self.rank[e.target], e.index))
        for lane, e in enumerate(up_edges, start=1):
            e.lane = lane
        self.lanes = len(up_edges)

    # -- sizes --
    def measure(self) -> None:
        m = self.m
        widest = max(text_width(s.label, m.node_label_size) for s in self.flow.steps)
        # Wide enough for the longest label, and for the role text on one line up to node_max_width.
        widest_roles = max(text_width(roles_text(self.flow, s), m.node_detail_size) for s in self.flow.steps)
        self.node_width = max(
            m.node_min_width,
            widest + 2 * m.node_padding + 8,
            min(widest_roles + 2 * m.node_padding + 4, m.node_max_width),
        )
        inner = self.node_width - 2 * m.node_padding
        self.roles_lines: dict[str, list[str]] = {}
        self.node_height: dict[str, float] = {}
        label_h = m.node_label_size * m.line_factor
        detail_h = m.node_detail_size * m.line_factor
        tallest = 0.0
        for s in self.flow.steps:
            lines = wrap_text(roles_text(self.flow, s), m.node_detail_size, inner)
            if len(lines) > m.detail_max_lines:
                lines = lines[: m.detail_max_lines]
                lines[-1] = lines[-1][:-1] + "…"
            self.roles_lines[s.key] = lines
            if not s.final:
                details = len(lines) + (1 if s.time_limit else 0)
                tallest = max(tallest, 2 * m.node_padding + label_h + details * detail_h)
        # Every working step gets the same box, as on a drawn chart; end states are shorter pills.
        for s in self.flow.steps:
            self.node_height[s.key] = label_h + 2 * m.node_padding + 4 if s.final else max(tallest, 40.0)
        label_max = max(m.node_min_width - 14, 96.0)
        for e in self.edges:
            e.lines = [e.action_label] + wrap_text(e.condition, m.edge_label_size, label_max)
            e.label_size = (
                max(text_width(line, m.edge_label_size) for line in e.lines) + 2,
                len(e.lines) * m.edge_label_size * m.line_factor,
            )

    # -- horizontal geometry --
    def columns(self) -> None:
        m = self.m
        max_col = max(c for _, c in self.cells)
        node_cols = {c for (_, c) in self.node_cells}
        up_labels = [e.label_size[0] for e in self.edges if e.category == "up"]
        self.lane_x: dict[int, float] = {}
        lanes_right = m.margin + self.lanes * m.lane_gap
        for e in self.edges:
            if e.category == "up":
                self.lane_x[e.lane] = lanes_right - (e.lane - 1) * m.lane_gap
        # Room between the innermost lane and the spine for the return labels.
        left = lanes_right + (max(up_labels) + 2 * m.label_offset + 6 if up_labels else 0)
        self.col_left: dict[int, float] = {}
        self.col_line: dict[int, float] = {}
        self.col_width: dict[int, float] = {}
        for c in range(max_col + 1):
            if c in node_cols:
                width = self.node_width
                line = left + width / 2
            else:
                labels = [e.label_size[0] for e in self.edges if e.category == "long" and e.channel == c]
                width = (max(labels) if labels else 0) + 2 * m.label_offset + 8
                line = left + 4
            self.col_left[c], self.col_width[c], self.col_line[c] = left, width, line
            # A side step (已撤销) is joined by a short horizontal arrow whose label must fit in the gap.
            beside = [
                e.label_size[0]
                for e in self.edges
                if e.category == "same" and sorted((self.col[e.source], self.col[e.target])) == [c, c + 1]
            ]
            gap = max([m.column_gap] + [w + 2 * m.label_offset + 12 for w in beside])
            left += width + gap + (m.note_width if c in node_cols else 0)

    def node_x(self, key: str) -> float:
        c = self.col[key]
        return self.col_left[c] + (self.col_width[c] - self.node_width) / 2

    def _row_clear(self, row: int, columns: Iterable[int]) -> bool:
        return all((row, c) not in self.node_cells for c in columns)

    # -- ports and tracks --
    def plan(self) -> None:
        """Decide for each edge which sides it leaves and enters by, and which gap tracks it uses."""
        self.attach: list[_Attach] = []
        self.horizontals: list[_Horizontal] = []
        self.route_plan: dict[int, list[tuple[str, object]]] = {}
        for e in self.edges:
            getattr(self, f"_plan_{e.category}")(e)

    def _att(self, e: _Edge, node: str, side: Side, key: tuple[float, ...], anchor: bool = False) -> _Attach:
        a = _Attach(e.index, node, side, key, anchor)
        self.attach.append(a)
        return a

    def _hz(self, e: _Edge, gap: int) -> _Horizontal:
        h = _Horizontal(e.index, gap)
        self.horizontals.append(h)
        return h

    def _track_end(self, e: _Edge, step: tuple[str, object], before: bool) -> tuple[float, str]:
        """x of the line a track joins at one end, and whether that line runs up or down from the track."""
        kind, item = step
        if kind == "vline":
            assert isinstance(item, float)
            from_above = e.category == "long"
            return item, ("up" if from_above else "down") if before else ("down" if from_above else "up")
        assert isinstance(item, _Attach)
        x = self.port_point_x(item)
        node_above = item.side == "bottom"
        return x, "up" if node_above else "down"

    def measure_tracks(self) -> None:
        for e in self.edges:
            steps = self.route_plan[e.index]
            for i, (kind, item) in enumerate(steps):
                if kind != "track":
                    continue
                assert isinstance(item, _Horizontal)
                x1, d1 = self._track_end(e, steps[i - 1], before=True)
                x2, d2 = self._track_end(e, steps[i + 1], before=False)
                item.x1, item.x2 = x1, x2
                for x, d in ((x1, d1), (x2, d2)):
                    (item.up_stubs if d == "up" else item.down_stubs).append(x)

    def port_point_x(self, a: _Attach) -> float:
        x = self.node_x(a.node)
        if a.side in ("top", "bottom"):
            return x + self.node_width / 2 + a.offset
        return x if a.side == "left" else x + self.node_width

    def _center_x(self, key: str) -> float:
        return self.col_line[self.col[key]]

    def _plan_adjacent(self, e: _Edge) -> None:
        s, t = e.source, e.target
        straight = self.col[s] == self.col[t]
        out = self._att(e, s, "bottom", (self._center_x(t), e.index), anchor=straight)
        into = self._att(e, t, "top", (self._center_x(s), e.index), anchor=straight)
        gap = self.rank[t]
        if straight:
            self.route_plan[e.index] = [("port", out), ("port", into)]
        else:
            self.route_plan[e.index] = [("port", out), ("track", self._hz(e, gap)), ("port", into)]

    def _plan_long(self, e: _Edge) -> None:
        s, t = e.source, e.target
        rs, rt = self.rank[s], self.rank[t]
        x = self.col_line[e.channel]
        steps: list[tuple[str, object]] = []
        if self._row_clear(rs, range(self.col[s] + 1, e.channel)):
            steps.append(("port", self._att(e, s, "right", (2, -e.channel, e.index))))
        else:
            out = self._att(e, s, "bottom", (x, e.index))
            steps += [("port", out), ("track", self._hz(e, rs + 1))]
        steps.append(("vline", x))
        if self._row_clear(rt, range(self.col[t] + 1, e.channel)):
            steps.append(("port", self._att(e, t, "right", (0, e.channel, e.index))))
        else:
            into = self._att(e, t, "top", (x, e.index))
            steps += [("track", self._hz(e, rt)), ("port", into)]
        self.route_plan[e.index] = steps

    def _plan_up(self, e: _Edge) -> None:
        s, t = e.source, e.target
        rs, rt = self.rank[s], self.rank[t]
        x = self.lane_x[e.lane]
        steps: list[tuple[str, object]] = []
        if self._row_clear(rs, range(self.col[s])):
            steps.append(("port", self._att(e, s, "left", (0, e.lane, 0, e.index))))
        else:
            out = self._att(e, s, "top", (x, e.index))
            steps += [("port", out), ("track", self._hz(e, rs))]
        steps.append(("vline", x))
        if self._row_clear(rt, range(self.col[t])):
            steps.append(("port", self._att(e, t, "left", (2, -e.lane, 1, e.index))))
        else:
            into = self._att(e, t, "bottom", (x, e.index))
            steps += [("track", self._hz(e, rt + 1)), ("port", into)]
        self.route_plan[e.index] = steps

    def _plan_same(self, e: _Edge) -> None:
        s, t = e.source, e.target
        cs, ct = self.col[s], self.col[t]
        row = self.rank[s]
        if ct > cs and self._row_clear(row, range(cs + 1, ct)):
            self.route_plan[e.index] = [
                ("port", self._att(e, s, "right", (1, ct, e.index))),
                ("port", self._att(e, t, "left", (1, cs, e.index))),
            ]
        elif ct < cs and self._row_clear(row, range(ct + 1, cs)):
            self.route_plan[e.index] = [
                ("port", self._att(e, s, "left", (1, ct, e.index))),
                ("port", self._att(e, t, "right", (1, cs, e.index))),
            ]
        else:
            xs, xt = self._center_x(s), self._center_x(t)
            out = self._att(e, s, "bottom", (xt, e.index))
            into = self._att(e, t, "bottom", (xs, e.index))
            self.route_plan[e.index] = [("port", out), ("track", self._hz(e, row + 1)), ("port", into)]

    def spread_ports(self) -> None:
        groups: dict[tuple[str, str], list[_Attach]] = {}
        for a in self.attach:
            groups.setdefault((a.node, a.side), []).append(a)
        for (node, side), items in groups.items():
            items.sort(key=lambda a: a.key)
            length = self.node_width if side in ("top", "bottom") else self.node_height[node]
            spacing = min(length / (len(items) + 1), 26.0 if side in ("top", "bottom") else 11.0)
            anchors = [i for i, a in enumerate(items) if a.anchor]
            if anchors:
                # A straight vertical keeps the centre; the others step aside in order.
                pivot = anchors[0]
                for i, a in enumerate(items):
                    a.offset = (i - pivot) * spacing
            else:
                for i, a in enumerate(items):
                    a.offset = (i - (len(items) - 1) / 2) * spacing
            # Keep every port on the box even when the pivot is off centre.
            shift = 0.0
            limit = length / 2 - 4
            if items[-1].offset > limit:
                shift = limit - items[-1].offset
            if items[0].offset + shift < -limit:
                shift = -limit - items[0].offset
            for a in items:
                a.offset += shift

    def assign_tracks(self) -> None:
        by_gap: dict[int, list[_Horizontal]] = {}
        for h in self.horizontals:
            by_gap.setdefault(h.gap, []).append(h)
        self.gap_tracks: dict[int, int] = {}
        for gap, items in by_gap.items():
            order = _order_tracks(items)
            for track, h in enumerate(order):
                h.track = track
            self.gap_tracks[gap] = len(order)

    # -- vertical geometry --
    def rows_y(self) -> None:
        m = self.m
        self.row_height = {
            r: max((self.node_height[k] for (rr, _), k in self.node_cells.items() if rr == r), default=30.0)
            for r in range(self.rows)
        }
        label_need: dict[int, float] = {}
        for e in self.edges:
            if e.category == "adjacent":
                gap = self.rank[e.target]
                label_need[gap] = max(label_need.get(gap, 0.0), e.label_size[1])
        self.gap_top: dict[int, float] = {}
        self.gap_height: dict[int, float] = {}
        self.row_top: dict[int, float] = {}
        y = m.margin
        for gap in range(self.rows + 1):
            tracks = self.gap_tracks.get(gap, 0)
            need = (tracks * m.track_gap + 4 if tracks else 0) + (
                label_need[gap] + 12 if gap in label_need else 0
            )
            inner = 0 < gap < self.rows
            height = max(need, m.row_gap_min if inner else 0.0)
            self.gap_top[gap], self.gap_height[gap] = y, height
            y += height
            if gap < self.rows:
                self.row_top[gap] = y
                y += self.row_height[gap]

    def node_rect(self, key: str) -> Rect:
        r = self.rank[key]
        h = self.node_height[key]
        return Rect(self.node_x(key), self.row_top[r] + (self.row_height[r] - h) / 2, self.node_width, h)

    def track_y(self, h: _Horizontal) -> float:
        return self.gap_top[h.gap] + 5 + h.track * self.m.track_gap

    def port_point(self, a: _Attach) -> Point:
        r = self.node_rect(a.node)
        cx, cy = r.center
        if a.side == "top":
            return (cx + a.offset, r.y)
        if a.side == "bottom":
            return (cx + a.offset, r.bottom)
        if a.side == "left":
            return (r.x, cy + a.offset)
        return (r.right, cy + a.offset)

    def polyline(self, e: _Edge) -> list[Point]:
        """Orthogonal points from the source port to the target port, following the plan's tracks and lines."""
        steps = self.route_plan[e.index]
        first = steps[0][1]
        assert isinstance(first, _Attach)
        points: list[Point] = [self.port_point(first)]
        previous: tuple[str, object] = steps[0]
        for kind, item in steps[1:]:
            lx, ly = points[-1]
            if kind == "track":
                assert isinstance(item, _Horizontal)
                points.append((lx, self.track_y(item)))
            elif kind == "vline":
                assert isinstance(item, float)
                points.append((item, ly))
            else:
                assert isinstance(item, _Attach)
                px, py = self.port_point(item)
                joined_ports = previous[0] == "port"
                if item.side in ("top", "bottom"):
                    if lx != px:
                        # Two ports facing each other across a gap but not aligned: jog in the middle.
                        mid = (ly + py) / 2 if joined_ports else ly
                        points += [(lx, mid), (px, mid)]
                else:
                    if ly != py:
                        mid = (lx + px) / 2 if joined_ports else lx
                        points += [(mid, ly), (mid, py)]
                points.append((px, py))
            previous = (kind, item)
        return _simplify(points)

    # -- labels --
    def place_labels(self, paths: dict[int, list[Point]], nodes: dict[str, Rect]) -> dict[int, Rect]:
        obstacles: list[Rect] = [r.inflated(2) for r in nodes.values()]
        segments: list[tuple[int, Rect]] = []
        for idx, pts in paths.items():
            for a, b in itertools.pairwise(pts):
                segments.append((idx, Rect.around([a, b]).inflated(2.5)))
        placed: dict[int, Rect] = {}
        priority = {"adjacent": 0, "long": 1, "same": 2, "up": 3}
        for e in sorted(self.edges, key=lambda e: (priority[e.category], e.index)):
            w, h = e.label_size
            best: Rect | None = None
            for box in self._label_candidates(e, paths[e.index], w, h):
                if box.x < 0 or box.y < 0:
                    continue
                if any(box.intersects(o) for o in obstacles):
                    continue
                if any(box.intersects(r) for _, r in segments):
                    continue
                if any(box.intersects(p.inflated(2)) for p in placed.values()):
                    continue
                best = box
                break
            if best is None:
                first = next(iter(self._label_candidates(e, paths[e.index], w, h)))
                best = first
            placed[e.index] = best
        return placed

    def _label_candidates(self, e: _Edge, pts: list[Point], w: float, h: float) -> Iterable[Rect]:
        off = self.m.label_offset
        segs = list(itertools.pairwise(pts))
        vertical = [(a, b) for a, b in segs if a[0] == b[0]]
        horizontal = [(a, b) for a, b in segs if a[1] == b[1]]
        if e.category == "up":
            preferred = horizontal[:1] + horizontal[-1:] + vertical
        elif e.category == "same":
            preferred = horizontal + vertical
        elif e.category == "long":
            preferred = sorted(vertical, key=lambda s: -abs(s[1][1] - s[0][1])) + horizontal
        else:
            preferred = list(reversed(vertical)) + horizontal
        rest = [s for s in segs if s not in preferred]
        for a, b in preferred + rest:
            if a[0] == b[0]:
                x = a[0]
                y0, y1 = sorted((a[1], b[1]))
                for y in _slide(
                    y0 + 2, y1 - 2 - h, 3.0, start="top" if e.category == "adjacent" else "middle"
                ):
                    yield Rect(x + off, y, w, h)
                    yield Rect(x - off - w, y, w, h)
            else:
                y = a[1]
                x0, x1 = sorted((a[0], b[0]))
                start = "end" if e.category == "up" and a[0] > b[0] else "middle"
                for x in _slide(x0 + 3, x1 - 3 - w, 3.0, start=start):
                    yield Rect(x, y - off - h, w, h)
                    yield Rect(x, y + off, w, h)

    # -- all together --
    def run(self) -> FlowLayout:
        self.structure()
        self.measure()
        self.columns()
        self.plan()
        self.spread_ports()
        self.measure_tracks()
        self.assign_tracks()
        self.rows_y()
        rects = {s.key: self.node_rect(s.key) for s in self.flow.steps}
        paths = {e.index: self.polyline(e) for e in self.edges}
        labels = self.place_labels(paths, rects)
        everything = list(rects.values()) + list(labels.values())
        everything += [Rect.around(p) for p in paths.values()]
        left = min(r.x for r in everything)
        top = min(r.y for r in everything)
        dx, dy = self.m.margin - left, self.m.margin - top
        width = max(r.right for r in everything) + dx + self.m.margin
        height = max(r.bottom for r in everything) + dy + self.m.margin
        nodes = tuple(
            LayoutNode(
                key=s.key,
                label=s.label,
                roles_text=roles_text(self.flow, s),
                time_limit_text=time_limit_text(s),
                x=rects[s.key].x + dx,
                y=rects[s.key].y + dy,
                width=rects[s.key].width,
                height=rects[s.key].height,
                final=s.final,
                rank=self.rank[s.key],
                column=self.col[s.key],
                roles_lines=tuple(self.roles_lines[s.key]),
            )
            for s in self.flow.steps
        )
        edges = tuple(
            LayoutEdge(
                source=e.source,
                target=e.target,
                kind=e.kind,
                action=e.action,
                action_label=e.action_label,
                condition=e.condition,
                label_lines=tuple(e.lines),
                label_box=labels[e.index].moved(dx, dy),
                points=tuple((x + dx, y + dy) for x, y in paths[e.index]),
                transitions=tuple(e.transitions),
                back=e.back,
            )
            for e in self.edges
        )
        return FlowLayout(self.flow.key, self.flow.label, nodes, edges, width, height, self.m)


def _slide(low: float, high: float, step: float, start: str = "middle") -> list[float]:
    """Positions from low to high to try, in order of preference."""
    if high < low:
        return [low]
    count = int((high - low) // step) + 1
    values = [low + i * step for i in range(count)]
    if start == "top":
        return values
    if start == "end":
        return list(reversed(values))
    middle = (low + high) / 2
    return sorted(values, key=lambda v: (abs(v - middle), v))


def _order_tracks(items: list[_Horizontal]) -> list[_Horizontal]:
    """Order the horizontals of one gap top to bottom so that their stubs cross as few of them as possible.

    A stub going up from a horizontal must not pass another horizontal below it, so the owner of an up
    stub inside another's span goes above it; the owner of a down stub goes below.
    """

    def inside(x: float, h: _Horizontal) -> bool:
        low, high = sorted((h.x1, h.x2))
        return low + 0.5 < x < high - 0.5

    above: dict[int, set[int]] = {id(h): set() for h in items}  # id(a) -> ids that must be below a
    for a in items:
        for b in items:
            if a is b:
                continue
            if any(inside(x, b) for x in a.up_stubs):
                above[id(a)].add(id(b))
            if any(inside(x, b) for x in a.down_stubs):
                above[id(b)].add(id(a))
    remaining = sorted(items, key=lambda h: (min(h.x1, h.x2), max(h.x1, h.x2), h.edge))
    order: list[_Horizontal] = []
    while remaining:
        # Take the first one nothing remaining must sit above; on a cycle, just take the first.
        blocked = {j for h in remaining for j in above[id(h)]}
        pick = next((h for h in remaining if id(h) not in blocked), remaining[0])
        order.append(pick)
        remaining.remove(pick)
    return order


def _simplify(points: Sequence[Point]) -> list[Point]:
    """Drop repeated points and the middle of three collinear points."""
    result: list[Point] = []
    for p in points:
        p = (round(p[0], 2), round(p[1], 2))
        if result and result[-1] == p:
            continue
        if len(result) >= 2:
            a, b = result[-2], result[-1]
            if (a[0] == b[0] == p[0]) or (a[1] == b[1] == p[1]):
                result[-1] = p
                continue
        result.append(p)
    return result


def crossings(layout: FlowLayout) -> dict[int, list[Point]]:
    """Where a horizontal run of one edge crosses a vertical run of another, by the horizontal's edge index.

    A drawer puts a small hop there, so that two crossing lines are not read as a junction.
    """
    found: dict[int, list[Point]] = {}
    runs = [list(itertools.pairwise(e.points)) for e in layout.edges]
    for i, j in itertools.permutations(range(len(layout.edges)), 2):
        for (a, b), (c, d) in itertools.product(runs[i], runs[j]):
            if a[1] != b[1] or c[0] != d[0]:
                continue
            x, y = c[0], a[1]
            if (
                min(a[0], b[0]) + 1 < x < max(a[0], b[0]) - 1
                and min(c[1], d[1]) + 1 < y < max(c[1], d[1]) - 1
            ):
                found.setdefault(i, []).append((x, y))
    return found


def clock_caption(flow: Flow, key: str) -> tuple[str, str]:
    """A clock's label with its limit (受理时限 15日) and the steps it runs over (办理至答复)."""
    clock = flow.clock(key)
    unit = "个工作日" if clock.limit.unit == "workday" else "日"
    first, last = flow.step(clock.starts_on).label, flow.step(clock.stops_on).label
    return f"{clock.label} {clock.limit.amount}{unit}", first if first == last else f"{first}至{last}"


def _with_clocks(flow: Flow, layout: FlowLayout, notes: Mapping[str, tuple[str, bool]]) -> FlowLayout:
    """The layout with a bracket per clock on its right, its label centred beside it. Clocks whose brackets
    and labels do not overlap share a column; others stand in columns further right, so that neither
    brackets nor labels meet."""
    if not flow.clocks:
        return layout
    m = layout.metrics
    size = m.edge_label_size
    leading = size * m.line_factor
    # (clock, top, bottom, lines, label's y, label's width, label's height), then each one's column.
    planned = []
    columns: list[list[tuple[float, float]]] = []
    column_of: list[int] = []
    for clock in flow.clocks:
        first, last = layout.node(clock.starts_on), layout.node(clock.stops_on)
        top, bottom = min(first.y, last.y), max(first.rect.bottom, last.rect.bottom)
        note, overdue = notes.get(clock.key, ("", False))
        lines = [*clock_caption(flow, clock.key), *(wrap_text(note, size, CLOCK_LABEL_MAX) if note else [])]
        width = max(text_width(line, size) for line in lines) + 2
        box_h = len(lines) * leading
        box_y = max(m.margin, (top + bottom) / 2 - box_h / 2)
        extent = (min(top, box_y) - 4, max(bottom, box_y + box_h) + 4)
        column = next((i for i, taken in enumerate(columns)
                       if all(extent[1] <= a or b <= extent[0] for a, b in taken)), len(columns))
        if column == len(columns):
            columns.append([])
        columns[column].append(extent)
        column_of.append(column)
        planned.append((clock, top, bottom, tuple(lines), box_y, width, box_h, overdue))
    x = layout.width - m.margin + CLOCK_GAP
    column_x = []
    for number in range(len(columns)):
        column_x.append(x)
        widest = max(p[5] for p, c in zip(planned, column_of, strict=True) if c == number)
        x += 5 + widest + CLOCK_GAP
    placed = [
        LayoutClock(clock.key, column_x[c], top, bottom, lines, Rect(column_x[c] + 5, box_y, width, box_h), overdue)
        for (clock, top, bottom, lines, box_y, width, box_h, overdue), c in zip(planned, column_of, strict=True)
    ]
    width = max(p.label_box.right for p in placed) + m.margin
    height = max([layout.height] + [p.label_box.bottom + m.margin for p in placed])
    return dataclasses.replace(layout, clocks=tuple(placed), width=width, height=height)


def layout_flow(
    flow: Flow, metrics: LayoutMetrics | None = None, clock_notes: Iterable[tuple[str, str, bool]] = ()
) -> FlowLayout:
    """Lay out a flow for drawing. Pass metrics with a note_width to leave room beside boxes for notes, and a
    record's clock readings (FlowTrail.clock_notes) to print them by their clocks' brackets."""
    layout = _Router(flow, metrics or LayoutMetrics()).run()
    notes = {key: (text, overdue) for key, text, overdue in clock_notes}
    return _with_clocks(flow, layout, notes)
