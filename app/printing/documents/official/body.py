"""The 主体 of a 公文 as flowables (GB/T 9704-2012 §7.3): title, 主送机关, the body with its structure levels,
tables and pictures, the 附件说明, the 署名 and 成文日期, the 附注, and a 纪要's 出席/请假/列席 lines.

Every line of text is 三号 on the body's grid (225 mm / 22 lines, 28 characters a line), so a full page holds
22 lines of 28 characters whatever fonts the levels use.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Flowable, Image, Paragraph, Spacer, Table, TableStyle

from app.core.document_body import LEVEL_1, LEVEL_2, Body, BodyImage, BodyParagraph, BodyTable, CellSpan
from app.core.document_title import break_title
from app.printing.documents.official.masthead import GRID_CHAR
from app.printing.kit.fonts import FontSet
from app.printing.kit.page import (
    BODY_LEADING,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_4,
    TYPE_AREA_HEIGHT,
    TYPE_AREA_WIDTH,
    BoldTitle,
    Signature,
    cjk_style,
    draw_text,
    format_cn_date,
    gb_styles,
)

# The title's lines stand closer than the body's; GB/T 9704 leaves the title's line spacing to 恰当.
TITLE_LEADING = SIZE_2 * 1.4


@dataclass(frozen=True)
class BodyStyles:
    plain: ParagraphStyle
    flush: ParagraphStyle  # 主送机关: flush left, wrapped lines flush left too
    by_level: dict[int, ParagraphStyle]


def body_styles(fonts: FontSet) -> BodyStyles:
    """The body's style, and per structure level its face (GB/T 9704 §7.3.3: 一、 黑体, （一） 楷体, 1. （1） 仿宋)."""
    # The 22-line grid holds on every page: a paragraph may leave its first line at a page's foot and its last
    # at the next one's head (Word's 孤行控制 is off in 公文 templates for the same reason).
    plain = ParagraphStyle("official-body", parent=gb_styles(fonts).body, allowOrphans=1, allowWidows=1)
    faces = {LEVEL_1: fonts.hei, LEVEL_2: fonts.kai}
    by_level = {level: replace_font(plain, f"gb-body-{level}", faces.get(level, fonts.fang)) for level in range(5)}
    flush = ParagraphStyle("gb-body-flush", parent=plain, firstLineIndent=0)
    return BodyStyles(plain, flush, by_level)


def replace_font(style: ParagraphStyle, name: str, font: str) -> ParagraphStyle:
    return ParagraphStyle(name, parent=style, fontName=font, bulletFontName=font)


def title_flowable(title: str, fonts: FontSet, space_after: float) -> Flowable:
    """The title in 2号 heavy Song, centred, broken by meaning into a 梯形 or 菱形 (app.core.document_title)."""
    lines = break_title(title, lambda text: fonts.string_width(text, fonts.song, SIZE_2), TYPE_AREA_WIDTH - 2)
    return BoldTitle(lines, fonts, SIZE_2, leading=TITLE_LEADING, space_after=space_after)


def paragraph(block: BodyParagraph, fonts: FontSet, styles: BodyStyles) -> Paragraph:
    style = styles.by_level.get(block.level, styles.plain)
    if block.align in ("center", "right"):
        style = ParagraphStyle(
            f"{style.name}-{block.align}",
            parent=style,
            firstLineIndent=0,
            alignment=TA_CENTER if block.align == "center" else TA_RIGHT,
        )
    return Paragraph(fonts.markup(block.text, style.fontName), style)


def table_flowable(block: BodyTable, fonts: FontSet) -> Flowable:
    """A body table across the 版心: 仿宋 4号 when its widest row fits, else 小四; its heading rows in 黑体,
    repeated on every page the table runs onto; each merged area drawn as one cell (reportlab's SPAN)."""
    columns = max((len(row) for row in block.rows), default=0)
    if not columns:
        return Spacer(0, 0)
    rows = [tuple(row) + ("",) * (columns - len(row)) for row in block.rows]
    longest = _column_lengths(rows, block.spans, columns)
    size = SIZE_4 if sum(min(n, 12) for n in longest) * SIZE_4 + columns * 12 <= TYPE_AREA_WIDTH else SIZE_SMALL_4
    # Columns share the width by their longest text, none narrower than three characters.
    weights = [max(3, min(n, 16)) for n in longest]
    widths = [TYPE_AREA_WIDTH * w / sum(weights) for w in weights]
    header_rows = heading_rows(block)
    spans = list(block.spans)
    # reportlab never breaks a page inside a row-spanned block: it carries the whole block to the next page,
    # which is what a reader wants (a 城关镇 cell and its rows together). Only a block taller than a page
    # cannot be carried (reportlab stops with a LayoutError), so such a block is cut where a page would end
    # and the merged cell's text repeated on the next page, as an office does by hand.
    heights = _row_heights(_table(rows, spans, header_rows, size, widths, fonts))
    limit = TYPE_AREA_HEIGHT - sum(heights[:header_rows]) - BODY_LEADING * 0.5
    rows, spans = _cut_tall_blocks(rows, spans, heights, header_rows, limit)
    table = _table(rows, spans, header_rows, size, widths, fonts)
    table.spaceBefore = BODY_LEADING * 0.25
    table.spaceAfter = BODY_LEADING * 0.25
    return table


