"""Small conversions and chores every page needs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFileDialog,
    QLayout,
    QPushButton,
    QTableWidget,
    QWidget,
)

from app.ui.i18n import tr
from app.ui.widgets.action_bar import ActionBar


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def clear_layout(layout: QLayout) -> None:
    """Removes and deletes every widget in a layout that is about to be refilled."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def pick_list_table(headers: list[str]) -> QTableWidget:
    """A read-only table whose rows are picked one at a time, to be edited in a form beside it."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


def add_button(row: QBoxLayout, text: str, slot: Callable[..., Any], primary: bool = False) -> QPushButton:
    """A button in a record window's action row; Enter in a text box never presses it by accident. In an
    ActionBar it acts once per click and ignores a click begun before it appeared (see action_bar)."""
    if isinstance(row, ActionBar):
        return row.add_action(text, slot, primary)
    button = QPushButton(text)
    button.setAutoDefault(False)
    if primary:
        button.setObjectName("primary")
    button.clicked.connect(slot)
    row.addWidget(button)
    return button


def open_in_viewer(filename: str, data: bytes) -> None:
    """Opens a stored file (a scan, a body file) in the system's viewer, from a private temporary copy."""
    target = Path(tempfile.mkdtemp(prefix="govdesk-")) / filename
    target.write_bytes(data)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


def save_copy(parent: QWidget, filename: str, data: bytes) -> None:
    path, _ = QFileDialog.getSaveFileName(parent, tr("另存为"), str(Path.home() / filename))
    if path:
        Path(path).write_bytes(data)
