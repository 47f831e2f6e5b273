"""Small conversions and chores every page needs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QDateEdit,
    QFileDialog,
    QLabel,
    QLayout,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QWidget,
)

from app.core.file_content import executable_kind
from app.core.file_names import clean_name, executable_extension
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.action_bar import ActionBar
from app.ui.widgets.messages import confirm


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(initial: QDate | None = None, display_format: str = "yyyy-MM-dd") -> QDateEdit:
    """A date box with the calendar popup, as every date the user picks is entered."""
    edit = QDateEdit(initial) if initial is not None else QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(display_format)
    return edit


def ask_open_file(parent: QWidget, title: str, file_filter: str = "") -> Path | None:
    """A file the user picks to read, starting in the home folder; None when they cancel."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), file_filter)
    return Path(path) if path else None


def ask_excel_file(parent: QWidget, name: str) -> Path | None:
    """Where to export an Excel file, offering `name` in the home folder; None when the user cancels."""
    path, _ = QFileDialog.getSaveFileName(parent, tr("导出到"), str(Path.home() / name), tr("Excel 文件 (*.xlsx)"))
    return Path(path) if path else None


def icon_button(icon: str, text: str, slot: Callable[[], object]) -> QPushButton:
    """A button with one of the action icons; the slot is called without the button's checked flag."""
    button = QPushButton(action_icon(icon), text)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def add_icon_buttons(row: QBoxLayout, buttons: Iterable[tuple[str, str, Callable[[], object]]]) -> None:
    """A tab's row of (text, icon, slot) buttons, in the order given."""
    for text, icon, slot in buttons:
        row.addWidget(icon_button(icon, text, slot))


def fill_row(row: QBoxLayout, *items: QWidget | str | None) -> QBoxLayout:
    """Lays out a row of choices: a string is the label before a box, None the stretch that keeps what
    follows at the right edge."""
    for item in items:
        if item is None:
            row.addStretch(1)
        elif isinstance(item, str):
            row.addWidget(QLabel(item))
        else:
            row.addWidget(item)
    return row


def empty_state_label(text: str = "") -> QLabel:
    """The centred, wrapping text a page shows instead of an empty or refused list."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def checkable_item(text: str, value: object, checked: bool = False) -> QListWidgetItem:
    """A list entry the user ticks, carrying its value in the UserRole."""
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, value)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


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


def private_copy(filename: str, data: bytes) -> Path:
    """The file written into a fresh private temporary folder under its cleaned name. Rows stored before names
    were cleaned may hold “../../x” or “..\\Startup\\x.bat”: the path is checked to lie in that folder."""
    folder = Path(tempfile.mkdtemp(prefix="govdesk-")).resolve()
    target = (folder / clean_name(filename)).resolve()
    if target.parent != folder:
        raise ValueError(f"refusing to write outside {folder}: {filename!r}")
    target.write_bytes(data)
    return target


def runs_when_opened(filename: str, data: bytes) -> bool:
    """A program by its name or by its content, which the system's handler would run rather than show."""
    return executable_extension(filename) is not None or executable_kind(data) is not None


def open_in_viewer(parent: QWidget, filename: str, data: bytes) -> None:
    """Opens a stored file (a scan, a body file) in the system's viewer, from a private temporary copy. A
    program stored before uploads were checked is never opened: the user may save it instead."""
    if runs_when_opened(filename, data):
        text = tr("“{0}”是可执行程序或脚本，打开它会运行其中的代码，因此不能直接打开。\n"
                  "如确需使用，请另存后用杀毒软件检查，并向上传人核实来源。").format(clean_name(filename))
        if confirm(parent, tr("不能打开此文件"), text, tr("另存为…"), tr("取消")):
            save_copy(parent, filename, data)
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(private_copy(filename, data))))


def save_copy(parent: QWidget, filename: str, data: bytes) -> None:
    """Saves the file where the user chooses; the name offered is cleaned, so it cannot point elsewhere."""
    path, _ = QFileDialog.getSaveFileName(parent, tr("另存为"), str(Path.home() / clean_name(filename)))
    if path:
        Path(path).write_bytes(data)
