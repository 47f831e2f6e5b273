"""A list page: filters and a Chinese substring search over a lazy table, Excel export, and an empty
state that offers the first action. The area packages (公文, 报账 …) describe their filters and columns;
the fetching, paging and exporting live here once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import GovDeskError, ServerUnavailable
from app.forms import PrintContext
from app.services.workflow.worklist import MAX_SEARCH_LENGTH
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.widgets.batch_print_action import BatchRun, PrintForm, describe_rows, print_selected, selection_text
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.excel import ExcelSheet, new_workbook, save_workbook
from app.ui.widgets.lazy_table import Column, LazyTableModel, reload_keeping_place, remember_place
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.pages import Page
from app.ui.widgets.qt_helpers import ask_excel_file, date_edit, to_date
from app.ui.widgets.worker import ProgressFn, run_with_progress

SEARCH_DELAY_MS = 300
EXPORT_PAGE = 500


@dataclass(frozen=True)
class Choice:
    """A filter drop-down: its label and (text, value) options; the first option means 'all'."""

    key: str
    label: str
    options: Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class ListSpec:
    title: str
    columns: list[Column[Any]]
    state_key: str
    empty_text: str
    search_hint: str = ""
    choices: Sequence[Choice] = ()
    date_range: bool = False
    overdue_filter: bool = False
    new_label: str = ""
    export_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # What one row is, for 没有找到符合条件的{noun}; the title when not given.
    noun: str = ""
    # What identifies a row's record across reloads, so a refresh keeps the user's place.
    row_key: Callable[[Any], object] = field(default=lambda row: getattr(row, "id", row))
    # The forms the selected rows print in (打印, Ctrl+P, the right-click menu); none: the list does not print.
    print_forms: Sequence[PrintForm] = ()


Fetch = Callable[[dict[str, Any], int, int, str | None, bool], DataPage[Any]]


class ListPage(Page):
    def __init__(
        self,
        spec: ListSpec,
        fetch: Fetch,
        prefs: Prefs,
        on_open: Callable[[Any], None],
        on_new: Callable[[], None] | None = None,
        parent: QWidget | None = None,
        print_as: PrintContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.print_as = print_as
        self.title = spec.title
        self.fetch_page = fetch
        self.on_new = on_new
        heading = QLabel(spec.title)
        heading.setObjectName("pageTitle")
        self.new_button: QPushButton | None = None
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        if on_new is not None and spec.new_label:
            self.new_button = QPushButton(action_icon("new", "white"), spec.new_label)
            self.new_button.setObjectName("primary")
            self.new_button.clicked.connect(on_new)
            top.addWidget(self.new_button)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        # The services refuse a longer search; a pasted page of text is cut here instead of failing the list.
        self.search.setMaxLength(MAX_SEARCH_LENGTH)
        self.search.setPlaceholderText(spec.search_hint or tr("搜索"))
        self.search.setMinimumWidth(260)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        self.combos: dict[str, QComboBox] = {}
        for choice in spec.choices:
            combo = QComboBox()
            for text, value in choice.options:
                combo.addItem(text, value)
            combo.setToolTip(choice.label)
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
            self.combos[choice.key] = combo
            filters.addWidget(combo)
        # Dates and the rest go on a second row: with the search and choices they need more width than a
        # 1366-pixel screen has, and the date boxes were cut.
        choices_row = filters
        if spec.date_range or spec.overdue_filter:
            filters = QHBoxLayout()
        self.date_from: QDateEdit | None = None
        self.date_to: QDateEdit | None = None
        self.use_dates: QCheckBox | None = None
        if spec.date_range:
            self.use_dates = QCheckBox(tr("日期"))
            self.date_from = date_edit(QDate.currentDate().addMonths(-3))
            self.date_to = date_edit(QDate.currentDate())
            for edit in (self.date_from, self.date_to):
                edit.dateChanged.connect(self._dates_changed)
            self.use_dates.toggled.connect(lambda _c: self.refresh())
            filters.addWidget(self.use_dates)
            filters.addWidget(self.date_from)
            filters.addWidget(QLabel(tr("至")))
            filters.addWidget(self.date_to)
        self.overdue_only: QCheckBox | None = None
        if spec.overdue_filter:
            self.overdue_only = QCheckBox(tr("只看逾期"))
            self.overdue_only.toggled.connect(lambda _c: self.refresh())
            filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        self.export_button = QPushButton(action_icon("save"), tr("导出Excel…"))
        self.export_button.clicked.connect(self.choose_export_file)
        filters.addWidget(self.export_button)

        self.model = LazyTableModel(spec.columns)
        # A lost server is said over the table and in the main window, and the list reloads once it is back:
        # no dialog for each list that was reading.
        self.model.loadFailed.connect(
            lambda error: None if isinstance(error, ServerUnavailable) else show_error(self, error, tr("无法读取列表"))
        )
        empty_action = (spec.new_label, on_new) if on_new is not None and spec.new_label else None
        self.table = DataTable(self.model, prefs, spec.state_key, spec.empty_text, empty_action)
        self.table.activated.connect(on_open)
        self.table.clearFilters.connect(self.clear_filters)
        self.shown_filters: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(top)
        layout.addLayout(choices_row)
        if filters is not choices_row:
            layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.print_button: QPushButton | None = None
        self.selection_label = QLabel()
        self.batch: BatchRun | None = None
        if spec.print_forms and print_as is not None:
            self._add_printing(filters)

    # ----- filters ---------------------------------------------------------------------------------------
    def _dates_changed(self) -> None:
        if self.use_dates is not None and self.use_dates.isChecked():
            self.refresh()

    def filters(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: combo.currentData() for key, combo in self.combos.items()}
        text = self.search.text().strip()
        if text:
            values["search"] = text
        if self.use_dates is not None and self.use_dates.isChecked():
            assert self.date_from is not None and self.date_to is not None
            values["date_from"] = to_date(self.date_from.date())
            values["date_to"] = to_date(self.date_to.date())
        if self.overdue_only is not None and self.overdue_only.isChecked():
            values["overdue_on"] = date.today()
        return {key: value for key, value in values.items() if value not in (None, "")}

    def clear_filters(self) -> None:
        """Back to the whole list: every filter to its 'all' choice, the search empty; one reload."""
        widgets: list[QWidget] = [self.search, *self.combos.values()]
        widgets += [w for w in (self.use_dates, self.overdue_only) if w is not None]
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in self.combos.values():
            combo.setCurrentIndex(0)
        for check in (self.use_dates, self.overdue_only):
            if check is not None:
                check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.search_timer.stop()
        self.refresh()

    def refresh(self) -> None:
        """Loads the list for the filters shown. When they are the ones already loaded (F5, or a change
        made on another client), the same record stays selected and the same record stays on top."""
        current = self.filters()
        same = current == self.shown_filters
        self.shown_filters = current
        place = remember_place(self.table.view, self.model, self.spec.row_key) if same else None
        noun = self.spec.noun or self.spec.title
        self.table.set_no_match_text(tr("没有找到符合条件的{0}。").format(noun) if current else None)

        def fetch(offset: int, limit: int, key: str | None, desc: bool) -> DataPage[Any]:
            return self.fetch_page(current, offset, limit, key, desc)

        # The rows are read off the GUI thread; the place is restored once they have landed.
        if place is not None:
            reload_keeping_place(self.table.view, self.model, self.spec.row_key, place, fetch)
        else:
            self.model.set_fetch(fetch)
            self.table.view.scrollToTop()

    def new_record(self) -> bool:
        if self.on_new is None:
            return False
        self.on_new()
        return True

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    # ----- printing the selected rows --------------------------------------------------------------------
    def _add_printing(self, row: QHBoxLayout) -> None:
        view = self.table.view
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.selection_label.setObjectName("hint")
        self.print_button = QPushButton(action_icon("print"), tr("打印…"))
        self.print_button.setToolTip(tr("把选中的记录生成一个 PDF，预览后打印（Ctrl+P）；按住 Ctrl 或 Shift 可多选"))
        actions = []
        for choice in self.spec.print_forms:
            action = QAction(action_icon("print"), tr("打印{0}…").format(choice.label), self)
            action.triggered.connect(lambda _c=False, chosen=choice: self.print_selected(chosen))
            actions.append(action)
        if len(actions) == 1:
            self.print_button.clicked.connect(actions[0].trigger)
        else:
            menu = QMenu(self.print_button)
            menu.addActions(actions)
            self.print_button.setMenu(menu)
        view.addActions(actions)
        from PySide6.QtCore import Qt  # here, not at the top: see app.ui.login (the login dialog's start)

        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        row.insertWidget(row.count() - 1, self.selection_label)
        row.addWidget(self.print_button)
        self.model.modelReset.connect(self._selection_changed)
        self.model.rowsInserted.connect(self._selection_changed)
        self.model.totalChanged.connect(self._selection_changed)
        view.selectionModel().selectionChanged.connect(self._selection_changed)

    def selected_rows(self) -> list[Any]:
        """The selected rows in the list's order. Rows not loaded yet cannot be selected: Ctrl+A takes the
        loaded ones, and the label says so."""
        rows = sorted(index.row() for index in self.table.view.selectionModel().selectedRows())
        return [self.model.row_object(row) for row in rows]

    def _selection_changed(self, *_args: object) -> None:
        count = len(self.table.view.selectionModel().selectedRows())
        self.selection_label.setText(selection_text(count, self.model.rowCount(), self.model.total))

    def print_selected(self, choice: PrintForm | None = None) -> BatchRun | None:
        if self.print_as is None or not self.spec.print_forms:
            return None
        chosen = choice or self.spec.print_forms[0]
        number = self.spec.columns[0].value
        self.batch = print_selected(self, self.print_as, chosen, describe_rows(self.selected_rows(), number))
        return self.batch

    def print_current(self) -> bool:
        """Ctrl+P: the selected rows; where the list prints more than one form, the button's menu to choose."""
        if self.print_button is None:
            return False
        if self.print_button.menu() is not None:
            self.print_button.showMenu()
        else:
            self.print_selected()
        return True

    # ----- export -----------------------------------------------------------------------------------------
    def choose_export_file(self) -> None:
        name = f"{self.spec.export_name or self.spec.title}-{date.today():%Y%m%d}.xlsx"
        path = ask_excel_file(self, name)
        if path:
            self.export_to(path)

    def export_to(self, target: Path) -> None:
        current = self.filters()
        columns = self.spec.columns
        sort = self.model.sort_order()

        def work(progress: ProgressFn) -> int:
            return export_rows(target, self.spec.title, columns, current, self.fetch_page, progress, sort)

        def done(count: int) -> None:
            inform(self, tr("导出完成"), tr("已导出 {0} 条到：\n{1}").format(count, target))

        run_with_progress(self, tr("正在导出…"), work, done, lambda e: show_error(self, e, tr("导出失败")))


