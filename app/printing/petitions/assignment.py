"""信访事项交办单: the slip that sends a case to the unit that answers for it (谁主管、谁负责), who signs for it.

The office's bordered form: the unit it goes to, the case in brief (the petitioner as the printing user may read
them, the channel, the day it came, category and place, the request), the task, the 办理期限, the 异议期限 (5
working days, 《信访工作条例》), what the unit must report and by when; the unit's 签收 box; then the office's
落款 with the day of the assignment.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import BODY_LEADING, Signature, build_pdf, format_cn_date
from app.printing.kit.table_form import FormBuilder, OpinionEntry, label, value
from app.printing.petitions.common import GRID_MM, Continued, cell_text, continuation, form_title
from app.printing.petitions.data import AssignmentSlip

FORM_NAME = "信访事项交办单"
NOTE = "注：本单载有信访人个人信息，仅供办理本信访事项使用，不得向无关人员泄露，不得将信访人的检举、揭发材料及有关情况透露或者转给被检举、揭发的人员或者单位。"


def requirement_text(data: AssignmentSlip) -> str:
    """What the unit must do by when: report, or dispute the assignment within its 5 working days."""
    office = data.case.office_name.strip() or "交办机关"
    return (
        f"请于{format_cn_date(data.due)}前办结，并将办理情况、处理意见书（代拟稿）及有关材料书面报送{office}。"
        f"对交办有异议的，请于{format_cn_date(data.objection_by)}前（5个工作日内）书面提出并说明理由，逾期视为接受交办。"
    )


def assignment_form(data: AssignmentSlip, fonts: FontSet | None = None) -> tuple[FormBuilder, list[Continued]]:
    fonts = fonts or resolve_fonts()
    case = data.case
    form = FormBuilder(form_title(case.office_name, FORM_NAME, fonts), fonts=fonts, col_widths=[w * mm for w in GRID_MM])
    form.header(left=f"交办日期：{format_cn_date(data.assigned_on)}", right=f"编号：{case.number}")
    moved: list[Continued] = []
    form.row([label("承办单位"), value(data.unit, 3)])
    form.row([label("信访人"), value(case.petitioner.name), label("联系电话"), value(case.petitioner.phone or "未提供")])
    form.row([label("信访方式"), value(case.channel), label("登记日期"), value(format_cn_date(case.received_on))])
    form.row([label("问题类别"), value(case.category), label("问题属地"), value(case.place)])
    form.row([label("信访诉求"), value(cell_text(form, "信访诉求", case.request, moved), 3, height=30 * mm)])
    form.row([label("交办任务"), value(cell_text(form, "交办任务", data.task, moved), 3, height=18 * mm)])
    form.row([label("办理期限"), value(format_cn_date(data.due)), label("异议期限"), value(format_cn_date(data.objection_by))])
    if data.extension:
        form.row([label("延期情况"), value(data.extension, 3)])
    form.row([label("办理要求"), value(requirement_text(data), 3, height=20 * mm)])
    form.opinion_row("承办单位\n签收", [OpinionEntry()], label_colspan=1, height=26 * mm, sign_label="签收人")
    form.note(NOTE)
    return form, moved


def render_assignment(data: AssignmentSlip) -> bytes:
    fonts = resolve_fonts()
    form, moved = assignment_form(data, fonts)
    parts: list[Flowable] = [form.build()]
    office = data.case.office_name.strip()
    if office:
        parts.append(KeepTogether([Spacer(0, BODY_LEADING / 2), Signature(office, data.assigned_on, fonts)]))
    parts += continuation(f"{FORM_NAME} {data.case.number}", moved, fonts)
    return build_pdf(parts, title=f"{FORM_NAME} {data.case.number}", author=office or "GovDesk", subject=data.unit)
