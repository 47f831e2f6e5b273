"""催办单: the slip that hastens an overdue item (限时办结), with its reply section and the record of urges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from reportlab.lib.units import mm

from app.core.workflow.urging import UrgeSlipHead
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import build_pdf, format_cn_date, format_cn_datetime
from app.printing.kit.table_form import FormBuilder, OpinionEntry, label, value

URGE_METHODS: tuple[str, ...] = ("电话", "短信", "当面", "书面")


class PreviousUrge(NamedTuple):
    """An earlier 催办 of the same item. A plain (datetime, by, method, note) tuple works as well."""

    urged_at: datetime
    urged_by: str
    method: str
    note: str = ""


@dataclass(frozen=True)
class UrgeSlipData(UrgeSlipHead):
    urged_at: datetime  # on the office's clock: the loader converts the stored UTC
    urged_by: str
    method: str
    note: str = ""
    previous_urges: Sequence[PreviousUrge] = field(default_factory=tuple)
    reply_deadline: date | None = None
    # Deadlines in a year whose holidays the State Council has not published yet.
    due_provisional: bool = False
    reply_provisional: bool = False


PROVISIONAL_MARK = "（待国务院公布）"


def overdue_text(days: int | None) -> str:
    if days is None:
        return "未逾期"
    if days > 0:
        return f"已逾期{days}个工作日"
    if days == 0:
        return "今日到期"
    return f"距到期还有{-days}个工作日"


def deadline_text(day: date, provisional: bool, separator: str = "") -> str:
    return format_cn_date(day) + (separator + PROVISIONAL_MARK if provisional else "")


def method_boxes(method: str) -> str:
    """The four ways of urging as tick boxes, the chosen one filled (■), as printed forms mark a choice."""
    options = list(URGE_METHODS)
    if method and method not in options:
        options.append(method)
    return "\u3000".join(f"{'■' if option == method else '□'}{option}" for option in options)


def _short_datetime(moment: datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"


def urge_slip_form(data: UrgeSlipData, fonts: FontSet | None = None) -> FormBuilder:
    fonts = fonts or resolve_fonts()
    title = f"{data.office_name}\n催\u2002办\u2002单" if data.office_name else "催\u2002办\u2002单"
    # Label, value, label, value: labels just wide enough for four characters at 小四.
    form = FormBuilder(title, fonts=fonts, col_widths=[24 * mm, 54 * mm, 24 * mm, 54 * mm])
    form.header(right=f"编号：{data.serial}" if data.serial else "")
    # In its narrow cell the mark goes on a line of its own rather than breaking inside.
    due = deadline_text(data.due_date, data.due_provisional, "\n") if data.due_date else "—"
    if data.reply_deadline:
        reply = f"请于{deadline_text(data.reply_deadline, data.reply_provisional)}前反馈办理情况"
    else:
        reply = "请尽快反馈办理情况"
    form.row([label("催办事项"), value(data.item_title, 3)], height=13 * mm)
    form.row([label("事项类别"), value(data.item_kind), label("当前环节"), value(data.current_step)])
    form.row(
        [label("责任单位"), value(data.responsible_unit), label("责任人"), value(data.responsible_person)]
    )
    form.row([label("办理时限"), value(due), label("逾期情况"), value(overdue_text(data.overdue_days))])
    form.row(
        [label("催办时间"), value(format_cn_datetime(data.urged_at)), label("催办人"), value(data.urged_by)]
    )
    form.row([label("催办方式"), value(method_boxes(data.method), 3)])
    form.row([label("催办意见"), value(data.note, 3, height=22 * mm)])
    form.row([label("反馈时限"), value(reply, 3)])
    form.opinion_row("办理情况反馈", [OpinionEntry()], height=56 * mm, sign_label="责任人签名")
    history = [PreviousUrge(*item) for item in data.previous_urges]
    history.sort(key=lambda u: u.urged_at)
    rows = [
        [str(n), _short_datetime(u.urged_at), u.urged_by, u.method, u.note]
        for n, u in enumerate(history, start=1)
    ]
    rows.append(
        [str(len(history) + 1), _short_datetime(data.urged_at), data.urged_by, data.method, "本次催办"]
    )
    form.list_row("催办记录", ["次数", "催办时间", "催办人", "方式", "情况"], rows, [0.8, 3.6, 1.4, 1.0, 3.6])
    form.note("请责任单位在反馈时限内填写办理情况，由责任人签名后交回催办单位。")
    return form


def render_urge_slip(data: UrgeSlipData) -> bytes:
    fonts = resolve_fonts()
    title = f"催办单 {data.serial}".strip()
    return build_pdf([urge_slip_form(data, fonts).build()], title=title, author=data.office_name or "GovDesk")
