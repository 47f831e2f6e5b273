"""The 版头 of a 公文 (GB/T 9704-2012 §7.2, and §10.3 for a 纪要), drawn as one flowable at the top of the 版心.

Measures, from the top of the 版心 downwards (L is the body's line pitch, 225 mm / 22):

- 份号, 密级和保密期限 and 紧急程度: 3号黑体, flush left on the 版心's first lines, in that order;
- the 发文机关标志: red, heavy Song, centred; the top of its ink 35 mm below the top of the 版心; at most 22 mm
  high and squeezed sideways (down to 70 %), then made smaller, so that it is never wider than the 版心;
- two blank lines, then the 发文字号 (3号仿宋): centred for a 下行文; for a 上行文 one character in from the
  left, level with the last 签发人, whose lines stand one character in from the right ("签发人：" in 仿宋, the
  names in 楷体, one signer a line); for a 纪要 its number (第12期) centred and, on the next line, the 印发机关
  left and the 成文日期 right, as offices print a 纪要's head;
- the red separator, as wide as the 版心, 4 mm below the bottom of the 发文字号's line of type: the bottom of
  its em box (baseline − 0.12 em), the lowest edge any of its characters reaches;
- two blank lines, where the title begins.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.printing.documents.official.data import OfficialDocumentData
from app.printing.kit.fonts import FontSet
from app.printing.kit.page import BODY_LEADING, BODY_TRACKING, SIZE_3, TYPE_AREA_WIDTH, draw_text, format_cn_date

# 公文 red (GB/T 9704 asks for red; offices print the process red of their templates).
OFFICIAL_RED = Color(0xE6 / 255, 0x00 / 255, 0x12 / 255)
MARK_TOP = 35 * mm
MARK_MAX_HEIGHT = 22 * mm
MARK_MIN_SQUEEZE = 0.70
SEPARATOR_GAP = 4 * mm
SEPARATOR_WIDTH = 1.0  # points; the standard names no weight, offices draw about 0.35 mm
# The ideographic em box of a CJK face runs from 0.12 em below the baseline to 0.88 em above it.
EM_DESCENT = 0.12
EM_ASCENT = 0.88
# The one-character grid step of the body: a character and its tracking.
GRID_CHAR = SIZE_3 + BODY_TRACKING


def baseline_in_line(line_top: float, size: float = SIZE_3) -> float:
    """Distance from the 版心's top to the baseline of type of this size set in the line that starts at line_top:
    the em box centred in the line's pitch, as Word and WPS centre type in a fixed line spacing."""
    return line_top + (BODY_LEADING - size) / 2 + EM_ASCENT * size


def glyph_extent(font_name: str, text: str) -> tuple[float, float]:
    """The highest and lowest ink of these glyphs (in em, from the baseline), read from the font's glyf table;
    the em box (0.88, −0.12) when the face cannot be read."""
    face = pdfmetrics.getFont(font_name).face
    data = getattr(face, "_ttf_data", None)
    positions = getattr(face, "glyphPos", None)
    table = getattr(face, "table", {}).get("glyf")
    if data is None or positions is None or table is None:
        return EM_ASCENT, -EM_DESCENT
    units = float(face.unitsPerEm)
    top, bottom = -1e9, 1e9
    for char in text:
        glyph = face.charToGlyph.get(ord(char))
        if glyph is None or positions[glyph] == positions[glyph + 1]:
            continue
        start = table["offset"] + positions[glyph]
        y_min = int.from_bytes(data[start + 4 : start + 6], "big", signed=True)
        y_max = int.from_bytes(data[start + 8 : start + 10], "big", signed=True)
        top, bottom = max(top, y_max / units), min(bottom, y_min / units)
    if top < bottom:
        return EM_ASCENT, -EM_DESCENT
    return top, bottom


@dataclass(frozen=True)
class MarkFit:
    size: float  # points
    squeeze: float  # horizontal scale, 1.0 = as designed
    ink_top: float  # points above the baseline
    ink_bottom: float  # points above the baseline (negative: below)
    width: float


def fit_mark(text: str, fonts: FontSet, stroke: float, max_height: float = MARK_MAX_HEIGHT) -> MarkFit:
    """The largest size (ink at most max_height, 22 mm unless told) and the least squeeze that keep the mark
    within the 版心."""
    runs = fonts.runs(text, fonts.song)
    extents = [glyph_extent(font, run) for run, font in runs]
    top = max(e[0] for e in extents)
    bottom = min(e[1] for e in extents)
    size = (max_height - stroke) / (top - bottom)
    natural = sum(pdfmetrics.stringWidth(run, font, 1.0) for run, font in runs)  # width at 1 pt
    room = TYPE_AREA_WIDTH - stroke
    squeeze = min(1.0, room / (natural * size))
    if squeeze < MARK_MIN_SQUEEZE:
        squeeze = MARK_MIN_SQUEEZE
        size = room / (natural * squeeze)
    return MarkFit(size, squeeze, top * size + stroke / 2, bottom * size - stroke / 2, natural * size * squeeze)