class ListTabsPage(Page):
    """An area's page whose tabs hold its lists (and other tabs): Ctrl+F and Ctrl+P go to the list shown."""

    tabs: QTabWidget

    @property
    def current_list(self) -> ListPage | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ListPage) else None

    def focus_search(self) -> bool:
        current = self.current_list
        return current.focus_search() if current is not None else False

    def print_current(self) -> bool:
        current = self.current_list
        return current.print_current() if current is not None else False

    def show_record(self, make_window: Callable[[], Any]) -> None:
        """Opens a record's window, made by ``make_window``, and refreshes the list if the window changed it.
        A record that cannot be read (the server gone, the record withdrawn meanwhile) is said; nothing opens."""
        try:
            window = make_window()
        except GovDeskError as error:
            show_error(self, error)
            return
        window.exec()
        if window.changed:
            self.refresh()

    def run_editor(self, make_editor: Callable[[], Any]) -> Any:
        """Runs a new record's editor, made by ``make_editor``; what it saved once accepted, else None. The list
        is refreshed when something was saved."""
        try:
            editor = make_editor()
        except GovDeskError as error:
            show_error(self, error)
            return None
        if editor.exec() != QDialog.DialogCode.Accepted or editor.saved is None:
            return None
        self.refresh()
        return editor.saved


