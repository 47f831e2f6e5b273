"""One icon per area (qtawesome's Material Design set ships inside the wheel, so it works offline)."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

from app.ui.theme import ACCENT

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
}


def area_icon(area: str, color: str = "white") -> QIcon:
    return qta.icon(AREA_ICONS[area], color=color)


def action_icon(name: str, color: str = ACCENT) -> QIcon:
    return qta.icon(ACTION_ICONS[name], color=color)


def app_icon() -> QIcon:
    return qta.icon("mdi6.bank", color=ACCENT)
