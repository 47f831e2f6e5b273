"""What a file is, read from its first bytes rather than from its name or from what the sender claimed.

Nothing here decodes a whole file: an image's size comes from its header, so a 17 KB file that would
unpack to gigabytes is measured, not unpacked.
"""

from __future__ import annotations

import io
import struct
import zipfile

__all__ = ["MAX_IMAGE_PIXELS", "MAX_IMAGE_SIDE", "executable_kind", "image_size", "image_too_large", "sniff_mime"]

# A scanned A4 page at 600 dpi is 35 megapixels and 7,016 px high; a phone photo 12 to 50 megapixels.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 20_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LNK = b"\x4c\x00\x00\x00\x01\x14\x02\x00"
_MACH_O = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
# The root storage's class of an installer database ({000C1084-…}), a patch (…1086) or a transform (…1082).
_MSI_CLASS_TAIL = b"\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_MSI_CLASS_HEADS = (b"\x84\x10\x0c\x00", b"\x86\x10\x0c\x00", b"\x82\x10\x0c\x00")


def _ole_root_class(data: bytes) -> bytes:
    """The CLSID of an OLE compound file's root entry (the first entry of its first directory sector)."""
    if len(data) < 0x40:
        return b""
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if not 7 <= sector_shift <= 16:
        return b""
    first_directory = struct.unpack_from("<I", data, 0x30)[0]
    offset = (first_directory + 1) * (1 << sector_shift) + 0x50
    return data[offset:offset + 16] if offset + 16 <= len(data) else b""


def executable_kind(data: bytes) -> str | None:
    """What kind of program the content is, in words for the user; None for a document."""
    head = data[:16]
    if head.startswith(b"MZ"):
        # A DOS header; Windows programs (PE) and DOS programs both begin so, and no document format does.
        return "Windows 可执行程序"
    if head.startswith(b"\x7fELF"):
        return "Linux 可执行程序"
    if head.startswith(_MACH_O):
        return "macOS 可执行程序或 Java 类文件"
    if head.startswith(b"#!"):
        return "脚本程序"
    if head.startswith(_LNK):
        return "Windows 快捷方式"
    if head.startswith(_OLE):
        root = _ole_root_class(data)
        if root[4:] == _MSI_CLASS_TAIL and root[:4] in _MSI_CLASS_HEADS:
            return "Windows 安装程序"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "application/zip"
    if any(name.startswith("word/") for name in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if any(name.startswith("ppt/") for name in names):
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    if "OFD.xml" in names:
        return "application/ofd"
    return "application/zip"


def _ole_kind(data: bytes) -> str:
    """Which Office 97 document: its main stream's name appears in the directory (UTF-16). WPS's own .wps
    files carry a WordDocument stream too, and are opened as Word files."""
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("WordDocument"):
        return "application/msword"
    if has("Workbook") or has("Book"):
        return "application/vnd.ms-excel"
    if has("PowerPoint Document"):
        return "application/vnd.ms-powerpoint"
    return "application/x-ole-storage"


def _is_text(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as error:
            # A character cut by the sample's end is not a reason to call it binary.
            if error.start < len(sample) - 4:
                continue
            text = sample[:error.start].decode(encoding)
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        return controls == 0
    return False


def sniff_mime(data: bytes) -> str:
    """The MIME type the content shows; application/octet-stream when it shows none."""
    head = data[:16]
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"BM") and len(data) >= 18 and struct.unpack_from("<I", data, 14)[0] in (12, 40, 52, 56, 108, 124):
        return "image/bmp"
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return _ole_kind(data)
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    if _is_text(data):
        return "text/plain"
    return "application/octet-stream"


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 9 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        length = struct.unpack_from(">H", data, position + 2)[0]
        # SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame's height then width.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack_from(">HH", data, position + 5)
            return width, height
        position += 2 + length
    return None


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    order = "<" if data.startswith(b"II") else ">"
    try:
        offset = struct.unpack_from(order + "I", data, 4)[0]
        count = struct.unpack_from(order + "H", data, offset)[0]
        found: dict[int, int] = {}
        for index in range(count):
            tag, kind, _, value = struct.unpack_from(order + "HHI4s", data, offset + 2 + 12 * index)
            if tag in (256, 257):
                found[tag] = struct.unpack_from(order + ("H" if kind == 3 else "I"), value)[0]
    except struct.error:
        return None
    if 256 in found and 257 in found:
        return found[256], found[257]
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20:21] == b"\x2f":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from an image's header, None if it is not an image whose header says."""
    try:
        kind = sniff_mime(data[:1024]) if not data.startswith(b"PK") else ""
        if kind == "image/png" and data[12:16] == b"IHDR":
            width, height = struct.unpack_from(">II", data, 16)
            return width, height
        if kind == "image/gif":
            width, height = struct.unpack_from("<HH", data, 6)
            return width, height
        if kind == "image/bmp":
            if struct.unpack_from("<I", data, 14)[0] == 12:
                width, height = struct.unpack_from("<HH", data, 18)
                return width, height
            width, height = struct.unpack_from("<ii", data, 18)
            return abs(width), abs(height)
        if kind == "image/webp":
            return _webp_size(data)
        if kind == "image/jpeg":
            return _jpeg_size(data)
        if kind == "image/tiff":
            return _tiff_size(data)
    except struct.error:
        return None
    return None


def image_too_large(width: int, height: int) -> bool:
    return width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS
