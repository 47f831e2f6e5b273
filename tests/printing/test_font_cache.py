"""The parsed-font cache: a face built from it is the face reportlab's parse makes, and a cache file that is
not exactly what this code wrote for this very font file is ignored, parsed around and written again."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.printing.kit import font_cache
from app.printing.kit.font_cache import FontKey, cache_file, decode, encode, load_ttfont
from app.printing.kit.fonts import BUNDLED_FONT_FILES, resources_dir
from tests.helpers.pdfcheck import compact, page_text

FONT_FILES = sorted({(resources_dir() / f.path, f.subfont_index) for f in BUNDLED_FONT_FILES.values()})
SONG = resources_dir() / BUNDLED_FONT_FILES["song"].path
TEXT = "青山县人民政府办公室关于做好森林防火工作的通知（2026年第1号）¥100"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The font files reportlab parses (TTFontFile.__init__ is the parse: the cache never calls it)."""
    parsed: list[str] = []
    original = ttfonts.TTFontFile.__init__

    def parsing(self: Any, file: Any, *args: Any, **kwargs: Any) -> None:
        parsed.append(str(file))
        original(self, file, *args, **kwargs)

    monkeypatch.setattr(ttfonts.TTFontFile, "__init__", parsing)
    yield parsed


def assert_same_face(cached: TTFont, parsed: TTFont) -> None:
    """Every attribute of the face, with its type, down to each width and metric; _pdfScale is a lambda."""
    ours, theirs = vars(cached.face), vars(parsed.face)
    assert set(ours) == set(theirs)
    for name, value in theirs.items():
        if name == "_pdfScale":
            assert [ours[name](v) for v in (0, 1, 555, 2048)] == [value(v) for v in (0, 1, 555, 2048)]
            continue
        assert type(ours[name]) is type(value), name
        assert ours[name] == value, name
        if isinstance(value, dict):
            assert list(ours[name].items()) == list(value.items()), name
            assert [type(v) for v in ours[name].values()] == [type(v) for v in value.values()], name
        if isinstance(value, list):
            assert [repr(v) for v in ours[name]] == [repr(v) for v in value], name
    assert type(cached.face.name) is type(parsed.face.name) and cached.face.name.ustr == parsed.face.name.ustr
    others = {k: v for k, v in vars(parsed).items() if k not in ("face", "state", "encoding")}
    assert {k: v for k, v in vars(cached).items() if k not in ("face", "state", "encoding")} == others
    assert type(cached.state) is type(parsed.state) and type(cached.encoding) is type(parsed.encoding)


@pytest.mark.parametrize(("path", "index"), FONT_FILES, ids=[p.name for p, _ in FONT_FILES])
def test_a_face_from_the_cache_is_the_face_reportlab_parses(
    path: Path, index: int, tmp_path: Path, parses: list[str]
) -> None:
    first = load_ttfont("Cold", path, index, tmp_path)
    assert parses == [str(path)]
    assert cache_file(tmp_path, FontKey.of(path, index)).is_file()
    warm = load_ttfont("Cold", path, index, tmp_path)
    assert parses == [str(path)]  # the second load parsed nothing
    assert_same_face(warm, first)
    assert_same_face(warm, TTFont("Cold", str(path), subfontIndex=index))


def draw(font: TTFont) -> bytes:
    """One page in this very font object under a fixed name, with a fixed date and ID: the PDF's bytes."""
    # Not registerFont: for a face name it has seen it hands back the first font of that face.
    pdfmetrics._fonts[font.fontName] = font
    try:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        canvas.setFont(font.fontName, 14)
        canvas.drawString(50, 700, TEXT)
        common = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 600) if c in font.face.charToGlyph)
        for line in range(0, len(common), 30):
            canvas.drawString(50, 650 - line, common[line:line + 30])
        canvas.save()
    finally:
        del pdfmetrics._fonts[font.fontName]
    return buffer.getvalue()


@pytest.mark.parametrize(("path", "index"), FONT_FILES, ids=[p.name for p, _ in FONT_FILES])
def test_a_page_drawn_from_the_cache_is_byte_identical(path: Path, index: int, tmp_path: Path) -> None:
    name = f"GovDeskTest-cache-{path.stem}"
    parsed = draw(TTFont(name, str(path), subfontIndex=index))
    load_ttfont(name, path, index, tmp_path)  # writes the cache
    cached = draw(load_ttfont(name, path, index, tmp_path))
    assert cached == parsed
    assert compact(page_text(cached)) == compact(page_text(parsed))


# ----- a cache file that is not exactly ours is ignored and replaced --------------------------------------------


def valid_cache(folder: Path, path: Path = SONG) -> tuple[Path, bytes]:
    load_ttfont("Any", path, 0, folder)
    target = cache_file(folder, FontKey.of(path, 0))
    return target, target.read_bytes()


def rewrite_header(data: bytes, change: Any) -> bytes:
    """A header changed and the file signed again, as a crafted file would be: only the checks of what it
    says stand in the way."""
    start = len(font_cache.MAGIC) + 4
    length = int.from_bytes(data[len(font_cache.MAGIC):start], "little")
    header = json.loads(data[start:start + length])
    change(header)
    raw = json.dumps(header).encode()
    signed = font_cache.MAGIC + len(raw).to_bytes(4, "little") + raw + data[start + length:-16]
    return signed + hashlib.blake2b(signed, digest_size=16).digest()


def _key(**changes: Any) -> Any:
    return lambda header: header["key"].update(changes)


