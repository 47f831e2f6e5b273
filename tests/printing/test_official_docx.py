"""The 公文 as .docx (docx_export.official_docx), read back with python-docx and as XML: GB/T 9704's page and
grid, the fonts by name, the red 版头, the 文号 of 下行文 and 上行文, the levels' fonts, tables, pictures, the
附件 on a page of their own, the 版记, the page numbers, the 纪要, the 函's 信函格式, and every sample's text."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from app.core.document_body import Body, BodyImage, BodyParagraph, BodyTable, CellSpan
from app.core.errors import ValidationError
from app.printing.documents.official.data import OfficialDocumentData
from app.printing.documents.official.docx_body import heading_and_rest
from app.printing.documents.official.docx_export import official_docx, title_lines
from app.printing.documents.official.docx_xml import PPR_ORDER, TBLPR_ORDER
from app.printing.kit.page import format_cn_date
from tests.helpers.official_samples import down_going, letter, minutes, png, up_going


def read(data: OfficialDocumentData) -> DocxDocument:
    return Document(io.BytesIO(official_docx(data)))


def all_paragraphs(document: DocxDocument) -> list[Paragraph]:
    """Every paragraph of the body in order, those in table cells included."""
    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def paragraph_with(document: DocxDocument, text: str) -> Paragraph:
    found = [p for p in all_paragraphs(document) if p.text == text]
    assert found, f"no paragraph reads {text!r}"
    return found[0]


def index_of(document: DocxDocument, text: str) -> int:
    return next(i for i, p in enumerate(all_paragraphs(document)) if text in p.text)


def east_asia_fonts(paragraph: Paragraph) -> list[str]:
    return [run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs if run.text]


def indent(paragraph: Paragraph, attribute: str) -> str | None:
    ind = paragraph._p.pPr.find(qn("w:ind")) if paragraph._p.pPr is not None else None
    return None if ind is None else ind.get(qn(f"w:{attribute}"))


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def test_the_page_is_a4_with_the_standards_margins() -> None:
    section = read(down_going()).sections[0]
    measures = {
        "width": (section.page_width, 210),
        "height": (section.page_height, 297),
        "top": (section.top_margin, 37),
        "left": (section.left_margin, 28),
        "right": (section.right_margin, 26),
        "bottom": (section.bottom_margin, 35),
    }
    for name, (length, millimetres) in measures.items():
        assert length is not None
        assert abs(length.mm - millimetres) < 0.1, name


def test_the_grid_holds_22_lines_of_28_characters_of_sanhao() -> None:
    document = read(down_going())
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    # A line grid only: LibreOffice spreads 28 characters over two lines on a character grid (docx_xml).
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
    area_height = Mm(225).twips
    line_pitch = int(grid.get(qn("w:linePitch")))
    # 22 lines fit the 225 mm type area, and a 23rd would not.
    assert 22 * line_pitch <= area_height < 23 * line_pitch
    assert area_height - 22 * line_pitch < 22
    width_pt = (section.page_width.twips - section.left_margin.twips - section.right_margin.twips) / 20
    normal = document.styles["Normal"]
    condensed = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    pitch = 16 + condensed  # each character of 三号 and the spacing after it
    assert 28 * pitch <= width_pt < 28 * pitch + 2  # the 28th character fits, with less than 2 pt to spare
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_fonts_are_named_for_chinese_text_with_fallbacks_in_the_font_table() -> None:
    data = official_docx(down_going())
    document = Document(io.BytesIO(data))
    title = paragraph_with(document, "青山县人民政府办公室关于做好2027年元旦春节期间安全生产工作\n的通知")
    for run in title.runs:
        fonts = run._r.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "方正小标宋简体"
        assert run.font.size.pt == 22
    recipients = paragraph_with(document, "各乡镇人民政府，县政府各部门：")
    assert east_asia_fonts(recipients) == ["仿宋_GB2312"]
    assert recipients.alignment == WD_ALIGN_PARAGRAPH.LEFT and indent(recipients, "firstLineChars") is None
    fonts = part_xml(data, "word/fontTable.xml")
    alternatives = {
        font.get(qn("w:name")): font.find(qn("w:altName")).get(qn("w:val"))
        for font in fonts.iter(qn("w:font"))
        if font.find(qn("w:altName")) is not None
    }
    assert alternatives["仿宋_GB2312"] == "仿宋" and alternatives["楷体_GB2312"] == "楷体"
    # Unstyled text is Chinese in 仿宋, not the template's Japanese theme font.
    defaults = part_xml(data, "word/styles.xml").find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsiaTheme")) is None
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert part_xml(data, "word/settings.xml").find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"


def test_the_mark_is_red_and_centred_and_the_rule_under_the_number_is_red() -> None:
    data = down_going()
    document = read(data)
    mark = paragraph_with(document, data.issuer_mark)
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [str(run.font.color.rgb) for run in mark.runs] == ["FF0000"]
    assert east_asia_fonts(mark) == ["方正小标宋简体"]
    number = paragraph_with(document, data.doc_number)
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000" and rule.get(qn("w:val")) == "single"
    assert number._p.pPr.find(qn("w:ind")) is None  # the rule runs the 版心's full width
    # 紧急程度 at the top left, before the mark; the mark, number and rule before the title.
    assert paragraph_with(document, "特急").alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert index_of(document, "特急") < index_of(document, data.issuer_mark) < index_of(document, data.doc_number)
    assert index_of(document, data.doc_number) < index_of(document, "安全生产工作\n的通知")


def test_an_up_going_number_sits_left_with_the_signer_right_on_the_same_line() -> None:
    data = up_going()
    document = read(data)
    line = paragraph_with(document, "\t青政〔2026〕8号\t签发人：陈建国")
    tabs = {tab.get(qn("w:val")): int(tab.get(qn("w:pos"))) for tab in line._p.pPr.find(qn("w:tabs"))}
    type_area = Mm(156).twips
    assert 300 < tabs["left"] < 330  # one character in
    assert type_area - 330 < tabs["right"] < type_area - 300
    assert line.runs[-1].text == "陈建国" and east_asia_fonts(line)[-1] == "楷体_GB2312"
    rule = line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    # A 下行文 names no 签发人.
    assert not [p for p in all_paragraphs(read(down_going())) if "签发人" in p.text]


def test_several_signers_stand_one_under_another_with_the_number_on_the_last_line() -> None:
    data = dataclasses.replace(up_going(), signers=("陈建国", "李华"))
    texts = [p.text for p in all_paragraphs(read(data))]
    first = texts.index("\t\t签发人：陈建国")
    assert texts[first + 1] == "\t青政〔2026〕8号\t李华"


def test_a_document_missing_its_signer_or_signature_is_refused_with_what_to_fill_in() -> None:
    with pytest.raises(ValidationError, match="签发人") as refused:
        official_docx(dataclasses.replace(up_going(), signers=()))
    assert refused.value.field == "signers"
    with pytest.raises(ValidationError, match="发文机关署名"):
        official_docx(dataclasses.replace(down_going(), issuer_names=()))
    assert official_docx(dataclasses.replace(minutes(), issuer_names=()))  # a 纪要 has no 署名


def test_structure_levels_take_their_fonts_and_paragraphs_their_indent() -> None:
    document = read(down_going())
    assert east_asia_fonts(paragraph_with(document, "一、提高思想认识，压实安全责任")) == ["黑体"]
    assert east_asia_fonts(paragraph_with(document, "（一）落实属地管理责任。")) == ["楷体_GB2312"]
    assert east_asia_fonts(paragraph_with(document, "1. 道路交通安全。")) == ["仿宋_GB2312"]
    assert east_asia_fonts(paragraph_with(document, "（1）加强重点路段管控。")) == ["仿宋_GB2312"]
    plain = paragraph_with(document, "在临水临崖、急弯陡坡等重点路段设置警示标志，必要时安排专人值守。")
    assert indent(plain, "firstLineChars") == "200"
    assert plain.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def test_a_heading_running_on_into_its_paragraph_keeps_the_rest_in_fangsong() -> None:
    assert heading_and_rest("（一）落实属地管理责任。各乡镇要排查。") == ("（一）落实属地管理责任。", "各乡镇要排查。")
    assert heading_and_rest("一、提高思想认识") == ("一、提高思想认识", "")
    data = dataclasses.replace(down_going(), body=Body((BodyParagraph("（一）落实责任。各乡镇要排查。", 2),)))
    document = read(data)
    assert east_asia_fonts(paragraph_with(document, "（一）落实责任。各乡镇要排查。")) == ["楷体_GB2312", "仿宋_GB2312"]


def test_a_centred_paragraph_stays_centred_without_an_indent() -> None:
    data = dataclasses.replace(down_going(), body=Body((BodyParagraph("（此页无正文）", 0, "center"),)))
    paragraph = paragraph_with(read(data), "（此页无正文）")
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert indent(paragraph, "firstLineChars") is None


def test_a_table_is_a_word_table_with_borders_and_its_header_repeating() -> None:
    data = down_going()
    table = read(data).tables[0]
    source = data.body.blocks[11]
    assert isinstance(source, BodyTable)
    # python-docx gives a merged cell at every place of the grid it covers.
    covered = [tuple(source.rows[s.row][s.column] if (s := source.span_at(r, c)) else text for c, text in enumerate(row))
               for r, row in enumerate(source.rows)]  # fmt: skip
    assert [tuple(cell.text for cell in row.cells) for row in table.rows] == covered
    assert covered[0] == ("序号", "检查安排", "检查安排", "完成时限") and covered[1][0] == "序号"
    header_flags = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert header_flags == [True, True, False, False, False]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert east_asia_fonts(table.rows[0].cells[0].paragraphs[0]) == ["黑体"]
    # Short columns (序号, 完成时限) centred; the 牵头单位 column, with longer names, flush left.
    alignments = [cell.paragraphs[0].alignment for cell in table.rows[2].cells]
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    assert alignments == [center, center, justify, center]
    assert {cell.paragraphs[0].alignment for cell in table.rows[0].cells} == {center}


def cell_merges(row: etree._Element) -> list[tuple[str, str | None, str]]:
    """Each w:tc of a table row as Word wrote it: (w:gridSpan, w:vMerge's value or None without one, text)."""
    found: list[tuple[str, str | None, str]] = []
    for tc in row.findall(qn("w:tc")):
        span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
        vmerge = None if merge is None else merge.get(qn("w:val"), "continue")
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        found.append(("1" if span is None else span.get(qn("w:val")), vmerge, text))
    return found


def test_merged_cells_are_merged_in_word_with_their_text_once() -> None:
    table = BodyTable(
        (("单位", "检查情况", ""), ("", "检查企业", "整改隐患"), ("城关镇", "12", "7"), ("", "9", ""), ("青山镇", "5", "")),
        header_rows=1,
        spans=(CellSpan(0, 1, columns=2), CellSpan(0, 0, rows=2), CellSpan(2, 0, rows=2)),
    )
    data = dataclasses.replace(down_going(), body=Body((table,)), attachments=())
    word_table = read(data).tables[0]
    rows = [cell_merges(row._tr) for row in word_table.rows]
    assert rows == [
        [("1", "restart", "单位"), ("2", None, "检查情况")],
        [("1", "continue", ""), ("1", None, "检查企业"), ("1", None, "整改隐患")],
        [("1", "restart", "城关镇"), ("1", None, "12"), ("1", None, "7")],
        [("1", "continue", ""), ("1", None, "9"), ("1", None, "")],
        [("1", None, "青山镇"), ("1", None, "5"), ("1", None, "")],
    ]
    # The merged cells hold their text in one paragraph, centred; the heading of one row grows to take in
    # 单位, two rows high, so both rows repeat on a new page.
    for cell in (word_table.cell(0, 0), word_table.cell(0, 1), word_table.cell(2, 0)):
        assert len(cell.paragraphs) == 1 and cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    header_flags = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in word_table.rows]
    assert header_flags == [True, True, False, False, False]


