"""政务信息报送情况通报: the notice of the writing groups' quota completion for a year or a quarter, as a document.

The title (关于2026年第三季度政务信息报送情况的通报), the opening paragraph with the office's totals in words, the
table of the groups (组别, 分管领导, 应报信息, 实报信息, 完成率, 未完成周数, 调研文章 应/实, 被采用条数, 得分, 评先评优),
a bar chart of each group's items against its quota and of its points, the paragraph naming the groups that lose
评先评优 eligibility (or saying none did), then the office and the date. A4 in the GB/T 9704 type area."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.printing.information.notice_data import NoticeGroupRow, NoticeSheet
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    BODY_LEADING,
    SIZE_2,
    SIZE_5,
    TYPE_AREA_WIDTH,
    BoldTitle,
    Signature,
    build_pdf,
    cjk_style,
    format_cn_date,
    gb_styles,
)
from app.printing.kit.table_form import LABEL_SHADE, ruled_style

FORM_NAME = "政务信息报送情况通报"
# Each heading and its width in mm (the ten fill the 156 mm type area); a heading breaks where it shows "\n".
COLUMNS: tuple[tuple[str, float], ...] = (
    ("组别", 22), ("分管领导", 18), ("应报\n信息", 14), ("实报\n信息", 14), ("完成率", 15), ("未完成\n周数", 15),
    ("调研文章\n（应/实）", 19), ("被采用\n条数", 15), ("得分", 12), ("评先\n评优", 12),
)
QUOTA_COLOR = colors.HexColor("#A9C4E0")
ITEMS_COLOR = colors.HexColor("#1F4E79")
POINTS_COLOR = colors.HexColor("#C55A11")
LOSING_COLOR = colors.HexColor("#C00000")
CHART_TEXT = 9.0
# More groups than this: their names are turned under the bars, and the bars carry no figures.
CROWDED = 10
CN_NUMBERS = "一二三四五六七八九"


def opening_text(data: NoticeSheet) -> str:
    """The office's totals in words."""
    t = data.totals
    standing = f"（截至{format_cn_date(data.issued_on)}）" if data.open else ""
    return (
        f"{data.period_label}{standing}，共编发《政务信息》{t.issues}期，报送信息{t.items}条，被上级采用{t.adopted_items}条，"
        f"计{t.points}分，完成调研文章{t.articles}篇。按照每组每周报送信息{data.items_per_week}条（节假日所在周按工作日折算）、"
        f"每半年完成调研文章{data.articles_per_half_year}篇的要求，现将各信息组完成情况通报如下。"
    )


def eligibility_text(data: NoticeSheet) -> str:
    """The groups that lose 评先评优 for the year, with why; or that none did."""
    losing = data.losing
    if not losing:
        return f"截至{format_cn_date(data.issued_on)}，各信息组均完成了{data.year}年已到期的报送任务，没有取消评先评优资格的信息组。"
    named = "、".join(f"{g.name}（{'；'.join(g.reasons)}）" if g.reasons else g.name for g in losing)
    return f"{named}未完成{data.year}年报送任务，按规定取消{data.year}年度评先评优资格。"


def row_cells(group: NoticeGroupRow) -> list[str]:
    return [
        group.name, group.leader or "—", str(group.quota), str(group.items), group.completion_text,
        str(group.weeks_missed), f"{group.article_quota}/{group.articles}", str(group.adopted_items), str(group.points),
        group.eligibility_text,
    ]


