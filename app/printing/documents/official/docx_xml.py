"""WordprocessingML details python-docx has no API for, as the .docx of a 公文 needs them: fonts named for
Chinese text, the character grid, borders, tab stops, indents counted in characters, PAGE fields.

python-docx only; no Qt, no reportlab. Lengths in OOXML: twips (1/20 pt), border widths in 1/8 pt,
character counts in 1/100 character.
"""

from __future__ import annotations

import math
from typing import Literal

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

# The office's PCs have the GB2312 faces of the standard; a PC without them (a new Windows, WPS on Kylin) has
# the plain ones, which the font table names as the alternative.
TITLE_FONT = "方正小标宋简体"
FANG_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
FONT_ALTERNATIVES: dict[str, str] = {FANG_FONT: "仿宋", KAI_FONT: "楷体", TITLE_FONT: "宋体"}

RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
TWIPS_PER_PT = 20


def twips(points: float) -> int:
    return round(points * TWIPS_PER_PT)


# The schema's order of a paragraph's and a table's properties: Word refuses a file whose children are out of it.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)


def _child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...]) -> BaseOxmlElement:
    """The child named ``tag`` (e.g. "w:ind"); when missing, a new one in its place in the schema's ``order``."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    later = {qn(name) for name in order[order.index(tag) + 1 :]}
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def set_run_font(run: Run, name: str, size_pt: float, color: RGBColor | None = None, bold: bool = False) -> None:
    """The run in ``name`` for Latin and Chinese text alike: Word takes Chinese text's face from w:eastAsia only."""
    run.font.name = name  # w:ascii and w:hAnsi
    run.font.size = Pt(size_pt)
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)


def set_style_font(style: ParagraphStyle, name: str, size_pt: float) -> None:
    style.font.name = name
    style.font.size = Pt(size_pt)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)


