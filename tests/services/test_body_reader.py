"""Reading a 公文's body from real .docx files (tests/helpers/docx_bodies.py): paragraphs with their levels,
tables and pictures where they stand, what cannot be kept named in ``dropped``, and every other file refused
with a message that says how to fix it (app.services.documents.body_reader)."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.parser import parse_xml

from app.core.document_body import (
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    LEVEL_4,
    PLAIN,
    BodyImage,
    BodyParagraph,
    BodyTable,
    CellSpan,
)
from app.core.errors import ValidationError
from app.services.documents import body_reader
from app.services.documents.body_reader import format_number, read_body
from tests.helpers import docx_bodies
from tests.helpers.official_samples import png


def refused(filename: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        read_body(filename, content)
    assert caught.value.field == "body"
    return caught.value.message


def test_four_levels_alignment_indent_and_line_breaks() -> None:
    body = read_body("定稿.docx", docx_bodies.levels())
    texts = [(p.text, p.level, p.align) for p in body.paragraphs]
    assert texts[:8] == [
        ("一、提高思想认识，压实安全责任", LEVEL_1, "justify"), (docx_bodies.PLAIN, PLAIN, "justify"),
        ("（一）落实属地管理责任。", LEVEL_2, "justify"), (docx_bodies.PLAIN, PLAIN, "justify"),
        ("1. 道路交通安全。", LEVEL_3, "justify"), (docx_bodies.PLAIN, PLAIN, "justify"),
        ("（1）加强重点路段管控。", LEVEL_4, "justify"), (docx_bodies.PLAIN, PLAIN, "justify"),
    ]
    # The indent typed with spaces goes (the typesetter indents), the empty paragraph is dropped, a centred
    # and a right-aligned line keep their alignment, and Shift+Enter ends a paragraph.
    assert texts[8:] == [
        ("首行用空格缩进的段落。", PLAIN, "justify"), ("居中的小标题", PLAIN, "center"),
        ("2026年12月6日", PLAIN, "right"), ("第一行", PLAIN, "justify"), ("第二行", PLAIN, "justify"),
    ]
    assert body.dropped == ()


def test_a_table_stands_between_its_paragraphs_with_merged_cells_given_once() -> None:
    body = read_body("定稿.docx", docx_bodies.merged_table())
    before, table, after = body.blocks
    assert before == BodyParagraph("表格前的段落。") and after == BodyParagraph("表格后的段落。")
    assert isinstance(table, BodyTable)
    assert table.rows == (
        ("各乡镇检查情况", "", ""),
        ("城关镇", "检查企业", "12"),
        ("", "整改隐患", "7\n已全部整改"),
    )
    assert table.header_rows == 1
    # The heading reaches across the three columns, 城关镇 down two rows; the empty cells are merged, not blank.
    assert table.spans == (CellSpan(0, 0, rows=1, columns=3), CellSpan(1, 0, rows=2, columns=1))
    assert body.dropped == ()


def merged_block_and_empty_cells() -> bytes:
    """A 4×4 table: a 2×2 heading block merged with python-docx (w:gridSpan and w:vMerge together), a cell
    merged three rows down in the last column, and empty cells that are merged with nothing."""

    def fill(document: Any) -> None:
        table = document.add_table(rows=4, cols=4)
        table.cell(0, 0).merge(table.cell(1, 1)).text = "检查内容"
        table.cell(0, 2).text = "数量"
        table.cell(1, 3).merge(table.cell(3, 3)).text = "合计"
        table.cell(2, 0).text = "城关镇"
        table.cell(3, 1).text = "12"

    return docx_bodies.build(fill)


def test_a_block_merged_across_and_down_is_one_area_and_an_empty_cell_is_none() -> None:
    (table,) = read_body("定稿.docx", merged_block_and_empty_cells()).blocks
    assert isinstance(table, BodyTable)
    assert table.rows == (
        ("检查内容", "", "数量", ""),
        ("", "", "", "合计"),
        ("城关镇", "", "", ""),
        ("", "12", "", ""),
    )
    assert table.spans == (CellSpan(0, 0, rows=2, columns=2), CellSpan(1, 3, rows=3, columns=1))
    assert table.span_at(2, 1) is None and table.span_at(0, 3) is None


def rows_with_grid_before_and_a_stray_continue() -> bytes:
    """A table whose second row starts one column in (w:gridBefore) with a cell merged two columns across and
    down into the third row, and a w:vMerge that continues nothing above it (Word draws an empty cell)."""

    def fill(document: Any) -> None:
        tbl = docx_bodies.xml("""
          <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
            <w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>丙</w:t></w:r></w:p></w:tc>
              <w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>丢</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>
              <w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr>
                <w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>丁</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>戊</w:t></w:r></w:p></w:tc>
              <w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc>
              <w:tc><w:p><w:r><w:t>己</w:t></w:r></w:p></w:tc></w:tr>
          </w:tbl>""")
        document.element.body.insert(0, tbl)

    return docx_bodies.build(fill)


def test_grid_before_shifts_a_merged_area_and_a_stray_continue_is_an_empty_cell_named_for_the_clerk() -> None:
    body = read_body("定稿.docx", rows_with_grid_before_and_a_stray_continue())
    (table,) = body.blocks
    assert isinstance(table, BodyTable)
    assert table.rows == (("甲", "乙", "丙", ""), ("", "合并", "", "丁"), ("戊", "", "", "己"))
    assert table.spans == (CellSpan(1, 1, rows=2, columns=2),)
    assert body.dropped == ("第1个表格中有与上方或左侧单元格无法对齐的合并单元格，已按单独的空单元格排版，请核对",)


def test_a_nested_table_is_flattened_and_named() -> None:
    body = read_body("定稿.docx", docx_bodies.nested_table())
    (table,) = body.blocks
    assert isinstance(table, BodyTable) and table.rows == (("外层", "内层甲 内层乙"),)
    assert body.dropped == ("第1个表格中嵌套的表格已转为文字，请核对",)


def test_a_png_picture_keeps_its_bytes_size_and_place() -> None:
    body = read_body("定稿.docx", docx_bodies.picture())
    assert [type(b).__name__ for b in body.blocks] == ["BodyParagraph", "BodyParagraph", "BodyImage", "BodyParagraph"]
    image = body.blocks[2]
    assert isinstance(image, BodyImage)
    assert image.data == png()
    assert (image.width_mm, image.height_mm) == (60.0, 30.0)
    assert [p.text for p in body.paragraphs] == ["图片前的段落。", "图前文字", "图后文字"]
    assert body.dropped == ()


def test_an_emf_picture_is_named_with_how_to_fix_it() -> None:
    body = read_body("定稿.docx", docx_bodies.picture("emf"))
    assert not any(isinstance(b, BodyImage) for b in body.blocks)
    assert body.dropped == ("第2段中的图片（EMF格式）无法排版，请另存为PNG后插入",)


def test_a_text_box_is_named_once_with_its_first_words() -> None:
    body = read_body("定稿.docx", docx_bodies.text_box())
    assert [p.text for p in body.paragraphs] == ["正文段落。"]
    assert body.dropped == ("第1段中的文本框（“文本框里的联系人：张三”）无法排版，请把其中的文字移入正文",)


def test_a_comment_is_named_with_its_paragraph_and_words() -> None:
    body = read_body("定稿.docx", docx_bodies.commented())
    assert [p.text for p in body.paragraphs] == ["第一段。", "请各单位于月底前报送。"]
    assert body.dropped == ("第2段的批注（“时间请再核实”）不会排版",)


def test_automatic_chinese_numbering_is_written_out_and_counted() -> None:
    body = read_body("定稿.docx", docx_bodies.numbered())
    headings = [(p.text, p.level) for p in body.paragraphs if p.level]
    assert headings == [("一、总体要求", LEVEL_1), ("二、重点任务", LEVEL_1), ("三、保障措施", LEVEL_1),
                        ("（1）细化分工", LEVEL_4)]
    assert body.dropped == ()


def test_automatic_decimal_numbering_is_level_three() -> None:
    body = read_body("定稿.docx", docx_bodies.numbered("decimal", "%1."))
    assert [p.text for p in body.paragraphs if p.level == LEVEL_3] == ["1.总体要求", "2.重点任务", "3.保障措施"]


def test_bullets_cannot_be_written_out_and_are_named() -> None:
    body = read_body("定稿.docx", docx_bodies.numbered("bullet", "\u25cf"))
    assert [p.text for p in body.paragraphs][:1] == ["总体要求"]
    assert body.dropped[0] == "第1段使用了自动编号（项目符号），排版时编号不会显示，请改为手工输入的序号"
    assert len(body.dropped) == 3


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (12, "chineseCounting", "十二"),
     (20, "chineseCountingThousand", "二十"), (3, "decimalFullWidth", "３"), (2, "decimalEnclosedCircle", "②"),
     (4, "upperRoman", "IV"), (27, "lowerLetter", "aa"), (2, "ideographTraditional", "乙"),
     (11, "chineseLegalSimplified", "拾壹")],
)
def test_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_equation_landscape_section_and_header_words_are_named_but_not_a_page_number_footer() -> None:
    body = read_body("定稿.docx", docx_bodies.with_extras())
    assert [p.text for p in body.paragraphs] == ["计算公式如下：", "横向页上的宽表说明。"]
    assert body.dropped == (
        "第1段中的公式无法排版，请改为文字或图片",
        "正文最后一节设为横向页面，排版后为纵向（A4竖排），宽表格按版心宽度排列，请核对",
        "页眉中的文字（“内部资料注意保存”）不会排版",
    )


def test_tracked_changes_are_refused_until_accepted() -> None:
    message = refused("定稿.docx", docx_bodies.tracked_change())
    assert "1处未接受的修订" in message and "新增的要求" in message and "接受所有修订" in message


@pytest.mark.parametrize(
    ("filename", "content", "says"),
    [
        ("通知.doc", docx_bodies.ole2(), ["Word 97-2003格式（.doc）", "另存为", "Word 文档（*.docx）"]),
        ("通知.wps", docx_bodies.ole2(), ["WPS格式（.wps）", "在WPS中打开", "Word 文档（*.docx）"]),
        ("通知.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ["PDF文件", "另存为"]),
        ("通知.txt", "一、总体要求".encode(), ["纯文本文件（.txt）", "粘贴到“正文”框中"]),
        ("通知.rtf", b"{\\rtf1\\ansi ...}", ["RTF格式（.rtf）", "另存为"]),
        ("通知.png", png(), ["图片（.png）", "通知.png", "另存为"]),
        ("通知.docx", b"not really a docx", ["虽然以.docx结尾", "另存为新的.docx"]),
        ("通知.docx", b"", ["空的"]),
    ],
)
def test_other_files_are_refused_saying_what_they_are_and_how_to_fix_it(
    filename: str, content: bytes, says: list[str]
) -> None:
    message = refused(filename, content)
    for words in says:
        assert words in message


def test_a_doc_is_told_apart_by_content_not_name() -> None:
    # A .doc renamed to .docx is still refused as a .doc; a real .docx named .doc is read.
    assert "Word 97-2003格式（.doc）" in refused("通知.docx", docx_bodies.ole2())
    assert read_body("通知.doc", docx_bodies.commented()).paragraphs[0].text == "第一段。"


def test_a_password_protected_docx_is_refused_with_how_to_remove_the_password() -> None:
    encrypted = docx_bodies.ole2() + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    assert "设置了打开密码" in refused("通知.docx", encrypted)


def test_an_excel_file_is_refused() -> None:
    import io
    import zipfile

    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "Excel表格（.xlsx）" in refused("表.xlsx", stream.getvalue())


def test_a_zip_bomb_is_refused_before_anything_is_unpacked() -> None:
    bomb = docx_bodies.zip_bomb(60)
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    message = refused("通知.docx", bomb)
    assert "解压后超过50MB" in message
    assert time.perf_counter() - started < 0.5  # refused from the directory, not by inflating 60 MB


def test_a_broken_zip_and_broken_xml_are_refused_in_chinese() -> None:
    assert "已损坏" in refused("通知.docx", docx_bodies.broken_zip())
    assert "内部已损坏" in refused("通知.docx", docx_bodies.broken_xml())


def test_an_external_entity_is_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密口令123456", encoding="utf-8")
    message = refused("通知.docx", docx_bodies.with_xxe(str(secret)))
    assert "DTD" in message and "机密口令" not in message
    # And the parser python-docx uses would not expand it either, were the DTD let through.
    declared = (f'<!DOCTYPE w:t [<!ENTITY xxe SYSTEM "file://{secret}">]>'
                '<w:t xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">A&xxe;B</w:t>')
    element = parse_xml(declared)
    assert "机密口令" not in "".join(element.itertext())


def test_too_many_paragraphs_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_reader, "MAX_PARAGRAPHS", 300)
    assert len(read_body("通知.docx", docx_bodies.many_paragraphs(300)).paragraphs) == 300
    message = refused("通知.docx", docx_bodies.many_paragraphs(301))
    assert "超过300段" in message


def test_a_body_with_nothing_to_typeset_is_refused_naming_what_it_held() -> None:
    only_box = docx_bodies.rewrite(docx_bodies.text_box(), "word/document.xml",
                                   lambda data: data.replace("正文段落。".encode(), b""))
    message = refused("通知.docx", only_box)
    assert "没有可排版的文字" in message and "文本框" in message


def test_charts_smartart_vml_pictures_links_hidden_text_footnotes_controls_styles_and_table_headings() -> None:
    body = read_body("定稿.docx", docx_bodies.assorted())
    kinds = [type(b).__name__ for b in body.blocks]
    assert kinds == ["BodyParagraph"] * 3 + ["BodyImage"] * 2 + ["BodyParagraph"] * 4 + ["BodyTable"]
    assert [(p.text, p.align) for p in body.paragraphs] == [
        ("图表：", "justify"), ("组织结构：", "justify"), ("见图", "justify"),
        ("详见县政府网站。", "justify"),  # the hyperlink's words are read, the hidden ones are not
        ("控件中的段落", "justify"), ("样式居中", "center"), ("继承的居中", "center"),
    ]
    vml = body.blocks[4]
    assert isinstance(vml, BodyImage) and vml.data == png()
    assert (vml.width_mm, vml.height_mm) == (30.0, 14.99)  # 85.05 × 42.5 pt
    table = body.blocks[-1]
    assert isinstance(table, BodyTable) and table.header_rows == 2
    assert table.rows == (("单位", "数量"), ("", "（家）"), ("城关镇", "12"))
    assert body.dropped == (
        "第1段中的图表无法排版，请在Word中把图表复制、选择性粘贴为PNG图片后插入",
        "第2段中的SmartArt图形无法排版，请另存为PNG图片后插入",
        "第5段的脚注不会排版，请把它写入正文或附注",
        "第1个表格中的图片无法排版（表格中只能排文字），请把图片移到表格外",
    )


def test_macro_enabled_and_strict_documents_are_refused_with_how_to_save_them() -> None:
    assert "启用宏的文档" in refused("通知.docm", docx_bodies.macro_enabled())
    strict = docx_bodies.rewrite(
        docx_bodies.levels(), "word/document.xml",
        lambda data: data.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                  b"http://purl.oclc.org/ooxml/wordprocessingml/main"))
    message = refused("通知.docx", strict)
    assert "Strict Open XML" in message and "Word 文档（*.docx）" in message


def test_odd_but_well_formed_files_end_in_a_body_or_a_message_never_a_traceback() -> None:
    rng = random.Random(20)
    sources = [docx_bodies.assorted(), docx_bodies.merged_table(), docx_bodies.numbered(), docx_bodies.with_extras()]
    outcomes = {"read": 0, "refused": 0}
    for _ in range(200):
        content = docx_bodies.mutated(rng.choice(sources), rng)
        try:
            read_body("定稿.docx", content)
            outcomes["read"] += 1
        except ValidationError as refusal:
            assert refusal.field == "body" and refusal.message
            # The last-resort message is for what the reader did not foresee: none of these may need it.
            assert "的内容无法读取（" not in refusal.message, refusal.message
            outcomes["refused"] += 1
    assert outcomes["read"] and outcomes["refused"]  # both roads were taken, so the test reached the walk


def test_a_document_without_a_body_part_is_refused() -> None:
    bodiless = docx_bodies.rewrite(
        docx_bodies.levels(), "word/document.xml",
        lambda data: data.split(b"<w:body>")[0] + b"</w:document>")
    assert "没有正文部分" in refused("通知.docx", bodiless)


def test_a_refused_file_is_named_without_its_folder() -> None:
    message = refused("C:\\Users\\张三\\桌面\\会议照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    assert "图片（.jpg）“会议照片.jpg”" in message and "桌面" not in message


def test_a_picture_over_or_behind_the_text_is_named_a_wrapped_one_kept_a_cropped_one_flagged() -> None:
    body = read_body("定稿.docx", docx_bodies.floating_pictures())
    assert [type(b).__name__ for b in body.blocks] == ["BodyParagraph", "BodyParagraph", "BodyImage", "BodyParagraph",
                                                       "BodyImage", "BodyParagraph"]
    assert all(b.width_mm == 40.0 and b.height_mm == 20.0 for b in body.blocks if isinstance(b, BodyImage))
    assert body.dropped == (
        "第1段处浮于文字上方或衬于文字下方的图片（如电子印章、标志）未排版；如是正文插图，请在Word中把它的“环绕文字”设为“嵌入型”后重新添加",
        "第3段中的图片在Word中裁剪过，排版时是整张图片，请核对（或把裁剪后的图片另存为PNG后插入）",
        "第4段处浮于文字上方或衬于文字下方的图片（如电子印章、标志）未排版；如是正文插图，请在Word中把它的“环绕文字”设为“嵌入型”后重新添加",
    )
    assert body.paragraphs[-1].text == "2026年12月6日"
