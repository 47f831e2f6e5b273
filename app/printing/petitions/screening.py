"""信访问题排查情况表: a screening printed for the office's meeting on petitions. A4 upright in the GB/T 9704 版心:
the office above the form's name, the period and any narrowing, one line of totals, then the first petitions of
the period by 问题类别, by 属地, by 信访方式 (each with its share and people, and a 合计 row) and by month or
quarter, the hot issues ranked, and the problems already assigned with where they stand; the print date last.

It takes plain data (ScreeningReport), never a session: what a user may see was decided by the service that
counted. No petitioner's particulars are on it. The data refuses a breakdown that does not add up to the total,
so every table says the same as the line of totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    BoldTitle,
    build_pdf,
    cjk_style,
    format_cn_date,
    gb_styles,
)
from app.printing.kit.table_form import LABEL_SHADE, OUTER_RULE, RULE_COLOR, ruled_style

FORM_NAME = "信访问题排查情况表"
CELL_PAD = 3.0


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: a category, place, channel or period, its cases and the people they brought
    (people None: not counted, as for the periods)."""

    name: str
    cases: int
    people: int | None = None


@dataclass(frozen=True)
class HotRow:
    rank: int
    category: str
    place: str
    cases: int
    repeats: int
    people: int


@dataclass(frozen=True)
class ProblemRow:
    number: str
    title: str
    unit_name: str
    deadline: date
    state: str


@dataclass(frozen=True)
class ScreeningReport:
    office_name: str
    period_from: date
    period_to: date
    # The narrowing as the screen said it ("问题类别：商品房两证办理"), "" for none.
    narrowing: str
    cases: int
    people: int
    by_category: Sequence[CountRow]
    by_place: Sequence[CountRow]
    by_channel: Sequence[CountRow]
    # "按月" or "按季度", and its rows.
    period_caption: str
    by_period: Sequence[CountRow]
    hot: Sequence[HotRow]
    printed_on: date
    problems: Sequence[ProblemRow] = field(default=())

    def __post_init__(self) -> None:
        for caption, rows in (("问题类别", self.by_category), ("属地", self.by_place),
                              ("信访方式", self.by_channel), (self.period_caption, self.by_period)):
            if sum(r.cases for r in rows) != self.cases:
                raise ValueError(f"排查表“{caption}”各项件数之和与总件数{self.cases}不符")
        if self.period_from > self.period_to:
            raise ValueError("排查时段的起始日期晚于截止日期")


def share_text(part: int, whole: int) -> str:
    """A part's share of the whole in per cent with one decimal, “—” where there is no whole."""
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def report_title(data: ScreeningReport) -> str:
    return f"{FORM_NAME}（{format_cn_date(data.period_from)}至{format_cn_date(data.period_to)}）"


class _Text:
    """Paragraphs of the report in its faces, with a fallback face for any character the Song face lacks."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        styles = gb_styles(fonts)
        self.cell = cjk_style("screening-cell", fonts.song, SIZE_SMALL_4, SIZE_SMALL_4 * 1.4)
        self.number = cjk_style("screening-number", fonts.song, SIZE_SMALL_4, SIZE_SMALL_4 * 1.4, 2)
        self.head = cjk_style("screening-head", fonts.hei, SIZE_SMALL_4, SIZE_SMALL_4 * 1.4, 1)
        self.heading = cjk_style("screening-heading", fonts.hei, 14.0, 14.0 * 1.6, spaceBefore=6, spaceAfter=3)
        self.line = cjk_style("screening-line", fonts.fang, 14.0, 14.0 * 1.6)
        self.subtitle = styles.subtitle
        self.small_right = styles.small_right

    def __call__(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(self.fonts.markup(text, style.fontName), style)


def _table(t: _Text, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           numeric: Sequence[int], total: bool) -> Table:
    """A ruled table, its head shaded and repeated on every page, numbers set right; ``total``: the last row is
    a 合计, in the head's face."""
    body = [[t(h, t.head) for h in headers]]
    for index, row in enumerate(rows):
        last = total and index == len(rows) - 1
        body.append([
            t(cell, t.head if last else t.number if column in numeric else t.cell) for column, cell in enumerate(row)
        ])
    table = Table(body, colWidths=list(widths), repeatRows=1)
    style = ruled_style(t.fonts.song, CELL_PAD, CELL_PAD, CELL_PAD) + [
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
        ("BOX", (0, 0), (-1, -1), OUTER_RULE, RULE_COLOR),
    ]
    if total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), LABEL_SHADE))
    table.setStyle(TableStyle(style))
    return table


