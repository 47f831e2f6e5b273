"""What reportlab learns by parsing a TrueType file, kept on disk so that each file is parsed once per machine.

Parsing builds the character map and the widths of tens of thousands of glyphs: about 120 ms for the three
bundled files, on every print. The cache keeps exactly the attributes ``TTFontFile.extractInfo`` sets on the
face, one file per font file and face, in the per-user cache folder (``app.paths.cache_dir()``). A later
process reads the font file's bytes and table directory as reportlab does (subsetting copies glyphs out of
them) and takes the rest from the cache instead of parsing.

The cache file comes from disk and is treated as untrusted: no pickle, marshal or eval, only a format read
here field by field. It is a magic line, the length of a JSON header, the header, then blocks of fixed-size
little-endian numbers (``array``) whose names, types and counts the header lists, and a BLAKE2 digest of
all that. The header names the font file (path, size, mtime_ns, face index), reportlab's version and this
format's. A file that differs in any of these, is cut short, has a field of the wrong type, a count that
does not add up, or a value that reportlab's subsetting could trip on, is ignored: the font is parsed
normally and the cache written again. Writing goes to a temporary file renamed into place, and a failure to
write never fails a print.
"""

from __future__ import annotations

import array
import hashlib
import json
import logging
import math
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from itertools import groupby, islice
from pathlib import Path
from typing import Any

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, TTFontParser
from reportlab.rl_config import unShapedFontGlob

log = logging.getLogger(__name__)

FORMAT = 1
MAGIC = b"GovDesk font cache\n"
_HEADER_LIMIT = 1 << 20
_DIGEST_SIZE = 16
_FILE_LIMIT = 64 << 20

# The typecodes a block may have, with the item size each must have on this machine.
_ITEM_SIZES = {"B": 1, "i": 4, "q": 8, "d": 8}

# What extractInfo sets on the face besides the big tables (and _pdfScale, rebuilt from unitsPerEm).
_INTS = ("stemV", "flags", "underlinePosition", "underlineThickness", "numGlyphs", "unitsPerEm", "_pos")
_NUMBERS = ("ascent", "descent", "capHeight", "italicAngle", "defaultWidth")
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_SCALARS = (*_INTS, *_NUMBERS, *_NAMES, "bbox", "fontRevision", "_full_font")
# The big tables, as the blocks that hold them.
_BLOCKS = (
    "charToGlyph.keys", "charToGlyph.values",
    "charWidths.keys", "charWidths.values.ints", "charWidths.values.floats", "charWidths.values.runs",
    "glyphToChar.keys", "glyphToChar.first", "glyphToChar.more.index", "glyphToChar.more.counts",
    "glyphToChar.more.chars",
    "hmetrics.advances.ints", "hmetrics.advances.floats", "hmetrics.advances.runs", "hmetrics.bearings",
    "glyphPos",
)
# A column of ints and floats is stored as runs of each: reportlab's hmetrics has one run of each.
_MAX_RUNS = 4096
CACHED_ATTRIBUTES = frozenset((*_SCALARS, "charToGlyph", "charWidths", "glyphToChar", "hmetrics", "glyphPos"))


class CacheError(ValueError):
    """The cache file is not one this code wrote for this font file."""


@dataclass(frozen=True)
class FontKey:
    """What a cache file must name to be used for a font file: anything else is another file or another parse."""

    path: str
    size: int
    mtime_ns: int
    subfont_index: int

    @classmethod
    def of(cls, path: Path, subfont_index: int) -> FontKey:
        stat = os.stat(path)
        return cls(str(path), stat.st_size, stat.st_mtime_ns, subfont_index)

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "reportlab": reportlab.Version, "path": self.path, "size": self.size,
                "mtime_ns": self.mtime_ns, "subfont": self.subfont_index}


def cache_file(folder: Path, key: FontKey) -> Path:
    digest = hashlib.blake2s(f"{key.path}\0{key.subfont_index}".encode(), digest_size=12).hexdigest()
    return folder / f"{Path(key.path).stem[:40]}-{digest}.bin"


# ----- loading a font ----------------------------------------------------------------------------------------


