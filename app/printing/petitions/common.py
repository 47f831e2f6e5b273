"""What 信访's one-page forms share: the office above the form's name as the title, the note on the petitioner's
particulars, and the 续页 that carries a request or an account too long for the form's cell in full (a cell is
never cut: reportlab cannot split one row over pages)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph

from app.printing.kit.fonts import FontSet
from app.printing.kit.page import SIZE_2, SIZE_3, TYPE_AREA_WIDTH, cjk_style
from app.printing.kit.table_form import CELL_PAD_X, FormBuilder

# Label, value, label, value: labels of four characters at 小四.
GRID_MM = (24.0, 54.0, 24.0, 54.0)
# How tall a long text's cell may grow before it goes to a 续页.
TEXT_ROOM = 50 * mm
SEE_CONTINUATION = "内容较长，详见续页“{0}”。"
MASKED_NOTE = "注：信访人的身份证号、联系电话和住址已按规定隐去部分内容。"
PRIVATE_NOTE = "注：本表载有信访人个人信息，仅供信访工作使用，请妥善保管，不得向无关人员泄露。"


def form_title(office_name: str, form_name: str, fonts: FontSet) -> str:
    """The office's name above the form's name (spaced as paper forms set it), the office on two lines where one
    at 二号 would not hold it (the title is drawn unwrapped)."""
    spaced = "\u2002".join(form_name)
    office = office_name.strip()
    if not office:
        return spaced
    if fonts.string_width(office, fonts.song, SIZE_2) <= TYPE_AREA_WIDTH:
        return f"{office}\n{spaced}"
    half = len(office) // 2
    return f"{office[:half]}\n{office[half:]}\n{spaced}"


def fits(form: FormBuilder, text: str, colspan: int = 3, room: float = TEXT_ROOM) -> bool:
    """Whether the text fits a value cell of ``colspan`` columns (after the label) within ``room``."""
    width = form.span_width(1, colspan) - 2 * CELL_PAD_X
    _, height = form.paragraph(text).wrap(width, room * 10)
    return height <= room


@dataclass(frozen=True)
class Continued:
    """A text moved to the 续页: its label and its whole text."""

    label: str
    text: str


def cell_text(form: FormBuilder, label: str, text: str, moved: list[Continued], colspan: int = 3) -> str:
    """The text for the cell, or the pointer to the 续页 (the text then goes on ``moved``)."""
    if fits(form, text, colspan):
        return text
    moved.append(Continued(label, text))
    return SEE_CONTINUATION.format(label)


def continuation(heading: str, moved: Sequence[Continued], fonts: FontSet) -> list[Flowable]:
    """The 续页: each moved text in full under its label, in 三号仿宋, split over as many pages as it needs."""
    if not moved:
        return []
    head = cjk_style("petition-more-head", fonts.hei, SIZE_3, SIZE_3 * 1.6)
    body = cjk_style("petition-more", fonts.fang, SIZE_3, SIZE_3 * 1.6, firstLineIndent=2 * SIZE_3)
    parts: list[Flowable] = [PageBreak(), Paragraph(fonts.markup(f"续页（{heading}）", head.fontName), head)]
    for item in moved:
        parts.append(Paragraph(fonts.markup(item.label, head.fontName), head))
        parts += [Paragraph(fonts.markup(line, body.fontName), body) for line in item.text.splitlines() if line.strip()]
    return parts
