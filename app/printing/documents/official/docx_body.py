"""A 公文's body in the .docx: paragraphs in the font of their structure level (GB/T 9704 §7.3.3), real Word
tables whose heading rows repeat, pictures at their size, all on the 22 × 28 grid of 三号 仿宋."""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.core.document_body import LEVEL_1, LEVEL_2, Body, BodyImage, BodyParagraph, BodyTable
from app.printing.documents.official.body import heading_rows
from app.printing.documents.official.docx_xml import (
    FANG_FONT,
    HEI_FONT,
    KAI_FONT,
    mark_header_row,
    set_indent_chars,
    set_run_font,
    set_table_borders,
    set_table_full_width,
)

BODY_SIZE = 16.0  # 三号
TABLE_SIZE = 14.0  # 四号: a table's cells hold more than a line of body text does
TYPE_AREA_WIDTH_MM = 156.0
TYPE_AREA_HEIGHT_MM = 225.0
SHORT_CELL_CHARS = 10  # a column of cells no wider than this is centred; wider text reads better flush left

LEVEL_FONTS: dict[int, str] = {LEVEL_1: HEI_FONT, LEVEL_2: KAI_FONT}
ALIGNMENTS: dict[str, WD_ALIGN_PARAGRAPH] = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def width_in_chars(text: str) -> float:
    """Text's width in characters of its size: digits and Latin letters are half as wide as Chinese."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def heading_and_rest(text: str) -> tuple[str, str]:
    """A heading that runs on into its paragraph ("（一）落实属地管理责任。各乡镇要……") splits after its first
    full stop: only the heading takes the level's font, the rest stays 仿宋, as offices set it."""
    stop = text.find("。")
    if stop == -1 or stop == len(text) - 1:
        return text, ""
    return text[: stop + 1], text[stop + 1 :]


def add_text_paragraph(
    document: DocxDocument,
    text: str,
    font: str = FANG_FONT,
    size: float = BODY_SIZE,
    alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line_chars: float = 0,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = alignment
    if first_line_chars:
        set_indent_chars(paragraph, size, first_line=first_line_chars)
    if text:
        set_run_font(paragraph.add_run(text), font, size)
    return paragraph


def add_body_paragraph(document: DocxDocument, block: BodyParagraph) -> Paragraph:
    alignment = ALIGNMENTS.get(block.align, WD_ALIGN_PARAGRAPH.JUSTIFY)
    # A centred or right-set line keeps no indent: it would shift the line off its place.
    indent = 2 if alignment == WD_ALIGN_PARAGRAPH.JUSTIFY else 0
    paragraph = add_text_paragraph(document, "", alignment=alignment, first_line_chars=indent)
    level_font = LEVEL_FONTS.get(block.level)
    if level_font is None:
        set_run_font(paragraph.add_run(block.text), FANG_FONT, BODY_SIZE)
        return paragraph
    heading, rest = heading_and_rest(block.text)
    set_run_font(paragraph.add_run(heading), level_font, BODY_SIZE)
    if rest:
        set_run_font(paragraph.add_run(rest), FANG_FONT, BODY_SIZE)
    return paragraph


def centred_columns(block: BodyTable, columns: int) -> list[bool]:
    """Which columns to centre: those whose cells below the heading are all short (序号, names, dates)."""
    body_rows = block.rows[block.header_rows :]
    return [
        all(len(row) <= column or width_in_chars(row[column]) <= SHORT_CELL_CHARS for row in body_rows)
        for column in range(columns)
    ]


def add_body_table(document: DocxDocument, block: BodyTable) -> Table:
    """A Word table with borders: its heading rows (with the rest of a merged cell that starts in them, as in
    the PDF) marked to repeat, and each merged area one Word cell (w:gridSpan across, w:vMerge down)."""
    columns = max((len(row) for row in block.rows), default=1)
    table = document.add_table(rows=len(block.rows), cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_full_width(table._tbl)
    set_table_borders(table._tbl, {side: 4 for side in ("top", "left", "bottom", "right", "insideH", "insideV")})
    # Merged before any text goes in: python-docx's merge() moves the covered cells' paragraphs into the
    # merged cell, which would leave empty lines under its text.
    for span in block.spans:
        last = table.cell(span.row + span.rows - 1, span.column + span.columns - 1)
        table.cell(span.row, span.column).merge(last)
    header_rows = heading_rows(block)
    centred = centred_columns(block, columns)
    for row_index, (texts, row) in enumerate(zip(block.rows, table.rows, strict=True)):
        heading = row_index < header_rows
        if heading:
            mark_header_row(row._tr)
        for column, text in enumerate(texts):
            area = block.span_at(row_index, column)
            if area is not None and (area.row, area.column) != (row_index, column):
                continue  # a cell the merged area covers: its text stands in the area's top-left cell
            paragraph = table.cell(row_index, column).paragraphs[0]
            if heading or centred[column] or area is not None:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            set_run_font(paragraph.add_run(text), HEI_FONT if heading else FANG_FONT, TABLE_SIZE)
    # Word wants a paragraph between a table and what follows; it also keeps the next table apart.
    document.add_paragraph()
    return table


def add_body_image(document: DocxDocument, block: BodyImage) -> Paragraph:
    """The picture at the size it had in the draft (its own size when the draft gave none), scaled down in
    proportion to fit the 版心, centred."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    if block.width_mm > 0 and block.height_mm > 0:
        shape = run.add_picture(io.BytesIO(block.data), width=Mm(block.width_mm), height=Mm(block.height_mm))
    else:
        shape = run.add_picture(io.BytesIO(block.data))
    width_mm, height_mm = shape.width.mm, shape.height.mm
    scale = min(1.0, TYPE_AREA_WIDTH_MM / width_mm, TYPE_AREA_HEIGHT_MM / height_mm)
    if scale < 1.0:
        shape.width, shape.height = Mm(width_mm * scale), Mm(height_mm * scale)
    return paragraph


def add_body(document: DocxDocument, body: Body) -> None:
    for block in body.blocks:
        if isinstance(block, BodyParagraph):
            add_body_paragraph(document, block)
        elif isinstance(block, BodyTable):
            add_body_table(document, block)
        else:
            add_body_image(document, block)
