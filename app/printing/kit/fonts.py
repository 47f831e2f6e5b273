"""Fonts for printing: the system's GB fonts where they exist, else the open fonts bundled in resources/fonts.

Four roles follow the names Chinese offices use: 宋体 (song), 黑体 (hei), 楷体 (kai) and 仿宋 (fang).
A form asks ``resolve_fonts()`` for the names; each font file is read and registered with reportlab once
per process, the first time a form uses it (two roles that share a file share the registration). A
character that the chosen font lacks is drawn in a fallback font instead of as an empty box (see
``FontSet.markup`` and ``FontSet.runs``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.printing.kit import font_cache

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
class _Choice:
    """Where one role's face may come from: the system's GB file if there is one, else the bundled file."""

    system: FontFile | None
    bundled: FontFile


class _RoleFont:
    """A role as an attribute of a FontSet: ``fonts.song`` is ``fonts.name("song")``, the name of the face
    registered for 宋体 (registered the first time it is asked for)."""

    def __init__(self, role: FontRole) -> None:
        self.role = role

    def __get__(self, fonts: FontSet, owner: type[FontSet]) -> str:
        return fonts.name(self.role)


class FontSet:
    """The reportlab font name of each role. A role's file is read the first time a form asks for that role,
    so a form that uses two roles parses two files, and a fallback face only when a character needs it."""

    song = _RoleFont("song")
    hei = _RoleFont("hei")
    kai = _RoleFont("kai")
    fang = _RoleFont("fang")

    def __init__(self, choices: dict[FontRole, _Choice]) -> None:
        self._choices = dict(choices)
        self._picked: dict[FontRole, tuple[str, FontFile, bool]] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FontSet) and other._choices == self._choices

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._choices.items())))

    def __repr__(self) -> str:
        return f"FontSet({self._choices!r})"

    @property
    def sources(self) -> dict[FontRole, Path]:
        """The file of every role (this registers all four)."""
        return {role: self._pick(role)[1].path for role in ROLES}

    @property
    def system_roles(self) -> frozenset[FontRole]:
        """The roles drawn with the system's GB fonts (this registers all four)."""
        return frozenset(role for role in ROLES if self._pick(role)[2])

    def name(self, role: FontRole) -> str:
        return self._pick(role)[0]

    def _pick(self, role: FontRole) -> tuple[str, FontFile, bool]:
        picked = self._picked.get(role)
        if picked is None:
            with _lock:
                picked = self._picked.get(role) or _pick_face(self._choices[role])
                self._picked[role] = picked
        return picked

    def _fallback_names(self, font_name: str) -> Iterator[str]:
        # A generator, so that each fallback face is read only when the ones before it lack the character.
        seen = {font_name}
        for role in _FALLBACK_ORDER:
            candidate = self.name(role)
            if candidate not in seen:
                seen.add(candidate)
                yield candidate

    def fallbacks(self, font_name: str) -> list[str]:
        """Other fonts to try, broadest coverage first, for a glyph font_name lacks (this registers them)."""
        return list(self._fallback_names(font_name))

    def font_for_char(self, char: str, font_name: str) -> str:
        if char in _IGNORED_CHARS or has_glyph(font_name, char):
            return font_name
        for candidate in self._fallback_names(font_name):
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


# What this module registered with reportlab, by name. Asking reportlab instead (pdfmetrics.getFont) is no
# test: for a name it lacks it parses every AFM file on its search path, about 1 s on a Windows machine.
_registered: dict[str, TTFont] = {}
# Forms may be drawn off the GUI thread (batch printing) while the window draws a preview.
_lock = threading.RLock()


def _ttfont(font_name: str) -> TTFont:
    font = _registered.get(font_name)
    if font is None and font_name in pdfmetrics.getRegisteredFontNames():
        # A font that some other code registered: reportlab has it, so this lookup scans nothing.
        other = pdfmetrics.getFont(font_name)
        font = other if isinstance(other, TTFont) else None
    if font is None:
        raise TypeError(f"“{font_name}”不是已注册的TrueType字体")
    return font


