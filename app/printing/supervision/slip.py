"""督办通知单: the slip that sends one supervised item to its lead unit, who signs for it (签收).

The office's form style (app.printing.kit.table_form): the title above a ruled table of labels and values,
here in red as the office's 督办 papers are headed, with a red rule under it. The rows give the item as the
unit must act on it: what (事项名称, 工作要求), from where (事项来源), who (牵头单位, 协办单位, the office's 责任人),
how urgently (督办类别 and the 报送要求 it sets) and by when (办结时限); then the unit's 签收 box.

A requirement too long for the slip's page is not cut: the cell points to a 续页 that carries it in full.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    SIZE_2,
    SIZE_3,
    TYPE_AREA_WIDTH,
    BoldTitle,
    build_pdf,
    cjk_style,
    format_cn_date,
)
from app.printing.kit.table_form import CELL_PAD_X, Cell, FormBuilder, OpinionEntry, label, value
from app.printing.supervision.data import SupervisionNoticeSlip

# The red of a 版头 (GB/T 9704 §7.2: 红色), as the office's 督办 papers print their heading.
HEAD_RED = colors.HexColor("#D7000F")
FORM_NAME = "督\u2002办\u2002通\u2002知\u2002单"
# Label, value, label, value: labels of four characters at 小四.
GRID_MM = (24.0, 54.0, 24.0, 54.0)
# Beyond this the requirement goes to a 续页 (the slip with its 签收 box must stay on one page).
REQUIREMENT_ROOM = 88 * mm
REQUIREMENT_MIN = 52 * mm
SEE_CONTINUATION = "内容较长，详见续页“工作要求”。"
NOTE = (
    "注：请牵头单位收到后签收，按报送要求报送办理进展；办结后报送办结报告及佐证材料，经审核同意后销号。"
    "未按要求报送进展的，予以催办并纳入督查通报。"
)


class RedTitle(BoldTitle):
    """BoldTitle in the heading red, with a red rule under it (the 版头's 分隔线)."""

    RULE_GAP = 5.0
    RULE_WIDTH = 1.5

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = super().wrap(availWidth, availHeight)
        return width, height + self.RULE_GAP + self.RULE_WIDTH

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(HEAD_RED)
        canvas.setStrokeColor(HEAD_RED)
        canvas.translate(0, self.RULE_GAP + self.RULE_WIDTH)
        super().draw()
        canvas.restoreState()
        canvas.saveState()
        canvas.setStrokeColor(HEAD_RED)
        canvas.setLineWidth(self.RULE_WIDTH)
        canvas.line(0, self.RULE_WIDTH / 2, self._avail_width, self.RULE_WIDTH / 2)
        canvas.restoreState()


class _RedTitledForm(FormBuilder):
    """The kit's form with its title drawn in red."""

    def _parts(self) -> list[Flowable]:
        parts = super()._parts()
        parts[0] = RedTitle(self.title.split("\n"), self.fonts, SIZE_2, space_after=6)
        return parts


def slip_title(office_name: str, fonts: FontSet, width: float = TYPE_AREA_WIDTH) -> str:
    """The office's name above the form's name; a name too long for one line at 二号 is broken before 办公室
    (or in its middle), since the title is drawn unwrapped."""
    office = office_name.strip()
    if not office:
        return FORM_NAME
    if fonts.string_width(office, fonts.song, SIZE_2) <= width:
        return f"{office}\n{FORM_NAME}"
    cut = office.rfind("办公室")
    if cut <= 0:
        cut = len(office) // 2
    return f"{office[:cut]}\n{office[cut:]}\n{FORM_NAME}"


def co_units_text(co_units: tuple[str, ...] | list[str]) -> str:
    return "、".join(co_units) if co_units else "无"


def _prominent(form: FormBuilder, text: str) -> Paragraph:
    style = cjk_style("supervision-slip-title", form.fonts.hei, 14, 14 * 1.4)
    return Paragraph(form.fonts.markup(text, style.fontName), style)


def requirement_fits(form: FormBuilder, text: str) -> bool:
    width = form.span_width(1, 3) - 2 * CELL_PAD_X
    _, height = form.paragraph(text).wrap(width, REQUIREMENT_ROOM * 10)
    return height <= REQUIREMENT_ROOM


def notice_slip_form(data: SupervisionNoticeSlip, fonts: FontSet | None = None) -> tuple[FormBuilder, bool]:
    """The slip, and whether its requirement goes to a 续页."""
    fonts = fonts or resolve_fonts()
    form = _RedTitledForm(slip_title(data.office_name, fonts), fonts=fonts, col_widths=[w * mm for w in GRID_MM])
    form.header(
        left=f"签发日期：{format_cn_date(data.issued_on)}",
        right=f"督办编号：{data.number}" if data.number.strip() else "",
    )
    continued = not requirement_fits(form, data.requirement)
    form.row([label("事项名称"), Cell(colspan=3, content=_prominent(form, data.title))], height=14 * mm)
    form.row([label("事项来源"), value(data.source), label("督办类别"), value(data.priority)])
    form.row([label("牵头单位"), value(data.lead_unit), label("责任人"), value(data.responsible_person)])
    form.row([label("协办单位"), value(co_units_text(list(data.co_units)), 3)])
    form.row([label("工作要求"), value(SEE_CONTINUATION if continued else data.requirement, 3,
                                      height=REQUIREMENT_MIN)])
    form.row([label("办结时限"), value(format_cn_date(data.deadline)), label("报送要求"), value(data.report_rhythm)])
    form.row([label("备注"), value(data.remarks, 3, height=14 * mm)])
    form.opinion_row("牵头单位\n签收", [OpinionEntry()], label_colspan=1, height=36 * mm, sign_label="签收人")
    form.note(NOTE)
    return form, continued


def continuation(data: SupervisionNoticeSlip, fonts: FontSet) -> list[Flowable]:
    """The 续页: the item's name and its requirement in full, in the body text's 三号仿宋, split over pages."""
    heading = cjk_style("supervision-slip-more-head", fonts.hei, SIZE_3, SIZE_3 * 1.6)
    body = cjk_style("supervision-slip-more", fonts.fang, SIZE_3, SIZE_3 * 1.6, firstLineIndent=2 * SIZE_3)
    number = f"（{data.number}）" if data.number.strip() else ""
    return [
        PageBreak(),
        Paragraph(fonts.markup(f"续页：工作要求{number}", heading.fontName), heading),
        Paragraph(fonts.markup(f"事项名称：{data.title}", body.fontName), body),
        *[Paragraph(fonts.markup(part, body.fontName), body) for part in data.requirement.splitlines() if part.strip()],
    ]


def render_notice_slip(data: SupervisionNoticeSlip) -> bytes:
    fonts = resolve_fonts()
    form, continued = notice_slip_form(data, fonts)
    parts: list[Flowable] = [form.build()]
    if continued:
        parts += continuation(data, fonts)
    title = f"督办通知单 {data.number}".strip()
    return build_pdf(parts, title=title, author=data.office_name or "GovDesk", subject=data.title)