CORRUPTIONS = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "one byte short": lambda data: data[:-1],
    "one byte more": lambda data: data + b"\0",
    "garbage": lambda data: os.urandom(len(data)),
    "a pickle": lambda data: b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93.",
    "a flipped bit in the tables": lambda data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
    "a flipped bit in a name": lambda data: data.replace(b"SungtiL GB", b"SungtiL GC"),
    "a header length past the end": lambda data: data[: len(font_cache.MAGIC)] + b"\xff\xff\xff\x00" + data[23:],
    "another reportlab": lambda data: rewrite_header(data, _key(reportlab="4.0.0")),
    "another format": lambda data: rewrite_header(data, _key(format=0)),
    "another face of the file": lambda data: rewrite_header(data, _key(subfont=1)),
    "a name that breaks the PDF": lambda data: rewrite_header(
        data, lambda h: h["scalars"].update(name=["ttf", "Evil) /JS (x"])),
    "a width that is text": lambda data: rewrite_header(
        data, lambda h: h["scalars"].update(defaultWidth="1000")),
    "a missing field": lambda data: rewrite_header(data, lambda h: h["scalars"].pop("ascent")),
    "NaN": lambda data: rewrite_header(data, lambda h: h["scalars"].update(ascent=float("nan"))),
    "a block that claims more than there is": lambda data: rewrite_header(
        data, lambda h: h["blocks"][0].__setitem__(2, h["blocks"][0][2] + 1)),
    "a block of an unknown type": lambda data: rewrite_header(
        data, lambda h: h["blocks"][0].__setitem__(1, "O")),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupt_cache_is_ignored_and_replaced(corruption: str, tmp_path: Path, parses: list[str]) -> None:
    target, good = valid_cache(tmp_path)
    bad = CORRUPTIONS[corruption](good)
    assert bad != good
    target.write_bytes(bad)
    with pytest.raises(font_cache.CacheError):
        decode(bad, FontKey.of(SONG, 0))
    parses.clear()
    font = load_ttfont("Any", SONG, 0, tmp_path)
    assert parses == [str(SONG)]  # parsed, as without a cache
    assert_same_face(font, TTFont("Any", str(SONG)))
    assert target.read_bytes() == good  # and the cache written again, whole
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_damage_is_refused_and_a_crafted_header_fails_only_as_a_bad_cache(tmp_path: Path) -> None:
    """Random damage anywhere is refused (the digest). A crafted header, signed again, whatever JSON it
    holds, is either read as a cache or refused with CacheError: never another exception."""
    _, good = valid_cache(tmp_path)
    key = FontKey.of(SONG, 0)
    header_end = len(font_cache.MAGIC) + 4 + int.from_bytes(good[len(font_cache.MAGIC):23], "little")
    rng = random.Random(11)
    read = 0
    for _ in range(600):
        bad = bytearray(good)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(23, header_end) if rng.random() < 0.8 else rng.randrange(len(bad))
            bad[at] = rng.choice(b'{}[]",:0123456789-.e tnfx') if rng.random() < 0.7 else rng.randrange(256)
        if bytes(bad) == good:
            continue
        with pytest.raises(font_cache.CacheError):
            decode(bytes(bad), key)
        signed = bytes(bad[:-16])
        try:
            decode(signed + hashlib.blake2b(signed, digest_size=16).digest(), key)
            read += 1
        except font_cache.CacheError:
            pass
    assert read < 300  # most crafted headers break a check


def test_a_cache_with_a_valid_digest_but_impossible_tables_is_refused(tmp_path: Path) -> None:
    """A file crafted with a correct digest: a character mapped to a glyph the font lacks would make
    subsetting fail the print, so the cache is refused as a whole."""
    font = TTFont("Any", str(SONG))
    key = FontKey.of(SONG, 0)
    font.face.charToGlyph[0x4E00] = font.face.numGlyphs + 5
    with pytest.raises(font_cache.CacheError, match="不存在的字形"):
        decode(encode(font.face, key), key)
    target = cache_file(tmp_path, key)
    assert not font_cache.write_cache(target, key, font.face)  # and never written
    assert not target.exists()


def test_a_changed_font_file_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    font_file = tmp_path / "fonts" / SONG.name
    font_file.parent.mkdir()
    shutil.copy(SONG, font_file)
    folder = tmp_path / "cache"
    load_ttfont("Any", font_file, 0, folder)
    load_ttfont("Any", font_file, 0, folder)
    assert parses == [str(font_file)]
    stat = font_file.stat()
    os.utime(font_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # same size, newer
    load_ttfont("Any", font_file, 0, folder)
    assert parses == [str(font_file)] * 2
    with open(font_file, "ab") as stream:  # a longer file (still a font: reportlab reads by offsets)
        stream.write(b"\0" * 4)
    os.utime(font_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old date
    font = load_ttfont("Any", font_file, 0, folder)
    assert parses == [str(font_file)] * 3
    load_ttfont("Any", font_file, 0, folder)
    assert parses == [str(font_file)] * 3  # the cache now holds the new file
    assert_same_face(font, TTFont("Any", str(font_file)))


def test_a_cache_folder_that_cannot_be_made_or_written_only_costs_a_parse(
    tmp_path: Path, parses: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    for _ in range(2):
        font = load_ttfont("Any", SONG, 0, blocker / "cache")
        assert font.face.charToGlyph
    assert parses == [str(SONG)] * 2
    assert blocker.read_bytes() == b""