def has_glyph(font_name: str, char: str) -> bool:
    return ord(char) in _ttfont(font_name).face.charToGlyph


def missing_glyphs(font_name: str, text: str) -> set[str]:
    """The characters of text that this registered font has no glyph for (line breaks are ignored)."""
    cmap = _ttfont(font_name).face.charToGlyph
    return {c for c in text if c not in _IGNORED_CHARS and ord(c) not in cmap}


def registered_names() -> frozenset[str]:
    """The fonts this process has read and registered so far."""
    return frozenset(_registered)


def _font_name(font_file: FontFile, system: bool) -> str:
    # One name per file and face, not per role: 楷体 and 仿宋 share the bundled Kai file, and parsing its
    # 15.7 MB twice cost a quarter of a second. The folder's hash keeps two files of the same name apart.
    origin = "sys" if system else "bundled"
    folder = hashlib.blake2s(str(font_file.path.parent).encode(), digest_size=4).hexdigest()
    return f"GovDesk-{origin}-{font_file.path.stem}-{font_file.subfont_index}-{folder}"


def _font_cache_dir() -> Path | None:
    from app.paths import cache_dir

    try:
        return cache_dir() / f"fonts-{font_cache.FORMAT}"
    except Exception as exc:  # noqa: BLE001 - no cache folder only means parsing the font files
        log.info("没有可用的缓存目录（%s）", exc)
        return None


def _register(font_file: FontFile, system: bool) -> str:
    """Read the file and register its face, once per process; the name it is registered under. What parsing
    the file finds is kept in the per-user cache, so only the first process on a machine parses it."""
    name = _font_name(font_file, system)
    with _lock:
        if name not in _registered:
            font = font_cache.load_ttfont(name, font_file.path, font_file.subfont_index, _font_cache_dir())
            pdfmetrics.registerFont(font)
            _registered[name] = font
    return name


def _usable(name: str) -> bool:
    # A broken or partial system font must not win over the bundled one.
    return not missing_glyphs(name, "中华人民共和国年月日〔〕0123456789")


def _pick_face(choice: _Choice) -> tuple[str, FontFile, bool]:
    if choice.system is not None:
        try:
            name = _register(choice.system, system=True)
            if _usable(name):
                return name, choice.system, True
            log.warning("系统字体%s缺少常用汉字，改用随程序附带的字体", choice.system.path)
        except Exception as exc:  # noqa: BLE001 - any unreadable or non-embeddable font falls back
            log.warning("系统字体%s无法使用（%s），改用随程序附带的字体", choice.system.path, exc)
    if not choice.bundled.path.is_file():
        raise FileNotFoundError(f"缺少随程序附带的字体文件：{choice.bundled.path}")
    return _register(choice.bundled, system=False), choice.bundled, False


@functools.lru_cache(maxsize=8)
def _resolve(search_dirs: tuple[Path, ...], bundled_dir: Path) -> FontSet:
    system_files = find_system_fonts(search_dirs)
    choices: dict[FontRole, _Choice] = {}
    for role in ROLES:
        bundled = BUNDLED_FONT_FILES[role]
        choices[role] = _Choice(system_files.get(role), FontFile(bundled_dir / bundled.path, bundled.subfont_index))
    return FontSet(choices)


def resolve_fonts(search_dirs: Sequence[Path] | None = None, bundled_dir: Path | None = None) -> FontSet:
    """The four roles' fonts (cached: later calls return the same set). Nothing is read here: each role's
    file is read and registered with reportlab the first time a form asks for its name.

    search_dirs defaults to the OS font folders; pass ``[]`` to use only the bundled fonts.
    """
    dirs = tuple(system_font_dirs() if search_dirs is None else search_dirs)
    return _resolve(dirs, bundled_dir or resources_dir())