def set_chinese_defaults(document: DocxDocument, font: str) -> None:
    """Text without a style of its own (a table the clerk inserts, a footnote) in ``font`` and marked as
    Chinese: python-docx's template says theme fonts, US English and, for East Asian text, Japanese, which
    makes Word pick Japanese faces and line-breaking rules."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = None if defaults is None else defaults.find(qn("w:rPrDefault"))
    properties = None if run_defaults is None else run_defaults.find(qn("w:rPr"))
    if properties is not None:
        fonts = properties.find(qn("w:rFonts"))
        if fonts is not None:
            for attribute in list(fonts.attrib):
                del fonts.attrib[attribute]
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(qn(f"w:{slot}"), font)
        language = properties.find(qn("w:lang"))
        if language is not None:
            language.set(qn("w:eastAsia"), "zh-CN")
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), "zh-CN")


def add_font_alternatives(document: DocxDocument) -> None:
    """Name in the font table the face Word and WPS fall back on when a GB2312 face is missing (w:altName)."""
    font_table = next(
        (rel.target_part for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE),
        None,
    )
    if font_table is None:
        return
    # python-docx loads the font table as an opaque part: its XML is read, extended and written back.
    root = parse_xml(font_table.blob)
    for name, alternative in FONT_ALTERNATIVES.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(alt)
        font.append(charset)
        root.append(font)
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_document_grid(section: Section, lines: int) -> int:
    """Word's 文档网格 "只指定行网格": ``lines`` lines to the type area. Returns the linePitch written, cut down to
    whole twips (rounding up, 580, would leave room for 21 lines only).

    Not "指定行和字符网格" with a negative charSpace, as Word's own 公文 templates do: LibreOffice (and so the
    office suites of UOS and Kylin that build on it) gives every character a little wider than the grid's
    pitch two cells of it, and a line of 28 characters comes out with 14. condense_characters fits the 28.
    """
    height_twips = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips  # type: ignore[union-attr]
    line_pitch = height_twips // lines
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:  # python-docx's template has one; a section without it gets it last, where it belongs
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))
    if grid.get(qn("w:charSpace")) is not None:
        del grid.attrib[qn("w:charSpace")]
    return line_pitch


def condense_characters(style: ParagraphStyle, section: Section, chars: int, size_pt: float) -> int:
    """Sets the style's character spacing so that ``chars`` characters of ``size_pt`` fill a line of the type
    area (16 pt × 28 is 448 pt, the 156 mm line 442 pt). Returns the spacing in twentieths of a point (w:spacing),
    rounded down so that the 28th character still fits."""
    width_twips = section.page_width.twips - section.left_margin.twips - section.right_margin.twips  # type: ignore[union-attr]
    spacing = math.floor(width_twips / chars - size_pt * TWIPS_PER_PT)
    _child(style.element.get_or_add_rPr(), "w:spacing", RPR_ORDER).set(qn("w:val"), str(spacing))
    return spacing


def _paragraph_properties(paragraph: Paragraph) -> BaseOxmlElement:
    return paragraph._p.get_or_add_pPr()


def set_indent_chars(
    paragraph: Paragraph,
    size_pt: float,
    first_line: float = 0,
    hanging: float = 0,
    left: float = 0,
    right: float = 0,
) -> None:
    """Indents counted in characters (w:*Chars, what Word's 字符 unit writes), with twips beside them for
    programs that read only those."""
    ind = _child(_paragraph_properties(paragraph), "w:ind", PPR_ORDER)
    for attribute, chars in (("left", left), ("right", right), ("firstLine", first_line), ("hanging", hanging)):
        if chars:
            ind.set(qn(f"w:{attribute}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{attribute}"), str(twips(chars * size_pt)))


def add_tab_stop(paragraph: Paragraph, position_twips: int, alignment: Literal["left", "right", "center"]) -> None:
    tabs = _child(_paragraph_properties(paragraph), "w:tabs", PPR_ORDER)
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), alignment)
    tab.set(qn("w:pos"), str(position_twips))
    tabs.append(tab)


def _border(tag: str, color: str, eighths_pt: int, space_pt: int = 1) -> BaseOxmlElement:
    border = OxmlElement(tag)
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), str(eighths_pt))
    border.set(qn("w:space"), str(space_pt))
    border.set(qn("w:color"), color)
    return border


def set_paragraph_border(
    paragraph: Paragraph, side: Literal["top", "bottom"], color: str, eighths_pt: int, space_pt: int = 1
) -> None:
    """A rule across the paragraph's width (the 版心's, when it has no indents), ``space_pt`` from its text."""
    borders = _child(_paragraph_properties(paragraph), "w:pBdr", PPR_ORDER)
    borders.append(_border(f"w:{side}", color, eighths_pt, space_pt))


def set_table_borders(table_element: CT_Tbl, borders: dict[str, int], color: str = "000000") -> None:
    """Table borders by side (top, left, bottom, right, insideH, insideV) in 1/8 pt; a side left out is none."""
    element = _child(table_element.tblPr, "w:tblBorders", TBLPR_ORDER)
    for old in list(element):
        element.remove(old)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in borders:
            element.append(_border(f"w:{side}", color, borders[side], 0))
        else:
            none = OxmlElement(f"w:{side}")
            none.set(qn("w:val"), "nil")
            element.append(none)


def set_table_full_width(table_element: CT_Tbl) -> None:
    width = _child(table_element.tblPr, "w:tblW", TBLPR_ORDER)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")  # 5000 fiftieths of a percent: the 版心's width


def float_table_to_page_foot(table_element: CT_Tbl) -> None:
    """Anchor the table at the foot of the type area of the page it falls on, where GB/T 9704 puts the 版记."""
    position = _child(table_element.tblPr, "w:tblpPr", TBLPR_ORDER)
    position.set(qn("w:vertAnchor"), "margin")
    position.set(qn("w:horzAnchor"), "margin")
    position.set(qn("w:tblpYSpec"), "bottom")
    position.set(qn("w:tblpX"), "0")


def set_cell_margins(table_element: CT_Tbl, left_twips: int, right_twips: int) -> None:
    margins = _child(table_element.tblPr, "w:tblCellMar", TBLPR_ORDER)
    for side, value in (("left", left_twips), ("right", right_twips)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)


def mark_header_row(row_element: CT_Row) -> None:
    """The row repeats at the top of each page the table runs onto (表头重复)."""
    properties = row_element.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def keep_off_grid(paragraph: Paragraph) -> None:
    """A line in a large size (the 发文机关标志) keeps its own height instead of snapping to the body grid."""
    snap = _child(_paragraph_properties(paragraph), "w:snapToGrid", PPR_ORDER)
    snap.set(qn("w:val"), "0")


def add_page_field(paragraph: Paragraph, font: str, size_pt: float) -> None:
    """A PAGE field: Word and WPS put the page's number in it when they lay the page out."""

    def field_run() -> Run:
        run = paragraph.add_run()
        set_run_font(run, font, size_pt)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    field_run()._r.append(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    field_run()._r.append(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    field_run()._r.append(separate)
    field_run().text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    field_run()._r.append(end)
