"""The 信函格式 of a 函 (GB/T 9704-2012 §10.1), as PDF: its 版头, its first page's frame and its 版记.

Measures, from the top edge of the PAGE (not of the 版心), as §10.1 gives them:

- the 发文机关标志 (the organ's full name, the 主办机关's for a joint letter): red, heavy Song, centred; the top
  of its ink 30 mm below the page's top; at most LETTER_MARK_HEIGHT high (初号-like: a letter's mark is smaller
  than a 文件's 22 mm) and squeezed, then made smaller, to stay within the 版心's width;
- 4 mm below the mark's ink, the top edge of a red double line, thick over thin; 20 mm above the page's bottom
  edge, the bottom edge of a second one, thin over thick; both 170 mm long, centred on the page (wider than the
  版心), on the first page only;
- under the first double line: 份号, 密级和保密期限 and 紧急程度 (3号黑体) flush left, one a line, and the 发文字号
  (3号仿宋) flush right on the first of those lines; the top of their em box 7/8 of a 3号 character (14 pt)
  below the double line's lower edge;
- the title two blank lines below the last of those lines.

The first page's frame reaches down as many lines of the body's pitch as leave the last one's em box 7/8 of a
3号 character above the foot double line ("第二条红色双线上一行如有文字，与该线的距离为3号汉字高度的7/8").
The first page carries no page number; later pages with text are numbered as usual.

The 版记 (LetterRecord) is 抄送 alone, without 印发机关, 印发日期 or rules, at the foot of the 版心 of the last
page. Decided: the even-page rule of §7.4 does not apply to a letter. §10.1 puts the 版记 on "最后一面", the
last side, and a one-page 函 (the common case) stays one page: the 版记 shares the last page of text when it
fits there, and takes a page of its own (without a page number, §7.5) when it does not.
"""

from __future__ import annotations

import math

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph

