"""File names and contents that would write or run something elsewhere: cleaned or recognised, on either OS."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from app.core.file_content import executable_kind, image_size, image_too_large, sniff_mime
from app.core.file_names import DEFAULT_NAME, MAX_NAME_BYTES, MAX_NAME_CHARS, clean_name, executable_extension


@pytest.mark.parametrize(("hostile", "cleaned"), [
    ("..\\..\\..\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\x.bat", "x.bat"),
    ("../../x", "x"),
    ("/etc/cron.d/job", "job"),
    ("C:\\Windows\\System32\\evil.dll", "evil.dll"),
    ("C:evil.txt", "evil.txt"),
    ("\\\\server\\share\\scan.pdf", "scan.pdf"),
    ("\\\\?\\C:\\x\\scan.pdf", "scan.pdf"),
    ("report.pdf:hidden.exe", "report.pdf_hidden.exe"),
    ("a\x00b\x1f\x7fc.pdf", "abc.pdf"),
    ("x.bat. . .", "x.bat"),
    ("  报告.docx  ", "报告.docx"),
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("nul .pdf", "_nul.pdf"),
    ("COM1.jpg", "_COM1.jpg"),
    ("lpt9", "_lpt9"),
    ("COM¹.png", "_COM¹.png"),
    ("what?<>|\"*.pdf", "what______.pdf"),
    ("..", DEFAULT_NAME),
    ("", DEFAULT_NAME),
    ("\\", DEFAULT_NAME),
    (".bashrc", "bashrc"),
    ("扫描件\u202egpj.exe", "扫描件gpj.exe"),
    ("console.pdf", "console.pdf"),
])
def test_a_hostile_name_is_cut_to_a_base_name_safe_on_windows_and_linux(hostile: str, cleaned: str) -> None:
    assert clean_name(hostile) == cleaned
    # Cleaning again changes nothing: the name cleaned at upload is the one cleaned at export.
    assert clean_name(cleaned) == cleaned


def test_a_long_name_is_bounded_and_keeps_its_extension() -> None:
    name = clean_name("关于" * 200 + ".docx")
    assert name.endswith(".docx")
    assert len(name) <= MAX_NAME_CHARS and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(clean_name("a" * 1000)) == MAX_NAME_CHARS


@pytest.mark.parametrize("name", [
    "x.exe", "X.EXE", "setup.msi", "a.bat", "a.cmd", "a.com", "a.scr", "a.js", "a.vbs", "a.ps1", "a.lnk",
    "a.sh", "a.desktop", "a.hta", "a.jar", "a.py", "a.cpl", "a.pif", "a.wsf", "a.iso",
    "报告.pdf.exe", "x.bat. ", "x.ex\u200be", "dir\\x.exe",
])
def test_a_program_is_known_by_its_name(name: str) -> None:
    assert executable_extension(name) is not None


@pytest.mark.parametrize("name", ["报告.pdf", "表.xlsx", "正文.docx", "正文.ofd", "扫描.jpg", "说明.txt", "exe", "a.exe.pdf"])
def test_a_document_is_not_taken_for_a_program(name: str) -> None:
    assert executable_extension(name) is None


def _ole(root_class: bytes, stream: str = "") -> bytes:
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<H", header, 0x1E, 9)
    struct.pack_into("<I", header, 0x30, 0)
    directory = bytearray(512)
    directory[:len(stream.encode("utf-16-le"))] = stream.encode("utf-16-le")
    directory[0x50:0x60] = root_class
    return bytes(header + directory)


MSI_CLASS = b"\x84\x10\x0c\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00",
    b"\x7fELF\x02\x01\x01",
    b"\xcf\xfa\xed\xfe\x07\x00\x00\x01",
    b"#!/bin/sh\nrm -rf ~\n",
    b"\x4c\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 70,
    _ole(MSI_CLASS),
])
def test_a_program_is_known_by_its_content_whatever_its_name(content: bytes) -> None:
    assert executable_kind(content) is not None


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _png(width: int, height: int) -> bytes:
    """A PNG's signature and header only: enough to be measured, never to be decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


@pytest.mark.parametrize(("content", "mime"), [
    (b"%PDF-1.7\n...", "application/pdf"),
    (_png(10, 10), "image/png"),
    (_jpeg(10, 10), "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00", "image/gif"),
    (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
    (b"BM" + b"\x00" * 12 + struct.pack("<I", 40) + b"\x00" * 30, "image/bmp"),
    (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (_ole(b"\x00" * 16, "WordDocument"), "application/msword"),
    ("会议纪要\n第一条".encode(), "text/plain"),
    ("会议纪要".encode("gb18030"), "text/plain"),
    (b"\x00\x01\x02\x03binary", "application/octet-stream"),
])
def test_the_type_comes_from_the_content(content: bytes, mime: str) -> None:
    assert sniff_mime(content) == mime


def test_an_image_is_measured_from_its_header_without_decoding() -> None:
    assert image_size(_png(12_000, 12_000)) == (12_000, 12_000)
    assert image_size(_jpeg(4000, 3000)) == (4000, 3000)
    assert image_size(b"GIF89a" + struct.pack("<HH", 30_000, 2)) == (30_000, 2)
    assert image_too_large(12_000, 12_000) and image_too_large(20_001, 10) and not image_too_large(7016, 4961)
    assert image_size(b"%PDF-1.4") is None


@pytest.mark.parametrize(("fmt", "mime", "options"), [
    ("PNG", "image/png", {}), ("JPEG", "image/jpeg", {"progressive": True}), ("GIF", "image/gif", {}),
    ("BMP", "image/bmp", {}), ("TIFF", "image/tiff", {"compression": "tiff_lzw"}),
    ("WEBP", "image/webp", {}), ("WEBP", "image/webp", {"lossless": True}),
])
def test_real_images_are_typed_and_measured_as_their_decoder_sees_them(fmt: str, mime: str, options: dict) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (321, 123)).save(buffer, fmt, **options)
    assert sniff_mime(buffer.getvalue()) == mime
    assert image_size(buffer.getvalue()) == (321, 123)


def test_real_office_files_are_typed_from_their_content() -> None:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert sniff_mime(buffer.getvalue()) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    assert sniff_mime(ofd.getvalue()) == "application/ofd"
    assert executable_kind(buffer.getvalue()) is None and executable_kind(_ole(b"\x00" * 16, "Workbook")) is None
