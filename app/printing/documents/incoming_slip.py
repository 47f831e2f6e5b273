"""收文处理笺: the slip clipped to an incoming document, carrying 拟办, 批示, 承办 and the circulation record.

The rows follow the 收文 flow of DOMAIN.md: the registration facts (来文单位, 来文字号, 收文日期, 收文编号, 份数,
密级, 缓急), 标题, the office's 拟办意见, the leaders' 批示, the handling units with their deadline, the
result with each 答复 to the 来文单位 (when, who, how, what), and under the slip the 传阅记录 (who had it, when it was sent, when it was read, their remark).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.core.errors import ValidationError
from app.printing.documents.outgoing_draft import (
    CLASSIFICATION,
    URGENCIES,
    DocNumber,
    RecordList,
    check_urgency,
    choice_boxes,
    form_title,
    form_with_list_pdf,
    local_time,
    number_text,
)
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import format_cn_date, format_cn_datetime
from app.printing.kit.table_form import Cell, FormBuilder, OpinionEntry, label, value

# What a deadline in a year without the State Council's holiday notice carries (DOMAIN.md, Counting time).
PROVISIONAL_MARK = "（待国务院公布）"


def due_text(due: date | None, provisional: bool = False) -> str:
    """A deadline in full, marked when it was computed without the official holidays of its year."""
    if due is None:
        return ""
    return format_cn_date(due) + (PROVISIONAL_MARK if provisional else "")


def handling_units_text(lead_unit: str, assisting_units: Sequence[str]) -> str:
    """主办 first, then the 协办 units: when several units handle a document, one of them leads."""
    assisting = "、".join(u.strip() for u in assisting_units if u.strip())
    parts = []
    if lead_unit.strip():
        parts.append(f"主办：{lead_unit.strip()}")
    if assisting:
        parts.append(f"协办：{assisting}")
    return "\u3000\u3000".join(parts)


@dataclass(frozen=True)
class CirculationRecord:
    """One reader in the 传阅: sent_at without read_at means the reader has the document now."""

    reader: str
    sent_at: datetime | None = None
    read_at: datetime | None = None
    remark: str = ""


@dataclass(frozen=True)
class ReplyRecord:
    """One 答复 to the 来文单位: when, by whom, how (书面函复, 电话 …) and what was said."""

    replied_at: datetime
    replied_by: str
    method: str
    recipient: str
    content: str

    def text(self) -> str:
        when = format_cn_datetime(local_time(self.replied_at))
        return f"答复：{when}，{self.replied_by}以{self.method}方式答复{self.recipient}：{self.content}"


def result_text(result: str, replies: Sequence[ReplyRecord]) -> str:
    """办理结果: what the handling unit reported, then each 答复 in the order it was made."""
    ordered = sorted(replies, key=lambda r: r.replied_at.timestamp())
    return "\n".join([part for part in [result.strip()] if part] + [r.text() for r in ordered])


@dataclass(frozen=True)
class IncomingSlipData:
    office_name: str
    title: str
    source_unit: str
    source_number: str
    received_on: date
    receipt_number: DocNumber | str | None
    copies: int | None = None
    urgency: str = ""
    proposal: OpinionEntry = OpinionEntry()
    instructions: Sequence[OpinionEntry] = ()
    lead_unit: str = ""
    assisting_units: Sequence[str] = ()
    due_date: date | None = None
    due_provisional: bool = False
    result: str = ""
    circulation: Sequence[CirculationRecord] = ()
    replies: Sequence[ReplyRecord] = ()

    def __post_init__(self) -> None:
        # Frozen: setting the canonical value (无 → "") is part of construction.
        object.__setattr__(self, "urgency", check_urgency(self.urgency))
        if self.copies is not None and self.copies < 0:
            raise ValidationError("份数不能为负数", field="copies")
        if self.assisting_units and not self.lead_unit.strip():
            raise ValidationError("有协办单位时应当确定一个主办单位", field="lead_unit")


# Two grids in one: label 22 | value 55 | label 22 | value 57 for the pairs (labels of four characters at
# 小四, values holding a document number on one line), and 22 | 25 | 18 | 34 | 18 | 39 for the row of three
# pairs (份数, 密级, 缓急).
GRID_MM = (22.0, 25.0, 18.0, 12.0, 22.0, 18.0, 39.0)
CIRCULATION_LIST = RecordList(
    "传阅记录",
    ("传阅人", "送阅时间", "阅毕时间", "备注"),
    (26 * mm, 44 * mm, 44 * mm, None),
    ("center", "center", "center", "left"),
    "未传阅",
)


def circulation_rows(records: Sequence[CirculationRecord]) -> list[list[str]]:
    rows = []
    for record in records:
        sent = format_cn_datetime(local_time(record.sent_at)) if record.sent_at else ""
        if record.read_at:
            read = format_cn_datetime(local_time(record.read_at))
        else:
            read = "传阅中" if record.sent_at else "未送阅"
        rows.append([record.reader, sent, read, record.remark])
    return rows


def _prominent(form: FormBuilder, text: str) -> Paragraph:
    style = ParagraphStyle(
        "slip-title", fontName=form.fonts.hei, fontSize=14, leading=14 * 1.4, wordWrap="CJK", rightIndent=7
    )
    return Paragraph(form.fonts.markup(text, style.fontName), style)


def incoming_slip_form(data: IncomingSlipData, fonts: FontSet | None = None) -> FormBuilder:
    fonts = fonts or resolve_fonts()
    grid = [w * mm for w in GRID_MM]
    form = FormBuilder(form_title(data.office_name, "收文处理笺", fonts), fonts=fonts, col_widths=grid)
    source_number = number_text(data.source_number, lenient=True)
    received = format_cn_date(data.received_on)
    form.row([label("来文单位"), value(data.source_unit, 3), label("来文字号"), value(source_number, 2)])
    form.row([label("收文日期"), value(received, 3), label("收文编号"), value(number_text(data.receipt_number), 2)])
    form.row(
        [
            label("份数"),
            value(f"{data.copies}份" if data.copies is not None else ""),
            label("密级"),
            value(CLASSIFICATION, 2),
            label("缓急"),
            value(choice_boxes(URGENCIES, data.urgency), 1),
        ]
    )
    form.row([label("标题"), Cell(colspan=6, content=_prominent(form, data.title))], height=12 * mm)
    # Blank boxes are for handwriting and get more room; FormBuilder gives it back if the page runs short.
    proposal_height = 26 * mm if data.proposal.blank else 18 * mm
    form.opinion_row("拟办意见", [data.proposal], label_colspan=1, height=proposal_height)
    instructions = list(data.instructions) or [OpinionEntry()]
    blank = all(entry.blank for entry in instructions)
    form.opinion_row("领导批示", instructions, label_colspan=1, height=40 * mm if blank else 24 * mm)
    form.row([label("承办单位"), value(handling_units_text(data.lead_unit, data.assisting_units), 6)])
    form.row([label("办理时限"), value(due_text(data.due_date, data.due_provisional), 6)])
    form.row([label("办理结果"), value(result_text(data.result, data.replies), 6, height=20 * mm)])
    return form


def render_incoming_slip(data: IncomingSlipData) -> bytes:
    fonts = resolve_fonts()
    form = incoming_slip_form(data, fonts)
    circulation = CIRCULATION_LIST.table(circulation_rows(data.circulation), fonts)
    title = f"收文处理笺 {number_text(data.receipt_number)}"
    return form_with_list_pdf(form, circulation, title, data.office_name, data.title)