def export_rows(
    target: Path,
    title: str,
    columns: Sequence[Column[Any]],
    filters: dict[str, Any],
    fetch: Fetch,
    progress: ProgressFn | None = None,
    sort: tuple[str | None, bool] = (None, False),
) -> int:
    """Writes every row the filters select, in the list's order, page by page, so a large list never sits in
    memory twice."""
    book = new_workbook()
    sheet = ExcelSheet(book, title, [tr(column.title) for column in columns])
    key, descending = sort
    offset = 0
    total = None
    while True:
        page = fetch(filters, offset, EXPORT_PAGE, key, descending)
        total = page.total
        sheet.extend([_cell_value(column, row) for column in columns] for row in page.rows)
        offset += len(page.rows)
        if progress is not None:
            progress(offset, max(total, 1), tr("已导出 {0}/{1} 条").format(offset, total))
        if not page.rows or offset >= total:
            break
    save_workbook(book, [sheet], target)
    return offset


def _cell_value(column: Column[Any], row: Any) -> object:
    if column.excel is not None:
        return column.excel(row)
    return _cell_text(column, row)


def _cell_text(column: Column[Any], row: Any) -> str:
    if column.chip is not None:
        chip = column.chip(row)
        return chip[0] if chip else ""
    return column.value(row)
