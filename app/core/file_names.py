"""Stored file names, cleaned so that no OS reads a path, a device or a stream into them.

A name travels between Windows and Linux desktops (UOS, Kylin): it is cleaned for both systems' rules
whichever system uploads or opens it, at upload and again before it is written to disk.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DEFAULT_NAME", "EXECUTABLE_EXTENSIONS", "MAX_NAME_BYTES", "MAX_NAME_CHARS", "clean_name",
           "executable_extension"]

DEFAULT_NAME = "未命名文件"
# Windows allows 255 UTF-16 units a component, Linux 255 bytes; a Chinese character is 3 bytes in UTF-8.
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240
_MAX_EXTENSION = 16

# Opened by double-click, these run code rather than show a document: Windows programs and scripts, installer
# and shortcut formats, disk images (mounting one hides its contents from the download mark), Linux launchers
# and scripts, and scripts whose interpreter an office PC may have (Python, Perl, Java).
EXECUTABLE_EXTENSIONS: frozenset[str] = frozenset({
    # Windows programs, libraries and control-panel items
    "exe", "com", "scr", "pif", "cpl", "dll", "ocx", "sys", "drv", "msc", "gadget",
    # Windows scripts and the hosts that run them
    "bat", "cmd", "vbs", "vbe", "vb", "js", "jse", "wsf", "wsh", "wsc", "sct", "hta", "ps1", "ps1xml", "psm1",
    "psd1", "psc1", "reg", "inf", "scf", "chm",
    # installers and shortcuts
    "msi", "msp", "mst", "appx", "appxbundle", "msix", "msixbundle", "application", "appref-ms", "xbap",
    "lnk", "url", "website", "settingcontent-ms", "library-ms", "searchconnector-ms",
    # disk images, which Windows mounts on double-click
    "iso", "img", "vhd", "vhdx",
    # Linux and macOS launchers, packages and shell scripts
    "sh", "bash", "zsh", "csh", "ksh", "run", "bin", "desktop", "appimage", "deb", "rpm", "command", "app",
    "pkg", "dmg",
    # interpreted programs
    "py", "pyw", "pyc", "pyz", "pl", "rb", "jar", "class",
})

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)
# Characters Windows refuses in a name, besides the separators handled apart; ':' also names a data stream.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_DRIVE = re.compile(r"^[A-Za-z]:")


def _printable(name: str) -> str:
    """Without NUL, control characters and format characters: a right-to-left override (U+202E) shows
    “x‮fdp.exe” as “xexe.pdf”, and a zero-width space splits “.ex​e” from what it is."""
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))


def _last_part(name: str) -> str:
    """The part after the last separator of either system; “C:x” names a file on drive C: relative to its
    current folder, so the drive goes too."""
    part = re.split(r"[\\/]", name)[-1]
    return _DRIVE.sub("", part)


def _bounded(name: str) -> str:
    """At most MAX_NAME_CHARS characters and MAX_NAME_BYTES bytes, the extension kept."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > _MAX_EXTENSION:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    while stem and (len(stem) + len(suffix) > MAX_NAME_CHARS
                    or len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES):
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    return f"{stem}{suffix}" if stem else ""


def clean_name(name: str | None) -> str:
    """A base name safe to store and to write on Windows and on Linux; DEFAULT_NAME if nothing is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = _last_part(_printable(text))
    text = _WINDOWS_FORBIDDEN.sub("_", text)
    # Windows drops trailing dots and spaces (“x.bat.” opens as x.bat); a leading dot hides a file on Linux
    # and “..” is the parent folder.
    text = text.strip(" ").strip(".").strip(" ")
    stem, dot, rest = text.partition(".")
    # Windows treats “CON.txt” and “nul .pdf” as the device, whatever follows the first dot.
    if _WINDOWS_RESERVED.match(stem.rstrip(" ")):
        text = f"_{stem}{dot}{rest}"
    text = _bounded(text)
    return text or DEFAULT_NAME


def executable_extension(name: str) -> str | None:
    """The extension that makes this (cleaned) name run when opened, or None."""
    cleaned = clean_name(name).lower()
    _, dot, extension = cleaned.rpartition(".")
    if dot and extension in EXECUTABLE_EXTENSIONS:
        return extension
    return None
