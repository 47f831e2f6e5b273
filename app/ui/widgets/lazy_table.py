"""A table model over a service's page query: sorting and filtering happen in SQL, and rows are fetched
page by page as the user scrolls (canFetchMore / fetchMore)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QWidget

from app.services.worklist import Page
from app.ui.i18n import tr

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int, str | None, bool], Page[Any]]

CHIP_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a lazy table: its title, value, width and optional sort key."""

    title: str
    value: Callable[[T], str]
    sort_key: str | None = None
    width: int = 120
    align_right: bool = False
    # (text, colour) drawn as a small coloured chip, e.g. a workflow state or 逾期.
    chip: Callable[[T], tuple[str, str] | None] | None = None
    colour: Callable[[T], str | None] | None = None
    tooltip: Callable[[T], str] | None = None
    # The value an Excel export writes when it is not the shown text: a date, a number, an amount.
    excel: Callable[[T], object] | None = None
    # A 文号 or a date: the column widens to its text (app.ui.widgets.column_fit) instead of eliding it.
    fit: bool = False


class LazyTableModel(QAbstractTableModel):
    totalChanged = Signal(int)
    loadFailed = Signal(object)

    def __init__(self, columns: list[Column[Any]], fetch: Fetch | None = None, page_size: int = 100) -> None:
        super().__init__()
        self.columns = columns
        self._fetch = fetch
        self.page_size = page_size
        self._rows: list[Any] = []
        self._total = 0
        self._sort_key: str | None = None
        self._descending = False

    # ----- loading -------------------------------------------------------------------------------------
    def set_fetch(self, fetch: Fetch, at_least: int = 0) -> None:
        self._fetch = fetch
        self.reload(at_least)

    def reload(self, at_least: int = 0) -> None:
        """Loads the first page again; ``at_least`` rows when the view should stay where it was scrolled."""
        self.beginResetModel()
        self._rows = []
        self._total = 0
        if self._fetch is not None:
            try:
                page = self._fetch(0, max(self.page_size, at_least), self._sort_key, self._descending)
            except Exception as error:  # noqa: BLE001 - shown by the view, the model stays empty
                self.endResetModel()
                self.totalChanged.emit(0)
                self.loadFailed.emit(error)
                return
            self._rows = list(page.rows)
            self._total = page.total
        self.endResetModel()
        self.totalChanged.emit(self._total)

    @property
    def total(self) -> int:
        return self._total

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def sort_order(self) -> tuple[str | None, bool]:
        """The sort key and direction the rows are in now, for work that must list them in the same order."""
        return self._sort_key, self._descending

    def row_of(self, key: Callable[[Any], object], value: object) -> int | None:
        """The row now holding the record whose key is ``value``, among the rows loaded."""
        for row, item in enumerate(self._rows):
            if key(item) == value:
                return row
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._fetch is None:
            return
        try:
            page = self._fetch(len(self._rows), self.page_size, self._sort_key, self._descending)
        except Exception as error:  # noqa: BLE001
            self.loadFailed.emit(error)
            return
        if not page.rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self._total = page.total
        self.endInsertRows()

    # ----- Qt model -----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return tr(self.columns[section].title)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column.chip is not None:
                chip = column.chip(item)
                return chip[0] if chip else ""
            return column.value(item)
        if role == CHIP_ROLE and column.chip is not None:
            return column.chip(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else None
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(item)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        self._sort_key = self.columns[column].sort_key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload()


@dataclass(frozen=True)
class Place:
    """Where the user is in a list, by record rather than by row: a refresh may move the rows."""

    top: object | None  # the key of the first record in view
    top_row: int
    selected: object | None
    loaded: int


# Pages fetched beyond what was loaded while looking for the record that was on top: rows added above it
# by another client push it down, but not by more than a few pages between two refreshes.
PLACE_SEARCH_PAGES = 3


def remember_place(view: QTableView, model: LazyTableModel, key: Callable[[Any], object]) -> Place:
    top_row = view.rowAt(0)
    top = key(model.row_object(top_row)) if 0 <= top_row < model.rowCount() else None
    rows = view.selectionModel().selectedRows() if view.selectionModel() is not None else []
    selected = key(model.row_object(rows[0].row())) if rows else None
    return Place(top, max(top_row, 0), selected, model.rowCount())


def restore_place(view: QTableView, model: LazyTableModel, key: Callable[[Any], object], place: Place) -> None:
    """After a reload: the same record selected, and the same record on top (or the same row, if it went)."""
    top_row = model.row_of(key, place.top) if place.top is not None else None
    for _ in range(PLACE_SEARCH_PAGES):
        if top_row is not None or place.top is None or not model.canFetchMore():
            break
        model.fetchMore()
        top_row = model.row_of(key, place.top)
    if place.selected is not None:
        row = model.row_of(key, place.selected)
        if row is not None:
            # Selecting moves the current index, which scrolls to it: so it comes before the scrolling.
            view.selectRow(row)
    if model.rowCount() == 0:
        return
    if top_row is None:
        top_row = min(place.top_row, model.rowCount() - 1)
    # The reset left the scroll bar's range at zero until the next layout; lay out now so it can be set.
    view.doItemsLayout()
    view.scrollTo(model.index(top_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)


class ChipDelegate(QStyledItemDelegate):
    """Draws a cell's (text, colour) as a small rounded chip."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        # The chip carries the text; the base class draws only the cell's background and selection.
        if index.data(CHIP_ROLE):
            option.text = ""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        chip = index.data(CHIP_ROLE)
        if not chip:
            return
        text, colour = chip
        self.initStyleOption(option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 16
        height = metrics.height() + 4
        rect = QRect(option.rect.x() + 6, option.rect.center().y() - height // 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 20, hint.height())


def chip_delegate(parent: QWidget) -> ChipDelegate:
    return ChipDelegate(parent)
