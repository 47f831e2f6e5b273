"""How values are shown in the record windows: times and dates, and plain read-only tables of text."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.ui.i18n import tr


def when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


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
