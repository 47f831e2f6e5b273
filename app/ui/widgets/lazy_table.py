"""A table model over a service's page query: sorting and filtering happen in SQL, and rows are fetched
page by page as the user scrolls (canFetchMore / fetchMore)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from shiboken6 import isValid

from app.core.errors import ServerUnavailable
from app.services.workflow.worklist import Page
from app.ui.i18n import tr
from app.ui.widgets.connection_monitor import as_server_fault, connection_monitor
from app.ui.widgets.db_call import SILENT_SERVER_AFTER_S
from app.ui.widgets.worker import run_in_background

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int, str | None, bool], Page[Any]]
# Whether the rows read so far hold what a reload looks for (the record that was on top).
Until = Callable[[list[Any]], bool]

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
    """Rows come from ``fetch`` off the GUI thread (app.ui.widgets.worker): a list on a server that has gone
    silent never freezes the window. The rows shown stay until the new page lands; a newer reload
    supersedes an older one, whose result is dropped. ``set_rows`` shows rows already in memory at once."""

    totalChanged = Signal(int)
    loadFailed = Signal(object)
    # True when a page is being read, False when it landed or failed: the view says 正在读取… if it is slow.
    loadingChanged = Signal(bool)

    def __init__(self, columns: list[Column[Any]], fetch: Fetch | None = None, page_size: int = 100) -> None:
        super().__init__()
        self.columns = columns
        self._fetch = fetch
        self._local = False
        self.page_size = page_size
        self._rows: list[Any] = []
        self._total = 0
        self._sort_key: str | None = None
        self._descending = False
        # Each reload takes the next number; a result that comes back under an older one is stale.
        self._generation = 0
        self._reloading = False
        self._fetching_more = False
        self._loaded_once = False
        # Run once the page being read has landed (restore_place); dropped when a newer reload supersedes it.
        self._after_load: list[Callable[[], None]] = []

    # ----- loading -------------------------------------------------------------------------------------
    def set_fetch(
        self, fetch: Fetch, at_least: int = 0, then: Callable[[], None] | None = None, until: Until | None = None
    ) -> None:
        self._fetch = fetch
        self._local = False
        self.reload(at_least, then, until)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Rows the window already holds (no database call): shown at once, paged as they would be."""
        held = list(rows)
        self._fetch = lambda offset, limit, _key, _desc: Page(held[offset:offset + limit], len(held), offset)
        self._local = True
        self.reload()

    def reload(self, at_least: int = 0, then: Callable[[], None] | None = None, until: Until | None = None) -> None:
        """Loads the first page again; ``at_least`` rows when the view should stay where it was scrolled.
        ``then`` runs once the rows have landed (not after a failure). ``until``: while it is false of the
        rows read, up to PLACE_SEARCH_PAGES more pages are read with them, so a record that moved down is
        found without reading on the GUI thread."""
        self._generation += 1
        generation = self._generation
        self._fetching_more = False
        self._after_load = [then] if then is not None else []
        fetch = self._fetch
        if fetch is None:
            self._land(generation, ([], 0))
            return
        limit = max(self.page_size, at_least)
        key, descending, page_size = self._sort_key, self._descending, self.page_size

        def read(_progress: object = None) -> tuple[list[Any], int]:
            page = fetch(0, limit, key, descending)
            rows, total = list(page.rows), page.total
            for _ in range(PLACE_SEARCH_PAGES if until is not None else 0):
                if until is None or until(rows) or len(rows) >= total:
                    break
                more = fetch(len(rows), page_size, key, descending)
                if not more.rows:
                    break
                rows.extend(more.rows)
                total = more.total
            return rows, total

        if self._local:
            try:
                outcome = read()
            except Exception as error:  # noqa: BLE001 - shown by the view
                self._failed(generation, error)
                return
            self._land(generation, outcome)
            return
        self._set_reloading(True)
        run_in_background(
            read,
            lambda outcome: self._land(generation, outcome),
            lambda error: self._failed(generation, error),
        )

    def when_loaded(self, callback: Callable[[], None]) -> None:
        """Runs ``callback`` once the page being read has landed, or now when none is being read. Not after a
        failure, nor when a newer reload supersedes the read."""
        if self.loading:
            self._after_load.append(callback)
        else:
            callback()

    def _run_after_load(self) -> None:
        callbacks, self._after_load = self._after_load, []
        for callback in callbacks:
            callback()

    @property
    def loading(self) -> bool:
        """A page is being read: a reload, or more rows for the scrolling."""
        return self._reloading or self._fetching_more

    @property
    def loaded_once(self) -> bool:
        return self._loaded_once

    def _set_reloading(self, reloading: bool) -> None:
        was = self.loading
        self._reloading = reloading
        if self.loading != was:
            self.loadingChanged.emit(self.loading)

    def _set_fetching_more(self, fetching: bool) -> None:
        was = self.loading
        self._fetching_more = fetching
        if self.loading != was:
            self.loadingChanged.emit(self.loading)

    def _current(self, generation: int) -> bool:
        # The model may be gone with its table by the time a slow answer comes back.
        return isValid(self) and generation == self._generation

    def _land(self, generation: int, outcome: tuple[list[Any], int]) -> None:
        if not self._current(generation):
            return
        rows, total = outcome
        self.beginResetModel()
        self._rows = rows
        self._total = total
        self._loaded_once = True
        self.endResetModel()
        self._set_reloading(False)
        self.totalChanged.emit(self._total)
        if not self._local:
            connection_monitor().confirm_alive()
        self._run_after_load()

    def _failed(self, generation: int, error: BaseException) -> None:
        if not self._current(generation):
            return
        self._after_load = []
        fault = as_server_fault(error)
        if fault is not None:
            # The server is gone: the rows read before stay in view, the window says the server is gone, and
            # the list reloads when it is back.
            connection_monitor().report_lost(fault)
            self._set_reloading(False)
            self.loadFailed.emit(fault)
            return
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._loaded_once = True
        self.endResetModel()
        self._set_reloading(False)
        self.totalChanged.emit(0)
        self.loadFailed.emit(error)

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
        if parent.isValid() or self._reloading or self._fetching_more:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._fetch is None or self._reloading or self._fetching_more:
            return
        generation = self._generation
        fetch, offset, limit = self._fetch, len(self._rows), self.page_size
        key, descending = self._sort_key, self._descending
        if self._local:
            self._more_landed(generation, fetch(offset, limit, key, descending))
            return
        self._set_fetching_more(True)
        run_in_background(
            lambda _progress: fetch(offset, limit, key, descending),
            lambda page: self._more_landed(generation, page),
            lambda error: self._more_failed(generation, error),
        )

    def _more_landed(self, generation: int, page: Page[Any]) -> None:
        if not self._current(generation):
            return
        self._set_fetching_more(False)
        if not page.rows:
            self._total = len(self._rows)
        else:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._total = page.total
            self.endInsertRows()
        self._run_after_load()

    def _more_failed(self, generation: int, error: BaseException) -> None:
        if not self._current(generation):
            return
        self._set_fetching_more(False)
        self._after_load = []
        fault = as_server_fault(error)
        if fault is not None:
            connection_monitor().report_lost(fault)
            error = fault
        self.loadFailed.emit(error)

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


