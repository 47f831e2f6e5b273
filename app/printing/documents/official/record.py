"""The 版记 of a 公文 (GB/T 9704-2012 §7.4): at the foot of the last page, which is an even page.

From the top: a thick rule (0.35 mm); 抄送 (4号仿宋, one character in from each side, "抄送：" then the organs,
wrapped lines under the first organ, a full stop after the last; 分送 for a 纪要); a thin rule (0.25 mm); the
印发机关 one character in from the left and "2026年12月21日印发" one character in from the right; a thick rule
on the 版心's lower edge. Every rule is as wide as the 版心. Each element takes one line of the body's pitch.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from app.printing.kit.fonts import FontSet
from app.printing.kit.page import BODY_LEADING, SIZE_4, TYPE_AREA_WIDTH, cjk_style, draw_text, format_cn_date

THICK_RULE = 0.35 * mm
THIN_RULE = 0.25 * mm
RECORD_LEADING = BODY_LEADING


class RecordBlock(Flowable):
    """Takes what is left of the page and draws the 版记 at its foot, its last rule on the 版心's lower edge."""

    def __init__(self, copy_label: str, copy_to: str, printer: str, printed_on: date, fonts: FontSet) -> None:
        super().__init__()
        self.fonts = fonts
        self.printer = printer
        self.printed = f"{format_cn_date(printed_on)}印发"
        self.copy = self._copy_paragraph(copy_label, copy_to) if copy_to.strip() else None
        self._copy_height = 0.0
        self._width = TYPE_AREA_WIDTH
        self._height = 0.0

    def _copy_paragraph(self, label: str, organs: str) -> Paragraph:
        organs = organs.strip().rstrip("。，,.")
        head = f"{label}："
        head_width = self.fonts.string_width(head, self.fonts.fang, SIZE_4)
        style: ParagraphStyle = cjk_style(
            "official-record-copy",
            self.fonts.fang,
            SIZE_4,
            RECORD_LEADING,
            leftIndent=head_width,
            firstLineIndent=-head_width,
        )
        return Paragraph(self.fonts.markup(f"{head}{organs}。", self.fonts.fang), style)

    def needed_height(self, width: float = TYPE_AREA_WIDTH) -> float:
        """The 版记's own height on the page."""
        copy_height = 0.0
        if self.copy is not None:
            _, copy_height = self.copy.wrap(width - 2 * SIZE_4, 10_000)
        return copy_height + RECORD_LEADING

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        self._height = max(availHeight, self.needed_height(availWidth))
        return availWidth, self._height

    def draw(self) -> None:
        canvas = self.canv
        fonts, font = self.fonts, self.fonts.fang
        width = self._width
        canvas.saveState()
        # Drawn top to bottom, so that the text reads in order: 抄送, then the 印发 line (the 版心's lowest).
        top = RECORD_LEADING
        if self.copy is not None:
            _, copy_height = self.copy.wrap(width - 2 * SIZE_4, 10_000)
            self.copy.drawOn(canvas, SIZE_4, top)
            self._rule(canvas, top, THIN_RULE)
            top += copy_height
        baseline = (RECORD_LEADING - SIZE_4) / 2 + 0.12 * SIZE_4
        draw_text(canvas, fonts, SIZE_4, baseline, self.printer, font, SIZE_4)
        printed_width = fonts.string_width(self.printed, font, SIZE_4)
        draw_text(canvas, fonts, width - SIZE_4 - printed_width, baseline, self.printed, font, SIZE_4)
        self._rule(canvas, top, THICK_RULE)
        self._rule(canvas, 0.0, THICK_RULE)
        canvas.restoreState()

    def _rule(self, canvas: Canvas, y: float, weight: float) -> None:
        # A rule's thickness is drawn inside the 版记, so the last one ends exactly on the 版心's edge.
        inside = weight / 2 if y == 0 else -weight / 2
        canvas.setLineWidth(weight)
        canvas.line(0, y + inside, self._width, y + inside)
