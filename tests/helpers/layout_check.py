"""Checks of a shown window on the office laptop's screen (1366×768, tests/offscreen-screen.json): it fits
with its title bar and borders, and no label, date box or 文号/date cell is cut."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QMargins, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QStyle,
    QTableView,
    QWidget,
)

# A Windows 10 title bar and borders, which the offscreen platform does not draw; and a 40 px taskbar,
# which its available geometry does not leave out.
TITLE_AND_BORDERS = QMargins(8, 31, 8, 8)
TASKBAR = 40
# Columns whose text must show whole: numbers (文号, 编号) and dates and times.
WHOLE_TEXT_COLUMNS = re.compile("号|日期|时间|时限")


def work_area() -> QRect:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    return screen.adjusted(0, 0, 0, -TASKBAR if screen.height() == 768 else 0)


def window_problems(window: QWidget) -> list[str]:
    """The window and its frame within the screen; its minimum size within a real laptop's work area."""
    problems = []
    screen = QGuiApplication.primaryScreen().availableGeometry()
    # A maximised window's borders are off the screen and its title bar within the available geometry.
    framed = window.geometry().marginsAdded(QMargins() if window.isMaximized() else TITLE_AND_BORDERS).size()
    if framed.width() > screen.width() or framed.height() > screen.height() or not screen.contains(window.geometry()):
        problems.append(f"{type(window).__name__} at {window.geometry().getRect()}, {framed.width()}×{framed.height()}"
                        f" with its frame: not within the screen {screen.getRect()}")
    room = work_area().marginsRemoved(TITLE_AND_BORDERS)
    least = window.minimumSize().expandedTo(window.minimumSizeHint())
    if least.width() > room.width() or least.height() > room.height():
        problems.append(f"{type(window).__name__} cannot shrink to {room.width()}×{room.height()}: "
                        f"minimum {least.width()}×{least.height()}")
    return problems


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.width() > 0 and widget.visibleRegion().boundingRect().width() > 0


def cut_labels(window: QWidget) -> list[str]:
    """Single-line plain-text labels narrower than their text."""
    cut = []
    for label in window.findChildren(QLabel):
        text = label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not text or label.wordWrap() or Qt.mightBeRichText(text) or not _shown(label, window):
            continue
        room = label.contentsRect().width() - 2 * max(label.margin(), 0) - max(label.indent(), 0)
        need = max(label.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
        if need > room:
            cut.append(f"QLabel “{text}” needs {need} px, has {room}")
    return cut


def cut_spin_boxes(window: QWidget) -> list[str]:
    """Date boxes (and number boxes) narrower than their longest value in their format."""
    cut = []
    for box in window.findChildren(QAbstractSpinBox):
        if _shown(box, window) and box.width() < box.sizeHint().width():
            cut.append(f"{type(box).__name__} “{box.text()}” needs {box.sizeHint().width()} px, has {box.width()}")
    return cut


def cut_cells(window: QWidget) -> list[str]:
    """Cells of 文号 and date columns (and their titles) narrower than their text, in the visible rows."""
    cut = []
    for view in window.findChildren(QTableView):
        if not _shown(view, window) or view.model() is None:
            continue
        model, header = view.model(), view.horizontalHeader()
        style = view.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + view.showGrid()
        metrics = view.fontMetrics()
        first = max(view.rowAt(0), 0)
        last = view.rowAt(view.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            if view.isColumnHidden(column) or not WHOLE_TEXT_COLUMNS.search(title):
                continue
            width = view.columnWidth(column)
            # Qt's own measure of the visible rows, from the item delegate.
            if view.sizeHintForColumn(column) > width:
                cut.append(f"column “{title}” needs {view.sizeHintForColumn(column)} for its rows, has {width}")
            if header.sectionSizeFromContents(column).width() > width:
                cut.append(f"column title “{title}” needs {header.sectionSizeFromContents(column).width()}, has {width}")
            for row in range(first, last + 1):
                text = model.index(row, column).data()
                if isinstance(text, str) and text and metrics.horizontalAdvance(text) + margin > width:
                    cut.append(f"“{title}” cell “{text}” needs {metrics.horizontalAdvance(text) + margin}, has {width}")
    return cut


def layout_problems(window: QWidget, shot: Path | None = None) -> list[str]:
    """Everything above, after the window has settled; with a screenshot kept where asked."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()
    if shot is not None:
        window.grab().save(str(shot))
    return window_problems(window) + cut_labels(window) + cut_spin_boxes(window) + cut_cells(window)
