"""Every piece of UI text goes through tr(), so Qt Linguist can extract it (pyside6-lupdate) and a
translation can be loaded without touching the code. The source language is Simplified Chinese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "GovDesk"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate knows this name
    """Marks text defined at import time (column titles, area names) for extraction; the place that
    shows it calls tr(). Qt's own version is typed as returning object."""
    del context
    return text
