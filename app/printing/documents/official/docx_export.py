"""The typeset 公文 as a .docx the office can still touch up in WPS or Word: the same data as the PDF
(render.render_official_document), laid out to GB/T 9704-2012 with Word's own means: page setup and the
22 × 28 document grid, fonts by the names the office's PCs have, the red 版头 and its rule, tables, pictures,
the 附件 on pages of their own, the 版记 at the foot of the last page and page numbers outside on odd and even
pages. Editable text throughout: nothing is drawn or put in a text box. A 函 in the 信函格式 (GB/T 9704
§10.1) has its mark and red double lines in the first page's own header and footer (add_letter_head).
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Emu, Length, Mm, Pt, Twips
from docx.text.paragraph import Paragraph

from app.core.errors import ValidationError
from app.printing.documents.official.data import OfficialAttachment, OfficialDocumentData
from app.printing.documents.official.docx_body import BODY_SIZE, add_body, add_text_paragraph, width_in_chars
from app.printing.documents.official.docx_xml import (
    FANG_FONT,
    HEI_FONT,
    KAI_FONT,
    RED,
    RED_HEX,
    SONG_FONT,
    TITLE_FONT,
    add_font_alternatives,
    add_page_field,
    add_tab_stop,
    condense_characters,
    float_table_to_page_foot,
    keep_off_grid,
    set_cell_margins,
    set_chinese_defaults,
    set_document_grid,
    set_indent_chars,
    set_paragraph_border,
    set_run_font,
    set_style_font,
    set_table_borders,
    set_table_full_width,
)
from app.printing.kit.page import format_cn_date

# Word's A4 and GB/T 9704 §5.2's margins, in whole twips as Word keeps them (37, 28, 26 and 35 mm).
A4_WIDTH, A4_HEIGHT = 11906, 16838
TOP, LEFT, RIGHT, BOTTOM = 2098, 1587, 1474, 1984
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TYPE_AREA_TWIPS = A4_WIDTH - LEFT - RIGHT

TITLE_SIZE = 22.0  # 二号
NOTE_SIZE = 14.0  # 四号: the 版记 and the page numbers
MARK_MAX_SIZE = 42.0  # 初号, the largest 发文机关标志 offices use
MARK_TOP_MM = 35.0  # §7.2.4: the 发文机关标志's top edge 35 mm below the type area's
RULE_GAP_PT = 11  # §7.2.6: the red rule 4 mm below the 发文字号
RED_RULE = 12  # 1.5 pt, in 1/8 pt
THICK_RULE, THIN_RULE = 8, 6  # §7.4.1: the 版记's outer rules 0.35 mm, the inner ones 0.25 mm
TITLE_BREAK_FROM = 22  # characters; a shorter title stays on one line
# 信函格式 (GB/T 9704 §10.1): the mark 30 mm from the page's top, red double lines 170 mm long centred on the page
# (8 mm beyond the 版心 on the left, 6 mm on the right, the margins being 28 and 26 mm), the foot one 20 mm
# above the page's bottom.
LETTER_MARK_TOP_MM = 30.0
LETTER_HEADER_MM = 15.0  # the first-page header's top, where the mark's paragraph starts
LETTER_MARK_MAX_SIZE = 36.0  # 小初: a letter's mark is smaller than a 文件's
LETTER_RULE_OUT_LEFT_MM, LETTER_RULE_OUT_RIGHT_MM = 8.0, 6.0
LETTER_FOOT_RULE_MM = 20.0
DOUBLE_RULE = 24  # 3 pt, in 1/8 pt: the double line's whole weight


def title_lines(title: str, doc_type: str) -> list[str]:
    """The title's lines: a long one breaks before the 的 that leads to its 文种 and nowhere else (Word wraps
    what is still too long). To be replaced by the rule shared with the PDF (app.core.document_title)."""
    ending = "的" + doc_type
    cut = title.rfind(ending)
    if width_in_chars(title) <= TITLE_BREAK_FROM or cut <= 0 or not doc_type:
        return [title]
    return [title[:cut], title[cut:]]


# ---- page, styles, grid -----------------------------------------------------------------------------------


def set_up_page(document: DocxDocument) -> Section:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(A4_WIDTH), Twips(A4_HEIGHT)
    section.top_margin, section.left_margin = Twips(TOP), Twips(LEFT)
    section.right_margin, section.bottom_margin = Twips(RIGHT), Twips(BOTTOM)
    # §7.5: the page number's line 7 mm below the type area; the footer's foot is a 四号 line below that.
    section.footer_distance = Mm(35 - 7) - Pt(NOTE_SIZE * 1.3)
    section.header_distance = Mm(15)
    set_document_grid(section, LINES_PER_PAGE)
    normal = document.styles["Normal"]
    set_style_font(normal, FANG_FONT, BODY_SIZE)
    condense_characters(normal, section, CHARS_PER_LINE, BODY_SIZE)
    form = normal.paragraph_format
    form.space_before = form.space_after = Pt(0)
    form.line_spacing_rule = WD_LINE_SPACING.SINGLE  # one line of the grid
    form.widow_control = False  # a full page keeps all 22 lines
    set_chinese_defaults(document, FANG_FONT)
    add_font_alternatives(document)
    return section


def char_twips() -> int:
    """One character of the grid: the type area's width over 28."""
    return TYPE_AREA_TWIPS // CHARS_PER_LINE


