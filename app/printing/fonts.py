"""Fonts for printing: the system's GB fonts where they exist, else the open fonts bundled in resources/fonts.

Four roles follow the names Chinese offices use: 宋体 (song), 黑体 (hei), 楷体 (kai) and 仿宋 (fang).
Each role is registered with reportlab once per process; a form asks ``resolve_fonts()`` for the
registered names. A character that the chosen font lacks is drawn in a fallback font instead of as an
empty box (see ``FontSet.markup`` and ``FontSet.runs``).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FontRole = Literal["song", "hei", "kai", "fang"]
ROLES: tuple[FontRole, ...] = ("song", "hei", "kai", "fang")

ROLE_LABELS: dict[FontRole, str] = {"song": "宋体", "hei": "黑体", "kai": "楷体", "fang": "仿宋"}

# File names of the GB fonts. Windows ships them; UOS and Kylin installs usually carry the same files.
SYSTEM_FONT_FILES: dict[FontRole, tuple[str, ...]] = {
    "song": ("simsun.ttc", "simsun.ttf"),
    "hei": ("simhei.ttf",),
    "kai": ("simkai.ttf",),
    "fang": ("simfang.ttf",),
}


@dataclass(frozen=True)
class FontFile:
    path: Path
    # Index of the face inside a .ttc collection; 0 is SimSun in simsun.ttc and Micro Hei in wqy-microhei.ttc.
    subfont_index: int = 0


# No open FangSong with simplified characters exists in Debian, so 仿宋 falls back to the Kai face:
# its even, pen-like strokes are closer to 仿宋 than Song's thick-thin contrast (resources/fonts/README.md).
BUNDLED_FONT_FILES: dict[FontRole, FontFile] = {
    "song": FontFile(Path("fonts/gbsn00lp.ttf")),
    "hei": FontFile(Path("fonts/wqy-microhei.ttc"), 0),
    "kai": FontFile(Path("fonts/LXGWWenKai-Regular.ttf")),
    "fang": FontFile(Path("fonts/LXGWWenKai-Regular.ttf")),
}

# A glyph missing from one font is looked up in these, in order: broadest coverage first.
_FALLBACK_ORDER: tuple[FontRole, ...] = ("hei", "kai", "song", "fang")

_IGNORED_CHARS = frozenset("\n\r\t")


def resources_dir() -> Path:
    """The shipped resources (fonts/ and their licences): installed, bundled or in a checkout alike."""
    from app.paths import resources_dir as shipped_resources

    return shipped_resources()


def system_font_dirs() -> list[Path]:
    """Where this OS keeps fonts: Windows's own folders, or the freedesktop folders on UOS/Kylin."""
    if sys.platform.startswith("win"):
        dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            # Fonts a user installed without administrator rights (Windows 10 1809 and later).
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    home = Path.home()
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def find_system_fonts(search_dirs: Iterable[Path]) -> dict[FontRole, FontFile]:
    """The GB font files found under these folders (recursively), matched without regard to case."""
    wanted = {name.lower(): role for role, names in SYSTEM_FONT_FILES.items() for name in names}
    found: dict[str, Path] = {}
    for base in search_dirs:
        if not base.is_dir():
            continue
        for root, dirs, files in os.walk(base):
            dirs.sort()  # a deterministic pick when a file exists twice
            for name in sorted(files):
                lowered = name.lower()
                if lowered in wanted and lowered not in found:
                    found[lowered] = Path(root) / name
    result: dict[FontRole, FontFile] = {}
    for role, names in SYSTEM_FONT_FILES.items():
        for name in names:
            if name in found:
                result[role] = FontFile(found[name], 0)
                break
    return result


