"""Small conversions and chores every page needs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLayout


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def clear_layout(layout: QLayout) -> None:
    """Removes and deletes every widget in a layout that is about to be refilled."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