def heading_rows(block: BodyTable) -> int:
    """The rows that repeat on a new page: the table's heading, and below it the rest of a merged cell that
    starts in the heading (a 序号 cell two rows high), since a repeated heading cannot end inside a cell."""
    rows = min(block.header_rows, len(block.rows))
    grown = True
    while grown:
        reach = max((s.row + s.rows for s in block.spans if s.row < rows), default=rows)
        grown = reach > rows
        rows = max(rows, reach)
    return rows


def _column_lengths(rows: Sequence[tuple[str, ...]], spans: Sequence[CellSpan], columns: int) -> list[int]:
    """Each column's longest text in characters; a cell merged across columns shares its text among them."""
    across = {(s.row, s.column): s.columns for s in spans if s.columns > 1}
    longest = [0] * columns
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            share = across.get((r, c))
            if share is None:
                longest[c] = max(longest[c], _length(text))
            else:
                for column in range(c, c + share):
                    longest[column] = max(longest[column], -(-_length(text) // share))
    return longest


def _table(
    rows: Sequence[tuple[str, ...]],
    spans: Sequence[CellSpan],
    header_rows: int,
    size: float,
    widths: Sequence[float],
    fonts: FontSet,
) -> Table:
    cell = cjk_style(f"official-cell-{size}", fonts.fang, size, size * 1.35, TA_CENTER)
    head = cjk_style(f"official-head-{size}", fonts.hei, size, size * 1.35, TA_CENTER)
    data = [
        [Paragraph(fonts.markup(text, (head if r < header_rows else cell).fontName), head if r < header_rows else cell)
         for text in row]
        for r, row in enumerate(rows)
    ]  # fmt: skip
    # A table that is all heading has nothing to repeat the heading above.
    repeat = header_rows if header_rows < len(rows) else 0
    table = Table(data, colWidths=list(widths), repeatRows=repeat, hAlign="CENTER")
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.fang),  # else reportlab names Helvetica, never embedded
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            # A merged area is one cell: its text once, centred in it, and no rules inside it.
            *[("SPAN", (s.column, s.row), (s.column + s.columns - 1, s.row + s.rows - 1)) for s in spans],
        ])
    )  # fmt: skip
    return table


def _row_heights(table: Table) -> list[float]:
    """Each row's height on the 版心's width. reportlab leaves the rows past the height it is offered
    unmeasured (None), so it is offered more than any body table takes."""
    table.wrap(TYPE_AREA_WIDTH, 1e7)
    return [float(height) for height in table._rowHeights]


def _cut_tall_blocks(
    rows: Sequence[tuple[str, ...]], spans: Sequence[CellSpan], heights: Sequence[float], header_rows: int,
    limit: float,
) -> tuple[list[tuple[str, ...]], list[CellSpan]]:
    """The rows and spans with each row-spanned block taller than limit cut where a page would be full: every
    merged cell across a cut ends there, and its text starts again in the first row after the cut."""
    rows = [tuple(row) for row in rows]
    cuts: set[int] = set()
    for first, last in _row_blocks(spans, header_rows):
        used = 0.0
        for r in range(first, last + 1):
            if used + heights[r] > limit and r > first and used:
                cuts.add(r)
                used = 0.0
            used += heights[r]
    if not cuts:
        return rows, list(spans)
    pieces: list[CellSpan] = []
    for span in spans:
        edges = [span.row, *sorted(c for c in cuts if span.row < c < span.row + span.rows), span.row + span.rows]
        text = rows[span.row][span.column]
        for top, bottom in zip(edges, edges[1:]):
            if top != span.row:
                row = list(rows[top])
                row[span.column] = text
                rows[top] = tuple(row)
            if bottom - top > 1 or span.columns > 1:
                pieces.append(CellSpan(top, span.column, bottom - top, span.columns))
    return rows, pieces


def _row_blocks(spans: Sequence[CellSpan], header_rows: int) -> list[tuple[int, int]]:
    """The runs of rows below the heading that row spans bind together (first and last row), overlapping
    spans joined: reportlab will not break a page anywhere inside one."""
    intervals = sorted((s.row, s.row + s.rows - 1) for s in spans if s.rows > 1 and s.row >= header_rows)
    blocks: list[tuple[int, int]] = []
    for first, last in intervals:
        if blocks and first <= blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], last))
        else:
            blocks.append((first, last))
    return blocks


