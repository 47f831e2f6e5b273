"""公文运转及差错情况通报: the quarterly notice on how documents moved and what went wrong, unit by unit.

A plain notice set to GB/T 9704-2012 without the red 版头: the title in 二号 (two lines, longer above, as
the standard asks of a title that must break), the 主送机关, the body in 三号仿宋 with 黑体 first-level
headings, the table of units with a 合计 row, the overdue documents, and the office's name and date
(落款, §7.3.5.2). The paragraphs are written from the numbers, in the notice's usual sober wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.core.errors import ValidationError
from app.printing.fonts import FontSet, resolve_fonts
from app.printing.outgoing_draft import DocNumber, cell_style, number_text
from app.printing.page import (
    BODY_LEADING,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_5,
    TYPE_AREA_WIDTH,
    BoldTitle,
    GbStyles,
    build_pdf,
    draw_text,
    format_cn_date,
    gb_styles,
)
from app.printing.table_form import INNER_RULE, LABEL_SHADE, OUTER_RULE, RULE_COLOR

QUARTER_NAMES = ("一", "二", "三", "四")
ERROR_KINDS: tuple[tuple[str, str], ...] = (
    ("format_errors", "格式"),
    ("wording_errors", "文字"),
    ("type_errors", "文种"),
    ("procedure_errors", "程序"),
)


@dataclass(frozen=True)
class NoticeUnitRow:
    """One unit's quarter: documents handled, average days per workflow step, returns, errors, overdue."""

    unit: str
    documents: int
    avg_step_days: float
    returns: int = 0
    format_errors: int = 0
    wording_errors: int = 0
    type_errors: int = 0
    procedure_errors: int = 0
    overdue: int = 0

    def __post_init__(self) -> None:
        counts = (self.documents, self.returns, self.overdue, *self.error_counts)
        if any(n < 0 for n in counts) or self.avg_step_days < 0:
            raise ValidationError(f"{self.unit}的统计数不能为负数", field="rows")

    @property
    def error_counts(self) -> tuple[int, int, int, int]:
        return (self.format_errors, self.wording_errors, self.type_errors, self.procedure_errors)

    @property
    def errors(self) -> int:
        return sum(self.error_counts)


@dataclass(frozen=True)
class OverdueItem:
    """A document that passed its deadline; completed_on None means it is still not done."""

    unit: str
    title: str
    doc_number: DocNumber | str | None = None
    due_date: date | None = None
    overdue_days: int = 0  # working days past the deadline
    completed_on: date | None = None


@dataclass(frozen=True)
class DocumentNoticeData:
    office_name: str
    year: int
    quarter: int
    issued_on: date
    rows: Sequence[NoticeUnitRow]
    overdue_items: Sequence[OverdueItem] = ()
    recipients: str = "各乡镇人民政府，县政府各部门"
    # How the office names itself in the text of the notice.
    office_short_name: str = "县政府办公室"
    # The average per step over all units, when the caller has it exactly (it weighs steps, not documents).
    overall_avg_step_days: float | None = None

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValidationError("季度应为1至4", field="quarter")


# ----- wording ---------------------------------------------------------------------------------------