def test_a_picture_keeps_its_size_and_a_wide_one_shrinks_to_the_type_area() -> None:
    shapes = read(down_going()).inline_shapes
    assert len(shapes) == 1
    assert abs(shapes[0].width.mm - 120) < 0.1 and abs(shapes[0].height.mm - 60) < 0.1
    wide = dataclasses.replace(down_going(), body=Body((BodyImage(png(400, 100), 200.0, 50.0, "宽图"),)), attachments=())
    shape = read(wide).inline_shapes[0]
    assert abs(shape.width.mm - 156) < 0.1 and abs(shape.height.mm - 39) < 0.1
    tall = dataclasses.replace(wide, body=Body((BodyImage(png(100, 400), 100.0, 450.0, "长图"),)))
    shape = read(tall).inline_shapes[0]
    assert abs(shape.height.mm - 225) < 0.1 and abs(shape.width.mm - 50) < 0.1
    # Without a size from the draft, the picture's own (240 × 120 px at 72 dpi: 84.7 × 42.3 mm).
    unsized = dataclasses.replace(wide, body=Body((BodyImage(png(), 0.0, 0.0, "图"),)))
    shape = read(unsized).inline_shapes[0]
    assert abs(shape.width.mm - 240 / 72 * 25.4) < 0.1 and abs(shape.height.mm - 120 / 72 * 25.4) < 0.1


