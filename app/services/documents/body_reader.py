"""Reading a 公文's body from the approved draft's .docx: paragraphs with their structure level, tables and
pictures in document order, and everything the typeset document cannot keep named in ``Body.dropped``.

The file comes from a clerk's disk, so it is treated as hostile: it is recognised by its content, not its
name; its zip entries are summed before anything is unpacked (a zip bomb is refused, not inflated); an XML part
with a DTD is refused (Word never writes one, and python-docx's parser, resolve_entities=False, would not
expand it anyway); and whatever goes wrong inside becomes a ValidationError in Chinese, never a traceback.

Decisions the clerk should know of:
- tracked changes are refused: the 定稿 is the text with every revision accepted, and only the author can say
  whether a pending one is part of it;
- Word's automatic numbering is written out as text for the common formats (1. 一、 （一） ① a. i. …) and named
  in ``dropped`` for the others (bullets, say);
- a line break inside a paragraph (Shift+Enter) starts a new paragraph, as drafts use it to end one;
- hidden text (字体→隐藏) is not read, as Word does not print it either;
- a picture floating over or behind the text (an electronic seal on the 署名, a logo) is named, not kept: the
  typeset document has its own seal space, and a figure the text wraps around or that stands in line is kept.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.core.document_body import Body, BodyBlock, BodyImage, BodyParagraph, BodyTable, CellSpan, structure_level
from app.core.errors import ValidationError

log = logging.getLogger(__name__)

# A 公文's body is a few pages with a table or two: these limits are far above any real one.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_PARAGRAPHS = 5000
MAX_TABLE_CELLS = 20000
EMU_PER_MM = 36000
_NESTING_LIMIT = 64  # content controls and tables inside one another deeper than this are not a real draft

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_V = "urn:schemas-microsoft-com:vml"
_DML = "http://schemas.openxmlformats.org/drawingml/2006/"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _TBL, _TR, _TC, _R_RUN, _T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
_TXBX = _w("txbxContent")
_REVISIONS = (_w("ins"), _w("del"), _w("moveFrom"), _w("moveTo"))
# Elements that only wrap content (content controls, custom XML, smart tags, links, simple fields).
_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag"), _w("hyperlink"), _w("fldSimple"), _w("dir"),
             _w("bdo")}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "请在Word或WPS中打开，点“文件→另存为”，文件类型选“Word 文档（*.docx）”，保存后重新添加正文"
_WPS_MESSAGE = "正文是WPS格式（.wps），无法排版。请在WPS中打开，点“文件→另存为”，文件类型选“Word 文档（*.docx）”，保存后重新添加正文"
_RESAVE = "请在Word或WPS中打开定稿，另存为新的.docx文件后重新添加正文"
_KIND_BY_SUFFIX = {
    ".doc": "Word 97-2003格式（.doc）", ".wps": "WPS格式（.wps）", ".pdf": "PDF文件（.pdf）",
    ".ofd": "OFD版式文件（.ofd）", ".rtf": "RTF格式（.rtf）", ".txt": "纯文本文件（.txt）",
    ".odt": "OpenDocument文本（.odt）", ".xls": "Excel表格（.xls）", ".xlsx": "Excel表格（.xlsx）",
    ".et": "WPS表格（.et）", ".ppt": "PowerPoint演示文稿（.ppt）", ".pptx": "PowerPoint演示文稿（.pptx）",
    ".dps": "WPS演示（.dps）", ".jpg": "图片（.jpg）", ".jpeg": "图片（.jpeg）", ".png": "图片（.png）",
    ".html": "网页（.html）", ".htm": "网页（.htm）", ".zip": "压缩包（.zip）", ".rar": "压缩包（.rar）",
}


def read_body(filename: str, content: bytes) -> Body:
    """The body of the .docx ``content`` (``filename`` only names the file in messages and tells a .wps from
    a .doc, which share one container). Raises ValidationError(field="body") for anything else."""
    archive = _open_docx(filename, content)
    with archive:
        _check_xml_parts(archive)
    document = _parse(content)
    try:
        return _Reader(document).read()
    except ValidationError:
        raise
    except Exception as exc:  # a hostile or odd file must end in a message, and the log keeps the cause
        log.exception("reading the body of %s failed", filename)
        raise _refused(f"正文文件的内容无法读取（{type(exc).__name__}）。{_RESAVE}") from exc


def _refused(message: str) -> ValidationError:
    return ValidationError(message, field="body")


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot >= 0 else ""


def _open_docx(filename: str, content: bytes) -> zipfile.ZipFile:
    """The zip of a .docx, checked before anything is unpacked; any other file is refused with how to fix it."""
    if not content:
        raise _refused("正文文件是空的（0字节），请重新选择定稿的.docx文件")
    suffix = _suffix(filename)
    if content.startswith(_OLE2_MAGIC):
        raise _refused(_ole2_message(suffix, content))
    if content.startswith(b"%PDF"):
        raise _refused("正文是PDF文件，无法读取其中的段落和表格。请用定稿的Word或WPS文档，另存为“Word 文档（*.docx）”"
                       "后重新添加正文")
    if content.lstrip().startswith(b"{\\rtf"):
        raise _refused(f"正文是RTF格式（.rtf），无法排版。{_SAVE_AS}")
    if not content.startswith(b"PK"):
        raise _refused(_not_docx_message(filename, suffix))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _refused(f"正文文件已损坏，无法打开（不是完整的.docx文件）。{_RESAVE}") from exc
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        archive.close()
        raise _refused(f"正文文件解压后超过{MAX_UNPACKED_BYTES // (1024 * 1024)}MB，不像一份公文的正文（可能含有过大的"
                       "图片，或文件已损坏）。请压缩图片或检查文件后重新添加")
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        archive.close()
        raise _refused(_zip_kind_message(filename, suffix, names))
    return archive


def _ole2_message(suffix: str, content: bytes) -> str:
    # Word keeps a password-protected .docx in the old container, with its package encrypted inside.
    if "EncryptedPackage".encode("utf-16-le") in content:
        return ("正文文件设置了打开密码，无法读取。请在Word或WPS中打开，取消密码（Word：“文件→信息→保护文档→用密码进行"
                "加密”，清空密码；WPS：“文件→文档加密”）后保存为.docx，再重新添加正文")
    if suffix == ".wps":
        return _WPS_MESSAGE
    if suffix in (".xls", ".et", ".ppt", ".dps"):
        return f"正文是{_KIND_BY_SUFFIX[suffix]}，不是Word文档。请选择定稿的Word文档（.docx）"
    return f"正文是Word 97-2003格式（.doc）或WPS格式（.wps），无法排版。{_SAVE_AS}"


def _zip_kind_message(filename: str, suffix: str, names: set[str]) -> str:
    if any(name.startswith("xl/") for name in names):
        return "正文是Excel表格（.xlsx），不是Word文档。请把表格粘贴到Word定稿中，另存为.docx后重新添加正文"
    if any(name.startswith("ppt/") for name in names):
        return "正文是PowerPoint演示文稿（.pptx），不是Word文档。请选择定稿的Word文档（.docx）"
    if "OFD.xml" in names:
        return "正文是OFD版式文件（.ofd），无法读取其中的段落和表格。请用定稿的Word或WPS文档，另存为.docx后重新添加正文"
    if "mimetype" in names and "content.xml" in names:
        return "正文是OpenDocument文本（.odt），无法排版。请在WPS或LibreOffice中打开，另存为“Word 文档（*.docx）”后重新添加正文"
    return _not_docx_message(filename, suffix)


def _not_docx_message(filename: str, suffix: str) -> str:
    kind = _KIND_BY_SUFFIX.get(suffix)
    if suffix == ".txt":
        return "正文是纯文本文件（.txt），无法作为正文文件添加。请把文字粘贴到“正文”框中，或在Word或WPS中另存为.docx后添加"
    if suffix == ".wps":
        return _WPS_MESSAGE
    if suffix == ".docx":
        return f"正文文件“{filename}”虽然以.docx结尾，但内容不是Word文档，可能已损坏。{_RESAVE}"
    shown = filename.replace("\\", "/").rsplit("/", 1)[-1]
    named = f"{kind}“{shown}”" if kind else f"“{shown}”"
    return f"正文文件{named}不是Word文档（.docx），无法排版。{_SAVE_AS}"


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse any XML part that declares a DTD: Word never writes one, and entities are how XXE and the
    "billion laughs" work. Refuse a Strict OOXML document, which python-docx does not read. Reading every
    part is bounded by the size check already made."""
    for entry in archive.infolist():
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            data = archive.read(entry)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise _refused(f"正文文件已损坏，无法解压其中的“{entry.filename}”。{_RESAVE}") from exc
        if entry.filename == "word/document.xml" and b"purl.oclc.org/ooxml/wordprocessingml" in data:
            raise _refused(f"正文是“Strict Open XML 文档”格式，无法排版。{_SAVE_AS}")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data = data.decode("utf-16", errors="replace").encode("utf-8")
        if _DOCTYPE.search(data):
            raise _refused(f"正文文件含有Word不会写入的内容（DTD声明），可能被改动过，已拒绝读取。{_RESAVE}")