def blank_lines(document: DocxDocument, count: int) -> None:
    for _ in range(count):
        document.add_paragraph()


def red_rule_under(paragraph: Paragraph) -> None:
    set_paragraph_border(paragraph, "bottom", RED_HEX, RED_RULE, RULE_GAP_PT)


# ---- 版头 ---------------------------------------------------------------------------------------------------


def add_top_left_marks(document: DocxDocument, data: OfficialDocumentData) -> int:
    """份号, 密级和保密期限 and 紧急程度 at the top left, each on a line (§7.2.1–7.2.3). Returns the lines used."""
    lines = 0
    for text, font in ((data.copy_number, FANG_FONT), (data.secrecy, HEI_FONT), (data.urgency, HEI_FONT)):
        if text:
            add_text_paragraph(document, text, font, alignment=WD_ALIGN_PARAGRAPH.LEFT)
            lines += 1
    return lines


def mark_size(mark: str, largest: float = MARK_MAX_SIZE) -> float:
    """The mark's size in points: as large as fits nine tenths of the 版心's width, at most ``largest``."""
    width_pt = TYPE_AREA_TWIPS / 20
    return float(min(largest, int(0.9 * width_pt / max(width_in_chars(mark), 1))))


def add_issuer_mark(document: DocxDocument, mark: str, lines_above: int) -> Paragraph:
    """The 发文机关标志 (or the 纪要标志) red and centred, its top 35 mm below the type area's top."""
    size = mark_size(mark)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    keep_off_grid(paragraph)
    line_pitch_mm = 225 / LINES_PER_PAGE
    paragraph.paragraph_format.space_before = Mm(max(0.0, MARK_TOP_MM - lines_above * line_pitch_mm))
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(size * 1.15)
    set_run_font(paragraph.add_run(mark), TITLE_FONT, size, color=RED)
    return paragraph


def add_number_line_down(document: DocxDocument, doc_number: str) -> Paragraph:
    """§7.2.5: a 下行文's 发文字号 centred two lines below the mark."""
    blank_lines(document, 2)
    return add_text_paragraph(document, doc_number, alignment=WD_ALIGN_PARAGRAPH.CENTER)


