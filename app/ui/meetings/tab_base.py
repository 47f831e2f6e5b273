"""What every tab of the meeting window shares: it reads as the user, off the GUI thread; an act the user asks
for runs as one service call, then the tab reads itself again and says ``changed`` so the window refreshes its
header and actions; a refusal is shown in Chinese and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import as_user, db_change, db_read
from app.ui.widgets.display import plain_table
from app.ui.widgets.lazy_table import CHIP_ROLE, ChipDelegate, chip_delegate
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import empty_state_label

T = TypeVar("T")


class MeetingTab(QWidget):
    """A tab of one meeting. Subclasses name their reading in ``_reading`` and show what it read in ``_show``."""

    changed = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.meeting_id = ctx, actor, meeting_id
        self.loaded = False

    # ----- reading ----------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # Read when first seen, not when the window opens: a window of five tabs must not wait for five reads.
        super().showEvent(event)
        if not self.loaded:
            # In the meeting window (a dialog) a tab's first button would be the default one, drawn as if pressed,
            # and Enter in the opinion box would press it.
            for button in self.findChildren(QPushButton):
                button.setAutoDefault(False)
            self.reload()

    def reload(self) -> None:
        """Reads the meeting's part again and shows it; a failed read keeps what was shown."""
        found = db_read(self, self._reading())
        if found is not None:
            self.loaded = True
            self._show(found)

    def _reading(self) -> Callable[[], object]:
        """The service call that reads the tab's part of the meeting (app.ui.widgets.db_call.as_user)."""
        raise NotImplementedError

    def _show(self, found: object) -> None:
        raise NotImplementedError

    def call(self, service: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """One service call as this user, read off the GUI thread; None (with the refusal shown) if refused."""
        return db_read(self, as_user(self.ctx, self.actor, service, *args, **kwargs))

    # ----- acting -----------------------------------------------------------------------------------------------
    def act(self, service: Callable[..., object], *args: object, **kwargs: object) -> bool:
        """Runs one act as this user; after it, the tab reads itself again and says ``changed``."""
        if not db_change(self, as_user(self.ctx, self.actor, service, *args, **kwargs)):
            return False
        self.after_change()
        return True

    def after_change(self) -> None:
        self.reload()
        self.changed.emit()

    def print_form(self, form: str, file_name: str) -> None:
        """The meeting printed on ``form`` in the print preview, loaded as this user."""
        from app.forms import PrintContext, build_registry
        from app.ui.widgets.print_preview import PrintPreviewDialog

        try:
            registry = build_registry()
            entry = registry.get(form)
        except GovDeskError as error:
            show_error(self, error)
            return
        source, record_id = PrintContext(self.ctx, self.actor), self.meeting_id
        pdf = db_read(self, lambda: registry.load_and_render(form, source, record_id))
        if pdf is None:
            return
        PrintPreviewDialog(entry.title, pdf, tr("{0}.pdf").format(file_name), self).exec()


class RowsTab(MeetingTab):
    """A tab that lists rows (topics, attendees, decisions: each with an ``id``) in a table under its buttons and a
    summary line, with what it would hold said in place of an empty table; the row chosen stays chosen when the
    tab reads itself again."""

    rows: Sequence[Any]

    def lay_out(self, buttons: QHBoxLayout, empty_text: str) -> None:
        """The buttons, the summary, the table (its selection enabling the buttons) and the empty state."""
        self.rows = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = plain_table()
        self.table.itemSelectionChanged.connect(self._enable)
        self.empty = empty_state_label(empty_text)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    def show_rows(self, chosen_id: int | None) -> None:
        """The table or the empty state, the row chosen before chosen again, and the buttons enabled for it."""
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        if chosen_id is not None:
            self.select(chosen_id)
        self._enable()

    def chosen(self) -> Any:
        row = selected_row(self.table)
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, row_id: int) -> None:
        for row, listed in enumerate(self.rows):
            if listed.id == row_id:
                self.table.selectRow(row)

    def _enable(self) -> None:
        raise NotImplementedError


def text_cell(text: str, data: object = None, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if colour is not None:
        item.setForeground(QColor(colour))
    return item


def chip_cell(text: str, colour: str) -> QTableWidgetItem:
    """A state shown as a small coloured chip (the lists' ChipDelegate draws it, selected or not)."""
    item = text_cell(text)
    item.setData(CHIP_ROLE, (text, colour))
    return item


def fill_rows(table: QTableWidget, headers: list[str], rows: list[list[QTableWidgetItem]], stretch: int) -> None:
    """The table's rows, the text column ``stretch`` taking the width left, the others as wide as their text."""
    table.clear()
    if not isinstance(table.itemDelegate(), ChipDelegate):
        table.setItemDelegate(chip_delegate(table))
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, item in enumerate(row):
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    metrics = table.fontMetrics()
    for column in range(len(headers)):
        chips = [row[column].data(CHIP_ROLE) for row in rows if column < len(row) and row[column].data(CHIP_ROLE)]
        if chips:
            # A chip column as wide as its widest chip (drawn with margins the contents' width does not count).
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            widest = max(metrics.horizontalAdvance(text) for text, _colour in chips) + 34
            header.resizeSection(column, max(widest, metrics.horizontalAdvance(headers[column]) + 28))
            continue
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.resizeRowsToContents()


def selected_row(table: QTableWidget) -> int:
    rows = table.selectionModel().selectedRows() if table.selectionModel() is not None else []
    return rows[0].row() if rows else table.currentRow()
