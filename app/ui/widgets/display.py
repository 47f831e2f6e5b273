"""How values are shown in the record windows: times and dates, and plain read-only tables of text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.ui.i18n import tr


def when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def past_due(due: date | None) -> bool:
    """Whether a due date has passed: a record due today is not late yet."""
    return due is not None and due < date.today()


def cn_date(value: date | None) -> str:
    return tr("{0}年{1}月{2}日").format(value.year, value.month, value.day) if value else "—"


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[str]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


def plain_table() -> QTableWidget:
    table = QTableWidget()
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return table


def deadline_text(due: date | None, provisional: bool = False) -> str:
    """办理时限 as the lists show it: 2026年12月4日, marked （待国务院公布） while its year's holidays are unknown."""
    if due is None:
        return "—"
    return cn_date(due) + (tr("（待国务院公布）") if provisional else "")


class ListedRecord(Protocol):
    """A row of a record list: its deadline, and whether the record is closed."""

    @property
    def due_date(self) -> date | None: ...
    @property
    def due_provisional(self) -> bool: ...
    @property
    def closed(self) -> bool: ...


def due_text(row: ListedRecord) -> str:
    return "—" if row.closed else deadline_text(row.due_date, row.due_provisional)


def due_cell(row: ListedRecord) -> object:
    """办理时限 in an export: a real date, or the shown text when it is provisional or there is none."""
    return row.due_date if row.due_date and not row.closed and not row.due_provisional else due_text(row)