def load_ttfont(name: str, path: Path, subfont_index: int, folder: Path | None) -> TTFont:
    """The reportlab font of this file and face: from the cache when it holds this very file, else parsed
    (and the cache written for the next process). folder None means no cache at all."""
    if folder is None:
        return TTFont(name, str(path), subfontIndex=subfont_index)
    try:
        key = FontKey.of(path, subfont_index)
    except OSError:
        return TTFont(name, str(path), subfontIndex=subfont_index)  # reportlab says what is wrong with it
    target = cache_file(folder, key)
    face = _cached_face(target, key)
    if face is not None:
        return _font_with_face(name, face)
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    write_cache(target, key, font.face)
    return font


def _cached_face(target: Path, key: FontKey) -> TTFontFace | None:
    try:
        with open(target, "rb") as stream:
            data = stream.read(_FILE_LIMIT + 1)
    except OSError:
        return None  # not written yet, or not readable: parse
    try:
        attributes = decode(data, key)
        face = face_from(attributes, key)
    except (CacheError, OSError) as exc:
        log.info("字体缓存%s不可用（%s），重新读取字体文件", target, exc)
        return None
    return face


def face_from(attributes: dict[str, Any], key: FontKey) -> TTFontFace:
    """A face as reportlab's parse leaves it: the file's bytes and table directory read by reportlab's own
    parser (cheap), everything extractInfo computes taken from the cache."""
    face = TTFontFace.__new__(TTFontFace)
    pdfmetrics.TypeFace.__init__(face, None)
    TTFontParser.__init__(face, key.path, validate=0, subfontIndex=key.subfont_index)
    if len(face._ttf_data) != key.size:
        raise CacheError("字体文件在读取时变了")
    glyf = face.table.get("glyf")
    if glyf is None or max(attributes["glyphPos"]) > glyf["length"]:
        raise CacheError("字形位置超出 glyf 表")
    for attribute, value in attributes.items():
        setattr(face, attribute, value)
    face._pdfScale = _pdf_scale(attributes["unitsPerEm"])
    return face


def _pdf_scale(units_per_em: int) -> Any:
    # As extractInfo builds it: the identity for 1000 units, else the same multiplication.
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _font_with_face(name: str, face: TTFontFace) -> TTFont:
    """What TTFont.__init__ makes, around a face that needed no parse."""
    from weakref import WeakKeyDictionary

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, pattern) for pattern in unShapedFontGlob)
    return font


# ----- writing -----------------------------------------------------------------------------------------------


def write_cache(target: Path, key: FontKey, face: TTFontFace) -> bool:
    """Keep what the parse found, for the next process. Whether it was written: a face this format cannot
    hold exactly, or a folder that cannot be written, only means the next process parses too."""
    try:
        data = encode(face, key)
        # Only what reads back as this very face is kept.
        if decode(data, key) != {attribute: getattr(face, attribute) for attribute in CACHED_ATTRIBUTES}:
            raise CacheError("读回的内容与解析结果不同")
    except (CacheError, AttributeError, TypeError, ValueError, OverflowError) as exc:
        log.info("字体%s的解析结果无法缓存（%s）", key.path, exc)
        return False
    temporary: str | None = None
    try:
        import tempfile  # only the first print on a machine writes: a few ms of imports spared the others

        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)  # atomic: a reader sees the old file or the whole new one
        temporary = None
    except OSError as exc:
        log.info("无法写入字体缓存%s（%s），下次打印会重新读取字体文件", target, exc)
        return False
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
    return True


def _name_json(value: object) -> list[str]:
    # TTFNameBytes is the UTF-8 of its ustr (it re-encodes whatever it decoded), so the text rebuilds it.
    if isinstance(value, TTFNameBytes):
        text: str = value.ustr
        if bytes(value) == text.encode("utf-8"):
            return ["ttf", text]
    if type(value) is str:
        return ["str", value]
    raise CacheError(f"名称类型 {type(value).__name__}")