def _parse(content: bytes) -> Any:
    import docx

    try:
        return docx.Document(io.BytesIO(content))
    except ValueError as exc:
        if "macroEnabled" in str(exc) or "template" in str(exc):
            raise _refused(f"正文是启用宏的文档或模板（.docm/.dotx），无法排版。{_SAVE_AS}") from exc
        raise _refused(f"正文文件内部已损坏（文档内容无法解析）。{_RESAVE}") from exc
    except Exception as exc:  # lxml's XMLSyntaxError, KeyError for a missing part, zip errors …: all a bad file
        raise _refused(f"正文文件内部已损坏（文档内容无法解析）。{_RESAVE}") from exc


# ---------------------------------------------------------------------------------------------------------
# Numbering: Word's automatic numbers, written out as the text Word shows.

_CN_DIGITS = "零一二三四五六七八九"
_FORMATS_SHOWN = {
    "decimal", "decimalZero", "decimalHalfWidth", "decimalFullWidth", "decimalFullWidth2", "chineseCounting",
    "chineseCountingThousand", "japaneseCounting", "ideographTraditional", "chineseLegalSimplified",
    "decimalEnclosedCircle", "decimalEnclosedCircleChinese", "lowerLetter", "upperLetter", "lowerRoman",
    "upperRoman", "none",
}