def quarter_name(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def notice_title(year: int, quarter: int) -> str:
    return f"关于{quarter_name(year, quarter)}公文运转及差错情况的通报"


def title_lines(year: int, quarter: int, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> list[str]:
    """The title on one line if it fits at 二号, else broken before 及: a longer line above a shorter one (梯形)."""
    title = notice_title(year, quarter)
    if fonts.string_width(title, fonts.song, SIZE_2) <= width:
        return [title]
    head, _, tail = title.partition("及")
    return [head, "及" + tail]


def days_text(days: float) -> str:
    return f"{days:.1f}"


def overall_average(data: DocumentNoticeData) -> float:
    if data.overall_avg_step_days is not None:
        return data.overall_avg_step_days
    documents = sum(row.documents for row in data.rows)
    if not documents:
        return 0.0
    return sum(row.avg_step_days * row.documents for row in data.rows) / documents


def _names(units: Sequence[str], limit: int = 5) -> str:
    """A、B、C, or A、B、C等N个单位 when the list is long."""
    if len(units) <= limit:
        return "、".join(units)
    return f"{'、'.join(units[:limit])}等{len(units)}个单位"


def opening_paragraph(data: DocumentNoticeData) -> str:
    start, end = quarter_span(data.year, data.quarter)
    period = f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    return (
        "为进一步规范公文办理，提高公文运转效率和质量，根据《党政机关公文处理工作条例》和限时办结有关要求，"
        f"{data.office_short_name}对{quarter_name(data.year, data.quarter)}（{period}）各单位公文运转及差错情况"
        "进行了统计。现将有关情况通报如下："
    )


def summary_paragraph(data: DocumentNoticeData) -> str:
    rows = data.rows
    documents = sum(r.documents for r in rows)
    returns = sum(r.returns for r in rows)
    overdue = sum(r.overdue for r in rows)
    by_kind = [sum(r.error_counts[i] for r in rows) for i in range(len(ERROR_KINDS))]
    errors = sum(by_kind)
    parts = [
        f"本季度，纳入统计的{len(rows)}个单位共办理公文{documents}件，"
        f"平均每个环节用时{days_text(overall_average(data))}天",
        f"退回{returns}次" if returns else "未发生退回",
    ]
    if errors:
        kinds = "、".join(
            f"{name}差错{count}处" for (_, name), count in zip(ERROR_KINDS, by_kind, strict=True) if count
        )
        parts.append(f"登记差错{errors}处，其中{kinds}")
    else:
        parts.append("未登记差错")
    parts.append(f"逾期办理公文{overdue}件" if overdue else "无逾期公文")
    return "；".join(parts) + "。"


def assessment_paragraph(data: DocumentNoticeData) -> str:
    """Who did well and who did not, named from the numbers; empty when there is nothing to say."""
    clean = [r.unit for r in data.rows if r.documents and not (r.returns or r.errors or r.overdue)]
    erring = sorted((r for r in data.rows if r.errors), key=lambda r: (-r.errors, r.unit))[:3]
    late = sorted((r for r in data.rows if r.overdue), key=lambda r: (-r.overdue, r.unit))
    sentences = []
    if clean:
        sentences.append(f"{_names(clean)}公文办理规范、及时，本季度未发生退回、差错和逾期")
    if erring:
        sentences.append("差错较多的单位是" + "、".join(f"{r.unit}（{r.errors}处）" for r in erring))
    if late:
        sentences.append("存在逾期办理的单位是" + "、".join(f"{r.unit}（{r.overdue}件）" for r in late))
    if not sentences:
        return ""
    return "从各单位情况看，" + "；".join(sentences) + "。"


def overdue_lines(items: Sequence[OverdueItem]) -> list[str]:
    lines = []
    for n, item in enumerate(items, start=1):
        number = number_text(item.doc_number, lenient=True)
        cited = f"《{item.title}》" + (f"（{number}）" if number else "")
        due = f"，办理时限为{format_cn_date(item.due_date)}" if item.due_date else ""
        late = f"，逾期{item.overdue_days}个工作日" if item.overdue_days else ""
        state = f"，已于{format_cn_date(item.completed_on)}办结" if item.completed_on else "，目前尚未办结"
        lines.append(f"{n}. {item.unit}承办的{cited}{due}{late}{state}。")
    return lines


def requirements_paragraph(data: DocumentNoticeData) -> str:
    text = (
        "各单位要对照本通报，认真查找公文办理中存在的问题，严格执行《党政机关公文处理工作条例》"
        "和《党政机关公文格式》（GB/T 9704—2012），规范公文格式和文种使用，严格落实限时办结要求，"
        "切实提高公文办理质量和效率。"
    )
    if any(item.completed_on is None for item in data.overdue_items):
        text += f"对尚未办结的逾期公文，请有关单位抓紧办理，并及时向{data.office_short_name}反馈办理情况。"
    return text


# ----- layout ----------------------------------------------------------------------------------------


class Signature(Flowable):
    """落款 without a seal (GB/T 9704 §7.3.5.2): the office two characters in from the right, the date on the
    next line two characters right of the office's first character; a date longer than that goes two in from
    the right and pushes the office name left to keep the two-character step."""

    def __init__(self, office: str, when: date, fonts: FontSet) -> None:
        super().__init__()
        self.office = office
        self.when = format_cn_date(when)
        self.fonts = fonts
        self.size = SIZE_3
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, 2 * BODY_LEADING

    def positions(self) -> tuple[float, float]:
        em = self.size
        font = self.fonts.fang
        office_width = self.fonts.string_width(self.office, font, self.size)
        date_width = self.fonts.string_width(self.when, font, self.size)
        office_x = self._width - 2 * em - office_width
        date_x = office_x + 2 * em
        if date_x + date_width > self._width - 2 * em:
            date_x = self._width - 2 * em - date_width
            office_x = date_x - 2 * em
        return office_x, date_x

    def draw(self) -> None:
        office_x, date_x = self.positions()
        font = self.fonts.fang
        # Baselines where the body's line grid puts them (22 lines to the page).
        draw_text(self.canv, self.fonts, office_x, BODY_LEADING * 1.25, self.office, font, self.size)
        draw_text(self.canv, self.fonts, date_x, BODY_LEADING * 0.25, self.when, font, self.size)


# Each heading line (五号) fits its column, and a unit's name of nine characters fits on one line.
NOTICE_COLUMNS_MM = (37.0, 21.0, 22.0, 18.0, 10.0, 10.0, 10.0, 10.0, 18.0)


def unit_table(data: DocumentNoticeData, fonts: FontSet) -> Table:
    head = cell_style("notice-head", fonts.hei, SIZE_5, "center")
    body = cell_style("notice-cell", fonts.fang, SIZE_5, "center")
    body_left = cell_style("notice-unit", fonts.fang, SIZE_5, "left")
    total_label = cell_style("notice-total", fonts.hei, SIZE_5, "center")

    def h(text: str) -> Paragraph:
        return Paragraph(fonts.markup(text, fonts.hei), head)

    def c(text: str) -> Paragraph:
        return Paragraph(fonts.markup(text, fonts.fang), body)

    data_rows: list[list[Flowable | str]] = [
        # Headings broken by hand before the unit, where a reader expects, not where the width runs out.
        [h("单位"), h("办理公文数\n（件）"), h("平均每环节\n用时（天）"), h("退回次数\n（次）"), h("差错（处）"),
         "", "", "", h("逾期件数\n（件）")],
        ["", "", "", "", h("格式"), h("文字"), h("文种"), h("程序"), ""],
    ]
    for row in data.rows:
        data_rows.append(
            [Paragraph(fonts.markup(row.unit, fonts.fang), body_left), c(str(row.documents)),
             c(days_text(row.avg_step_days)), c(str(row.returns)), *[c(str(n)) for n in row.error_counts],
             c(str(row.overdue))]
        )
    totals = [sum(r.error_counts[i] for r in data.rows) for i in range(len(ERROR_KINDS))]
    data_rows.append(
        [Paragraph(fonts.markup("合计", fonts.hei), total_label), c(str(sum(r.documents for r in data.rows))),
         c(days_text(overall_average(data))), c(str(sum(r.returns for r in data.rows))),
         *[c(str(n)) for n in totals], c(str(sum(r.overdue for r in data.rows)))]
    )
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.song),  # the empty filler cells, else Helvetica
        ("BOX", (0, 0), (-1, -1), OUTER_RULE, RULE_COLOR),
        ("INNERGRID", (0, 0), (-1, -1), INNER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 1), LABEL_SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEABOVE", (0, -1), (-1, -1), OUTER_RULE, RULE_COLOR),
    ]
    for column in (0, 1, 2, 3, 8):
        style.append(("SPAN", (column, 0), (column, 1)))
    style.append(("SPAN", (4, 0), (7, 0)))
    # The two heading rows come back on a second page; the 合计 row is the table's last.
    table = Table(data_rows, colWidths=[w * mm for w in NOTICE_COLUMNS_MM], repeatRows=2)
    table.setStyle(TableStyle(style))
    return table


