"""The searchable text of an attached file, read once when it is added (app.services.search.upkeep).

Every file is hostile until read: a .docx is a zip that may unpack to gigabytes or carry a DTD, a PDF may
be broken or enormous. Whatever cannot be read safely and quickly is searched by its name only; nothing here
raises for a bad file.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from app.core.search_text import MAX_INDEXED_CHARS

# A Word body beyond this unpacked is not read (a real document's XML is well under it; a zip bomb is not).
MAX_DOCX_XML_BYTES = 40 * 1024 * 1024
MAX_ZIP_RATIO = 200
# The pages of a PDF whose text is read: a 200-page report is searched by its first 200 pages.
MAX_PDF_PAGES = 200
MAX_TEXT_BYTES = 5 * 1024 * 1024

_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def file_text(filename: str, data: bytes) -> str:
    """The file's text, or "" where it has none that can be read (a scan, a picture, a damaged file)."""
    name = filename.lower()
    try:
        if data[:4] == b"PK\x03\x04" and name.endswith((".docx", ".docm", ".dotx")):
            return _docx_text(data)[:MAX_INDEXED_CHARS]
        if data[:5] == b"%PDF-":
            return _pdf_text(data)[:MAX_INDEXED_CHARS]
        if name.endswith(".txt") and len(data) <= MAX_TEXT_BYTES:
            return _plain_text(data)[:MAX_INDEXED_CHARS]
    except Exception:  # noqa: BLE001 - a file that breaks a reader is searched by its name, never an error
        return ""
    return ""


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            return ""
        if info.file_size > MAX_DOCX_XML_BYTES or info.file_size > max(info.compress_size, 1) * MAX_ZIP_RATIO:
            return ""
        with archive.open(info) as stream:
            xml = stream.read(MAX_DOCX_XML_BYTES + 1)
    if len(xml) > MAX_DOCX_XML_BYTES or _DOCTYPE.search(xml[:4096]) or _DOCTYPE.search(xml):
        return ""
    paragraphs: list[str] = []
    current: list[str] = []
    for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):
        tag = element.tag
        if tag == f"{_WORD}t":
            current.append(element.text or "")
        elif tag == f"{_WORD}tab":
            current.append(" ")
        elif tag == f"{_WORD}p":
            if current:
                paragraphs.append("".join(current))
            current = []
            element.clear()
    if current:
        paragraphs.append("".join(current))
    return "\n".join(paragraphs)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return ""
    pages: list[str] = []
    total = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        pages.append(text)
        total += len(text)
        if total >= MAX_INDEXED_CHARS:
            break
    return "\n".join(pages)


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""
