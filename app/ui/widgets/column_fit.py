"""Columns whose text must show whole (文号, dates, times) are as wide as their title and their text, at
whatever text size the user chose. Titles and other long text are elided and shown in full as a tooltip;
a number or a date cut in half is useless."""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QStyle, QTableView


def text_margin(view: QTableView) -> int:
    """What a cell leaves beside its text: the item delegate's margin on both sides and the grid line (Qt
    elides text wider than the rest)."""
    grid = 1 if view.showGrid() else 0
    return 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + grid


def fit_columns(view: QTableView, columns: Iterable[int]) -> None:
    """Widens each column to its title and to the text of every row loaded; never narrows one, so a width
    the user chose stays when it is wider."""
    model = view.model()
    if model is None:
        return
    header = view.horizontalHeader()
    # Fractional advances, rounded up as Qt's text layout does.
    metrics = QFontMetricsF(view.font())
    margin = text_margin(view)
    for column in columns:
        need = header.sectionSizeFromContents(column).width()
        for row in range(model.rowCount()):
            text = model.index(row, column).data()
            if isinstance(text, str) and text:
                need = max(need, math.ceil(metrics.horizontalAdvance(text)) + margin)
        if view.columnWidth(column) < need:
            view.setColumnWidth(column, need)


__all__ = ["fit_columns", "text_margin"]