def holds_top(key: Callable[[Any], object], place: Place) -> Until:
    """For reload's ``until``: whether the rows read hold the record that was on top."""
    return lambda rows: place.top is None or any(key(row) == place.top for row in rows)


def reload_keeping_place(view: QTableView, model: LazyTableModel, key: Callable[[Any], object], place: Place,
                         fetch: Fetch | None = None) -> None:
    """Reloads (with ``fetch``, when given) and, once the rows have landed, puts the user back in their place."""
    then = partial(restore_place, view, model, key, place)
    if fetch is not None:
        model.set_fetch(fetch, at_least=place.loaded, then=then, until=holds_top(key, place))
    else:
        model.reload(place.loaded, then=then, until=holds_top(key, place))


def restore_place(
    view: QTableView, model: LazyTableModel, key: Callable[[Any], object], place: Place,
    pages_left: int = PLACE_SEARCH_PAGES,
) -> None:
    """After a reload: the same record selected, and the same record on top (or the same row, if it went).
    Called while the rows are still being read, it waits for them to land; a record on top that moved
    further down is looked for in up to ``pages_left`` more pages, each read off the GUI thread."""
    if model.loading:
        model.when_loaded(partial(restore_place, view, model, key, place, pages_left))
        return
    top_row = model.row_of(key, place.top) if place.top is not None else None
    if top_row is None and place.top is not None and pages_left > 0 and model.canFetchMore():
        model.fetchMore()
        model.when_loaded(partial(restore_place, view, model, key, place, pages_left - 1))
        return
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


# A read that lands sooner is not worth a word: the rows simply change.
LOADING_NOTE_AFTER_MS = 300


class LoadingNote(QLabel):
    """正在读取… over a table whose rows take a noticeable while to come; the rows shown meanwhile stay. After
    a silent while, says that the server does not answer (a frozen server never resets the connection), and
    has the connection monitor look. When the server was lost while reading, says so until a read goes
    through."""

    def __init__(self, over: QWidget, model: LazyTableModel, on_slow: Callable[[], None] | None = None) -> None:
        super().__init__(over)
        self.setObjectName("loadingNote")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#loadingNote { background: rgba(255, 255, 255, 235); border: 1px solid #C8CED6;"
            " border-radius: 4px; padding: 6px 16px; }"
        )
        self.hide()
        self.model = model
        self.on_slow = on_slow
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(LOADING_NOTE_AFTER_MS)
        self.timer.timeout.connect(self._slow)
        self.silence = QTimer(self)
        self.silence.setSingleShot(True)
        self.silence.setInterval(SILENT_SERVER_AFTER_S * 1000)
        self.silence.timeout.connect(self._silent)
        model.loadingChanged.connect(self._loading)
        model.loadFailed.connect(self._failed)
        over.installEventFilter(self)

    def _loading(self, loading: bool) -> None:
        if loading:
            if not self.timer.isActive() and not self.silence.isActive():
                self.timer.start()
                self.silence.start()
        else:
            self.timer.stop()
            self.silence.stop()
            self.hide()

    def _slow(self) -> None:
        if self.model.loading:
            if self.on_slow is not None:
                self.on_slow()
            self._say(tr('正在读取…'))

    def _silent(self) -> None:
        if self.model.loading:
            self._say(tr('数据库服务器已经 {0} 秒没有回应，可能是网络断了或服务器关机了。恢复后列表会自动刷新。')
                      .format(SILENT_SERVER_AFTER_S))
            connection_monitor().suspect()

    def _failed(self, error: object) -> None:
        if isinstance(error, ServerUnavailable):
            self._say(error.message)

    def _say(self, text: str) -> None:
        self.setText(text)
        self._place()
        self.show()
        self.raise_()

    def _place(self) -> None:
        over = self.parentWidget()
        if over is None:
            return
        width = min(max(over.width() - 40, 120), 520)
        self.setFixedWidth(width)
        self.adjustSize()
        # Below the header row, so the column titles stay readable.
        self.move((over.width() - width) // 2, 36)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False


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
