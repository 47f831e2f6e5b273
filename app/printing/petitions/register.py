"""信访登记表: one case as it was registered, on the office's bordered form (app.printing.kit.table_form).

The title (the office, then 信访登记表), the 登记日期 and the case's number above the table; then the rows the
registration fills: 信访方式 and the case's kind, the petitioner (name, 人数, 身份证号, 联系电话, 住址), a group
visit's representatives, 问题类别 and 问题属地, the 信访诉求 and the 事实和理由, whether it repeats earlier cases
(their numbers), who registered it; and the 拟办意见/受理情况 box: what has been done with the case so far, each
with who did it and when, or blank lines to write the proposal by hand. A request or an account too long for
its cell goes whole to a 续页. Under the table a note says the particulars are masked, or that they are not
to be shown to others.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import build_pdf, format_cn_date
from app.printing.kit.table_form import FormBuilder, OpinionEntry, label, value
from app.printing.petitions.common import (
    GRID_MM,
    MASKED_NOTE,
    PRIVATE_NOTE,
    Continued,
    cell_text,
    continuation,
    form_title,
)
from app.printing.petitions.data import RegisterSheet

FORM_NAME = "信访登记表"
NOT_GIVEN = "未提供"
REPRESENTATIVE_HEADERS = ("姓名", "身份证号", "联系电话")
# The box holds the latest moves, each opinion cut short, so the form stays on its page (a case handled again and
# again has a long history: the case window shows it whole).
HANDLING_SHOWN = 3
OPINION_SHOWN = 24
ELLIPSIS = "……"


def kind_text(data: RegisterSheet) -> str:
    """信访件, or 复查（原件：信〔2026〕1号）."""
    label_ = data.case.stage_label
    return f"{label_}（原件：{data.reviews_number}）" if data.reviews_number else label_


def repeat_text(data: RegisterSheet) -> str:
    if not data.is_repeat:
        return "否"
    return f"是，与{'、'.join(data.repeats)}重复" if data.repeats else "是"


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= OPINION_SHOWN else flat[:OPINION_SHOWN] + ELLIPSIS


def handling_entries(data: RegisterSheet) -> list[OpinionEntry]:
    """The latest HANDLING_SHOWN moves, the first saying how many earlier ones there are; blank lines to write
    the proposal by hand when nothing has been done yet."""
    shown = data.handling[-HANDLING_SHOWN:]
    earlier = len(data.handling) - len(shown)
    entries = []
    for index, h in enumerate(shown):
        text = f"{h.action}：{_short(h.opinion)}" if h.opinion.strip() else h.action
        if index == 0 and earlier:
            text = f"（此前另有{earlier}条办理记录）{text}"
        entries.append(OpinionEntry(text, h.by, h.on))
    return entries or [OpinionEntry()]


def register_form(data: RegisterSheet, fonts: FontSet | None = None) -> tuple[FormBuilder, list[Continued]]:
    """The form, and the texts it moved to a 续页."""
    fonts = fonts or resolve_fonts()
    case = data.case
    form = FormBuilder(form_title(case.office_name, FORM_NAME, fonts), fonts=fonts, col_widths=[w * mm for w in GRID_MM])
    form.header(left=f"登记日期：{format_cn_date(case.received_on)}", right=f"编号：{case.number}")
    moved: list[Continued] = []
    person = case.petitioner
    form.row([label("信访方式"), value(case.channel), label("类\u3000\u3000型"), value(kind_text(data))])
    form.row([label("信访人"), value(person.name), label("人\u3000\u3000数"), value(f"{case.people_count}人")])
    form.row([label("身份证号"), value(person.id_number or NOT_GIVEN), label("联系电话"),
              value(person.phone or NOT_GIVEN)])
    form.row([label("住\u3000\u3000址"), value(case.address or NOT_GIVEN, 3)])
    if data.representatives:
        form.list_row("代\u3000\u3000表", REPRESENTATIVE_HEADERS,
                      [(p.name, p.id_number or NOT_GIVEN, p.phone or NOT_GIVEN) for p in data.representatives],
                      (1, 2, 1.6), label_colspan=1)
    form.row([label("问题类别"), value(case.category), label("问题属地"), value(case.place)])
    form.row([label("信访诉求"), value(cell_text(form, "信访诉求", case.request, moved), 3, height=24 * mm)])
    form.row([label("事实和\n理由"), value(cell_text(form, "事实和理由", case.facts, moved) if case.facts else "", 3,
                                        height=24 * mm)])
    form.row([label("重复信访"), value(repeat_text(data), 3)])
    form.row([label("登记人"), value(data.registered_by), label("打印日期"), value(format_cn_date(data.printed_on))])
    form.opinion_row("拟办意见\n受理情况", handling_entries(data), label_colspan=1, height=36 * mm, sign_label="签名")
    form.note(MASKED_NOTE if data.masked else PRIVATE_NOTE)
    return form, moved


def render_register(data: RegisterSheet) -> bytes:
    fonts = resolve_fonts()
    form, moved = register_form(data, fonts)
    parts: list[Flowable] = [form.build(), *continuation(f"{FORM_NAME} {data.case.number}", moved, fonts)]
    return build_pdf(parts, title=f"{FORM_NAME} {data.case.number}", author=data.case.office_name or "GovDesk",
                     subject=data.case.request[:100])