def _numbers(name: str, values: Iterable[object], blocks: dict[str, array.array[Any]]) -> None:
    """One column of ints and floats, each kept as the type it was (reportlab mixes them: hmetrics holds
    ints, then floats for the glyphs after the last full metric): the ints, the floats, and the lengths of
    the alternating runs of each, starting with ints."""
    ints: list[int] = []
    floats: list[float] = []
    runs: list[int] = []
    for kind, group in groupby(values, key=type):
        run = list(group)
        if kind is int:
            ints += run  # type: ignore[arg-type]
        elif kind is float:
            floats += run  # type: ignore[arg-type]
        else:
            raise CacheError(f"{name} 含非数字")
        if (len(runs) % 2 == 0) != (kind is int):
            runs.append(0)
        runs.append(len(run))
    if len(runs) > _MAX_RUNS:
        raise CacheError(f"{name} 的整数和小数交替太多")
    blocks[name + ".ints"] = _int_array(ints)
    blocks[name + ".floats"] = array.array("d", floats)
    blocks[name + ".runs"] = _int_array(runs or [0])


def _int_array(values: Sequence[int]) -> array.array[int]:
    small = not values or (min(values) >= -(2**31) and max(values) < 2**31)
    return array.array("i" if small else "q", values)


def encode(face: TTFontFace, key: FontKey) -> bytes:
    scalars: dict[str, Any] = {}
    for attribute in (*_INTS, *_NUMBERS, "bbox", "fontRevision", "_full_font"):
        value = getattr(face, attribute)
        scalars[attribute] = list(value) if isinstance(value, tuple) else value
    for attribute in _NAMES:
        scalars[attribute] = _name_json(getattr(face, attribute))
    if type(face.fontRevision) is not tuple or type(face.bbox) is not list:
        raise CacheError("fontRevision/bbox 类型")
    blocks: dict[str, array.array[Any]] = {}
    blocks["charToGlyph.keys"] = _int_array(list(face.charToGlyph))
    blocks["charToGlyph.values"] = _int_array(list(face.charToGlyph.values()))
    blocks["charWidths.keys"] = _int_array(list(face.charWidths))
    _numbers("charWidths.values", face.charWidths.values(), blocks)
    # Nearly every glyph has one character: its first one in one block, the few others apart.
    glyph_chars = list(face.glyphToChar.values())
    blocks["glyphToChar.keys"] = _int_array(list(face.glyphToChar))
    blocks["glyphToChar.first"] = _int_array([chars[0] for chars in glyph_chars])
    more = [(index, chars[1:]) for index, chars in enumerate(glyph_chars) if len(chars) > 1]
    blocks["glyphToChar.more.index"] = _int_array([index for index, _ in more])
    blocks["glyphToChar.more.counts"] = _int_array([len(chars) for _, chars in more])
    blocks["glyphToChar.more.chars"] = _int_array([c for _, chars in more for c in chars])
    _numbers("hmetrics.advances", (advance for advance, _ in face.hmetrics), blocks)
    blocks["hmetrics.bearings"] = _int_array([bearing for _, bearing in face.hmetrics])
    blocks["glyphPos"] = _int_array(face.glyphPos)
    body = bytearray()
    listed = []
    for name, block in blocks.items():
        if block.itemsize != _ITEM_SIZES[block.typecode]:
            raise CacheError(f"{block.typecode} 的长度不是 {_ITEM_SIZES[block.typecode]}")
        if sys.byteorder == "big":
            block = array.array(block.typecode, block)
            block.byteswap()
        listed.append([name, block.typecode, len(block)])
        body += block.tobytes()
    header = json.dumps({"key": key.as_json(), "scalars": scalars, "blocks": listed},
                        ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
    signed = MAGIC + len(header).to_bytes(4, "little") + header + bytes(body)
    return signed + _digest(signed)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


# ----- reading, strictly -------------------------------------------------------------------------------------


def _reject_constant(name: str) -> None:
    raise CacheError(f"非法数值 {name}")


def decode(data: bytes, key: FontKey) -> dict[str, Any]:
    """The face's attributes from a cache file's bytes, or CacheError for anything this code did not write
    for this very font file."""
    try:
        return _decode(data, key)
    except CacheError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, MemoryError) as exc:
        # A shape the checks did not foresee (a list where a name should be...): still only a bad cache.
        raise CacheError(f"{type(exc).__name__}: {exc}") from None