from app.printing.documents.official.data import OfficialDocumentData
from app.printing.documents.official.masthead import (
    EM_ASCENT,
    EM_DESCENT,
    OFFICIAL_RED,
    draw_issuer_mark,
    fit_mark,
)
from app.printing.kit.fonts import FontSet
from app.printing.kit.page import (
    BODY_LEADING,
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    SIZE_3,
    SIZE_4,
    TOP_MARGIN,
    TYPE_AREA_HEIGHT,
    TYPE_AREA_WIDTH,
    cjk_style,
    draw_text,
    type_area_frame,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
LETTER_MARK_TOP = 30 * mm  # from the page's top edge
LETTER_MARK_HEIGHT = 13 * mm  # the ink of a 初号 (42 pt) character is about 13 mm high
RULE_GAP_BELOW_MARK = 4 * mm
FOOT_RULE_FROM_BOTTOM = 20 * mm  # the foot double line's lower edge above the page's bottom edge
DOUBLE_RULE_LENGTH = 170 * mm
# The standard names no weights; these are the usual template's (Word's thickThinSmallGap at 3 pt).
THICK_WEIGHT = 1.0 * mm
THIN_WEIGHT = 0.35 * mm
RULE_GAP = 0.75 * mm  # clear space between the two strokes
DOUBLE_RULE_HEIGHT = THICK_WEIGHT + RULE_GAP + THIN_WEIGHT
SEVEN_EIGHTHS = 7 / 8 * SIZE_3  # "3号汉字高度的7/8": 14 pt
RULE_LEFT = (PAGE_WIDTH - DOUBLE_RULE_LENGTH) / 2  # centred on the page, not on the 版心


def draw_double_rule(canvas: Canvas, left: float, top: float, thick_first: bool) -> None:
    """Two red strokes, 170 mm long, from ``top`` (canvas y of the upper edge) downwards: thick over thin
    (``thick_first``) or thin over thick."""
    weights = (THICK_WEIGHT, THIN_WEIGHT) if thick_first else (THIN_WEIGHT, THICK_WEIGHT)
    canvas.saveState()
    canvas.setStrokeColor(OFFICIAL_RED)
    edge = top
    for weight in weights:
        canvas.setLineWidth(weight)
        middle = edge - weight / 2
        canvas.line(left, middle, left + DOUBLE_RULE_LENGTH, middle)
        edge -= weight + RULE_GAP
    canvas.restoreState()


def first_page_extra_lines() -> int:
    """Lines of the body's pitch the first page's frame gains below the 版心: as many as keep the last line's
    em box (centred in its line) 7/8 of a 3号 character above the foot double line's upper edge."""
    rule_top = FOOT_RULE_FROM_BOTTOM + DOUBLE_RULE_HEIGHT  # above the page's bottom edge
    em_below_line = (BODY_LEADING - SIZE_3) / 2  # the em box's lower edge above its line's lower edge
    room = BOTTOM_MARGIN + em_below_line - rule_top - SEVEN_EIGHTHS
    return max(0, math.floor(room / BODY_LEADING + 1e-9))


def letter_page_templates(grid_slack: float) -> list[PageTemplate]:
    """The first page's frame, longer by first_page_extra_lines(), then the 版心 on every later page."""
    extra = first_page_extra_lines() * BODY_LEADING
    first = Frame(
        LEFT_MARGIN,
        BOTTOM_MARGIN - extra,
        TYPE_AREA_WIDTH,
        TYPE_AREA_HEIGHT + extra + grid_slack,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="letter-first",
    )
    later = type_area_frame()
    later.height = TYPE_AREA_HEIGHT + grid_slack
    return [
        PageTemplate(id="letter-first", frames=[first], autoNextPageTemplate="official"),
        PageTemplate(id="official", frames=[later]),
    ]


class LetterMasthead(Flowable):
    """The 信函格式's 版头 at the top of the first page's frame; it draws the mark and the two double lines
    outside its own box, where the page has them (the flowable always stands at the frame's top)."""

    def __init__(self, data: OfficialDocumentData, fonts: FontSet) -> None:
        super().__init__()
        self.data = data
        self.fonts = fonts
        self.mark = fit_mark(data.issuer_mark, fonts, 0.0, LETTER_MARK_HEIGHT)
        self.stroke = self.mark.size * 0.025  # thickens the Song face towards 小标宋
        self.mark = fit_mark(data.issuer_mark, fonts, self.stroke, LETTER_MARK_HEIGHT)
        # From the page's top edge:
        self.mark_baseline = LETTER_MARK_TOP + self.mark.ink_top
        self.head_rule_top = self.mark_baseline - self.mark.ink_bottom + RULE_GAP_BELOW_MARK
        head_rule_bottom = self.head_rule_top + DOUBLE_RULE_HEIGHT
        self.marks = [m for m in (data.copy_number, data.secrecy, data.urgency) if m]
        rows = max(len(self.marks), 1 if data.doc_number else 0)
        self.first_baseline = head_rule_bottom + SEVEN_EIGHTHS + EM_ASCENT * SIZE_3
        if rows:
            last_baseline = self.first_baseline + (rows - 1) * BODY_LEADING
            # The last element's line: its em box centred in a line of the body's pitch.
            last_line_bottom = last_baseline + EM_DESCENT * SIZE_3 + (BODY_LEADING - SIZE_3) / 2
        else:
            last_line_bottom = head_rule_bottom
        self.height = last_line_bottom + 2 * BODY_LEADING - TOP_MARGIN
        self._width = TYPE_AREA_WIDTH

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self.height

    def _y(self, from_page_top: float) -> float:
        return self.height - (from_page_top - TOP_MARGIN)

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.saveState()
        x = (self._width - self.mark.width) / 2
        draw_issuer_mark(
            canvas, self.fonts, self.data.issuer_mark, self.mark, self.stroke, x, self._y(self.mark_baseline)
        )
        draw_double_rule(canvas, RULE_LEFT - LEFT_MARGIN, self._y(self.head_rule_top), thick_first=True)
        foot_top = PAGE_HEIGHT - FOOT_RULE_FROM_BOTTOM - DOUBLE_RULE_HEIGHT
        draw_double_rule(canvas, RULE_LEFT - LEFT_MARGIN, self._y(foot_top), thick_first=False)
        fonts = self.fonts
        for index, text in enumerate(self.marks):
            baseline = self._y(self.first_baseline + index * BODY_LEADING)
            draw_text(canvas, fonts, 0, baseline, text, fonts.hei, SIZE_3)
        if self.data.doc_number:
            width = fonts.string_width(self.data.doc_number, fonts.fang, SIZE_3)
            baseline = self._y(self.first_baseline)
            draw_text(canvas, fonts, self._width - width, baseline, self.data.doc_number, fonts.fang, SIZE_3)
        canvas.restoreState()


class LetterRecord(Flowable):
    """A letter's 版记: "抄送：" and the organs in 4号仿宋, one character in from either side, on the 版心's last
    lines; no 印发机关, 印发日期 or rules (§10.1). Takes what is left of the page, or a page of its own."""

    def __init__(self, copy_to: str, fonts: FontSet) -> None:
        super().__init__()
        organs = copy_to.strip().rstrip("。，,.")
        head = "抄送："
        head_width = fonts.string_width(head, fonts.fang, SIZE_4)
        style: ParagraphStyle = cjk_style(
            "official-letter-copy",
            fonts.fang,
            SIZE_4,
            BODY_LEADING,
            leftIndent=head_width,
            firstLineIndent=-head_width,
        )
        self.copy = Paragraph(fonts.markup(f"{head}{organs}。", fonts.fang), style)
        self._width = TYPE_AREA_WIDTH
        self._height = 0.0

    def needed_height(self, width: float = TYPE_AREA_WIDTH) -> float:
        _, height = self.copy.wrap(width - 2 * SIZE_4, 10_000)
        return float(height)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        self._height = max(availHeight, self.needed_height(availWidth))
        return availWidth, self._height

    def draw(self) -> None:
        self.copy.wrap(self._width - 2 * SIZE_4, 10_000)
        self.copy.drawOn(self.canv, SIZE_4, 0)