def _heading_style(styles: GbStyles, fonts: FontSet) -> ParagraphStyle:
    # GB/T 9704 §7.3.3: the first level (一、) is set in 黑体, indented like a paragraph.
    return ParagraphStyle("notice-h1", parent=styles.body, fontName=fonts.hei)


def notice_flowables(data: DocumentNoticeData, fonts: FontSet | None = None) -> list[Flowable]:
    fonts = fonts or resolve_fonts()
    styles = gb_styles(fonts)
    heading = _heading_style(styles, fonts)
    plain = ParagraphStyle("notice-recipients", parent=styles.body, firstLineIndent=0)
    caption = ParagraphStyle(
        "notice-caption", parent=styles.body, fontName=fonts.hei, fontSize=SIZE_4, leading=SIZE_4 * 1.6,
        firstLineIndent=0, alignment=TA_CENTER,
    )

    def para(text: str, style: ParagraphStyle = styles.body) -> Paragraph:
        return Paragraph(fonts.markup(text, style.fontName), style)

    parts: list[Flowable] = [
        BoldTitle(title_lines(data.year, data.quarter, fonts), fonts, SIZE_2, space_after=0),
        Spacer(0, BODY_LEADING),  # GB/T 9704: one blank line between the title and the 主送机关
        para(f"{data.recipients}：", plain),
        para(opening_paragraph(data)),
        para("一、总体情况", heading),
        para(summary_paragraph(data)),
    ]
    assessment = assessment_paragraph(data)
    if assessment:
        parts.append(para(assessment))
    parts += [
        para("二、各单位公文运转情况", heading),
        para("各单位公文运转及差错情况见下表。"),
        KeepTogether(
            [
                para(f"{quarter_name(data.year, data.quarter)}各单位公文运转及差错情况统计表", caption),
                unit_table(data, fonts),
            ]
        ),
        Spacer(0, BODY_LEADING * 0.4),
        para("三、逾期公文情况", heading),
    ]
    if data.overdue_items:
        parts.append(para(f"本季度共有{len(data.overdue_items)}件公文超过办理时限，具体如下："))
        parts += [para(line) for line in overdue_lines(data.overdue_items)]
    else:
        parts.append(para("本季度各单位均在办理时限内办结公文，无逾期情况。"))
    parts += [
        para("四、有关要求", heading),
        para(requirements_paragraph(data)),
        Spacer(0, BODY_LEADING),  # GB/T 9704 §7.3.5.2: one blank line above the 落款
        Signature(data.office_name, data.issued_on, fonts),
    ]
    return parts


def render_document_notice(data: DocumentNoticeData) -> bytes:
    fonts = resolve_fonts()
    return build_pdf(
        notice_flowables(data, fonts),
        title=notice_title(data.year, data.quarter),
        author=data.office_name or "GovDesk",
    )
