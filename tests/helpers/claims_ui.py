"""Filling in a 报销单 in its editor, as a person types it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from app.ui.claims.editor import AMOUNT, CATEGORY, SUMMARY, ClaimEditor


def set_line(editor: ClaimEditor, row: int, summary: str, category: str, amount: str) -> None:
    while editor.lines.rowCount() <= row:
        editor.add_line()
    editor.lines.setItem(row, SUMMARY, QTableWidgetItem(summary))
    combo = editor.lines.cellWidget(row, CATEGORY)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(category))
    editor.lines.setItem(row, AMOUNT, QTableWidgetItem(amount))