def test_attachments_are_listed_and_a_typeset_one_starts_a_page_with_its_number() -> None:
    data = down_going()
    document = read(data)
    texts = [p.text for p in all_paragraphs(document)]
    first = paragraph_with(document, "附件：1．青山县2027年元旦春节期间值班安排表")
    second = paragraph_with(document, "2．青山县节日期间安全检查工作方案")
    # "附件：" two characters in; the names start 6.5 characters in ("1．" is one and a half wide).
    assert (indent(first, "leftChars"), indent(first, "hangingChars")) == ("650", "450")
    assert (indent(second, "leftChars"), indent(second, "hangingChars")) == ("650", "150")
    label = paragraph_with(document, "附件1")
    assert label.paragraph_format.page_break_before is True
    assert east_asia_fonts(label) == ["黑体"] and label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    after = texts[texts.index("附件1") + 1]
    assert after == "青山县2027年元旦春节期间值班安排表"
    assert "附件2" not in texts  # named only: printed from its own file
    assert [c.text for c in document.tables[1].rows[0].cells] == ["单位", "值班电话", "带班领导"]
    # The 附件 follows the signature and note; the 版记 follows the 附件.
    assert index_of(document, "（此件公开发布）") < index_of(document, "附件1") < index_of(document, "印发")


def test_a_single_attachment_goes_unnumbered() -> None:
    data = down_going()
    document = read(dataclasses.replace(data, attachments=data.attachments[:1]))
    listed = paragraph_with(document, "附件：青山县2027年元旦春节期间值班安排表")
    assert (indent(listed, "leftChars"), indent(listed, "hangingChars")) == ("500", "300")
    assert paragraph_with(document, "附件").paragraph_format.page_break_before is True
    assert "附件1" not in [p.text for p in all_paragraphs(document)]