def _length(text: str) -> int:
    """A cell's length in full-width characters (Latin letters and digits count half)."""
    return (sum(2 if ord(c) > 0x2000 else 1 for c in text) + 1) // 2


def image_flowable(block: BodyImage) -> Flowable:
    """The picture at its size in the document, scaled down in proportion to fit the 版心."""
    width, height = block.width_mm * mm, block.height_mm * mm
    if width <= 0 or height <= 0:
        reader = ImageReader(io.BytesIO(block.data))
        pixels_w, pixels_h = reader.getSize()
        width, height = pixels_w * 0.75, pixels_h * 0.75  # 96 dpi
    scale = min(1.0, TYPE_AREA_WIDTH / width, (TYPE_AREA_HEIGHT - BODY_LEADING) / height)
    image = Image(io.BytesIO(block.data), width=width * scale, height=height * scale)
    image.hAlign = "CENTER"
    image.spaceBefore = BODY_LEADING * 0.25
    image.spaceAfter = BODY_LEADING * 0.25
    return image


def is_heading(block: BodyParagraph) -> bool:
    """A structure level's paragraph of one line stands as a heading."""
    return bool(block.level) and len(block.text) <= 28


def body_flowables(body: Body, fonts: FontSet, styles: BodyStyles) -> list[Flowable]:
    flowables: list[Flowable] = []
    for block in body.blocks:
        if isinstance(block, BodyParagraph):
            if block.text.strip():
                para = paragraph(block, fonts, styles)
                if is_heading(block):
                    # A heading does not stay at a page's foot without a line of the text it heads; keeping it
                    # with the whole next paragraph (keepWithNext) would leave half a page empty.
                    flowables.append(CondPageBreak(2 * BODY_LEADING))
                    para._official_heading = True
                flowables.append(para)
        elif isinstance(block, BodyTable):
            flowables.append(table_flowable(block, fonts))
        else:
            flowables.append(image_flowable(block))
    return flowables


def _grid_width(text: str, fonts: FontSet, font: str) -> float:
    """How wide text is on the body's grid: each character plus the grid's tracking."""
    return fonts.string_width(text, font, SIZE_3) + (GRID_CHAR - SIZE_3) * len(text)


def hanging(
    label: str, text: str, fonts: FontSet, styles: BodyStyles, indent: float, label_font: str | None = None
) -> Paragraph:
    """A paragraph that opens with label at indent and wraps its lines under the text after the label."""
    label_font = label_font or fonts.fang
    label_width = _grid_width(label, fonts, label_font)
    style = ParagraphStyle(
        f"hanging-{indent:.0f}-{label_width:.0f}",
        parent=styles.plain,
        leftIndent=indent + label_width,
        firstLineIndent=-label_width,
    )
    markup = fonts.markup(label, label_font)
    if label_font != fonts.fang:
        markup = f'<font face="{label_font}">{markup}</font>'
    return Paragraph(markup + fonts.markup(text, fonts.fang), style)


def attachment_notes(names: Sequence[str], fonts: FontSet, styles: BodyStyles) -> list[Flowable]:
    """附件说明 (GB/T 9704 §7.3.4): one blank line below the body, "附件：" two characters in; several names numbered
    1. 2. … one a line under the first; a long name wraps under its own first character; no full stop."""
    if not names:
        return []
    flowables: list[Flowable] = [Spacer(0, BODY_LEADING)]
    label = "附件："
    label_width = _grid_width(label, fonts, fonts.fang)
    two = 2 * GRID_CHAR
    if len(names) == 1:
        flowables.append(hanging(label, names[0].rstrip("。."), fonts, styles, two))
        return flowables
    for number, name in enumerate(names, start=1):
        prefix = f"{number}."
        clean = name.rstrip("。.")
        if number == 1:
            flowables.append(hanging(label + prefix, clean, fonts, styles, two))
        else:
            flowables.append(hanging(prefix, clean, fonts, styles, two + label_width))
    return flowables


