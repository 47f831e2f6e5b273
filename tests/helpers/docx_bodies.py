"""Real .docx bodies for the body reader's tests, written with python-docx; what python-docx cannot write
(text boxes, automatic numbering of our own, tracked changes, equations) is put in as the XML Word writes."""

from __future__ import annotations

import copy
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.parser import parse_xml
from docx.shared import Mm
from lxml import etree

from tests.helpers.official_samples import png

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

LEVELS = ("一、提高思想认识，压实安全责任", "（一）落实属地管理责任。", "1. 道路交通安全。", "（1）加强重点路段管控。")
PLAIN = "各乡镇要组织开展一次全覆盖的安全隐患排查，全县投入资金1.5亿元。"


def build(fill: Callable[[Any], None]) -> bytes:
    """The bytes of a new .docx that ``fill`` wrote into."""
    document = docx.Document()
    fill(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def paragraphs(*texts: str) -> bytes:
    """A .docx of plain paragraphs, one per text."""
    return build(lambda document: [document.add_paragraph(text) for text in texts])


def xml(fragment: str) -> Any:
    """An element from Word's XML, ``fragment`` being one element without namespace declarations."""
    fragment = fragment.strip()
    tag = re.match(r"<[\w:]+", fragment)
    assert tag is not None, fragment
    return parse_xml(f"{fragment[:tag.end()]} {NAMESPACES}{fragment[tag.end():]}")


def levels() -> bytes:
    """Four structure levels with plain paragraphs, an indented one, a centred and a right-aligned line,
    an empty paragraph and a line broken with Shift+Enter."""

    def fill(document: Any) -> None:
        for heading in LEVELS:
            document.add_paragraph(heading)
            document.add_paragraph(PLAIN)
        document.add_paragraph("\u3000\u3000  首行用空格缩进的段落。")
        document.add_paragraph("")
        document.add_paragraph("居中的小标题").alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph("2026年12月6日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
        broken = document.add_paragraph("第一行")
        broken.add_run().add_break()
        broken.add_run("第二行")

    return build(fill)


def merged_table() -> bytes:
    """A paragraph, a 3×3 table whose first row is one merged heading and whose first column's last two cells
    are merged, then a paragraph: the table stands between them."""

    def fill(document: Any) -> None:
        document.add_paragraph("表格前的段落。")
        table = document.add_table(rows=3, cols=3)
        heading = table.cell(0, 0).merge(table.cell(0, 2))
        heading.text = "各乡镇检查情况"
        column = table.cell(1, 0).merge(table.cell(2, 0))
        column.text = "城关镇"
        table.cell(1, 1).text = "检查企业"
        table.cell(1, 2).text = "12"
        table.cell(2, 1).text = "整改隐患"
        second = table.cell(2, 2)
        second.text = "7"
        second.add_paragraph("已全部整改")
        document.add_paragraph("表格后的段落。")

    return build(fill)


def nested_table() -> bytes:
    def fill(document: Any) -> None:
        outer = document.add_table(rows=1, cols=2)
        outer.cell(0, 0).text = "外层"
        inner = outer.cell(0, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "内层甲"
        inner.cell(0, 1).text = "内层乙"

    return build(fill)


def emf() -> bytes:
    """The 88-byte header of an empty EMF (the format Word keeps pasted Visio and Excel drawings in)."""
    header = struct.pack("<II4i4i4sIIIHHIII", 1, 88, 0, 0, 100, 100, 0, 0, 2646, 2646, b" EMF", 0x10000, 88, 1,
                         1, 0, 0, 0, 0)
    return header + b"\x00" * (88 - len(header))


def picture(kind: str = "png") -> bytes:
    """A paragraph, then a 60×30 mm picture between two lines of one paragraph. For ``kind`` "emf" the picture
    part holds an EMF (python-docx cannot insert one, so the PNG's bytes are swapped after insertion)."""

    def fill(document: Any) -> None:
        document.add_paragraph("图片前的段落。")
        paragraph = document.add_paragraph("图前文字")
        paragraph.add_run().add_picture(io.BytesIO(png()), width=Mm(60), height=Mm(30))
        paragraph.add_run("图后文字")
        if kind == "emf":
            rel_id = paragraph._p.xpath(".//a:blip/@r:embed")[0]
            document.part.related_parts[rel_id]._blob = emf()

    return build(fill)


def floating_pictures() -> bytes:
    """Three paragraphs with a picture each, made floating: behind the text (as a seal is laid on the 署名),
    square-wrapped (a figure the text flows around), and in line but cropped by 10% on the left; then a date
    line with a VML picture placed absolutely over it."""

    def fill(document: Any) -> None:
        for text, layout in (("县人民政府办公室", "behind"), ("见示意图", "square"), ("见现场照片", "cropped")):
            paragraph = document.add_paragraph(text)
            paragraph.add_run().add_picture(io.BytesIO(png()), width=Mm(40), height=Mm(20))
            inline = paragraph._p.xpath(".//wp:inline")[0]
            if layout == "cropped":
                inline.xpath(".//pic:blipFill")[0].insert(1, xml('<a:srcRect l="10000"/>'))
                continue
            behind = "1" if layout == "behind" else "0"
            wrap = "<wp:wrapNone/>" if layout == "behind" else '<wp:wrapSquare wrapText="bothSides"/>'
            anchor = xml(f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
                         f'behindDoc="{behind}" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
                         '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
                         '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
                         f"{wrap}</wp:anchor>")
            # The anchor takes the inline's size, name and picture, in the order the schema asks.
            anchor.insert(3, inline.find(f"{WP}extent"))
            anchor.append(inline.find(f"{WP}docPr"))
            anchor.append(inline.find(f"{A}graphic"))
            inline.getparent().replace(inline, anchor)
        # The seal again as WPS writes it: a VML shape placed absolutely, with no wrapping.
        seal = document.add_paragraph("2026年12月6日")
        rel_id = document.element.body.xpath(".//a:blip/@r:embed")[0]
        seal._p.append(xml('<w:r><w:pict><v:shape style="position:absolute;margin-left:180pt;width:120pt;height:120pt;'
                           f'z-index:-1"><v:imagedata r:id="{rel_id}"/></v:shape></w:pict></w:r>'))

    return build(fill)


TEXT_BOX = """<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0"
distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="1800000" cy="720000"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="5" name="文本框 5"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>
<wps:spPr/><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的联系人：张三</w:t></w:r></w:p></w:txbxContent>
</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape style="width:50mm;height:20mm"><v:textbox><w:txbxContent><w:p><w:r>
<w:t>文本框里的联系人：张三</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent>"""


def text_box() -> bytes:
    """A paragraph holding a floating text box, written as Word 2010+ writes it (a shape, with its VML
    copy as the fallback for older readers)."""

    def fill(document: Any) -> None:
        paragraph = document.add_paragraph("正文段落。")
        run = paragraph.add_run()
        run._r.append(xml(TEXT_BOX.replace("\n", " ")))

    return build(fill)


def commented() -> bytes:
    def fill(document: Any) -> None:
        document.add_paragraph("第一段。")
        paragraph = document.add_paragraph("请各单位于月底前报送。")
        document.add_comment(paragraph.runs, text="时间请再核实", author="李四", initials="LS")

    return build(fill)


def numbered(fmt: str = "chineseCounting", text: str = "%1、") -> bytes:
    """Three paragraphs numbered automatically with one level of ``fmt`` and ``text``, a plain paragraph
    after each; the numbering is an abstract list of our own in the document's numbering part."""

    def fill(document: Any) -> None:
        numbering = document.part.numbering_part.element
        numbering.insert(0, xml(f'<w:abstractNum w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                                f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
                                '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                                '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
        numbering.append(xml('<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        for heading in ("总体要求", "重点任务", "保障措施"):
            paragraph = document.add_paragraph(heading)
            paragraph._p.get_or_add_pPr().append(
                xml('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
            document.add_paragraph(PLAIN)
        sub = document.add_paragraph("细化分工")
        sub._p.get_or_add_pPr().append(xml('<w:numPr><w:ilvl w:val="1"/><w:numId w:val="90"/></w:numPr>'))

    return build(fill)


def _graphic(uri: str, name: str) -> str:
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="3600000" cy="1800000"/><wp:docPr id="9" name="{name}"/>'
            f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/{uri}"/></a:graphic>'
            "</wp:inline></w:drawing></w:r>")


def assorted() -> bytes:
    """What drafts hold besides plain text, one paragraph each: a chart, a SmartArt, a PNG picture, the same
    picture as VML (as WPS and Word 2007 write it, 85.05×42.5 pt), a hyperlink with hidden text and a footnote
    reference, a content control, two paragraphs centred by their style; then a table with two heading rows
    marked to repeat and a picture in a cell."""

    def fill(document: Any) -> None:
        document.add_paragraph("图表：")._p.append(xml(_graphic("chart", "图表 1")))
        document.add_paragraph("组织结构：")._p.append(xml(_graphic("diagram", "SmartArt 2")))
        seen = document.add_paragraph("见图")
        seen.add_run().add_picture(io.BytesIO(png()), width=Mm(60), height=Mm(30))
        rel_id = seen._p.xpath(".//a:blip/@r:embed")[0]
        document.add_paragraph()._p.append(xml(f'<w:r><w:pict><v:shape style="width:85.05pt;height:42.5pt">'
                                               f'<v:imagedata r:id="{rel_id}"/></v:shape></w:pict></w:r>'))
        linked = document.add_paragraph("详见")
        linked._p.append(xml('<w:hyperlink w:anchor="a"><w:r><w:t>县政府网站</w:t></w:r></w:hyperlink>'))
        linked._p.append(xml("<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>"))
        linked.add_run("。")
        linked._p.append(xml('<w:r><w:footnoteReference w:id="1"/></w:r>'))
        body = document.element.body
        body.insert(len(body) - 1, xml("<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p>"
                                       "</w:sdtContent></w:sdt>"))
        centred = document.styles.add_style("居中段落", WD_STYLE_TYPE.PARAGRAPH)
        centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        inheriting = document.styles.add_style("继承居中", WD_STYLE_TYPE.PARAGRAPH)
        inheriting.base_style = centred
        document.add_paragraph("样式居中", style=centred)
        document.add_paragraph("继承的居中", style=inheriting)
        table = document.add_table(rows=3, cols=2)
        for row, texts in zip(table.rows, (("单位", "数量"), ("", "（家）"), ("城关镇", "12"))):
            for cell, text in zip(row.cells, texts):
                cell.text = text
        for row in table.rows[:2]:
            row._tr.get_or_add_trPr().append(xml("<w:tblHeader/>"))
        table.cell(2, 0).paragraphs[0].add_run().add_picture(io.BytesIO(png()), width=Mm(10))

    return build(fill)


def macro_enabled() -> bytes:
    """A .docm: the body part declared with the macro-enabled content type, which python-docx does not open."""
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    docm = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    return rewrite(build(lambda d: d.add_paragraph("正文")), "[Content_Types].xml", lambda data: data.replace(main, docm))


def tracked_change() -> bytes:
    def fill(document: Any) -> None:
        paragraph = document.add_paragraph("原有文字")
        paragraph._p.append(xml('<w:ins w:id="1" w:author="王五" w:date="2026-12-01T10:00:00Z"><w:r>'
                                "<w:t>新增的要求</w:t></w:r></w:ins>"))

    return build(fill)


def with_extras() -> bytes:
    """A paragraph with an equation, a header with words, a footer with only the page number, and a
    landscape section."""

    def fill(document: Any) -> None:
        paragraph = document.add_paragraph("计算公式如下：")
        paragraph._p.append(xml("<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>"))
        section = document.sections[0]
        section.header.paragraphs[0].text = "内部资料 注意保存"
        section.footer.paragraphs[0].text = "— 1 —"
        landscape = document.add_section()
        landscape.page_width, landscape.page_height = landscape.page_height, landscape.page_width
        document.add_paragraph("横向页上的宽表说明。")

    return build(fill)


def rewrite(content: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """``content`` (a zip) with its entry ``name`` passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            target.writestr(entry.filename, change(data) if entry.filename == name else data)
    return stream.getvalue()


def with_xxe(secret_path: str) -> bytes:
    """A body whose document.xml declares an external entity pointing at ``secret_path`` and uses it."""

    def change(data: bytes) -> bytes:
        declaration = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret_path}">]>'.encode()
        head, body = data.split(b"?>", 1)
        return head + b"?>" + declaration + body.replace("XXE在此".encode(), b"&xxe;")

    return rewrite(build(lambda d: d.add_paragraph("XXE在此")), "word/document.xml", change)


def broken_xml() -> bytes:
    return rewrite(build(lambda d: d.add_paragraph("正文")), "word/document.xml", lambda data: data[: len(data) // 2])


def broken_zip() -> bytes:
    content = build(lambda d: d.add_paragraph("正文"))
    return content[: len(content) // 2]


def zip_bomb(unpacked_mb: int = 60) -> bytes:
    """A .docx-looking zip whose one extra entry unpacks to ``unpacked_mb`` MB of zeros (it packs to ~60 KB)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w") as entry:
            block = b"\x00" * (1024 * 1024)
            for _ in range(unpacked_mb):
                entry.write(block)
    return stream.getvalue()


def many_paragraphs(count: int) -> bytes:
    def fill(document: Any) -> None:
        body = document.element.body
        template = document.add_paragraph("一段。")._p
        for _ in range(count - 1):
            body.insert(0, parse_xml(template.xml))

    return build(fill)


def ole2(size: int = 2048) -> bytes:
    """The start of an OLE2 compound file: the container of .doc, .wps and .xls."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * (size - 8)


def mutated(content: bytes, rng: random.Random) -> bytes:
    """``content`` with one of its XML parts changed at random but left well-formed (elements removed, moved,
    copied, attributes and texts set to odd values), so that the reader's walk, not the XML parser, meets it."""
    names = [name for name in zipfile.ZipFile(io.BytesIO(content)).namelist() if name.endswith((".xml", ".rels"))]
    name = rng.choice([n for n in names if n == "word/document.xml"] * 4 + names)

    def change(data: bytes) -> bytes:
        root = etree.fromstring(data)
        elements = list(root.iter())
        for _ in range(rng.randint(1, 6)):
            element, other = rng.choice(elements), rng.choice(elements)
            parent, roll = element.getparent(), rng.random()
            if roll < 0.3 and parent is not None:
                parent.remove(element)
            elif roll < 0.5 and element.attrib:
                key = rng.choice(list(element.attrib))
                element.set(key, rng.choice(["", "-1", "x", "99999999999", "restart", "0", "landscape", "center"]))
            elif roll < 0.7 and parent is not None and element not in list(other.iterancestors()) + [other]:
                other.append(element)
            elif roll < 0.85:
                element.text = rng.choice(["", "一、", "%1%2%9", None])
            elif other not in list(element.iterancestors()):
                element.append(copy.deepcopy(other))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return rewrite(content, name, change)