def _breakdown(t: _Text, caption: str, rows: Sequence[CountRow], total: int, people_total: int) -> list[Flowable]:
    headers = [caption, "件数", "占比", "涉及人数"]
    lines = [[r.name, str(r.cases), share_text(r.cases, total), str(r.people if r.people is not None else "—")]
             for r in rows]
    lines.append(["合计", str(total), share_text(total, total), str(people_total)])
    widths = [TYPE_AREA_WIDTH - 3 * 28 * mm, 28 * mm, 28 * mm, 28 * mm]
    return [_table(t, headers, lines, widths, (1, 2, 3), total=True)]


def screening_flowables(data: ScreeningReport, fonts: FontSet) -> list[Flowable]:
    t = _Text(fonts)
    story: list[Flowable] = [BoldTitle([data.office_name, FORM_NAME], fonts)]
    period = f"统计时段：{format_cn_date(data.period_from)}至{format_cn_date(data.period_to)}"
    story.append(t(period + (f"　{data.narrowing}" if data.narrowing else ""), t.subtitle))
    story.append(Spacer(1, 4 * mm))
    story.append(t(
        f"本时段共登记信访件{data.cases}件（不含复查、复核），涉及{data.people}人；"
        f"同一类别、同一属地反映2件以上的热点问题{len(data.hot)}项，已交办排查问题{len(data.problems)}项。",
        t.line,
    ))
    sections: list[tuple[str, list[Flowable]]] = [
        ("一、按问题类别", _breakdown(t, "问题类别", data.by_category, data.cases, data.people)),
        ("二、按问题属地", _breakdown(t, "属地", data.by_place, data.cases, data.people)),
        ("三、按信访方式", _breakdown(t, "信访方式", data.by_channel, data.cases, data.people)),
    ]
    period_rows = [[r.name, str(r.cases), share_text(r.cases, data.cases)] for r in data.by_period]
    period_rows.append(["合计", str(data.cases), share_text(data.cases, data.cases)])
    sections.append((f"四、{data.period_caption}统计", [_table(
        t, ["时段", "件数", "占比"], period_rows, [TYPE_AREA_WIDTH - 2 * 32 * mm, 32 * mm, 32 * mm], (1, 2), True)]))
    if data.hot:
        hot_rows = [[str(h.rank), h.category, h.place, str(h.cases), str(h.repeats), str(h.people)] for h in data.hot]
        hot_table: Flowable = _table(
            t, ["排名", "问题类别", "属地", "件数", "重复信访", "涉及人数"], hot_rows,
            [14 * mm, TYPE_AREA_WIDTH - 14 * mm - 30 * mm - 3 * 20 * mm - 4 * mm, 34 * mm, 20 * mm, 20 * mm,
             20 * mm], (0, 3, 4, 5), False)
    else:
        hot_table = t("本时段没有同一类别、同一属地反映2件以上的问题。", t.line)
    sections.append(("五、热点问题", [hot_table]))
    if data.problems:
        problem_rows = [[p.number, p.title, p.unit_name, format_cn_date(p.deadline), p.state] for p in data.problems]
        problems_table: Flowable = _table(
            t, ["编号", "问题名称", "责任单位", "化解时限", "状态"], problem_rows,
            [30 * mm, TYPE_AREA_WIDTH - 30 * mm - 30 * mm - 34 * mm - 22 * mm, 30 * mm, 34 * mm, 22 * mm], (), False)
    else:
        problems_table = t("尚未交办排查问题。", t.line)
    sections.append(("六、已交办的排查问题", [problems_table]))
    for heading, parts in sections:
        # A heading is never left alone at the foot of a page.
        story.append(KeepTogether([t(heading, t.heading), *parts[:1]]))
        story.extend(parts[1:])
    story.append(Spacer(1, 6 * mm))
    story.append(t(f"打印日期：{format_cn_date(data.printed_on)}", t.small_right))
    return story


def render_screening(data: ScreeningReport) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(screening_flowables(data, fonts), title=report_title(data),
                     author=data.office_name or "GovDesk")