class SealedSignature(Flowable):
    """署名 and 成文日期 of a sealed document (GB/T 9704 §7.3.5.1): the date four characters in from the right;
    each organ's name centred above it (joint documents: the organs side by side, in rows of up to three, the
    last one over the date); two blank lines above the names leave the seal's upper half, whose top is within
    a line of the text, and the seal presses on the names and the date."""

    def __init__(self, names: Sequence[str], when: date, fonts: FontSet) -> None:
        super().__init__()
        self.names = list(names) or [""]
        self.when = format_cn_date(when)
        self.fonts = fonts
        self.rows = [self.names[i : i + 3] for i in range(0, len(self.names), 3)]
        # Each row of organs takes a line, and the seals of one row stand clear of the next: three lines apart.
        self.height = (2 + 3 * (len(self.rows) - 1) + 2) * BODY_LEADING
        self._width = TYPE_AREA_WIDTH

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        fonts, font, em = self.fonts, self.fonts.fang, SIZE_3
        date_width = fonts.string_width(self.when, font, em)
        date_right = self._width - 4 * GRID_CHAR
        date_centre = date_right - date_width / 2
        descent = BODY_LEADING - em  # baseline above the bottom of its line, as in the body's paragraphs
        for r, row in enumerate(self.rows):
            baseline = descent + BODY_LEADING * (1 + 3 * (len(self.rows) - 1 - r))
            # The last organ stands over the date; the others to its left, a column apart.
            column = min(date_centre / max(1, len(row) - 1), TYPE_AREA_WIDTH / 3) if len(row) > 1 else 0.0
            for c, name in enumerate(row):
                centre = date_centre - (len(row) - 1 - c) * column
                width = fonts.string_width(name, font, em)
                draw_text(self.canv, fonts, max(0.0, centre - width / 2), baseline, name, font, em)
        draw_text(self.canv, fonts, date_right - date_width, descent, self.when, font, em)


class UnsealedSignature(Flowable):
    """署名 without a seal for several organs (GB/T 9704 §7.3.5.2): the lead organ first, the others below it,
    each two characters in from the right; the date below, two characters right of the names' first one."""

    def __init__(self, names: Sequence[str], when: date, fonts: FontSet) -> None:
        super().__init__()
        self.names = list(names)
        self.when = format_cn_date(when)
        self.fonts = fonts
        self._width = TYPE_AREA_WIDTH

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        return availWidth, (len(self.names) + 1) * BODY_LEADING

    def draw(self) -> None:
        fonts, font, em = self.fonts, self.fonts.fang, SIZE_3
        descent = BODY_LEADING - em  # baseline above the bottom of its line, as in the body's paragraphs
        right = self._width - 2 * GRID_CHAR
        widest = max(fonts.string_width(n, font, em) for n in self.names)
        date_width = fonts.string_width(self.when, font, em)
        date_x = min(right - widest + 2 * GRID_CHAR, right - date_width)
        for index, name in enumerate(self.names):
            width = fonts.string_width(name, font, em)
            baseline = descent + (len(self.names) - index) * BODY_LEADING
            draw_text(self.canv, fonts, right - width, baseline, name, font, em)
        draw_text(self.canv, fonts, date_x, descent, self.when, font, em)


def signature_flowables(names: Sequence[str], when: date, sealed: bool, fonts: FontSet) -> list[Flowable]:
    names = [name.strip() for name in names if name.strip()] or [""]
    if sealed:
        return [SealedSignature(names, when, fonts)]
    # §7.3.5.2: the 署名 one blank line below the text.
    if len(names) == 1:
        return [Spacer(0, BODY_LEADING), Signature(names[0], when, fonts)]
    return [Spacer(0, BODY_LEADING), UnsealedSignature(names, when, fonts)]


def note_flowable(note: str, fonts: FontSet, styles: BodyStyles) -> Paragraph:
    """附注 (GB/T 9704 §7.3.6): on the line below the 成文日期, two characters in, in round brackets."""
    text = note.strip()
    if not (text.startswith("（") and text.endswith("）")):
        text = f"（{text.strip('()（）')}）"
    return Paragraph(fonts.markup(text, fonts.fang), styles.plain)


def minutes_people(people: Sequence[tuple[str, str]], fonts: FontSet, styles: BodyStyles) -> list[Flowable]:
    """纪要's 出席, 请假 and 列席 (GB/T 9704 §10.3): one blank line below the body, the label in 黑体 two
    characters in, the names in 仿宋, wrapped lines aligned after the colon."""
    present = [(label, names) for label, names in people if names.strip()]
    if not present:
        return []
    flowables: list[Flowable] = [Spacer(0, BODY_LEADING)]
    for label, names in present:
        flowables.append(hanging(f"{label}：", names.strip(), fonts, styles, 2 * GRID_CHAR, fonts.hei))
    return flowables


def attachment_heading(label: str, fonts: FontSet) -> Flowable:
    """附件N in 3号黑体 on the 版心's first line, flush left (GB/T 9704 §8)."""
    style = ParagraphStyle("official-attachment-label", parent=gb_styles(fonts).body, fontName=fonts.hei,
                           firstLineIndent=0, alignment=TA_JUSTIFY)  # fmt: skip
    return Paragraph(fonts.markup(label, fonts.hei), style)