def _decode(data: bytes, key: FontKey) -> dict[str, Any]:
    if len(data) > _FILE_LIMIT or not data.startswith(MAGIC):
        raise CacheError("不是字体缓存文件")
    start = len(MAGIC) + 4
    if len(data) < start + _DIGEST_SIZE:
        raise CacheError("文件不完整")
    # The digest covers everything before it: a file cut short, or changed anywhere, stops here.
    data, digest = data[:-_DIGEST_SIZE], data[-_DIGEST_SIZE:]
    if _digest(data) != digest:
        raise CacheError("校验和不符")
    header_length = int.from_bytes(data[len(MAGIC):start], "little")
    if header_length > _HEADER_LIMIT or start + header_length > len(data):
        raise CacheError("文件头长度不对")
    try:
        header = json.loads(data[start:start + header_length].decode("ascii"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CacheError(f"文件头无法解析：{exc}") from None
    if not isinstance(header, dict) or set(header) != {"key", "scalars", "blocks"}:
        raise CacheError("文件头的字段不对")
    if header["key"] != key.as_json():
        raise CacheError("缓存属于另一个字体文件、另一个版本或另一种格式")
    body = data[start + header_length:]
    attributes = _scalars(header["scalars"])
    blocks = _blocks(header["blocks"], body)
    attributes.update(_tables(blocks, attributes["numGlyphs"]))
    return attributes


def _scalars(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(_SCALARS):
        raise CacheError("标量字段不对")
    result: dict[str, Any] = {}
    for attribute in _INTS:
        result[attribute] = _checked(raw[attribute], (int,), attribute)
    for attribute in _NUMBERS:
        result[attribute] = _checked(raw[attribute], (int, float), attribute)
    if result["unitsPerEm"] <= 0 or not 0 < result["numGlyphs"] <= 0xFFFF:
        raise CacheError("unitsPerEm 或 numGlyphs 超出范围")
    for attribute in _NAMES:
        kind_text = raw[attribute]
        if not (isinstance(kind_text, list) and len(kind_text) == 2 and kind_text[0] in ("ttf", "str")
                and type(kind_text[1]) is str):
            raise CacheError(f"{attribute} 不对")
        text = kind_text[1]
        try:
            result[attribute] = TTFNameBytes(text.encode("utf-8")) if kind_text[0] == "ttf" else text
        except UnicodeEncodeError:
            raise CacheError(f"{attribute} 不是合法的文字") from None
    # The PostScript name goes into the PDF as a name object: the same characters reportlab allows.
    name = result["name"]
    if type(name) is not TTFNameBytes or not name or any(c > 126 or c < 33 or c in b"[](){}<>/%" for c in name):
        raise CacheError("PostScript 名称不对")
    bbox, revision = raw["bbox"], raw["fontRevision"]
    if not (isinstance(bbox, list) and len(bbox) == 4):
        raise CacheError("bbox 不对")
    result["bbox"] = [_checked(v, (int, float), "bbox") for v in bbox]
    if not (isinstance(revision, list) and len(revision) == 2):
        raise CacheError("fontRevision 不对")
    result["fontRevision"] = tuple(_checked(v, (int,), "fontRevision") for v in revision)
    if type(raw["_full_font"]) is not bool:
        raise CacheError("_full_font 不对")
    result["_full_font"] = raw["_full_font"]
    return result


def _checked(value: object, kinds: tuple[type, ...], attribute: str) -> Any:
    # type() and not isinstance(): JSON's true is a bool, which must not pass for the int 1.
    if type(value) not in kinds or (isinstance(value, float) and not math.isfinite(value)):
        raise CacheError(f"{attribute} 的类型不对")
    return value


def _blocks(listed: object, body: bytes) -> dict[str, array.array[Any]]:
    if not isinstance(listed, list):
        raise CacheError("数据块列表不对")
    result: dict[str, array.array[Any]] = {}
    offset = 0
    for entry in listed:
        if not (isinstance(entry, list) and len(entry) == 3 and type(entry[0]) is str and entry[0] in _BLOCKS
                and entry[0] not in result and type(entry[1]) is str and entry[1] in _ITEM_SIZES
                and type(entry[2]) is int and entry[2] >= 0):
            raise CacheError(f"数据块 {entry!r:.60} 不对")
        name, typecode, count = entry
        block = array.array(typecode)
        if block.itemsize != _ITEM_SIZES[typecode]:
            raise CacheError(f"本机 {typecode} 的长度不是 {_ITEM_SIZES[typecode]}")
        end = offset + count * block.itemsize
        if end > len(body):
            raise CacheError("数据块超出文件")
        block.frombytes(body[offset:end])
        if sys.byteorder == "big":
            block.byteswap()
        # A sum is finite only if every term is (an overflow is refused too, which no real font has).
        if typecode == "d" and not math.isfinite(sum(block)):
            raise CacheError(f"{name} 含非有限数")
        result[name] = block
        offset = end
    if offset != len(body):
        raise CacheError("数据块的长度与文件不符")
    return result


def _column(blocks: dict[str, array.array[Any]], name: str) -> list[Any]:
    ints, runs = _ints(blocks, name + ".ints"), _ints(blocks, name + ".runs")
    floats = blocks[name + ".floats"]
    if floats.typecode != "d":
        raise CacheError(f"{name} 的类型不对")
    if (not runs or len(runs) > _MAX_RUNS or min(runs) < 0 or sum(runs[0::2]) != len(ints)
            or sum(runs[1::2]) != len(floats)):
        raise CacheError(f"{name} 的区段不对")
    if len(runs) == 1:
        return ints
    decimals = floats.tolist()
    result: list[Any] = []
    taken = [0, 0]
    for index, run in enumerate(runs):
        source = (ints, decimals)[index % 2]
        start = taken[index % 2]
        result += source[start:start + run]
        taken[index % 2] = start + run
    return result


def _ints(blocks: dict[str, array.array[Any]], name: str) -> list[int]:
    values = blocks.get(name)
    if values is None or values.typecode not in ("i", "q"):
        raise CacheError(f"数据块 {name} 缺少或类型不对")
    return values.tolist()


def _tables(blocks: dict[str, array.array[Any]], glyphs: int) -> dict[str, Any]:
    if set(blocks) != set(_BLOCKS):
        raise CacheError("数据块不全")
    char_keys, char_glyphs = _ints(blocks, "charToGlyph.keys"), _ints(blocks, "charToGlyph.values")
    width_keys, widths = _ints(blocks, "charWidths.keys"), _column(blocks, "charWidths.values")
    glyph_keys, first = _ints(blocks, "glyphToChar.keys"), _ints(blocks, "glyphToChar.first")
    more_index, more_counts = _ints(blocks, "glyphToChar.more.index"), _ints(blocks, "glyphToChar.more.counts")
    more_chars = _ints(blocks, "glyphToChar.more.chars")
    advances, bearings = _column(blocks, "hmetrics.advances"), _ints(blocks, "hmetrics.bearings")
    positions = _ints(blocks, "glyphPos")
    if (len(char_keys) != len(char_glyphs) or len(width_keys) != len(widths) or len(glyph_keys) != len(first)
            or len(more_index) != len(more_counts) or sum(more_counts) != len(more_chars)
            or min(more_counts, default=1) < 1 or more_index != sorted(set(more_index))
            or (more_index and not 0 <= more_index[0] <= more_index[-1] < len(first))):
        raise CacheError("表的长度不一致")
    # Checked with min/max/sorted, which run in C: a loop in Python over the tables cost as much as a parse.
    # Subsetting indexes glyphPos and hmetrics by these glyphs and packs advances and bearings as
    # unsigned shorts: a value out of range would fail the print, so the cache is refused instead.
    if len(advances) != glyphs or len(bearings) != glyphs or len(positions) != glyphs + 1:
        raise CacheError("字形数与表的长度不符")
    if char_glyphs and not (min(char_glyphs) >= 0 and max(char_glyphs) < glyphs):
        raise CacheError("字符映射到不存在的字形")
    if not (min(advances) >= 0 and max(advances) <= 0xFFFF and min(bearings) >= 0 and max(bearings) <= 0xFFFF):
        raise CacheError("字宽超出范围")
    if positions[0] < 0 or positions != sorted(positions):
        raise CacheError("字形位置不是递增的")
    glyph_chars = list(map(list, zip(first)))
    others = iter(more_chars)
    for index, count in zip(more_index, more_counts, strict=True):
        glyph_chars[index].extend(islice(others, count))
    return {
        "charToGlyph": dict(zip(char_keys, char_glyphs, strict=True)),
        "charWidths": dict(zip(width_keys, widths, strict=True)),
        "glyphToChar": dict(zip(glyph_keys, glyph_chars, strict=True)),
        "hmetrics": list(zip(advances, bearings, strict=True)),
        "glyphPos": positions,
    }
