"""督查通报: the periodic notice (monthly or quarterly) on how supervised items were handled, unit by unit.

A plain notice set to GB/T 9704-2012 without the red 版头: the title “关于{period}督查督办工作情况的通报” in 二号
(broken into a longer line above a shorter one when it must break), the 主送机关, the body in 三号仿宋 with 黑体
first-level headings, the units' table with their ranking and a 合计 row, the bar chart of each unit's
按期办结率 (reportlab.graphics), the sources' table, the overdue items, the accountability records, the office's
own requirements, the 说明 of every figure, and the 落款.

Every figure's name, unit and meaning come from app.core.supervision.notice (DUE, COMPLETION_RATE …), and the
data refuses tables that do not add up to the totals, so the summary, the tables, the chart and the text say
the same thing by the same word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.core.notice_figures import Figure
from app.core.supervision.notice import (
    CLOSED,
    CLOSED_LATE,
    CLOSED_ON_TIME,
    COMPLETION_RATE,
    DUE,
    IN_PROGRESS,
    NOTICE_FIGURES,
    OVERDUE,
    Tally,
)
from app.printing.kit.fonts import FontSet, missing_glyphs, resolve_fonts
from app.printing.kit.page import (
    BODY_LEADING,
    SIZE_2,
    SIZE_4,
    SIZE_5,
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    BoldTitle,
    Signature,
    build_pdf,
    cjk_style,
    format_cn_date,
    gb_styles,
)
from app.printing.kit.table_form import LABEL_SHADE, OUTER_RULE, RULE_COLOR, ruled_style
from app.printing.supervision.data import COUNT_FIGURES, AccountabilityEntry, OverdueEntry, SupervisionNotice

# The chart's bars: the office's blue; units with nothing due get no bar, only a dash.
BAR_BLUE = colors.HexColor("#1F4E79")
CHART_ROW = 6.5 * mm
# Bars of this many units, their caption and axis fit the 225 mm type area.
CHART_UNITS_PER_PAGE = 30
CHART_LABEL_SIZE = 9.0
DEFAULT_REQUIREMENTS: tuple[str, ...] = (
    "各单位要对照本通报，认真分析本单位督办事项办理中存在的问题，对逾期未办结事项逐项明确整改措施和完成时限，"
    "按督办类别的要求及时报送办理进展，确保各项决策部署落地落实。",
)


def figure_value(figure: Figure, tally: Tally) -> str:
    """A tally's figure as the tables print it: a count, or the rate with its per cent (— where nothing was due)."""
    if figure == COMPLETION_RATE:
        return tally.rate_text
    for count, counted in COUNT_FIGURES.items():
        if counted == figure:
            return str(getattr(tally, count))
    raise KeyError(figure.name)


# ----- wording -----------------------------------------------------------------------------------


def notice_title(data: SupervisionNotice) -> str:
    return f"关于{data.period.label}督查督办工作情况的通报"


