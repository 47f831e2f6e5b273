"""公文运转及差错情况通报: the quarterly notice on how documents moved and what went wrong, unit by unit.

A plain notice set to GB/T 9704-2012 without the red 版头: the title in 二号 (two lines, longer above, as
the standard asks of a title that must break), the 主送机关, the body in 三号仿宋 with 黑体 first-level
headings, the table of units with a 合计 row and the 说明 of its figures, the overdue documents, and the
office's name and date (落款, §7.3.5.2). The paragraphs are written from the numbers, in the notice's usual
sober wording. Every figure's name, unit and meaning come from app.core.notice_figures, and the data refuses
a list of overdue documents that does not add up to the table, so the text cannot contradict the table.
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
from app.core.notice_figures import (
    AVERAGE_STEP_TIME,
    ERRORS,
    HANDLED,
    LATE_STEPS,
    OVERDUE,
    RETURNS,
    notice_explanation,
)
from app.printing.documents.outgoing_draft import DocNumber, cell_style, number_text
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    BODY_LEADING,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_5,
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    BoldTitle,
    GbStyles,
    build_pdf,
    draw_text,
    format_cn_date,
    gb_styles,
)
from app.printing.kit.table_form import LABEL_SHADE, OUTER_RULE, RULE_COLOR, ruled_style

QUARTER_NAMES = ("一", "二", "三", "四")
ERROR_KINDS: tuple[tuple[str, str], ...] = (
    ("format_errors", "格式"),
    ("wording_errors", "文字"),
    ("type_errors", "文种"),
    ("procedure_errors", "程序"),
)


@dataclass(frozen=True)
class NoticeUnitRow:
    """One county unit's quarter, each figure as app.core.notice_figures defines it: 办理公文 (件), the
    average working days per step (None when no step was completed), returns, errors, 逾期公文 (件) and
    超时环节 (环节次)."""

    unit: str
    documents: int
    avg_step_days: float | None  # working days (工作日)
    returns: int = 0
    format_errors: int = 0
    wording_errors: int = 0
    type_errors: int = 0
    procedure_errors: int = 0
    overdue: int = 0  # 逾期公文（件）
    late_steps: int = 0  # 超时环节（环节次）

    def __post_init__(self) -> None:
        counts = (self.documents, self.returns, self.overdue, self.late_steps, *self.error_counts)
        if any(n < 0 for n in counts) or (self.avg_step_days or 0) < 0:
            raise ValidationError(f"{self.unit}的统计数不能为负数", field="rows")
        if self.late_steps < self.overdue:
            raise ValidationError(f"{self.unit}的每件逾期公文至少有一个超时环节", field="rows")

    @property
    def error_counts(self) -> tuple[int, int, int, int]:
        return (self.format_errors, self.wording_errors, self.type_errors, self.procedure_errors)

    @property
    def errors(self) -> int:
        return sum(self.error_counts)


@dataclass(frozen=True)
class LateStepItem:
    """One 超时环节 of an overdue document; completed_on None means it was still open at the cut-off."""

    step: str
    due_date: date
    overdue_workdays: int
    completed_on: date | None = None


@dataclass(frozen=True)
class OverdueItem:
    """One 逾期公文 (件) with each of its 超时环节."""

    unit: str
    title: str
    doc_number: DocNumber | str | None = None
    steps: Sequence[LateStepItem] = ()

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValidationError(f"逾期公文《{self.title}》应列出超过时限的环节", field="overdue_items")


@dataclass(frozen=True)
class AccountabilityLine:
    """A 责任追究 record of the quarter from the other areas (a 督办事项 past its deadline): against whom, of which
    unit, for what, and why."""

    person: str
    unit: str
    item: str
    reason: str


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
    # The day the figures were counted to: the quarter's last day, or earlier while the quarter runs.
    cutoff: date | None = None
    # The quarter's 责任追究 records of the other areas (督查督办), which the notice names beside its own.
    accountability: Sequence[AccountabilityLine] = ()

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValidationError("季度应为1至4", field="quarter")
        # The summary and the table count from the rows, section 三 lists the items: they must agree.
        overdue = sum(row.overdue for row in self.rows)
        late_steps = sum(row.late_steps for row in self.rows)
        listed_steps = sum(len(item.steps) for item in self.overdue_items)
        if overdue != len(self.overdue_items) or late_steps != listed_steps:
            raise ValidationError(
                f"通报数据前后不一致：统计表有逾期公文{overdue}件、超时环节{late_steps}环节次，"
                f"逾期公文清单却列了{len(self.overdue_items)}件、{listed_steps}环节次",
                field="overdue_items",
            )

    @property
    def counted_to(self) -> date:
        return self.cutoff or quarter_span(self.year, self.quarter)[1]


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


def days_text(days: float | None) -> str:
    """Working days to one decimal; a dash where no step was completed to average."""
    return "—" if days is None else f"{days:.1f}"


def overall_average(data: DocumentNoticeData) -> float | None:
    if data.overall_avg_step_days is not None:
        return data.overall_avg_step_days
    weighed = [(row.avg_step_days, row.documents) for row in data.rows if row.avg_step_days is not None]
    documents = sum(n for _, n in weighed)
    if not documents:
        return None
    return sum(days * n for days, n in weighed) / documents


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
    average = overall_average(data)
    handled = f"本季度，纳入统计的{len(rows)}个单位共{HANDLED.name}{documents}{HANDLED.unit}"
    if average is not None:
        handled += f"，{AVERAGE_STEP_TIME.name}{days_text(average)}个{AVERAGE_STEP_TIME.unit}"
    parts = [handled, f"{RETURNS.name}{returns}{RETURNS.unit}" if returns else "未发生退回"]
    if errors:
        kinds = "、".join(
            f"{name}差错{count}处" for (_, name), count in zip(ERROR_KINDS, by_kind, strict=True) if count
        )
        parts.append(f"登记{ERRORS.name}{errors}{ERRORS.unit}，其中{kinds}")
    else:
        parts.append("未登记差错")
    if overdue:
        late_steps = sum(r.late_steps for r in rows)
        parts.append(f"{OVERDUE.name}{overdue}{OVERDUE.unit}，{LATE_STEPS.name}{late_steps}{LATE_STEPS.unit}")
    else:
        parts.append(f"无{OVERDUE.name}")
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
        sentences.append(f"有{OVERDUE.name}的单位是" + "、".join(f"{r.unit}（{r.overdue}{OVERDUE.unit}）" for r in late))
    if not sentences:
        return ""
    return "从各单位情况看，" + "；".join(sentences) + "。"


def late_step_text(step: LateStepItem, counted_to: date) -> str:
    done = (
        f"{format_cn_date(step.completed_on)}完成" if step.completed_on
        else f"截至{format_cn_date(counted_to)}尚未完成"
    )
    return (
        f"{step.step}环节时限为{format_cn_date(step.due_date)}，{done}，"
        f"超时{step.overdue_workdays}个工作日"
    )


def overdue_lines(items: Sequence[OverdueItem], counted_to: date) -> list[str]:
    lines = []
    for n, item in enumerate(items, start=1):
        number = number_text(item.doc_number, lenient=True)
        cited = f"《{item.title}》" + (f"（{number}）" if number else "")
        steps = "；".join(late_step_text(step, counted_to) for step in item.steps)
        lines.append(f"{n}. {item.unit}承办的{cited}：{steps}。")
    return lines


def overdue_opening(data: DocumentNoticeData) -> str:
    if not data.overdue_items:
        return (
            f"本季度没有{OVERDUE.name}：各办理环节均在时限内完成，截至{format_cn_date(data.counted_to)}"
            "也没有超过时限仍未完成的环节。"
        )
    late_steps = sum(len(item.steps) for item in data.overdue_items)
    return (
        f"本季度{OVERDUE.name}共{len(data.overdue_items)}{OVERDUE.unit}，"
        f"{LATE_STEPS.name}共{late_steps}{LATE_STEPS.unit}，具体如下："
    )


def requirements_paragraph(data: DocumentNoticeData) -> str:
    text = (
        "各单位要对照本通报，认真查找公文办理中存在的问题，严格执行《党政机关公文处理工作条例》"
        "和《党政机关公文格式》（GB/T 9704—2012），规范公文格式和文种使用，严格落实限时办结要求，"
        "切实提高公文办理质量和效率。"
    )
    if any(step.completed_on is None for item in data.overdue_items for step in item.steps):
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


# Each heading line (五号) fits its column: 单位, 办理公文, 平均每环节用时, 退回, 差错 by kind, 逾期公文, 超时环节.
NOTICE_COLUMNS_MM = (26.0, 17.0, 21.0, 13.5, 10.0, 10.0, 10.0, 10.0, 17.0, 21.5)


def unit_table(data: DocumentNoticeData, fonts: FontSet) -> Table:
    head = cell_style("notice-head", fonts.hei, SIZE_5, "center")
    body = cell_style("notice-cell", fonts.fang, SIZE_5, "center")
    body_left = cell_style("notice-unit", fonts.fang, SIZE_5, "left")
    total_label = cell_style("notice-total", fonts.hei, SIZE_5, "center")

    def h(text: str) -> Paragraph:
        return Paragraph(fonts.markup(text, fonts.hei), head)

    def c(text: str) -> Paragraph:
        return Paragraph(fonts.markup(text, fonts.fang), body)

    def heading(name: str, unit: str) -> Paragraph:
        # Broken by hand before the unit, where a reader expects, not where the width runs out.
        return h(f"{name}\n（{unit}）")

    data_rows: list[list[Flowable | str]] = [
        [h("单位"), heading(HANDLED.name, HANDLED.unit), heading("平均每环节\n用时", AVERAGE_STEP_TIME.unit),
         heading(RETURNS.name, RETURNS.unit), h(ERRORS.heading), "", "", "",
         heading(OVERDUE.name, OVERDUE.unit), heading(LATE_STEPS.name, LATE_STEPS.unit)],
        ["", "", "", "", h("格式"), h("文字"), h("文种"), h("程序"), "", ""],
    ]
    for row in data.rows:
        data_rows.append(
            [Paragraph(fonts.markup(row.unit, fonts.fang), body_left), c(str(row.documents)),
             c(days_text(row.avg_step_days)), c(str(row.returns)), *[c(str(n)) for n in row.error_counts],
             c(str(row.overdue)), c(str(row.late_steps))]
        )
    totals = [sum(r.error_counts[i] for r in data.rows) for i in range(len(ERROR_KINDS))]
    data_rows.append(
        [Paragraph(fonts.markup("合计", fonts.hei), total_label), c(str(sum(r.documents for r in data.rows))),
         c(days_text(overall_average(data))), c(str(sum(r.returns for r in data.rows))),
         *[c(str(n)) for n in totals], c(str(sum(r.overdue for r in data.rows))),
         c(str(sum(r.late_steps for r in data.rows)))]
    )
    style = ruled_style(fonts.song, 3, 4, 3) + [
        ("BACKGROUND", (0, 0), (-1, 1), LABEL_SHADE),
        ("LINEABOVE", (0, -1), (-1, -1), OUTER_RULE, RULE_COLOR),
    ]
    for column in (0, 1, 2, 3, 8, 9):
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

    # The 说明 under the table, in 小四 as a table's notes are, set flush with a hanging number.
    note = ParagraphStyle(
        "notice-note", parent=styles.body, fontSize=SIZE_SMALL_4, leading=SIZE_SMALL_4 * 1.5, firstLineIndent=0,
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
        Spacer(0, BODY_LEADING * 0.2),
        para("说明：", note),
        *[para(line, note) for line in notice_explanation()],
        Spacer(0, BODY_LEADING * 0.4),
        para("三、逾期公文情况", heading),
        para(overdue_opening(data)),
        *[para(line) for line in overdue_lines(data.overdue_items, data.counted_to)],
    ]
    number = "四"
    if data.accountability:
        parts += [
            para("四、督查督办事项责任追究情况", heading),
            para(f"本季度督查督办事项中，有{len(data.accountability)}项逾期，已记录在案，纳入考核："),
            *[para(f"{i}. {line.unit}{('（' + line.person + '）') if line.person else ''}：{line.item}。{line.reason}。")
              for i, line in enumerate(data.accountability, start=1)],
        ]
        number = "五"
    parts += [
        para(f"{number}、有关要求", heading),
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