@dataclass(frozen=True)
class FontSet:
    """The reportlab font names registered for each role, and where each came from."""

    song: str
    hei: str
    kai: str
    fang: str
    sources: dict[FontRole, Path] = field(default_factory=dict, compare=False)
    system_roles: frozenset[FontRole] = frozenset()

    def name(self, role: FontRole) -> str:
        return str(getattr(self, role))

    def fallbacks(self, font_name: str) -> list[str]:
        """Other registered fonts to try, broadest coverage first, for a glyph font_name lacks."""
        names: list[str] = []
        for role in _FALLBACK_ORDER:
            candidate = self.name(role)
            if candidate != font_name and candidate not in names:
                names.append(candidate)
        return names

    def font_for_char(self, char: str, font_name: str) -> str:
        if char in _IGNORED_CHARS or has_glyph(font_name, char):
            return font_name
        for candidate in self.fallbacks(font_name):
            if has_glyph(candidate, char):
                return candidate
        return font_name

    def runs(self, text: str, font_name: str) -> list[tuple[str, str]]:
        """Text cut into (text, font) runs so that each character is drawn by a font that has it."""
        result: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for_char(char, font_name)
            if result and result[-1][1] == font:
                result[-1] = (result[-1][0] + char, font)
            else:
                result.append((char, font))
        return result

    def markup(self, text: str, font_name: str) -> str:
        """Paragraph markup for plain text: escaped, line breaks kept, missing glyphs switched font."""
        parts: list[str] = []
        for run, font in self.runs(text, font_name):
            escaped = escape(run).replace("\n", "<br/>")
            parts.append(escaped if font == font_name else f'<font face="{font}">{escaped}</font>')
        return "".join(parts)

    def string_width(self, text: str, font_name: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(run, font, size) for run, font in self.runs(text, font_name))

    def missing(self, text: str, font_name: str) -> set[str]:
        """Characters that neither font_name nor any fallback can draw."""
        return {
            c for c in text if c not in _IGNORED_CHARS and not has_glyph(self.font_for_char(c, font_name), c)
        }


def _registered_ttfont(font_name: str) -> TTFont:
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):
        raise TypeError(f"“{font_name}”不是已注册的TrueType字体")
    return font


def has_glyph(font_name: str, char: str) -> bool:
    return ord(char) in _registered_ttfont(font_name).face.charToGlyph


def missing_glyphs(font_name: str, text: str) -> set[str]:
    """The characters of text that this registered font has no glyph for (line breaks are ignored)."""
    cmap = _registered_ttfont(font_name).face.charToGlyph
    return {c for c in text if c not in _IGNORED_CHARS and ord(c) not in cmap}


def _font_name(role: FontRole, font_file: FontFile, system: bool) -> str:
    # The name carries the file, so a system font and the bundled one never collide in reportlab's registry.
    origin = "sys" if system else "bundled"
    return f"GovDesk-{role}-{origin}-{font_file.path.stem}-{font_file.subfont_index}"


def _register(name: str, font_file: FontFile) -> None:
    try:
        pdfmetrics.getFont(name)
        return
    except KeyError:
        pass
    pdfmetrics.registerFont(TTFont(name, str(font_file.path), subfontIndex=font_file.subfont_index))


def _usable(name: str) -> bool:
    # A broken or partial system font must not win over the bundled one.
    return not missing_glyphs(name, "中华人民共和国年月日〔〕0123456789")


@functools.lru_cache(maxsize=8)
def _resolve(search_dirs: tuple[Path, ...], bundled_dir: Path) -> FontSet:
    system_files = find_system_fonts(search_dirs)
    names: dict[FontRole, str] = {}
    sources: dict[FontRole, Path] = {}
    system_roles: set[FontRole] = set()
    for role in ROLES:
        candidate = system_files.get(role)
        if candidate is not None:
            name = _font_name(role, candidate, system=True)
            try:
                _register(name, candidate)
                if _usable(name):
                    names[role], sources[role] = name, candidate.path
                    system_roles.add(role)
                    continue
                log.warning("系统字体%s缺少常用汉字，改用随程序附带的字体", candidate.path)
            except Exception as exc:  # noqa: BLE001 - any unreadable or non-embeddable font falls back
                log.warning("系统字体%s无法使用（%s），改用随程序附带的字体", candidate.path, exc)
        bundled = BUNDLED_FONT_FILES[role]
        bundled = FontFile(bundled_dir / bundled.path, bundled.subfont_index)
        if not bundled.path.is_file():
            raise FileNotFoundError(f"缺少随程序附带的字体文件：{bundled.path}")
        name = _font_name(role, bundled, system=False)
        _register(name, bundled)
        names[role], sources[role] = name, bundled.path
    return FontSet(
        song=names["song"],
        hei=names["hei"],
        kai=names["kai"],
        fang=names["fang"],
        sources=sources,
        system_roles=frozenset(system_roles),
    )


def resolve_fonts(search_dirs: Sequence[Path] | None = None, bundled_dir: Path | None = None) -> FontSet:
    """Register the four roles with reportlab (once; later calls return the cached set).

    search_dirs defaults to the OS font folders; pass ``[]`` to use only the bundled fonts.
    """
    dirs = tuple(system_font_dirs() if search_dirs is None else search_dirs)
    return _resolve(dirs, bundled_dir or resources_dir())