def _chinese_number(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
              (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in values:
        count, n = divmod(n, value)
        out += letters * count
    return out


def format_number(n: int, fmt: str) -> str:
    """``n`` in Word's numbering format ``fmt`` (w:numFmt), for the formats in _FORMATS_SHOWN."""
    if fmt in ("decimal", "decimalHalfWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting"):
        return _chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return _chinese_number(n).translate(str.maketrans("一二三四五六七八九十", "壹贰叁肆伍陆柒捌玖拾"))
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    return ""


_FORMAT_NAMES = {"bullet": "项目符号"}


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _List:
    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)


class _Numbering:
    """Word's counters: one set per abstract list, as Word continues a list across its w:num instances;
    a w:num with a startOverride restarts the level where it is first used."""

    def __init__(self, root: Any | None) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.lists: dict[str, _List] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.overrides_used: set[tuple[str, int]] = set()
        if root is None:
            return
        for abstract in root.iterchildren(_w("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterchildren(_w("lvl")):
                level = _Level(_val(lvl.find(_w("numFmt"))) or "decimal", _val(lvl.find(_w("lvlText"))) or "",
                               _int(_val(lvl.find(_w("start"))), 1))
                levels[_int(lvl.get(_w("ilvl")), 0)] = level
            self.abstracts[abstract.get(_w("abstractNumId"), "")] = levels
        for num in root.iterchildren(_w("num")):
            overrides = {_int(o.get(_w("ilvl")), 0): _int(_val(o.find(_w("startOverride"))), 1)
                         for o in num.iterchildren(_w("lvlOverride")) if o.find(_w("startOverride")) is not None}
            self.lists[num.get(_w("numId"), "")] = _List(_val(num.find(_w("abstractNumId"))) or "", overrides)

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, str | None]:
        """The label the next paragraph of list ``num_id`` at level ``ilvl`` shows, and the name of its
        format when it cannot be written out (else None)."""
        listing = self.lists.get(num_id)
        if listing is None:
            return "", None
        levels = self.abstracts.get(listing.abstract_id, {})
        level = levels.get(ilvl, _Level())
        counters = self.counters.setdefault(listing.abstract_id, {})
        if ilvl in listing.start_overrides and (num_id, ilvl) not in self.overrides_used:
            self.overrides_used.add((num_id, ilvl))
            counters[ilvl] = listing.start_overrides[ilvl] - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt not in _FORMATS_SHOWN:
            return "", _FORMAT_NAMES.get(level.fmt, f"{level.fmt}格式")

        def placeholder(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            other = levels.get(k, _Level())
            return format_number(counters.get(k, other.start), other.fmt if k != ilvl else level.fmt)

        return re.sub(r"%([1-9])", placeholder, level.text), None


def _val(element: Any | None) -> str | None:
    return None if element is None else element.get(_w("val"))


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------------------------------------------------
# Styles: what a paragraph inherits (alignment, numbering) when it does not say so itself.


@dataclass
class _Style:
    based_on: str | None
    align: str | None
    numbering: tuple[str, int] | None


def _styles(root: Any | None) -> tuple[dict[str, _Style], str | None]:
    styles: dict[str, _Style] = {}
    default: str | None = None
    if root is None:
        return styles, default
    for style in root.iterchildren(_w("style")):
        if style.get(_w("type")) != "paragraph":
            continue
        style_id = style.get(_w("styleId"), "")
        ppr = style.find(_w("pPr"))
        styles[style_id] = _Style(_val(style.find(_w("basedOn"))), _val(ppr.find(_w("jc"))) if ppr is not None else None,
                                  _numbering_of(ppr))
        if style.get(_w("default")) in ("1", "true", "on"):
            default = style_id
    return styles, default


def _numbering_of(ppr: Any | None) -> tuple[str, int] | None:
    num_pr = None if ppr is None else ppr.find(_w("numPr"))
    if num_pr is None:
        return None
    return _val(num_pr.find(_w("numId"))) or "0", _int(_val(num_pr.find(_w("ilvl"))), 0)


def _align(jc: str | None) -> str:
    if jc == "center":
        return "center"
    if jc in ("right", "end"):
        return "right"
    return "justify"


# ---------------------------------------------------------------------------------------------------------
# The walk over the document.

_OVER_TEXT = ("处浮于文字上方或衬于文字下方的图片（如电子印章、标志）未排版；如是正文插图，请在Word中把它的“环绕文字”设为"
              "“嵌入型”后重新添加")
_CROPPED = "中的图片在Word中裁剪过，排版时是整张图片，请核对（或把裁剪后的图片另存为PNG后插入）"
_BREAK = object()  # a line or page break inside a paragraph: the text after it is a paragraph of its own


@dataclass
class _Pieces:
    """What one w:p holds, in order: text, breaks and pictures, and what cannot be kept (each said after
    the place, e.g. "中的图表无法排版…")."""

    items: list[object] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    def text(self, value: str) -> None:
        last = self.items[-1] if self.items else None
        if isinstance(last, str):
            self.items[-1] = last + value
        else:
            self.items.append(value)


def _snippet(text: str, length: int = 12) -> str:
    compact = "".join(text.split())
    return compact if len(compact) <= length else compact[:length] + "…"


def _quoted(text: str) -> str:
    """The first words of something dropped, to find it by in Word: （“联系人：张三”）, or nothing."""
    shown = _snippet(text)
    return f"（“{shown}”）" if shown else ""


def _all_text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(_T))


_INDENT = " \u3000\t\u00a0"


class _Reader:
    def __init__(self, document: Any) -> None:
        self.part = document.part
        self.parts_by_type = {rel.target_part.content_type: rel.target_part for rel in self.part.rels.values()
                              if not rel.is_external}
        self.numbering = _Numbering(self._xml("numbering"))
        self.styles, self.default_style = _styles(self._xml("styles"))
        self.body = document.element.body
        self.blocks: list[BodyBlock] = []
        self.dropped: list[str] = []
        self.paragraph_count = 0  # paragraphs with content so far, as the clerk counts them in Word
        self.table_count = 0
        self.cell_count = 0
        self.comments = self._notes("comments", "comment")
        self.footnotes = self._notes("footnotes", "footnote")
        self.endnotes = self._notes("endnotes", "endnote")

    def _xml(self, kind: str) -> Any | None:
        """The root element of the document's part of ``kind`` (numbering, styles, comments …), or None."""
        content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
        part = self.parts_by_type.get(content_type)
        if part is None:
            return None
        element = getattr(part, "element", None)
        if element is None:
            from docx.oxml.parser import parse_xml

            element = parse_xml(part.blob)
        return element

    def _notes(self, kind: str, tag: str) -> dict[str, str]:
        root = self._xml(kind)
        return {} if root is None else {note.get(_w("id"), ""): _all_text(note) for note in root.iter(_w(tag))}

    def read(self) -> Body:
        if self.body is None:
            raise _refused(f"正文文件中没有正文部分（w:body），不是完整的Word文档。{_RESAVE}")
        self._refuse_revisions()
        paragraphs = sum(1 for _ in self.body.iter(_P))
        if paragraphs > MAX_PARAGRAPHS:
            raise _refused(f"正文有{paragraphs}段，超过{MAX_PARAGRAPHS}段，不像一份公文的正文。请检查是否选错了文件")
        for child in _block_children(self.body):
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                self._table(child)
            elif child.tag == _w("altChunk"):
                self.dropped.append(f"{self._place(False)}嵌入的外部文档内容无法读取，请在Word中打开定稿、另存为.docx后重新添加")
            elif child.tag == _w("sectPr"):
                self._section(child, "正文最后一节")
        self._headers_and_footers()
        if not self.blocks:
            hint = f"（{self.dropped[0]}）" if self.dropped else ""
            raise _refused(f"正文文件中没有可排版的文字、表格或图片{hint}。请检查是否选错了文件")
        return Body(tuple(self.blocks), tuple(self.dropped))

    def _refuse_revisions(self) -> None:
        revisions = [element for element in self.body.iter(*_REVISIONS)]
        if not revisions:
            return
        said = ("".join(t.text or "" for t in r.iter(_T, _w("delText"))) for r in revisions)
        example = next((_snippet(text) for text in said if text.strip()), "")
        shown = f"，如“{example}”" if example else ""
        raise _refused(f"正文中有{len(revisions)}处未接受的修订{shown}。定稿应是接受全部修订后的文字：请在Word中点“审阅→接受→"
                       "接受所有修订”（WPS：“审阅→接受→接受对文档所做的所有修订”），保存后重新添加正文")

    def _place(self, has_content: bool) -> str:
        if has_content:
            return f"第{self.paragraph_count}段"
        return f"第{self.paragraph_count}段之后" if self.paragraph_count else "正文开头"

    # -- paragraphs ------------------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> None:
        pieces, align = self._read_paragraph(p)
        blocks: list[BodyBlock] = []
        for item in pieces.items:
            if isinstance(item, BodyImage):
                blocks.append(item)
            elif isinstance(item, str):
                text = item.lstrip(_INDENT).rstrip()
                if text:
                    blocks.append(BodyParagraph(text, structure_level(text), align))
        if blocks:
            self.paragraph_count += 1
        place = self._place(bool(blocks))
        self.dropped.extend(place + issue for issue in pieces.issues)
        self.blocks.extend(blocks)
        ppr = p.find(_w("pPr"))
        sect = None if ppr is None else ppr.find(_w("sectPr"))
        if sect is not None:
            self._section(sect, f"{place}所在的一节")

    def _read_paragraph(self, p: Any) -> tuple[_Pieces, str]:
        """The paragraph's pieces, its automatic number written at the start, and its alignment."""
        pieces = _Pieces()
        ppr = p.find(_w("pPr"))
        style_id = _val(ppr.find(_w("pStyle"))) if ppr is not None else None
        chain = list(self._style_chain(style_id or self.default_style))
        jc = _val(ppr.find(_w("jc"))) if ppr is not None else None
        if jc is None:
            jc = next((s.align for s in chain if s.align), None)
        numbering = _numbering_of(ppr) or next((s.numbering for s in chain if s.numbering), None)
        if numbering and numbering[0] != "0":
            label, unsupported = self.numbering.next_label(*numbering)
            if unsupported:
                pieces.issues.append(f"使用了自动编号（{unsupported}），排版时编号不会显示，请改为手工输入的序号")
            elif label:
                pieces.text(label)
        self._walk(p, pieces, 0)
        return pieces, _align(jc)

    def _style_chain(self, style_id: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _walk(self, element: Any, pieces: _Pieces, depth: int) -> None:
        if depth > _NESTING_LIMIT:
            raise _refused(f"正文文件的结构嵌套过深，不像Word保存的文件。{_RESAVE}")
        for child in element:
            tag = child.tag
            if tag == _R_RUN:
                if not _hidden(child):
                    self._run(child, pieces, depth)
            elif tag in _WRAPPERS:
                self._walk(child, pieces, depth + 1)
            elif tag in (f"{{{_M}}}oMath", f"{{{_M}}}oMathPara"):
                pieces.issues.append("中的公式无法排版，请改为文字或图片")
            elif tag == f"{{{_MC}}}AlternateContent":
                self._walk(_chosen(child), pieces, depth + 1)

    def _run(self, run: Any, pieces: _Pieces, depth: int) -> None:
        for child in run:
            tag = child.tag
            if tag == _T:
                pieces.text(child.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                pieces.text(" ")
            elif tag in (_w("br"), _w("cr")):
                pieces.items.append(_BREAK)
            elif tag == _w("noBreakHyphen"):
                pieces.text("-")
            elif tag == _w("sym"):
                pieces.issues.append(f"中的特殊符号（{child.get(_w('font'), '')}字体）无法排版，请改为普通字符")
            elif tag == _w("drawing"):
                self._drawing(child, pieces)
            elif tag == _w("pict"):
                self._vml(child, pieces)
            elif tag == _w("object"):
                pieces.issues.append("中嵌入的对象（如Excel表格、公式编辑器对象）无法排版，请改为表格、文字或图片")
            elif tag == f"{{{_MC}}}AlternateContent":
                self._run(_chosen(child), pieces, depth + 1)
            elif tag == _w("ruby"):
                base = child.find(_w("rubyBase"))
                if base is not None:
                    self._walk(base, pieces, depth + 1)
            elif tag == _w("commentReference"):
                said = self.comments.get(child.get(_w("id"), ""), "")
                pieces.issues.append(f"的批注{_quoted(said)}不会排版")
            elif tag == _w("footnoteReference"):
                said = self.footnotes.get(child.get(_w("id"), ""), "")
                pieces.issues.append(f"的脚注{_quoted(said)}不会排版，请把它写入正文或附注")
            elif tag == _w("endnoteReference"):
                said = self.endnotes.get(child.get(_w("id"), ""), "")
                pieces.issues.append(f"的尾注{_quoted(said)}不会排版，请把它写入正文或附注")

    # -- pictures and other drawings -------------------------------------------------------------------

    def _drawing(self, drawing: Any, pieces: _Pieces) -> None:
        for frame in drawing:  # wp:inline or wp:anchor
            data = frame.find(f"{{{_A}}}graphic/{{{_A}}}graphicData")
            uri = "" if data is None else data.get("uri", "")
            if any(True for _ in frame.iter(_TXBX)):
                pieces.issues.append(self._text_box_issue(frame))
            elif uri == _DML + "picture" and _over_text(frame):
                pieces.issues.append(_OVER_TEXT)
            elif uri == _DML + "picture":
                blip = data.find(f".//{{{_A}}}blip") if data is not None else None
                if _cropped(data):
                    pieces.issues.append(_CROPPED)
                extent = frame.find(f"{{{_WP}}}extent")
                size = None
                if extent is not None:
                    size = (_int(extent.get("cx"), 0) / EMU_PER_MM, _int(extent.get("cy"), 0) / EMU_PER_MM)
                name = frame.find(f"{{{_WP}}}docPr")
                self._picture(None if blip is None else blip.get(f"{{{_R}}}embed"), size,
                              "" if name is None else name.get("name", ""), pieces)
            elif uri == _DML + "chart":
                pieces.issues.append("中的图表无法排版，请在Word中把图表复制、选择性粘贴为PNG图片后插入")
            elif uri == _DML + "diagram":
                pieces.issues.append("中的SmartArt图形无法排版，请另存为PNG图片后插入")
            elif data is not None:
                pieces.issues.append("中的图形（自选图形、组合图或画布）无法排版，请另存为PNG图片后插入")

    def _vml(self, pict: Any, pieces: _Pieces) -> None:
        """An older picture or shape (VML), as WPS and Word 2007 write them."""
        if any(True for _ in pict.iter(_TXBX)):
            pieces.issues.append(self._text_box_issue(pict))
            return
        image = next(pict.iter(f"{{{_V}}}imagedata"), None)
        if image is None:
            pieces.issues.append("中的图形（线条、自选图形）无法排版")
            return
        shape = image.getparent()
        style = shape.get("style", "") if shape is not None else ""
        if _vml_over_text(shape, style):
            pieces.issues.append(_OVER_TEXT)
            return
        if any(image.get(side) for side in ("cropleft", "croptop", "cropright", "cropbottom")):
            pieces.issues.append(_CROPPED)
        self._picture(image.get(f"{{{_R}}}id"), _vml_size(style), "", pieces)

    def _picture(self, rel_id: str | None, size: tuple[float, float] | None, name: str, pieces: _Pieces) -> None:
        part = self.part.related_parts.get(rel_id) if rel_id else None
        if part is None:
            pieces.issues.append("中的图片是链接的外部文件，文件里没有图片本身，请在Word中插入图片（不选“链接到文件”）")
            return
        data: bytes = part.blob
        kind = _image_kind(data)
        if kind not in ("PNG", "JPEG"):
            pieces.issues.append(f"中的图片（{kind}格式）无法排版，请另存为PNG后插入")
            return
        if size is None or size[0] <= 0 or size[1] <= 0:
            size = _natural_size_mm(data, kind)
        if size is None:
            pieces.issues.append("中的图片大小无法读取，请在Word中重新插入该图片")
            return
        pieces.items.append(BodyImage(data, round(size[0], 2), round(size[1], 2), name))

    def _text_box_issue(self, container: Any) -> str:
        said = " ".join(_all_text(p) for box in container.iter(_TXBX) for p in box.iter(_P))
        return f"中的文本框{_quoted(said)}无法排版，请把其中的文字移入正文"

    # -- tables ----------------------------------------------------------------------------------------

    def _table(self, tbl: Any) -> None:
        self.table_count += 1
        place = f"第{self.table_count}个表格"
        issues: list[str] = []
        grid = self._grid(tbl, issues, 0)
        self.dropped.extend(dict.fromkeys(place + issue for issue in issues))
        if grid.rows:
            self.blocks.append(BodyTable(grid.rows, grid.header_rows, grid.spans))

    def _grid(self, tbl: Any, issues: list[str], depth: int) -> _Grid:
        """A table's cells as text on its grid: a merged cell's text in its top-left cell, "" in those it covers,
        and each merged area (w:gridSpan across, w:vMerge down, the old w:hMerge across) as a CellSpan."""
        if depth > _NESTING_LIMIT:
            raise _refused(f"正文文件的表格嵌套过深，不像Word保存的文件。{_RESAVE}")
        rows: list[list[str]] = []
        merges = _Merges()
        header_rows, heading = 0, True
        for row_index, tr in enumerate(_rows(tbl)):
            cells = [""] * _int(_val(tr.find(f"{_w('trPr')}/{_w('gridBefore')}")), 0)
            merges.start_row()
            for tc in _cells(tr):
                self.cell_count += 1
                if self.cell_count > MAX_TABLE_CELLS:
                    raise _refused(f"正文的表格超过{MAX_TABLE_CELLS}个单元格，不像一份公文的正文。请检查是否选错了文件")
                tcpr = tc.find(_w("tcPr"))
                span = max(1, min(_int(_val(tcpr.find(_w("gridSpan"))) if tcpr is not None else None, 1), 64))
                v_merge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                h_merge = tcpr.find(_w("hMerge")) if tcpr is not None else None
                # w:vMerge without a value continues the merge above, as does w:hMerge the one to its left.
                v_continues = v_merge is not None and _val(v_merge) != "restart"
                h_continues = h_merge is not None and _val(h_merge) != "restart"
                merged_in = merges.cell(row_index, len(cells), span, v_continues, h_continues)
                cells.append("" if v_continues or h_continues else self._cell_text(tc, issues, depth))
                cells.extend([""] * (span - 1))
                if not merged_in and (v_continues or h_continues):
                    issues.append("中有与上方或左侧单元格无法对齐的合并单元格，已按单独的空单元格排版，请核对")
            marked = tr.find(f"{_w('trPr')}/{_w('tblHeader')}")
            heading = heading and marked is not None and _val(marked) not in ("0", "false", "off")
            header_rows += 1 if heading else 0
            rows.append(cells)
        width = max((len(row) for row in rows), default=0)
        grid = tuple(tuple(row + [""] * (width - len(row))) for row in rows)
        if not header_rows:
            header_rows = 1 if len(grid) > 1 else 0
        return _Grid(grid, header_rows, merges.spans())

    def _cell_text(self, tc: Any, issues: list[str], depth: int) -> str:
        lines: list[str] = []
        for child in _block_children(tc):
            if child.tag == _P:
                pieces, _ = self._read_paragraph(child)
                issues.extend(pieces.issues)
                for item in pieces.items:
                    if isinstance(item, BodyImage):
                        issues.append("中的图片无法排版（表格中只能排文字），请把图片移到表格外")
                    elif isinstance(item, str) and item.strip(_INDENT + "\n"):
                        lines.append(item.strip(_INDENT))
            elif child.tag == _TBL:
                issues.append("中嵌套的表格已转为文字，请核对")
                nested = self._grid(child, issues, depth + 1)
                lines.extend(" ".join(cell for cell in row if cell) for row in nested.rows if any(row))
        return "\n".join(lines)

    # -- sections, headers and footers -----------------------------------------------------------------

    def _section(self, sect: Any, place: str) -> None:
        size = sect.find(_w("pgSz"))
        if size is None:
            return
        landscape = size.get(_w("orient")) == "landscape" or _int(size.get(_w("w")), 0) > _int(size.get(_w("h")), 0)
        if landscape:
            self.dropped.append(f"{place}设为横向页面，排版后为纵向（A4竖排），宽表格按版心宽度排列，请核对")

    def _headers_and_footers(self) -> None:
        said: dict[str, None] = {}
        for sect in self.body.iter(_w("sectPr")):
            for ref in list(sect.iterchildren(_w("headerReference"))) + list(sect.iterchildren(_w("footerReference"))):
                part = self.part.related_parts.get(ref.get(f"{{{_R}}}id", ""))
                if part is None:
                    continue
                where = "页眉" if ref.tag == _w("headerReference") else "页脚"
                root = getattr(part, "element", None)
                if root is None:
                    continue
                text = " ".join(_all_text(p) for p in root.iter(_P)).strip()
                if not _only_page_number(text):
                    said[f"{where}中的文字{_quoted(text)}不会排版"] = None
                for mark in root.iter(f"{{{_V}}}textpath"):
                    said[f"{where}中的水印{_quoted(mark.get('string', ''))}不会排版"] = None
        self.dropped.extend(said)


def _over_text(frame: Any) -> bool:
    """A floating picture laid over or under the text (a seal, a logo), not a figure the text makes room for."""
    if frame.tag != f"{{{_WP}}}anchor":
        return False
    return frame.get("behindDoc") in ("1", "true") or frame.find(f"{{{_WP}}}wrapNone") is not None


_VML_WRAPS = ("square", "tight", "through", "topAndBottom")


def _vml_over_text(shape: Any | None, style: str) -> bool:
    """The VML form of _over_text: a shape placed absolutely that the text does not wrap around."""
    if shape is None or not re.search(r"position\s*:\s*absolute", style):
        return False
    wrap = shape.find("{urn:schemas-microsoft-com:office:word}wrap")
    return wrap is None or wrap.get("type") not in _VML_WRAPS


def _cropped(data: Any) -> bool:
    crop = data.find(f".//{{{_A}}}srcRect")
    return crop is not None and any(_int(crop.get(side), 0) for side in ("l", "t", "r", "b"))


def _only_page_number(text: str) -> bool:
    """A footer with nothing but the page number: the typesetter prints its own, so nothing is lost."""
    return not re.sub(r"[\s\d\-—–－第页共/PpageofＰ]", "", text)


def _block_children(container: Any, depth: int = 0) -> Iterator[Any]:
    """The w:p, w:tbl and other block elements of a body or cell, looking through content controls."""
    for child in container:
        if child.tag in (_w("sdt"), _w("customXml")) and depth < _NESTING_LIMIT:
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _block_children(content, depth + 1)
        else:
            yield child


@dataclass(frozen=True)
class _Grid:
    rows: tuple[tuple[str, ...], ...]
    header_rows: int
    spans: tuple[CellSpan, ...]


@dataclass
class _Area:
    """A merged area being read: its top-left cell and reach so far."""

    row: int
    column: int
    rows: int
    columns: int


class _Merges:
    """The merged areas of a table as its cells are read row by row, left to right."""

    def __init__(self) -> None:
        self.areas: list[_Area] = []
        self.open_below: dict[int, _Area] = {}  # by starting column: areas the next row may continue down
        self.continued: dict[int, _Area] = {}
        self.last: _Area | None = None  # the area of the cell just read in this row

    def start_row(self) -> None:
        # An area that the row just read did not continue is closed: a later w:vMerge under it starts nothing.
        self.open_below, self.continued, self.last = self.continued, {}, None

    def cell(self, row: int, column: int, span: int, v_continues: bool, h_continues: bool) -> bool:
        """Take a cell at its place on the grid; False when it continues a merge that is not there to continue
        (Word shows such a cell as an empty one of its own, and so does the typeset table)."""
        above = self.open_below.get(column)
        if v_continues and above is not None and above.columns == span:
            above.rows += 1
            self.continued[column] = self.last = above
            return True
        last = self.last
        if h_continues and not v_continues and last is not None and last.row == row and last.rows == 1 \
                and last.column + last.columns == column:
            last.columns += span
            return True
        area = _Area(row, column, 1, span)
        self.areas.append(area)
        self.continued[column] = self.last = area
        return not (v_continues or h_continues)

    def spans(self) -> tuple[CellSpan, ...]:
        return tuple(CellSpan(a.row, a.column, a.rows, a.columns) for a in self.areas if a.rows > 1 or a.columns > 1)


def _rows(tbl: Any) -> Iterator[Any]:
    for child in _block_children(tbl):
        if child.tag == _TR:
            yield child


def _cells(tr: Any) -> Iterator[Any]:
    for child in _block_children(tr):
        if child.tag == _TC:
            yield child


def _hidden(run: Any) -> bool:
    vanish = run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and _val(vanish) not in ("0", "false", "off")


def _chosen(alternate: Any) -> Any:
    """The branch of mc:AlternateContent Word shows: its first choice (the fallback repeats it for older
    readers, so reading both would read a picture or text box twice)."""
    choice = alternate.find(f"{{{_MC}}}Choice")
    if choice is not None:
        return choice
    fallback = alternate.find(f"{{{_MC}}}Fallback")
    return fallback if fallback is not None else []


def _image_kind(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF":
        return "EMF"
    if data.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return "WMF"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith(b"BM"):
        return "BMP"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    if b"<svg" in data[:1024]:
        return "SVG"
    return "未知"


_VML_UNITS_MM = {"pt": 25.4 / 72, "in": 25.4, "cm": 10.0, "mm": 1.0, "px": 25.4 / 96}


def _vml_size(style: str) -> tuple[float, float] | None:
    sizes: dict[str, float] = {}
    for key, number, unit in re.findall(r"(?<![-\w])(width|height)\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)", style):
        try:
            sizes[key] = float(number) * _VML_UNITS_MM[unit]
        except ValueError:
            return None
    return (sizes["width"], sizes["height"]) if len(sizes) == 2 else None


def _natural_size_mm(data: bytes, kind: str) -> tuple[float, float] | None:
    """The picture's own size at 96 dpi, for a picture whose place in the document gives none."""
    pixels: tuple[int, int] | None = None
    if kind == "PNG" and len(data) >= 24:
        pixels = struct.unpack(">II", data[16:24])
    elif kind == "JPEG":
        pixels = _jpeg_pixels(data)
    if not pixels or not all(pixels):
        return None
    return pixels[0] * 25.4 / 96, pixels[1] * 25.4 / 96


def _jpeg_pixels(data: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return None
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    return None
