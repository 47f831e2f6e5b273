"""A table with its total, an empty state that says what would be here, and remembered column widths."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import tr
from app.ui.prefs import Prefs
from app.ui.widgets.column_fit import fit_columns
from app.ui.widgets.lazy_table import ChipDelegate, LazyTableModel, LoadingNote
from app.ui.widgets.qt_helpers import empty_state_label


class DataTable(QWidget):
    activated = Signal(object)
    clearFilters = Signal()  # noqa: N815 - Qt's signal naming

    def __init__(
        self,
        model: LazyTableModel,
        prefs: Prefs,
        state_key: str,
        empty_text: str,
        empty_action: tuple[str, Callable[[], None]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.prefs = prefs
        self.state_key = state_key
        self.view = QTableView()
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(any(c.sort_key for c in model.columns))
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicatorShown(self.view.isSortingEnabled())
        # Widths are declared for the 中 text size (12 pt) and grow with the chosen size.
        scale = max(QApplication.font().pointSizeF(), 1.0) / 12
        for i, column in enumerate(model.columns):
            self.view.setColumnWidth(i, round(column.width * scale))
            if column.chip is not None:
                self.view.setItemDelegateForColumn(i, ChipDelegate(self.view))
        saved = prefs.header_state(state_key)
        if saved is not None:
            header.restoreState(saved)
        self.fit_columns = [i for i, column in enumerate(model.columns) if column.fit]
        if self.fit_columns:
            model.modelReset.connect(self._fit)
            model.rowsInserted.connect(self._fit)
        header.sectionResized.connect(self._save_header)
        header.sectionMoved.connect(self._save_header)
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)

        self.empty_label = empty_state_label(empty_text)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        self.empty_text = empty_text
        self.empty_button: QPushButton | None = None
        row = QHBoxLayout()
        row.addStretch(1)
        if empty_action is not None:
            self.empty_button = QPushButton(empty_action[0])
            self.empty_button.setObjectName("primary")
            self.empty_button.clicked.connect(empty_action[1])
            row.addWidget(self.empty_button)
        self.clear_filters_button = QPushButton(tr("清除筛选"))
        self.clear_filters_button.clicked.connect(self.clearFilters)
        self.clear_filters_button.hide()
        row.addWidget(self.clear_filters_button)
        row.addStretch(1)
        empty_layout.addLayout(row)
        empty_layout.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(empty)
        self.total_label = QLabel()
        self.total_label.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.total_label)
        model.totalChanged.connect(self._total_changed)
        model.modelReset.connect(lambda: self._total_changed(model.total))
        # A slow read says so over the table; meanwhile an empty list shows the bare table, not "nothing here".
        self.loading_note = LoadingNote(self.stack, model, lambda: self.stack.setCurrentIndex(0))
        if model.parent() is None:
            # The model goes with its table, so a read that lands after the table was closed finds it gone.
            model.setParent(self)

    def _total_changed(self, total: int) -> None:
        self.stack.setCurrentIndex(0 if total else 1)
        self.total_label.setText(tr('共 {0} 条').format(total) if total else "")

    def set_no_match_text(self, text: str | None) -> None:
        """While a search or filter is on, an empty list says that nothing matched (``text``) and offers
        to clear the filters, rather than saying there is nothing yet and offering the first action."""
        self.empty_label.setText(text or self.empty_text)
        if self.empty_button is not None:
            self.empty_button.setVisible(text is None)
        self.clear_filters_button.setVisible(text is not None)

    def _fit(self) -> None:
        fit_columns(self.view, self.fit_columns)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        # A new text size: the 文号 and date columns widen to the larger text once the style has settled.
        # The table as context: a table deleted before the timer fires is not refitted.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self.fit_columns:
            QTimer.singleShot(0, self, self._fit)
        super().changeEvent(event)

    def _save_header(self) -> None:
        self.prefs.set_header_state(self.state_key, self.view.horizontalHeader().saveState())

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(self.model.row_object(index.row()))

    @property
    def showing_empty_state(self) -> bool:
        return self.stack.currentIndex() == 1
