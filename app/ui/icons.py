"""One icon per area (qtawesome's Material Design set ships inside the wheel, so it works offline).

Icons are drawn by qtawesome once and kept as PNGs in the per-user cache folder: importing qtawesome
(through qtpy) costs about a tenth of a second at every start, and a start needs only a dozen icons.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from app.ui.theme import ACCENT

ICON_SIZES = (16, 20, 24, 32, 48)
# Part of the cache folder's name: a new icon set or renderer version starts a new cache.
CACHE_VERSION = "mdi6-1"

AREA_ICONS: dict[str, str] = {
    "workbench": "mdi6.view-dashboard",
    "documents": "mdi6.file-document-multiple",
    "meetings": "mdi6.account-group",
    "supervision": "mdi6.clipboard-check",
    "petitions": "mdi6.account-voice",
    "reimbursement": "mdi6.cash-multiple",
    "information": "mdi6.newspaper-variant",
    "admin": "mdi6.cog",
}

ACTION_ICONS: dict[str, str] = {
    "refresh": "mdi6.refresh",
    "print": "mdi6.printer",
    "find": "mdi6.magnify",
    "new": "mdi6.plus",
    "overdue": "mdi6.clock-alert",
    "soon": "mdi6.alert-circle",
    "done": "mdi6.check-circle",
    "database": "mdi6.database",
    "server": "mdi6.lan",
    "verify": "mdi6.shield-check",
    "calendar": "mdi6.calendar",
    "backup": "mdi6.backup-restore",
    "text_size": "mdi6.format-size",
    "logout": "mdi6.logout",
    "history": "mdi6.history",
    "flow": "mdi6.sitemap",
    "users": "mdi6.account-cog",
    "units": "mdi6.file-tree",
    "urge": "mdi6.bell-ring",
    "read": "mdi6.book-open-variant",
    "save": "mdi6.content-save",
    "zoom_in": "mdi6.magnify-plus-outline",
    "zoom_out": "mdi6.magnify-minus-outline",
    "fit": "mdi6.fit-to-page-outline",
    "pdf": "mdi6.file-pdf-box",
    "lock": "mdi6.lock",
    "unlock": "mdi6.lock-open-variant",
    "key": "mdi6.key",
    "delete": "mdi6.delete",
    "edit": "mdi6.pencil",
    "info": "mdi6.information-outline",
    "link": "mdi6.link-variant",
    "import": "mdi6.file-import",
    "inspect": "mdi6.clipboard-search",
    "chart": "mdi6.chart-bar",
}


def _cache_dir() -> Path:
    return _cache_dir_for(os.environ.get("GOVDESK_CACHE_DIR"))


@functools.cache
def _cache_dir_for(override: str | None) -> Path:
    base = Path(override) if override else Path(platformdirs.user_cache_dir("GovDesk", appauthor=False))
    return base / f"icons-{CACHE_VERSION}"


_icons: dict[tuple[str, str], QIcon] = {}


def _icon(name: str, color: str) -> QIcon:
    key = (name, color)
    if key in _icons:
        return _icons[key]
    folder = _cache_dir()
    stem = f"{name.replace('.', '_')}-{color.lstrip('#')}"
    files = [folder / f"{stem}-{size}.png" for size in ICON_SIZES]
    icon = QIcon()
    # The sizes are written smallest first, each whole or not at all, so the largest one being there
    # means the set is complete. addFile with a size reads nothing yet: Qt decodes a PNG the first time
    # the icon is painted at that size, so a start decodes only the few sizes it shows.
    if files[-1].is_file():
        for size, path in zip(ICON_SIZES, files, strict=True):
            icon.addFile(str(path), QSize(size, size))
    else:
        import qtawesome as qta

        drawn = qta.icon(name, color=color)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            writable = True
        except OSError:
            # No cache (a read-only profile): the icons are simply drawn again next time.
            writable = False
        for size, path in zip(ICON_SIZES, files, strict=True):
            pixmap = drawn.pixmap(size, size)
            icon.addPixmap(pixmap)
            if writable:
                # Written whole or not at all, so a crash never leaves half an icon in the cache.
                partial = path.with_suffix(".partial.png")
                if pixmap.save(str(partial), "PNG"):
                    partial.replace(path)
    _icons[key] = icon
    return icon


def area_icon(area: str, color: str = "white") -> QIcon:
    return _icon(AREA_ICONS[area], color)


def action_icon(name: str, color: str = ACCENT) -> QIcon:
    return _icon(ACTION_ICONS[name], color)


def app_icon() -> QIcon:
    return _icon("mdi6.bank", ACCENT)