def groups_table(groups: Sequence[NoticeGroupRow], fonts: FontSet) -> Table:
    widths = [w * mm for _h, w in COLUMNS]
    scale = TYPE_AREA_WIDTH / sum(widths)
    widths = [w * scale for w in widths]
    leading = SIZE_5 * 1.35
    head = cjk_style("info-notice-head", fonts.hei, SIZE_5, leading, ALIGNMENTS["center"])
    cell = cjk_style("info-notice-cell", fonts.song, SIZE_5, leading, ALIGNMENTS["center"])
    red = ParagraphStyle("info-notice-red", parent=cell, textColor=LOSING_COLOR)
    rows: list[list[Flowable | str]] = [[Paragraph(fonts.markup(h, head.fontName), head) for h, _w in COLUMNS]]
    for group in groups:
        texts = row_cells(group)
        rows.append([Paragraph(fonts.markup(text, cell.fontName), red if group.loses_eligibility and i == len(texts) - 1
                               else cell) for i, text in enumerate(texts)])
    if not groups:
        rows.append([Paragraph(fonts.markup("尚未设置信息组", cell.fontName), cell)] + [""] * (len(COLUMNS) - 1))
    commands = ruled_style(fonts.song, 3, 3, 2) + [("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE)]
    if not groups:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def short_name(name: str) -> str:
    """A group's name under its bars: 第一信息组 → 第一组."""
    return name.replace("信息组", "组") if name.endswith("信息组") and len(name) > 3 else name


def nice_step(top: int) -> int:
    """A round step for a value axis up to ``top``: 1, 2 or 5 times a power of ten, about five steps."""
    step = 1
    while top / step > 5:
        for factor in (2, 5 / 2, 2):
            step = round(step * factor)
            if top / step <= 5:
                break
    return step


def _bar_chart(
    x: float, y: float, width: float, height: float, series: Sequence[Sequence[int]], names: Sequence[str],
    fills: Sequence[colors.Color], font: str,
) -> VerticalBarChart:
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = x, y, width, height
    chart.data = [list(s) for s in series]
    chart.strokeColor = None
    for index, fill in enumerate(fills):
        chart.bars[index].fillColor = fill
        chart.bars[index].strokeColor = None
    top = max([v for s in series for v in s] + [1])
    chart.valueAxis.valueMin = 0
    step = nice_step(top)
    chart.valueAxis.valueMax = step * (top // step + 1)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = CHART_TEXT - 1
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.categoryNames = [short_name(n) for n in names]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = CHART_TEXT
    chart.categoryAxis.labels.dy = -3
    if len(names) > CROWDED:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    if len(names) <= CROWDED:
        # Each bar's figure above it; too many bars leave no room for them (the table has the figures).
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = CHART_TEXT - 1.5
        chart.barLabels.nudge = 5
        chart.barLabelFormat = "%d"
    chart.groupSpacing = 6
    chart.barSpacing = 1
    return chart


def chart_drawing(groups: Sequence[NoticeGroupRow], fonts: FontSet) -> Drawing:
    """Two bar charts, one above the other: each group's 应报 and 实报 信息; each group's 得分."""
    font = fonts.song
    width = TYPE_AREA_WIDTH
    names = [g.name for g in groups]
    left, inner = 12 * mm, width - 16 * mm
    # Room under the bars for the names: one line, or the longest name turned by 45°.
    longest = max((fonts.string_width(short_name(n), font, CHART_TEXT) for n in names), default=0.0)
    label_room = longest * 0.72 + 4 * mm if len(names) > CROWDED else 9 * mm
    panel = 41 * mm + label_room
    drawing = Drawing(width, 2 * panel + 8 * mm)
    # Else the drawing starts in Helvetica, a font that is never embedded.
    drawing.initialFontName = font
    top_y = panel + 8 * mm
    drawing.add(String(0, top_y + panel - 4 * mm, "各信息组应报、实报信息（条）", fontName=fonts.hei, fontSize=CHART_TEXT + 1))
    drawing.add(_bar_chart(left, top_y + label_room, inner, panel - label_room - 10 * mm,
                           [[g.quota for g in groups], [g.items for g in groups]], names, [QUOTA_COLOR, ITEMS_COLOR], font))
    legend = Legend()
    legend.x, legend.y = width - 48 * mm, top_y + panel - 2.5 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 22 * mm
    legend.fontName, legend.fontSize = font, CHART_TEXT
    legend.colorNamePairs = [(QUOTA_COLOR, "应报"), (ITEMS_COLOR, "实报")]
    drawing.add(legend)
    drawing.add(String(0, panel - 4 * mm, "各信息组被上级采用得分（分）", fontName=fonts.hei, fontSize=CHART_TEXT + 1))
    drawing.add(_bar_chart(left, label_room, inner, panel - label_room - 10 * mm, [[g.points for g in groups]], names,
                           [POINTS_COLOR], font))
    return drawing


def notice_flowables(data: NoticeSheet, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    styles = gb_styles(fonts)
    heading = ParagraphStyle("info-notice-h1", parent=styles.body, fontName=fonts.hei)
    plain = ParagraphStyle("info-notice-plain", parent=styles.body, firstLineIndent=0)
    note = cjk_style("info-notice-note", fonts.song, SIZE_5, SIZE_5 * 1.5)

    def para(text: str, style: ParagraphStyle = styles.body) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    title = data.title
    lines = [title] if fonts.string_width(title, fonts.song, SIZE_2) <= TYPE_AREA_WIDTH else [
        title[: len(title) // 2 + 1], title[len(title) // 2 + 1 :]]
    parts: list[Flowable] = [
        BoldTitle(lines, fonts, SIZE_2, space_after=BODY_LEADING / 2),
        para("各信息组：", plain),
        para(opening_text(data)),
        # The heading goes with the table's first rows; a long table then runs on over the pages.
        CondPageBreak(4 * BODY_LEADING),
        para(f"{CN_NUMBERS[0]}、完成情况", heading),
        groups_table(data.groups, fonts),
        para("注：应报信息按已结束各周的任务数合计，节假日所在周按工作日折算；实报信息含本周已报送的；未完成周数只计已结束的周；调研文章按所涉半年度计；"
             "被采用条数和得分按采用日期计入本期。", note),
        Spacer(0, BODY_LEADING / 3),
        KeepTogether([para(f"{CN_NUMBERS[1]}、报送和采用情况对比", heading), chart_drawing(data.groups, fonts)]),
        para(f"{CN_NUMBERS[2]}、评先评优", heading),
        para(eligibility_text(data)),
        para("请各信息组对照任务要求，查漏补缺，进一步提高信息报送的数量和质量。"),
    ]
    parts.append(KeepTogether([parts.pop(), Spacer(0, BODY_LEADING),
                               Signature(data.office_name.strip(), data.issued_on, fonts)]))
    return parts


def render_notice(data: NoticeSheet) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(notice_flowables(data, fonts), title=data.title, author=data.office_name or "GovDesk",
                     subject=FORM_NAME)