def draw_issuer_mark(
    canvas: Canvas, fonts: FontSet, mark: str, fit: MarkFit, stroke: float, x: float, baseline: float
) -> None:
    """The 发文机关标志 in red heavy Song, fitted by fit_mark, from x on this baseline (canvas coordinates)."""
    canvas.saveState()  # the render mode, colours and line width must not leak into the 发文字号
    text = canvas.beginText(x, baseline)
    text.setHorizScale(fit.squeeze * 100)
    text.setTextRenderMode(2)  # fill and stroke: the stroke thickens the strokes
    canvas.setFillColor(OFFICIAL_RED)
    canvas.setStrokeColor(OFFICIAL_RED)
    canvas.setLineWidth(stroke)
    canvas.setLineJoin(1)
    for run, font in fonts.runs(mark, fonts.song):
        text.setFont(font, fit.size)
        text.textOut(run)
    canvas.drawText(text)
    canvas.restoreState()


class Masthead(Flowable):
    """The 版头 from the top of the 版心 to two blank lines below the red separator."""

    def __init__(self, data: OfficialDocumentData, fonts: FontSet) -> None:
        super().__init__()
        self.data = data
        self.fonts = fonts
        self.stroke = 0.0
        self.mark = fit_mark(data.issuer_mark, fonts, 0.0)
        self.stroke = self.mark.size * 0.025  # thickens the Song face towards 小标宋
        self.mark = fit_mark(data.issuer_mark, fonts, self.stroke)
        self.mark_baseline = MARK_TOP + self.mark.ink_top
        mark_bottom = self.mark_baseline - self.mark.ink_bottom
        first_line_top = mark_bottom + 2 * BODY_LEADING
        self.number_lines = self._number_line_count()
        last_line_top = first_line_top + (self.number_lines - 1) * BODY_LEADING
        self.first_baseline = baseline_in_line(first_line_top)
        self.last_baseline = baseline_in_line(last_line_top)
        self.separator = self.last_baseline + EM_DESCENT * SIZE_3 + SEPARATOR_GAP
        self.height = self.separator + 2 * BODY_LEADING
        self._width = TYPE_AREA_WIDTH

    def _number_line_count(self) -> int:
        if self.data.layout == "up":
            return max(1, len(self.data.signers))
        if self.data.layout == "minutes":
            return 2 if self.data.doc_number else 1
        return 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self.height

    def _y(self, from_top: float) -> float:
        return self.height - from_top

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        self._draw_marks(canvas)
        self._draw_issuer_mark(canvas)
        if self.data.layout == "up":
            self._draw_up_numbers(canvas)
        elif self.data.layout == "minutes":
            self._draw_minutes_numbers(canvas)
        elif self.data.doc_number:
            self._centred(canvas, self.data.doc_number, self.first_baseline)
        canvas.setStrokeColor(OFFICIAL_RED)
        canvas.setLineWidth(SEPARATOR_WIDTH)
        y = self._y(self.separator)
        canvas.line(0, y, self._width, y)
        canvas.restoreState()

    def _draw_marks(self, canvas: Canvas) -> None:
        """份号, 密级和保密期限, 紧急程度: one a line from the 版心's first line, flush left, 3号黑体."""
        marks = [m for m in (self.data.copy_number, self.data.secrecy, self.data.urgency) if m]
        for index, text in enumerate(marks):
            draw_text(
                canvas, self.fonts, 0, self._y(baseline_in_line(index * BODY_LEADING)), text, self.fonts.hei, SIZE_3
            )

    def _draw_issuer_mark(self, canvas: Canvas) -> None:
        x = (self._width - self.mark.width) / 2
        draw_issuer_mark(
            canvas, self.fonts, self.data.issuer_mark, self.mark, self.stroke, x, self._y(self.mark_baseline)
        )

    def _centred(self, canvas: Canvas, text: str, baseline: float) -> None:
        width = self.fonts.string_width(text, self.fonts.fang, SIZE_3)
        draw_text(canvas, self.fonts, (self._width - width) / 2, self._y(baseline), text, self.fonts.fang, SIZE_3)

    def _draw_up_numbers(self, canvas: Canvas) -> None:
        """发文字号 one character in from the left, on the last signer's line; 签发人 one character in from the right."""
        fonts = self.fonts
        if self.data.doc_number:
            draw_text(canvas, fonts, SIZE_3, self._y(self.last_baseline), self.data.doc_number, fonts.fang, SIZE_3)
        label = "签发人："
        label_width = fonts.string_width(label, fonts.fang, SIZE_3)
        names = self.data.signers
        widest = max((fonts.string_width(name, fonts.kai, SIZE_3) for name in names), default=0.0)
        names_x = self._width - SIZE_3 - widest
        for index, name in enumerate(names):
            baseline = self._y(self.first_baseline + index * BODY_LEADING)
            if index == 0:
                draw_text(canvas, fonts, names_x - label_width, baseline, label, fonts.fang, SIZE_3)
            draw_text(canvas, fonts, names_x, baseline, name, fonts.kai, SIZE_3)

    def _draw_minutes_numbers(self, canvas: Canvas) -> None:
        """纪要: its number centred, then the 印发机关 left and the date right on the line the separator is under."""
        fonts = self.fonts
        if self.data.doc_number:
            self._centred(canvas, self.data.doc_number, self.first_baseline)
        baseline = self._y(self.last_baseline)
        draw_text(canvas, fonts, 0, baseline, self.data.printer, fonts.fang, SIZE_3)
        when = format_cn_date(self.data.signed_on)
        width = fonts.string_width(when, fonts.fang, SIZE_3)
        draw_text(canvas, fonts, self._width - width, baseline, when, fonts.fang, SIZE_3)