def test_the_signature_is_centred_over_the_date_four_characters_in_and_the_note_follows() -> None:
    document = read(down_going())
    date_line = paragraph_with(document, "2026年12月20日")
    assert date_line.alignment == WD_ALIGN_PARAGRAPH.RIGHT and indent(date_line, "rightChars") == "400"
    name = paragraph_with(document, "青山县人民政府办公室")
    # The date is 7 characters wide (its digits are half), the name 10: the name stands 1.5 characters out.
    assert indent(name, "rightChars") == "250"
    note = paragraph_with(document, "（此件公开发布）")
    assert indent(note, "firstLineChars") == "200"
    assert index_of(document, "2026年12月20日") < index_of(document, "（此件公开发布）")


def test_the_closing_block_sits_at_the_pages_foot_between_rules() -> None:
    document = read(down_going())
    block = document.tables[-1]
    texts = [row.cells[0].text for row in block.rows]
    assert texts == ["抄送：县委办公室，县人大常委会办公室，县政协办公室", "青山县人民政府办公室\t2026年12月21日印发"]
    properties = block._tbl.tblPr
    assert properties.find(qn("w:tblpPr")).get(qn("w:tblpYSpec")) == "bottom"
    borders = {b.tag.split("}")[1]: (b.get(qn("w:val")), b.get(qn("w:sz"))) for b in properties.find(qn("w:tblBorders"))}
    assert borders["top"] == borders["bottom"] == ("single", "8")
    assert borders["insideH"] == ("single", "6")
    assert borders["left"][0] == borders["insideV"][0] == "nil"
    assert east_asia_fonts(block.rows[0].cells[0].paragraphs[0]) == ["仿宋_GB2312"]


