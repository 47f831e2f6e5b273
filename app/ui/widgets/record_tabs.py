"""The parts of a record window's standard tabs that every area fills the same way: the 基本信息 sheet, the
附件 list with its buttons, and the 关联 list (app.ui.widgets.record_window puts them together)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.qt_helpers import clear_layout

# A fact as a window shows it: its name and its value, already in words.
Fact = tuple[str, str]


def fact_label(label: str, value: str) -> QLabel:
    """One fact as “<b>名称：</b>值”; the value is escaped, so a title holding < or & shows as typed."""
    text = QLabel(tr("<b>{0}：</b>{1}").format(label, html.escape(value, quote=False)))
    text.setWordWrap(True)
    return text


def show_facts(grid: QGridLayout, facts: Sequence[Fact]) -> None:
    """Fills a grid with facts two a row, replacing what it held."""
    clear_layout(grid)
    for i, (label, value) in enumerate(facts):
        grid.addWidget(fact_label(label, value), i // 2, i % 2)


class InfoSheet(QScrollArea):
    """基本信息: every field of the record, two a row, read-only; it scrolls when a record has many."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        column = QVBoxLayout(inner)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        column.addLayout(self.grid)
        column.addStretch(1)
        self.setWidget(inner)

    def set_facts(self, facts: Sequence[Fact]) -> None:
        show_facts(self.grid, facts)

    def texts(self) -> list[str]:
        found = []
        for i in range(self.grid.count()):
            item = self.grid.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                found.append(widget.text())
        return found


class AttachmentsPanel(QWidget):
    """附件: the files of the record, and the buttons to add, remove, open and save a copy of one.

    The window says which of them it offers and what they do; the panel knows which file a row is."""

    def __init__(self, add_text: str, *, removable: bool = False) -> None:
        super().__init__()
        self.table = plain_table()
        self.ids: list[int] = []
        self.add_button = self._button(action_icon("new"), add_text)
        self.remove_button = self._button(action_icon("delete"), tr("删除选中")) if removable else None
        self.open_button = self._button(None, tr("打开"))
        self.export_button = self._button(None, tr("另存为…"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.open_button, self.export_button):
            if button is not None:
                buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    @staticmethod
    def _button(icon: Any, text: str) -> QPushButton:
        button = QPushButton(icon, text) if icon is not None else QPushButton(text)
        button.setAutoDefault(False)
        return button

    def fill(self, headers: list[str], rows: list[list[str]], ids: list[int]) -> None:
        self.ids = list(ids)
        fill_table(self.table, headers, rows)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.ids[rows[0].row()] if rows else None

    def wire(self, add: Callable[[], object], open_file: Callable[[], object], export: Callable[[], object],
                remove: Callable[[], object] | None = None) -> None:
        self.add_button.clicked.connect(lambda _checked=False: add())
        self.open_button.clicked.connect(lambda _checked=False: open_file())
        self.export_button.clicked.connect(lambda _checked=False: export())
        if self.remove_button is not None and remove is not None:
            self.remove_button.clicked.connect(lambda _checked=False: remove())


@dataclass(frozen=True)
class RelatedRecord:
    """A record linked to the one in the window: what kind it is, its name and where it stands."""

    kind: str
    title: str
    state: str


class RelatedList(QStackedWidget):
    """关联: the records linked to this one, or a line saying there are none."""

    def __init__(self) -> None:
        super().__init__()
        self.table: QTableWidget = plain_table()
        self.empty = QLabel(tr("没有与本件关联的记录。"))
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(8, 8, 8, 8)
        self.addWidget(self.empty)
        self.addWidget(self.table)

    def show_records(self, records: Sequence[RelatedRecord]) -> None:
        fill_table(self.table, [tr("类别"), tr("标题"), tr("状态")], [[r.kind, r.title, r.state] for r in records])
        self.setCurrentWidget(self.table if records else self.empty)
