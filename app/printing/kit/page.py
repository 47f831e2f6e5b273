"""Page furniture to the measures of GB/T 9704-2012 (党政机关公文格式): paper, type area, styles, page numbers.

Measures (GB/T 9704-2012, 5.2): A4 paper; 天头 (top margin) 37 mm; 订口 (binding side, left) 28 mm;
版心 (type area) 156 mm × 225 mm, which leaves 26 mm on the right and 35 mm at the foot.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.printing.kit import linebreak
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.linebreak import grid_tracking

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TYPE_AREA_WIDTH = 156 * mm
TYPE_AREA_HEIGHT = 225 * mm
RIGHT_MARGIN = PAGE_WIDTH - LEFT_MARGIN - TYPE_AREA_WIDTH
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TYPE_AREA_HEIGHT

# Chinese type sizes (字号) in points.
SIZE_2 = 22.0  # 二号: the title
SIZE_3 = 16.0  # 三号: body text
SIZE_4 = 14.0  # 四号: page numbers
SIZE_SMALL_4 = 12.0  # 小四: table text
SIZE_5 = 10.5  # 五号: small table text, notes

# GB/T 9704 sets 22 lines to the 225 mm type area, so one line pitch is 225/22 mm (about 28.9 pt).
BODY_LEADING = TYPE_AREA_HEIGHT / 22

# GB/T 9704 7.5: the page number's em-dash line sits 7 mm below the type area, one character in from the edge.
PAGE_NUMBER_GAP = 7 * mm


# GB/T 9704 5.2.2: 28 characters of 三号 to a line. 16 pt × 28 is wider than the 156 mm 版心, so the
# characters are set closer, as Word's character grid does (linebreak.grid_tracking).
BODY_CHARS_PER_LINE = 28
BODY_TRACKING = grid_tracking(TYPE_AREA_WIDTH, SIZE_3, BODY_CHARS_PER_LINE)


def enable_chinese_line_breaking() -> None:
    """Make every CJK-wrapped paragraph follow GB/T 15834's line-breaking rules (app.printing.kit.linebreak).

    Every form calls this before it builds its styles, and build_pdf calls it again before laying out.
    Idempotent.
    """
    linebreak.install()


def format_cn_date(d: date | datetime) -> str:
    """A full Chinese date as GB/T 9704 writes it: Arabic numerals, no zero padding (2026年11月9日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_cn_datetime(moment: datetime) -> str:
    """A date and time on a form, e.g. 2026年11月29日 9:05 (minutes padded, as on a clock)."""
    return f"{format_cn_date(moment)} {moment.hour}:{moment.minute:02d}"


def page_number_text(number: int) -> str:
    return f"— {number} —"


@dataclass(frozen=True)
class GbStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    body: ParagraphStyle
    table: ParagraphStyle
    table_center: ParagraphStyle
    table_right: ParagraphStyle
    table_label: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle


# Form code names alignments by word; reportlab by number.
ALIGNMENTS: dict[str, int] = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def cjk_style(name: str, font: str, size: float, leading: float, alignment: int = TA_LEFT, **extra: Any) -> ParagraphStyle:
    """A paragraph style in one face that wraps Chinese (wordWrap='CJK') by GB/T 15834's line-breaking rules."""
    enable_chinese_line_breaking()
    return ParagraphStyle(
        name,
        fontName=font,
        bulletFontName=font,
        fontSize=size,
        leading=leading,
        alignment=alignment,
        wordWrap="CJK",
        **extra,
    )


def gb_styles(fonts: FontSet | None = None) -> GbStyles:
    """Paragraph styles for forms. Every style wraps CJK text (wordWrap='CJK'), which Chinese needs."""
    f = fonts or resolve_fonts()
    return GbStyles(
        # 二号小标宋 is not an open font: the Song face stands in (BoldTitle thickens it).
        title=cjk_style("gb-title", f.song, SIZE_2, SIZE_2 * 1.4, TA_CENTER),
        subtitle=cjk_style("gb-subtitle", f.kai, SIZE_3, SIZE_3 * 1.5, TA_CENTER),
        # 22 lines of 28 characters, justified, the first line indented by two characters of the grid.
        body=cjk_style(
            "gb-body",
            f.fang,
            SIZE_3,
            BODY_LEADING,
            TA_JUSTIFY,
            firstLineIndent=2 * (SIZE_3 + BODY_TRACKING),
            cjkTracking=BODY_TRACKING,
        ),
        table=cjk_style("gb-table", f.song, SIZE_SMALL_4, SIZE_SMALL_4 * 1.45, TA_LEFT),
        table_center=cjk_style("gb-table-center", f.song, SIZE_SMALL_4, SIZE_SMALL_4 * 1.45, TA_CENTER),
        table_right=cjk_style("gb-table-right", f.song, SIZE_SMALL_4, SIZE_SMALL_4 * 1.45, TA_RIGHT),
        table_label=cjk_style("gb-table-label", f.hei, SIZE_SMALL_4, SIZE_SMALL_4 * 1.45, TA_CENTER),
        small=cjk_style("gb-small", f.song, SIZE_5, SIZE_5 * 1.45, TA_LEFT),
        small_right=cjk_style("gb-small-right", f.song, SIZE_5, SIZE_5 * 1.45, TA_RIGHT),
    )


class BoldTitle(Flowable):
    """Centred title lines, thickened by stroking the glyph outlines.

    The 小标宋 face of official titles is a heavy Song; no open font has it, and reportlab cannot
    embolden a TrueType face, so the outline is stroked with a thin line of the text colour.
    """

    def __init__(
        self,
        lines: Sequence[str],
        fonts: FontSet | None = None,
        size: float = SIZE_2,
        leading: float | None = None,
        weight: float = 0.7,
        space_after: float = 10.0,
    ) -> None:
        super().__init__()
        self.lines = [line for line in lines if line.strip()]
        self.fonts = fonts or resolve_fonts()
        self.size = size
        self.leading = leading or size * 1.45
        self.weight = weight
        self.spaceAfter = space_after
        self._avail_width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._avail_width = availWidth
        return availWidth, self.leading * len(self.lines)

    def draw(self) -> None:
        canvas: Canvas = self.canv
        font = self.fonts.song
        canvas.saveState()
        canvas.setLineWidth(self.weight)
        canvas.setLineJoin(1)
        y = self.leading * len(self.lines) - self.size * 1.05
        for line in self.lines:
            width = self.fonts.string_width(line, font, self.size)
            draw_text(canvas, self.fonts, (self._avail_width - width) / 2, y, line, font, self.size, mode=2)
            y -= self.leading
        canvas.restoreState()


def draw_text(
    canvas: Canvas,
    fonts: FontSet,
    x: float,
    y: float,
    text: str,
    font_name: str,
    size: float,
    mode: int = 0,
) -> float:
    """Draw one line at baseline (x, y), switching font for glyphs font_name lacks. Returns the width.

    A book title nested in another prints as 〈〉, as in paragraphs (linebreak.nest_book_titles).
    """
    text = linebreak.nest_book_titles(text)
    obj = canvas.beginText(x, y)
    obj.setTextRenderMode(mode)
    width = 0.0
    for run, font in fonts.runs(text, font_name):
        obj.setFont(font, size)
        obj.textOut(run)
        width += canvas.stringWidth(run, font, size)
    canvas.drawText(obj)
    return width


def draw_page_number(canvas: Canvas, number: int) -> None:
    """GB/T 9704 7.5: 4号 half-width numerals between em dashes, on the outer side (odd right, even left)."""
    fonts = resolve_fonts()
    text = page_number_text(number)
    font = fonts.song
    width = fonts.string_width(text, font, SIZE_4)
    # The em dashes sit about 0.3 em above the baseline; they are what the 7 mm is measured to.
    baseline = BOTTOM_MARGIN - PAGE_NUMBER_GAP - SIZE_4 * 0.3
    if number % 2:
        x = LEFT_MARGIN + TYPE_AREA_WIDTH - SIZE_4 - width
    else:
        x = LEFT_MARGIN + SIZE_4
    canvas.saveState()
    draw_text(canvas, fonts, x, baseline, text, font, SIZE_4)
    canvas.restoreState()


PageNumbers = Literal["always", "multipage", "never"]


def held_pages_canvas(finish_page: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds its pages back until the end, then calls ``finish_page(canvas, number, total)`` on
    each before it is put out: a page's foot can then say how many pages there are, or whether there are more.
    """

    class HeldPagesCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                finish_page(self, self.getPageNumber(), total)
                super().showPage()
            super().save()

    return HeldPagesCanvas


def _numbering_canvas(mode: PageNumbers) -> type[Canvas]:
    """A one-page form carries no page number; a form that spills onto a second page numbers every page."""

    def number(canvas: Canvas, page: int, total: int) -> None:
        if mode == "always" or (mode == "multipage" and total > 1):
            draw_page_number(canvas, page)

    return held_pages_canvas(number)


def type_area_frame(frame_id: str = "type-area") -> Frame:
    # No frame padding: the 版心 is the exact printable block.
    return Frame(
        LEFT_MARGIN,
        BOTTOM_MARGIN,
        TYPE_AREA_WIDTH,
        TYPE_AREA_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=frame_id,
    )


class Signature(Flowable):
    """落款 without a seal (GB/T 9704 §7.3.5.2): the office two characters in from the right, the date on the
    next line starting two characters right of the office name's first character (or two in from the right
    when it is longer)."""

    def __init__(self, office: str, when: date, fonts: FontSet) -> None:
        super().__init__()
        self.office = office
        self.when = format_cn_date(when)
        self.fonts = fonts
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, 2 * BODY_LEADING

    def draw(self) -> None:
        em, font = SIZE_3, self.fonts.fang
        office_x = self._width - 2 * em - self.fonts.string_width(self.office, font, em)
        date_width = self.fonts.string_width(self.when, font, em)
        date_x = office_x + 2 * em
        if date_x + date_width > self._width - 2 * em:
            date_x = self._width - 2 * em - date_width
            office_x = min(office_x, date_x - 2 * em)
        draw_text(self.canv, self.fonts, office_x, BODY_LEADING * 1.25, self.office, font, em)
        draw_text(self.canv, self.fonts, date_x, BODY_LEADING * 0.25, self.when, font, em)


class GbDocTemplate(BaseDocTemplate):
    """A platypus document on A4 whose one frame is the GB/T 9704 版心, numbering pages per GB/T 9704."""

    def __init__(self, buffer: io.BytesIO, page_numbers: PageNumbers = "multipage", **kwargs: Any) -> None:
        super().__init__(buffer, **kwargs)
        self.page_numbers: PageNumbers = page_numbers
        self.addPageTemplates([PageTemplate(id="gb", frames=[type_area_frame()])])

    def build(self, flowables: list[Flowable], **kwargs: Any) -> None:
        kwargs.setdefault("canvasmaker", _numbering_canvas(self.page_numbers))
        super().build(flowables, **kwargs)


# The PDF's 创建程序 (its Creator), on every form.
CREATOR = "GovDesk 政府办公室综合协调系统"


def document_info(title: str, author: str, font: str, subject: str | None = None) -> dict[str, Any]:
    """What a GovDesk PDF says of itself, as a DocTemplate takes it: title, author, subject, creator,
    language, and the face its pages start in: without that every page names Helvetica, a font that is
    never embedded."""
    return {
        "title": title,
        "author": author,
        "subject": subject,
        "creator": CREATOR,
        "lang": "zh-CN",
        "initialFontName": font,
    }


def gb_doc_template(
    buffer: io.BytesIO,
    title: str,
    author: str,
    subject: str = "",
    page_numbers: PageNumbers = "multipage",
) -> GbDocTemplate:
    return GbDocTemplate(
        buffer,
        page_numbers=page_numbers,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        **document_info(title, author, resolve_fonts().song, subject),
    )


def build_pdf(
    flowables: Sequence[Flowable],
    title: str,
    author: str = "",
    subject: str = "",
    page_numbers: PageNumbers = "multipage",
) -> bytes:
    """Lay the flowables out in the 版心 and return the PDF."""
    enable_chinese_line_breaking()
    buffer = io.BytesIO()
    doc = gb_doc_template(buffer, title, author, subject, page_numbers=page_numbers)
    doc.build(list(flowables))
    return buffer.getvalue()