def test_page_numbers_stand_outside_on_odd_and_even_pages() -> None:
    data = official_docx(down_going())
    document = Document(io.BytesIO(data))
    assert document.settings.odd_and_even_pages_header_footer
    settings = part_xml(data, "word/settings.xml")
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        assert paragraph.text == "— 1 —"  # the field's cached result between the dashes
        instructions = [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == [" PAGE "]
        kinds = [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
    references = {r.get(qn("w:type")) for r in section._sectPr.iter(qn("w:footerReference"))}
    assert references == {"default", "even"}


def test_minutes_have_their_mark_number_people_and_no_signature() -> None:
    data = minutes()
    document = read(data)
    mark = paragraph_with(document, "青山县人民政府常务会议纪要")
    assert [str(run.font.color.rgb) for run in mark.runs] == ["FF0000"]
    assert paragraph_with(document, "第12期").alignment == WD_ALIGN_PARAGRAPH.CENTER
    for label, names in (("出席", data.minutes_people.present), ("请假", data.minutes_people.absent), ("列席", data.minutes_people.attending)):
        line = paragraph_with(document, f"{label}：{names}")
        assert east_asia_fonts(line) == ["黑体", "仿宋_GB2312"]
        assert indent(line, "leftChars") == "500" and indent(line, "hangingChars") == "300"
    assert not [p for p in all_paragraphs(document) if p.text == "青山县人民政府"]  # no 署名
    # No 主送: the body follows the title after one blank line.
    texts = [p.text for p in all_paragraphs(document)]
    after_title = texts[texts.index(data.title) + 1 : texts.index(data.title) + 3]
    assert after_title == ["", data.body.paragraphs[0].text]
    closing = [row.cells[0].text for row in document.tables[-1].rows]
    assert closing[0] == "分送：" + data.copy_to
    # The issuer and date line under the number carries the red rule.
    rule_lines = [p for p in all_paragraphs(document) if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None]
    assert [p.text for p in rule_lines] == ["\t青山县人民政府\t2026年12月11日"]


def test_a_short_title_stays_on_one_line_and_a_long_one_breaks_before_its_genre() -> None:
    assert title_lines("关于召开会议的通知", "通知") == ["关于召开会议的通知"]
    assert title_lines("青山县人民政府关于申请安排2027年农村公路提质改造专项资金的请示", "请示") == [
        "青山县人民政府关于申请安排2027年农村公路提质改造专项资金",
        "的请示",
    ]
    long_without = "青山县人民政府办公室关于印发青山县2027年元旦春节期间值班安排表通知"
    assert title_lines(long_without, "通知") == [long_without]


def sample_texts(data: OfficialDocumentData) -> list[str]:
    """Every piece of text the data holds that the document must show."""
    texts = [data.issuer_mark, data.doc_number, data.main_recipients, data.note, data.copy_to, data.printer]
    texts += [data.urgency, data.copy_number, *data.signers, *data.issuer_names]
    texts += [format_cn_date(data.printed_on), data.minutes_people.present, data.minutes_people.absent]
    texts += [data.minutes_people.attending, format_cn_date(data.signed_on)]
    bodies = [data.body] + [a.body for a in data.attachments if a.body is not None]
    texts += [a.name for a in data.attachments]
    for body in bodies:
        for block in body.blocks:
            if isinstance(block, BodyParagraph):
                texts.append(block.text)
            elif not isinstance(block, BodyImage):
                texts += [cell for row in block.rows for cell in row]
    return [text for text in texts if text]


@pytest.mark.parametrize("sample", [down_going, up_going, minutes])
def test_every_sample_opens_and_holds_all_its_text_in_schema_order(sample: object) -> None:
    data = sample()  # type: ignore[operator]
    raw = official_docx(data)
    document = Document(io.BytesIO(raw))
    whole = "\n".join(p.text for p in all_paragraphs(document)).replace("\n", "")
    missing = [text for text in sample_texts(data) if text not in whole]
    assert not missing
    assert data.title in whole
    # Word refuses a file whose properties stand out of the schema's order; check the ones written here.
    for element, order in ((qn("w:pPr"), PPR_ORDER), (qn("w:tblPr"), TBLPR_ORDER)):
        positions = {qn(tag): index for index, tag in enumerate(order)}
        for properties in document.element.body.iter(element):
            seen = [positions[child.tag] for child in properties if child.tag in positions]
            assert seen == sorted(seen), etree.tostring(properties)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_turns_it_into_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader

    source = tmp_path / "公文.docx"
    source.write_bytes(official_docx(down_going()))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pages = PdfReader(str(tmp_path / "公文.pdf")).pages
    assert len(pages) > 1  # the 附件 starts a page of its own


# ----- 信函格式 (GB/T 9704 §10.1) -------------------------------------------------------------------------


def test_a_letter_has_its_mark_and_double_line_in_the_first_page_header() -> None:
    document = read(letter())
    section = document.sections[0]
    assert section.different_first_page_header_footer
    (mark,) = section.first_page_header.paragraphs
    assert mark.text == "青山县人民政府办公室"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.font.color.rgb == RGBColor(0xFF, 0, 0) for run in mark.runs)
    # The mark's top about 30 mm from the page's top: the header's distance and the paragraph's space above,
    # less the exact line's lead.
    size = mark.runs[0].font.size.pt
    top = section.header_distance + mark.paragraph_format.space_before + Pt(size * 0.15)
    assert top / Mm(1) == pytest.approx(30.0, abs=0.1)
    border = mark._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:val")) == "thickThinSmallGap"
    assert border.get(qn("w:color")) == "FF0000"
    assert int(border.get(qn("w:space"))) == 11  # points: 4 mm under the mark
    # 170 mm, centred on the page: the 版心's 156 mm and 8 mm left, 6 mm right (margins 28 and 26 mm).
    left, right = mark.paragraph_format.left_indent, mark.paragraph_format.right_indent
    width = section.page_width - section.left_margin - section.right_margin - left - right
    assert width / Mm(1) == pytest.approx(170, abs=0.1)
    assert (section.left_margin + left) / Mm(1) == pytest.approx(20, abs=0.1)
    assert (section.page_width - section.right_margin - right) / Mm(1) == pytest.approx(190, abs=0.1)


def test_a_letters_first_footer_has_the_foot_double_line_20_mm_up_and_no_page_number() -> None:
    data = official_docx(letter())
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    (foot,) = section.first_page_footer.paragraphs
    assert foot.text == ""
    assert list(foot._p.iter(qn("w:instrText"))) == [], "no page number on the first page"
    border = foot._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (border.get(qn("w:val")), border.get(qn("w:color"))) == ("thinThickSmallGap", "FF0000")
    assert section.footer_distance / Mm(1) == pytest.approx(20, abs=0.05)
    assert foot.paragraph_format.left_indent / Mm(1) == pytest.approx(-8, abs=0.05)
    assert foot.paragraph_format.right_indent / Mm(1) == pytest.approx(-6, abs=0.05)
    references = {r.get(qn("w:type")) for r in section._sectPr.iter(qn("w:footerReference"))}
    assert references == {"default", "even", "first"}
    # Later pages keep their numbers 7 mm under the 版心: raised in the footer by what it was lowered.
    standard = read(down_going()).sections[0].footer_distance
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        raised = section.footer_distance + paragraph.paragraph_format.space_after
        assert raised == pytest.approx(standard, abs=Mm(0.05))


def test_a_letters_number_is_flush_right_under_the_double_line() -> None:
    document = read(dataclasses.replace(letter(), copy_number="000012", urgency="加急"))
    first = paragraph_with(document, "000012\t县政办函〔2026〕5号")
    stops = first._p.pPr.find(qn("w:tabs")).findall(qn("w:tab"))
    assert [(t.get(qn("w:val")), int(t.get(qn("w:pos")))) for t in stops] == [("right", 11906 - 1587 - 1474)]
    assert first.paragraph_format.space_before == Pt(14)  # 7/8 of a 三号 character
    assert east_asia_fonts(first) == ["仿宋_GB2312", "仿宋_GB2312"]
    second = all_paragraphs(document)[index_of(document, "000012") + 1]
    assert second.text == "加急"
    assert east_asia_fonts(second) == ["黑体"]
    plain = read(letter())
    assert all_paragraphs(plain)[0].text == "\t县政办函〔2026〕5号"


def test_a_letters_record_is_copy_to_alone_without_rules() -> None:
    document = read(letter())
    text = "\n".join(p.text for p in all_paragraphs(document))
    assert "印发" not in text and "文件" not in text
    block = document.tables[-1]
    assert [row.cells[0].text for row in block.rows] == ["抄送：江州市发展和改革委员会，县交通运输局，县财政局。"]
    properties = block._tbl.tblPr
    assert properties.find(qn("w:tblpPr")).get(qn("w:tblpYSpec")) == "bottom"
    borders = {b.get(qn("w:val")) for b in properties.find(qn("w:tblBorders"))}
    assert borders == {"nil"}
    assert read(dataclasses.replace(letter(), copy_to="")).tables == []


def test_a_letter_holds_all_its_text_in_schema_order() -> None:
    data = letter()
    document = read(data)
    section = document.sections[0]
    whole = "".join(p.text for p in all_paragraphs(document)) + section.first_page_header.paragraphs[0].text
    missing = [text for text in sample_texts(data) if text not in whole and text != data.printer]
    assert not missing
    for part in (section.first_page_header, section.first_page_footer):
        positions = {qn(tag): index for index, tag in enumerate(PPR_ORDER)}
        for properties in part._element.iter(qn("w:pPr")):
            seen = [positions[child.tag] for child in properties if child.tag in positions]
            assert seen == sorted(seen), etree.tostring(properties)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_numbers_a_letters_pages_from_the_second(tmp_path: Path) -> None:
    from pypdf import PdfReader

    source = tmp_path / "函.docx"
    source.write_bytes(official_docx(letter()))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    texts = ["".join(page.extract_text().split()) for page in PdfReader(str(tmp_path / "函.pdf")).pages]
    assert len(texts) >= 2
    assert texts[0].startswith("青山县人民政府办公室")  # the first page's header
    assert "—1—" not in texts[0]
    assert "—2—" in texts[1]