def title_lines(data: SupervisionNotice, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> list[str]:
    """The title on one line if it fits at 二号, else a longer line above a shorter one (梯形), broken before
    工作情况 (or before 督查督办 when the period's name is long)."""
    title = notice_title(data)

    def fits(text: str) -> bool:
        return fonts.string_width(text, fonts.song, SIZE_2) <= width

    if fits(title):
        return [title]
    head = f"关于{data.period.label}督查督办"
    if fits(head):
        return [head, "工作情况的通报"]
    return [f"关于{data.period.label}", "督查督办工作情况的通报"]


def _count(figure: Figure, value: int) -> str:
    return f"{figure.name}{value}{figure.unit}"


def opening_paragraph(data: SupervisionNotice) -> str:
    start, end = data.period.start, data.period.end
    span = f"{format_cn_date(start)}至{format_cn_date(end)}"
    return (
        "为推动县委、县政府重大决策部署和重点工作落地落实，"
        f"{data.office_short_name}对{data.period.label}（{span}）督查督办事项办理情况进行了统计。"
        "现将有关情况通报如下："
    )


def summary_paragraph(data: SupervisionNotice) -> str:
    office = data.office
    units = len(data.by_unit)
    if office.due:
        due = (
            f"本期{_count(DUE, office.due)}，其中{_count(CLOSED_ON_TIME, office.closed_on_time)}，"
            f"{COMPLETION_RATE.name}{office.rate_text}"
        )
    else:
        due = f"本期没有{DUE.name}事项，{COMPLETION_RATE.name}不计算"
    closed = f"统计期内{_count(CLOSED, office.closed)}"
    if office.closed_late:
        closed += f"，其中{_count(CLOSED_LATE, office.closed_late)}"
    at_end = (
        f"截至{format_cn_date(data.period.end)}，{_count(IN_PROGRESS, office.in_progress)}，"
        + (_count(OVERDUE, office.overdue) if office.overdue else f"没有{OVERDUE.name}事项")
    )
    return f"本期纳入统计的牵头单位共{units}个。{due}；{closed}；{at_end}。"


def _names(tallies: Sequence[Tally], text: Callable[[Tally], str], limit: int = 5) -> str:
    """A（…）、B（…）, or the first ``limit`` of them and 等N个单位 when the list is long (the table has them all)."""
    named = "、".join(f"{t.name}（{text(t)}）" for t in tallies[:limit])
    return named if len(tallies) <= limit else f"{named}等{len(tallies)}个单位"


def ranking_paragraph(data: SupervisionNotice) -> str:
    """Who did best and who did worst by the ranking, and who has overdue items; empty when no unit had due items."""
    rated = [t for t in data.by_unit if t.rate is not None]
    if not rated:
        return ""
    sentences = []
    full = [t for t in rated if t.closed_on_time == t.due]
    if full:
        named = "、".join(t.name for t in full[:5])
        sentences.append(f"{named}{'等' if len(full) > 5 else '共'}{len(full)}个单位{COMPLETION_RATE.name}达到100%")
    top = [t for t in rated[:3] if t not in full]
    if top:
        sentences.append(f"{COMPLETION_RATE.name}排名靠前的有" + _names(top, lambda t: t.rate_text))
    bottom = [t for t in rated[-3:] if t not in full and t not in top]
    if bottom:
        sentences.append("排名靠后的有" + _names(bottom, lambda t: t.rate_text))
    late = sorted((t for t in data.by_unit if t.overdue), key=lambda t: (-t.overdue, t.name))
    if late:
        sentences.append(f"有{OVERDUE.name}事项的单位是" + _names(late, lambda t: f"{t.overdue}{OVERDUE.unit}"))
    return "从各单位情况看，" + "；".join(sentences) + "。"


def overdue_opening(data: SupervisionNotice) -> str:
    if not data.overdue_items:
        return f"截至{format_cn_date(data.period.end)}，没有{OVERDUE.name}事项。"
    return f"截至{format_cn_date(data.period.end)}，{_count(OVERDUE, len(data.overdue_items))}，具体如下："


def accountability_opening(data: SupervisionNotice) -> str:
    if not data.accountability:
        return "本期未发生责任追究。"
    return f"本期因督办事项逾期等原因责任追究{len(data.accountability)}人次，具体如下："


def explanation_lines() -> list[str]:
    return [f"{n}. {figure.heading}：{figure.definition}。" for n, figure in enumerate(NOTICE_FIGURES, start=1)]


# ----- tables ------------------------------------------------------------------------------------


def _cell_styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    leading = SIZE_5 * 1.35
    return {
        "head": cjk_style("supervision-notice-head", fonts.hei, SIZE_5, leading, TA_CENTER),
        "center": cjk_style("supervision-notice-center", fonts.fang, SIZE_5, leading, TA_CENTER),
        "left": cjk_style("supervision-notice-left", fonts.fang, SIZE_5, leading),
        "total": cjk_style("supervision-notice-total", fonts.hei, SIZE_5, leading, TA_CENTER),
    }


def _ruled(data: list[list[Flowable | str]], widths_mm: Sequence[float], fonts: FontSet, *, total_row: bool) -> Table:
    style = ruled_style(fonts.song, 3, 4, 3) + [("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE)]
    if total_row:
        style.append(("LINEABOVE", (0, -1), (-1, -1), OUTER_RULE, RULE_COLOR))
    scale = TYPE_AREA_WIDTH / (sum(widths_mm) * mm)
    table = Table(data, colWidths=[w * mm * scale for w in widths_mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def heading_lines(figure: Figure) -> str:
    """A figure's heading broken by hand, where a reader expects and not where the width runs out: a name of
    more than three characters in two halves (按期/办结率, 逾期/未办结), then its unit."""
    name = figure.name
    if len(name) > 3:
        name = f"{name[: len(name) // 2]}\n{name[len(name) // 2 :]}"
    return f"{name}\n（{figure.unit}）"


def _figure_heading(figure: Figure, styles: dict[str, ParagraphStyle], fonts: FontSet) -> Paragraph:
    return Paragraph(fonts.markup(heading_lines(figure), fonts.hei), styles["head"])


# 排名, 单位, then one column per figure.
UNIT_COLUMNS_MM = (10.0, 34.0, *([16.0] * len(NOTICE_FIGURES)))
SOURCE_COLUMNS_MM = (44.0, *([16.0] * len(NOTICE_FIGURES)))


def unit_table(data: SupervisionNotice, fonts: FontSet) -> Table:
    styles = _cell_styles(fonts)

    def p(text: str, style: str) -> Paragraph:
        return Paragraph(fonts.markup(text, styles[style].fontName), styles[style])

    rows: list[list[Flowable | str]] = [
        [p("排名", "head"), p("单位", "head"), *[_figure_heading(f, styles, fonts) for f in NOTICE_FIGURES]]
    ]
    for place, tally in enumerate(data.by_unit, start=1):
        rows.append([p(str(place), "center"), p(tally.name, "left"),
                     *[p(figure_value(f, tally), "center") for f in NOTICE_FIGURES]])
    rows.append([p("合计", "total"), "", *[p(figure_value(f, data.office), "center") for f in NOTICE_FIGURES]])
    table = _ruled(rows, UNIT_COLUMNS_MM, fonts, total_row=True)
    table.setStyle(TableStyle([("SPAN", (0, -1), (1, -1))]))
    return table


def source_table(data: SupervisionNotice, fonts: FontSet) -> Table:
    styles = _cell_styles(fonts)

    def p(text: str, style: str) -> Paragraph:
        return Paragraph(fonts.markup(text, styles[style].fontName), styles[style])

    rows: list[list[Flowable | str]] = [
        [p("事项来源", "head"), *[_figure_heading(f, styles, fonts) for f in NOTICE_FIGURES]]
    ]
    for tally in data.by_source:
        rows.append([p(tally.name, "left"), *[p(figure_value(f, tally), "center") for f in NOTICE_FIGURES]])
    rows.append([p("合计", "total"), *[p(figure_value(f, data.office), "center") for f in NOTICE_FIGURES]])
    return _ruled(rows, SOURCE_COLUMNS_MM, fonts, total_row=True)


def overdue_table(items: Sequence[OverdueEntry], fonts: FontSet) -> Table:
    styles = _cell_styles(fonts)

    def p(text: str, style: str) -> Paragraph:
        return Paragraph(fonts.markup(text, styles[style].fontName), styles[style])

    rows: list[list[Flowable | str]] = [[p(h, "head") for h in ("序号", "牵头单位", "事项名称", "办结时限", "逾期天数")]]
    for n, item in enumerate(items, start=1):
        rows.append([p(str(n), "center"), p(item.unit, "left"), p(item.title, "left"),
                     p(format_cn_date(item.deadline), "center"), p(f"{item.days_overdue}天", "center")])
    return _ruled(rows, (10.0, 32.0, 66.0, 31.0, 17.0), fonts, total_row=False)


def accountability_table(entries: Sequence[AccountabilityEntry], fonts: FontSet) -> Table:
    styles = _cell_styles(fonts)

    def p(text: str, style: str) -> Paragraph:
        return Paragraph(fonts.markup(text, styles[style].fontName), styles[style])

    rows: list[list[Flowable | str]] = [[p(h, "head") for h in ("序号", "责任人", "所在单位", "督办事项", "追究原因")]]
    for n, entry in enumerate(entries, start=1):
        when = f"（{format_cn_date(entry.recorded_on)}）" if entry.recorded_on else ""
        rows.append([p(str(n), "center"), p(entry.person, "center"), p(entry.unit, "left"), p(entry.item, "left"),
                     p(entry.reason + when, "left")])
    return _ruled(rows, (10.0, 18.0, 30.0, 50.0, 48.0), fonts, total_row=False)


# ----- the chart ---------------------------------------------------------------------------------


def chart_font(fonts: FontSet, labels: Sequence[str]) -> str:
    """One face that has every label's glyphs: a chart's labels cannot switch face within a label as
    paragraphs do, so a missing glyph would print as an empty box."""
    text = "".join(labels)
    for candidate in (fonts.song, fonts.hei, fonts.kai, fonts.fang):
        if not missing_glyphs(candidate, text):
            return candidate
    return fonts.hei


def rate_charts(data: SupervisionNotice, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> list[Drawing]:
    """Horizontal bars of each unit's 按期办结率 in ranking order, the first at the top, each with its value; a
    unit with nothing due has no bar and a dash. A drawing cannot split over pages: beyond CHART_UNITS_PER_PAGE
    units the bars go on in a further drawing, aligned with the first."""
    units = list(data.by_unit)
    names = [t.name for t in units]
    font = chart_font(fonts, [*names, "%—"])
    label_width = max([fonts.string_width(n, font, CHART_LABEL_SIZE) for n in names] + [40.0]) + 6
    chunks = [units[i : i + CHART_UNITS_PER_PAGE] for i in range(0, len(units), CHART_UNITS_PER_PAGE)] or [[]]
    return [_bar_drawing(chunk, font, label_width, width) for chunk in chunks]


def _bar_drawing(units: Sequence[Tally], font: str, label_width: float, width: float) -> Drawing:
    plot_height = max(1, len(units)) * CHART_ROW
    drawing = Drawing(width, plot_height + 10 * mm)
    # Else the drawing starts in Helvetica, a font that is never embedded.
    drawing.initialFontName = font
    drawing.initialFontSize = CHART_LABEL_SIZE
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 8 * mm
    chart.width = width - label_width - 14 * mm
    chart.height = plot_height
    chart.data = [[float(t.rate) if t.rate is not None else 0.0 for t in units] or [0.0]]
    chart.bars[0].fillColor = BAR_BLUE
    chart.bars[0].strokeColor = None
    chart.barWidth = CHART_ROW * 0.6
    chart.categoryAxis.categoryNames = [t.name for t in units] or [""]
    chart.categoryAxis.reverseDirection = 1  # the first of the ranking at the top
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = CHART_LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = CHART_LABEL_SIZE
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#D5DBE3")
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = CHART_LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabelArray = [[t.rate_text for t in units] or [""]]
    chart.barLabelFormat = "values"
    drawing.add(chart)
    return drawing


def chart_caption(data: SupervisionNotice) -> str:
    return f"{data.period.label}各单位{COMPLETION_RATE.name}"


def chart_parts(data: SupervisionNotice, fonts: FontSet, caption: Paragraph) -> list[Flowable]:
    """The caption kept with the first drawing; any further drawing follows on its own."""
    first, *rest = rate_charts(data, fonts)
    return [KeepTogether([caption, Spacer(0, 2 * mm), first]), *rest]


# ----- layout ------------------------------------------------------------------------------------


def notice_flowables(data: SupervisionNotice, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    styles = gb_styles(fonts)
    heading = ParagraphStyle("supervision-notice-h1", parent=styles.body, fontName=fonts.hei)
    plain = ParagraphStyle("supervision-notice-plain", parent=styles.body, firstLineIndent=0)
    caption = ParagraphStyle("supervision-notice-caption", parent=styles.body, fontName=fonts.hei, fontSize=SIZE_4,
                             leading=SIZE_4 * 1.6, firstLineIndent=0, alignment=TA_CENTER)
    note = ParagraphStyle("supervision-notice-note", parent=styles.body, fontSize=SIZE_SMALL_4,
                          leading=SIZE_SMALL_4 * 1.5, firstLineIndent=0)

    def para(text: str, style: ParagraphStyle = styles.body) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    period = data.period.label
    parts: list[Flowable] = [
        BoldTitle(title_lines(data, fonts), fonts, SIZE_2, space_after=0),
        Spacer(0, BODY_LEADING),  # GB/T 9704: one blank line between the title and the 主送机关
        para(f"{data.recipients}：", plain),
        para(opening_paragraph(data)),
        para("一、总体情况", heading),
        para(summary_paragraph(data)),
        para("二、各单位办理情况及排名", heading),
    ]
    ranking = ranking_paragraph(data)
    if ranking:
        parts.append(para(ranking))
    if data.by_unit:
        parts += [
            para(f"各单位督办事项办理情况、{COMPLETION_RATE.name}及排名见下表和下图。"),
            KeepTogether([para(f"{period}各单位督办事项办理情况及排名", caption), unit_table(data, fonts)]),
            Spacer(0, BODY_LEADING * 0.4),
            *chart_parts(data, fonts, para(chart_caption(data), caption)),
        ]
    else:
        # An empty table and a chart without bars would say nothing a sentence does not.
        parts.append(para("本期没有单位承办督办事项，不作排名。"))
    parts += [
        para("三、各来源事项办理情况", heading),
        KeepTogether([para(f"{period}各来源督办事项办理情况", caption), source_table(data, fonts)]),
        Spacer(0, BODY_LEADING * 0.4),
        para(f"四、{OVERDUE.name}事项", heading),
        para(overdue_opening(data)),
    ]
    if data.overdue_items:
        parts += [overdue_table(data.overdue_items, fonts), Spacer(0, BODY_LEADING * 0.4)]
    parts += [para("五、责任追究情况", heading), para(accountability_opening(data))]
    if data.accountability:
        parts += [accountability_table(data.accountability, fonts), Spacer(0, BODY_LEADING * 0.4)]
    requirements = [p for p in data.paragraphs if p.strip()] or list(DEFAULT_REQUIREMENTS)
    parts += [
        para("六、有关要求", heading),
        *[para(text) for text in requirements],
        Spacer(0, BODY_LEADING * 0.2),
        para("说明：", note),
        *[para(line, note) for line in explanation_lines()],
        Spacer(0, BODY_LEADING),  # GB/T 9704 §7.3.5.2: one blank line above the 落款
        Signature(data.office_name, data.issued_on, fonts),
    ]
    return parts


def render_notice(data: SupervisionNotice) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(notice_flowables(data, fonts), title=notice_title(data), author=data.office_name or "GovDesk")