def add_number_line_up(document: DocxDocument, doc_number: str, signers: tuple[str, ...]) -> Paragraph:
    """§7.2.7: a 上行文's 发文字号 one character in from the left and 签发人：name one character in from the
    right, on the same line (tab stops, so the clerk can retype either); several 签发人 one under another, the
    发文字号 on the last one's line."""
    blank_lines(document, 2)
    one_char = char_twips()
    paragraph: Paragraph | None = None
    for index, name in enumerate(signers):
        last = index == len(signers) - 1
        paragraph = document.add_paragraph()
        add_tab_stop(paragraph, one_char, "left")
        add_tab_stop(paragraph, TYPE_AREA_TWIPS - one_char, "right")
        set_run_font(paragraph.add_run("\t" + (doc_number if last else "") + "\t"), FANG_FONT, BODY_SIZE)
        if index == 0:
            set_run_font(paragraph.add_run("签发人："), FANG_FONT, BODY_SIZE)
        set_run_font(paragraph.add_run(name), KAI_FONT, BODY_SIZE)
    assert paragraph is not None
    return paragraph


def add_minutes_number_line(document: DocxDocument, data: OfficialDocumentData) -> Paragraph:
    """A 纪要's 期号 centred under its mark, then its issuer at the left and date at the right above the rule."""
    blank_lines(document, 1)
    if data.doc_number:
        add_text_paragraph(document, data.doc_number, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph = document.add_paragraph()
    one_char = char_twips()
    add_tab_stop(paragraph, one_char, "left")
    add_tab_stop(paragraph, TYPE_AREA_TWIPS - one_char, "right")
    issuer = "、".join(data.issuer_names)
    set_run_font(paragraph.add_run(f"\t{issuer}\t{format_cn_date(data.signed_on)}"), FANG_FONT, BODY_SIZE)
    return paragraph


def add_masthead(document: DocxDocument, data: OfficialDocumentData) -> None:
    lines = add_top_left_marks(document, data)
    add_issuer_mark(document, data.issuer_mark, lines)
    if data.layout == "minutes":
        last = add_minutes_number_line(document, data)
    elif data.layout == "up":
        last = add_number_line_up(document, data.doc_number, data.signers)
    else:
        last = add_number_line_down(document, data.doc_number)
    red_rule_under(last)


def bottom_border(paragraph: Paragraph) -> BaseOxmlElement:
    """The paragraph's w:pBdr/w:bottom, set by set_paragraph_border."""
    return paragraph._p.get_or_add_pPr().find(qn("w:pBdr")).find(qn("w:bottom"))


def double_rule(paragraph: Paragraph, style: str) -> None:
    """A red double line (Word's thickThinSmallGap: thick over thin; thinThickSmallGap: thin over thick) under
    the paragraph, which stands out of the 版心 so that the line is 170 mm long and centred on the page."""
    set_paragraph_border(paragraph, "bottom", RED_HEX, DOUBLE_RULE, 0)
    bottom_border(paragraph).set(qn("w:val"), style)
    paragraph.paragraph_format.left_indent = Mm(-LETTER_RULE_OUT_LEFT_MM)
    paragraph.paragraph_format.right_indent = Mm(-LETTER_RULE_OUT_RIGHT_MM)


def add_letter_head(document: DocxDocument, section: Section, data: OfficialDocumentData) -> None:
    """§10.1 with Word's means: the first page has its own header and footer (w:titlePg). The header holds
    the mark, red and centred, its top about 30 mm from the page's top (the header starts 15 mm down, the
    paragraph 15 mm below that, less the exact line's lead above the glyphs), and the thick-over-thin double
    line 4 mm under it; Word moves the first page's text down below that header. The footer holds the
    thin-over-thick double line, its lower edge 20 mm above the page's bottom, and no page number. In the body:
    份号, 密级 and 紧急程度 flush left (one a line), the 发文字号 flush right on the first of those lines."""
    section.different_first_page_header_footer = True
    section.header_distance = Mm(LETTER_HEADER_MM)
    header = section.first_page_header
    header.is_linked_to_previous = False
    size = mark_size(data.issuer_mark, LETTER_MARK_MAX_SIZE)
    mark = header.paragraphs[0]
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    keep_off_grid(mark)
    lead = size * 0.15  # the exact line's room above the glyphs
    mark.paragraph_format.space_before = Mm(LETTER_MARK_TOP_MM - LETTER_HEADER_MM) - Pt(lead)
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    mark.paragraph_format.line_spacing = Pt(size * 1.15)
    set_run_font(mark.add_run(data.issuer_mark), TITLE_FONT, size, color=RED)
    double_rule(mark, "thickThinSmallGap")
    bottom_border(mark).set(qn("w:space"), str(RULE_GAP_PT))  # 4 mm under the mark
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    foot = footer.paragraphs[0]
    keep_off_grid(foot)
    foot.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    foot.paragraph_format.line_spacing = Pt(1)
    double_rule(foot, "thinThickSmallGap")
    # The footer's foot (and the rule's lower edge) at 20 mm; the page numbers of later pages keep their place
    # 7 mm under the 版心 by standing that much higher in their footers (add_page_numbers).
    section.footer_distance = Mm(LETTER_FOOT_RULE_MM)
    # 7/8 of a 三号 character between the double line and the 发文字号's line (§10.1).
    # The fonts of add_top_left_marks: the 份号 in 仿宋, 密级 and 紧急程度 in 黑体.
    fonts = ((data.copy_number, FANG_FONT), (data.secrecy, HEI_FONT), (data.urgency, HEI_FONT))
    marks = [(text, font) for text, font in fonts if text]
    rows = max(len(marks), 1)
    for index in range(rows):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(BODY_SIZE * 7 / 8) if index == 0 else Pt(0)
        add_tab_stop(paragraph, TYPE_AREA_TWIPS, "right")
        if index < len(marks):
            text, font = marks[index]
            set_run_font(paragraph.add_run(text), font, BODY_SIZE)
        if index == 0 and data.doc_number:
            set_run_font(paragraph.add_run(f"\t{data.doc_number}"), FANG_FONT, BODY_SIZE)


def add_letter_record(document: DocxDocument, data: OfficialDocumentData) -> None:
    """A letter's 版记 (§10.1): 抄送 alone, without 印发机关, 印发日期 or rules, at the foot of the last page."""
    if not data.copy_to.strip():
        return
    table = document.add_table(rows=1, cols=1)
    set_table_full_width(table._tbl)
    one_char = round(NOTE_SIZE * 20)
    set_cell_margins(table._tbl, one_char, one_char)
    set_table_borders(table._tbl, {})
    float_table_to_page_foot(table._tbl)
    paragraph = table.rows[0].cells[0].paragraphs[0]
    set_indent_chars(paragraph, NOTE_SIZE, left=3, hanging=3)
    organs = data.copy_to.strip().rstrip("。，,.")
    set_run_font(paragraph.add_run(f"抄送：{organs}。"), FANG_FONT, NOTE_SIZE)
    document.add_paragraph()  # the floating table's anchor


# ---- 主体 ---------------------------------------------------------------------------------------------------


def add_title(document: DocxDocument, title: str, doc_type: str, space_before: int = 2) -> Paragraph:
    """§7.3.1: the title in 二号小标宋, centred, two lines below the red rule; broken only by hand, with line
    breaks inside the one paragraph, so the clerk edits it as one title."""
    blank_lines(document, space_before)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(title_lines(title, doc_type)):
        run = paragraph.add_run(line)
        set_run_font(run, TITLE_FONT, TITLE_SIZE)
        if index:
            run._r.insert(run._r.index(run._r.find(qn("w:t"))), run._r.makeelement(qn("w:br"), {}))
    return paragraph


def add_attachment_list(document: DocxDocument, attachments: tuple[OfficialAttachment, ...]) -> None:
    """§7.3.4: 附件说明 one line below the body, two characters in: "附件：" then the names, several numbered
    1. 2. …, without closing punctuation; the numbers stand under one another and a name's second line starts
    under its first character (hanging indents, so the clerk's edits keep the alignment)."""
    if not attachments:
        return
    blank_lines(document, 1)
    numbered = len(attachments) > 1
    for index, attachment in enumerate(attachments, start=1):
        name = attachment.name.rstrip("。；;，,")
        number = f"{index}．" if numbered else ""
        label = "附件：" if index == 1 else ""
        hang = width_in_chars(label + number)
        paragraph = document.add_paragraph()
        set_indent_chars(paragraph, BODY_SIZE, left=5 + width_in_chars(number), hanging=hang)
        set_run_font(paragraph.add_run(label + number + name), FANG_FONT, BODY_SIZE)


def add_signature(document: DocxDocument, data: OfficialDocumentData) -> None:
    """§7.3.5: with a seal, the 成文日期 four characters in from the right and each 署名 centred over it, room
    left above for the seal; without one, the 署名 two characters in and the date two characters further on."""
    date_text = format_cn_date(data.signed_on)
    date_width = width_in_chars(date_text)
    blank_lines(document, 3 if data.sealed else 1)
    for name in data.issuer_names:
        name_width = width_in_chars(name)
        if data.sealed:
            right = max(0.0, 4 + (date_width - name_width) / 2)
        else:
            right = 2.0
        paragraph = add_text_paragraph(document, name, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
        set_indent_chars(paragraph, BODY_SIZE, right=right)
    if data.sealed:
        date_right = 4.0
    else:
        widest = max((width_in_chars(name) for name in data.issuer_names), default=date_width)
        date_right = max(0.0, widest - date_width)
    paragraph = add_text_paragraph(document, date_text, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
    set_indent_chars(paragraph, BODY_SIZE, right=date_right)


def add_note(document: DocxDocument, note: str) -> None:
    """§7.3.6: the 附注 two characters in, in round brackets, on the line below the 成文日期."""
    if note:
        text = note if note.startswith("（") else f"（{note}）"
        add_text_paragraph(document, text, first_line_chars=2)


def add_minutes_people(document: DocxDocument, data: OfficialDocumentData) -> None:
    """§10.3: 出席, 请假 and 列席 in 黑体 two characters in, the names in 仿宋 after the colon; a wrapped line
    starts under the first name."""
    people = data.minutes_people
    rows = [(label, names) for label, names in (("出席", people.present), ("请假", people.absent), ("列席", people.attending)) if names]
    if not rows:
        return
    blank_lines(document, 1)
    for label, names in rows:
        paragraph = document.add_paragraph()
        set_indent_chars(paragraph, BODY_SIZE, left=5, hanging=3)
        set_run_font(paragraph.add_run(f"{label}："), HEI_FONT, BODY_SIZE)
        set_run_font(paragraph.add_run(names), FANG_FONT, BODY_SIZE)


def add_attachment_pages(document: DocxDocument, attachments: tuple[OfficialAttachment, ...]) -> None:
    """§8: each 附件 with a body on a new page: 附件N in 黑体 at the top left, its title centred below, then its
    body. A 附件 without one is printed from its own file."""
    numbered = len(attachments) > 1
    for index, attachment in enumerate(attachments, start=1):
        if attachment.body is None:
            continue
        label = f"附件{index}" if numbered else "附件"
        paragraph = add_text_paragraph(document, label, HEI_FONT, alignment=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.page_break_before = True
        add_title(document, attachment.name, "", space_before=0)
        blank_lines(document, 1)
        add_body(document, attachment.body)


# ---- 版记 and page numbers ----------------------------------------------------------------------------------


def add_closing_block(document: DocxDocument, data: OfficialDocumentData) -> None:
    """§7.4: the 版记 at the foot of the last page: 抄送 (a 纪要's 分送) and 印发机关/印发日期 in 四号仿宋,
    between a thick rule above and below and thin ones between, one character in on either side. A table
    anchored to the page's foot, so that it stays there while the clerk edits the text above."""
    label = "分送" if data.layout == "minutes" else "抄送"
    rows: list[str] = []
    if data.copy_to:
        rows.append(f"{label}：{data.copy_to}")
    rows.append(f"{data.printer}\t{format_cn_date(data.printed_on)}印发")
    table = document.add_table(rows=len(rows), cols=1)
    set_table_full_width(table._tbl)
    one_char = round(NOTE_SIZE * 20)
    set_cell_margins(table._tbl, one_char, one_char)
    set_table_borders(table._tbl, {"top": THICK_RULE, "bottom": THICK_RULE, "insideH": THIN_RULE})
    float_table_to_page_foot(table._tbl)
    for text, row in zip(rows, table.rows, strict=True):
        paragraph = row.cells[0].paragraphs[0]
        if text.startswith(label):
            # The names run on under the first one, after "抄送：".
            set_indent_chars(paragraph, NOTE_SIZE, left=3, hanging=3)
        else:
            add_tab_stop(paragraph, TYPE_AREA_TWIPS - 2 * one_char, "right")
        set_run_font(paragraph.add_run(text), FANG_FONT, NOTE_SIZE)
    document.add_paragraph()  # the floating table's anchor


def add_page_numbers(document: DocxDocument, section: Section, raise_by: Length | None = None) -> None:
    """§7.5: "— N —" in 四号 宋体 one character in from the outer edge: right on odd pages, left on even ones;
    ``raise_by`` above the footer's foot when the footer starts lower than the standard's (a letter's)."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        keep_off_grid(paragraph)
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            set_indent_chars(paragraph, NOTE_SIZE, right=1)
        else:
            set_indent_chars(paragraph, NOTE_SIZE, left=1)
        if raise_by is not None:
            paragraph.paragraph_format.space_after = raise_by
        set_run_font(paragraph.add_run("— "), SONG_FONT, NOTE_SIZE)
        add_page_field(paragraph, SONG_FONT, NOTE_SIZE)
        set_run_font(paragraph.add_run(" —"), SONG_FONT, NOTE_SIZE)


# ---- the whole -----------------------------------------------------------------------------------------------


def check_complete(data: OfficialDocumentData) -> None:
    """What GB/T 9704 requires and the layout cannot do without, said so the clerk knows what to fill in."""
    if data.layout == "up" and not data.signers:
        raise ValidationError("上行文应当标注签发人：请在发文稿纸上填写签发人后再排版", field="signers")
    if data.layout != "minutes" and not data.issuer_names:
        raise ValidationError("公文应当有发文机关署名：请填写发文机关后再排版", field="issuer_names")


def official_docx(data: OfficialDocumentData) -> bytes:
    """The 公文 in ``data`` as the bytes of a .docx laid out to GB/T 9704-2012, for WPS and Word.

    Raises ValidationError when the data lacks what the layout needs (an 上行文's 签发人, the 署名)."""
    check_complete(data)
    document = Document()
    section = set_up_page(document)
    document.core_properties.title = data.title
    document.core_properties.author = data.printer
    standard_footer = section.footer_distance
    letter = data.layout == "letter"
    if letter:
        add_letter_head(document, section, data)
    else:
        add_masthead(document, data)
    add_title(document, data.title, data.doc_type)
    if data.main_recipients and data.layout != "minutes":
        blank_lines(document, 1)
        add_text_paragraph(document, f"{data.main_recipients}：", alignment=WD_ALIGN_PARAGRAPH.LEFT)
    elif data.layout == "minutes":
        blank_lines(document, 1)
    add_body(document, data.body)
    add_attachment_list(document, data.attachments)
    if data.layout == "minutes":
        add_minutes_people(document, data)
    else:
        add_signature(document, data)
    add_note(document, data.note)
    add_attachment_pages(document, data.attachments)
    if letter:
        add_letter_record(document, data)
        assert standard_footer is not None and section.footer_distance is not None
        add_page_numbers(document, section, Emu(standard_footer - section.footer_distance))
    else:
        add_closing_block(document, data)
        add_page_numbers(document, section)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
