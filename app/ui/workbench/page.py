"""工作台: my to-dos, what is due within 3 working days, what is overdue, and counts per area; and three
views of my work, kept apart everywhere, counts too: 待办 (what I must act on), 待阅 (what I am to read)
and 已办 (what I acted on, with where it stands now). A recurring report I owe (汇报：进展汇报 · 每周) is a 待办
like a step, and opens its record on 责任与进展, where it is reported (app.ui.workbench.focus)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.kernel.clock import office_today
from app.services.workflow import done, todo
from app.services.workflow.worklist import Page as ListPage
from app.ui.areas import AREAS, Area
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, OK, SOON, URGENT
from app.ui.widgets.connection_monitor import as_server_fault, connection_monitor
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.db_call import as_user
from app.ui.widgets.display import deadline_text, when
from app.ui.widgets.lazy_table import Column, LazyTableModel
from app.ui.widgets.messages import show_error
from app.ui.widgets.pages import Page
from app.ui.widgets.worker import run_in_background
from app.ui.workbench.reading import WorkbenchReading, read_workbench

WEEKDAYS = (
    QT_TRANSLATE_NOOP("GovDesk", "星期一"), QT_TRANSLATE_NOOP("GovDesk", "星期二"), QT_TRANSLATE_NOOP("GovDesk", "星期三"),
    QT_TRANSLATE_NOOP("GovDesk", "星期四"), QT_TRANSLATE_NOOP("GovDesk", "星期五"), QT_TRANSLATE_NOOP("GovDesk", "星期六"),
    QT_TRANSLATE_NOOP("GovDesk", "星期日"),
)


# What each kind of to-do asks of its holder; a step's own label says it for the steps.
KIND_LABELS = {
    todo.COSIGN: QT_TRANSLATE_NOOP("GovDesk", '填写会签意见'),
    todo.RECEIPT: QT_TRANSLATE_NOOP("GovDesk", '签收分发件'),
    todo.READ: QT_TRANSLATE_NOOP("GovDesk", '阅文'),
    todo.DUTY: QT_TRANSLATE_NOOP("GovDesk", '汇报'),
    todo.FOLLOW: QT_TRANSLATE_NOOP("GovDesk", '催报'),
}


def due_text(item: todo.TodoItem) -> str:
    return deadline_text(item.due_date, item.due_provisional)


def asked(item: todo.TodoItem) -> str:
    text = tr(KIND_LABELS[item.kind]) if item.kind in KIND_LABELS else item.info.state_label
    if item.kind in (todo.DUTY, todo.FOLLOW):
        # Which report, and how often: 汇报：进展汇报 · 每周.
        text = tr("{0}：{1}").format(text, item.duty_label)
    elif item.kind == todo.TASK and item.task:
        # A task says what it asks (a 会议方案's line: 调试音响、话筒…), cut short here and whole in the tooltip.
        text = short_task(item.task)
    # A to-do shown to a delegate (代理) says whose it is.
    for_whom = getattr(item, "on_behalf_of", "")
    return tr("{0}（代{1}）").format(text, for_whom) if for_whom else text


TASK_SHOWN = 16


def short_task(task: str) -> str:
    return task if len(task) <= TASK_SHOWN else task[:TASK_SHOWN - 1] + "…"


def asked_tooltip(item: todo.TodoItem) -> str:
    return item.task if item.kind == todo.TASK and len(item.task) > TASK_SHOWN else ""


def status_chip(item: todo.TodoItem) -> tuple[str, str]:
    if item.urge is not None:
        return tr('已催办'), URGENT
    if item.overdue:
        return tr('已逾期'), URGENT
    if item.due_soon:
        return tr('即将到期'), SOON
    if item.info.urgency:
        return item.info.urgency, URGENT
    if item.kind == todo.READ:
        return tr('待阅'), OK
    return tr('办理中'), OK


def note_text(item: todo.TodoItem) -> str:
    urge = item.urge
    if urge is None:
        return ""
    when = urge.at.astimezone()
    return tr('{0}月{1}日{2}催办（{3}）：{4}').format(when.month, when.day, urge.by_name, urge.method, urge.note)


TODO_COLUMNS: list[Column[todo.TodoItem]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", '事项'), lambda i: i.info.title, width=300, tooltip=lambda i: i.info.title),
    # What is asked shows whole: a report's (汇报：进展汇报 · 每周（代吴联络）) is longer than a step's label.
    Column(QT_TRANSLATE_NOOP("GovDesk", '类别'), lambda i: i.info.flow_label, width=100, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '待办事项'), asked, width=140, fit=True, tooltip=asked_tooltip),
    Column(QT_TRANSLATE_NOOP("GovDesk", '办理时限'), due_text, width=130, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '状态'), lambda i: "", width=90, chip=status_chip),
    Column(QT_TRANSLATE_NOOP("GovDesk", '说明'), note_text, width=200, tooltip=note_text),
]


def my_act(item: done.DoneItem) -> str:
    return tr("{0}（代{1}）").format(item.action_label, item.on_behalf_of) if item.on_behalf_of else item.action_label


def where_now(item: done.DoneItem) -> tuple[str, str]:
    if item.closed:
        return tr('已办结'), OK
    return item.info.state_label, ACCENT


DONE_COLUMNS: list[Column[done.DoneItem]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", '事项'), lambda i: i.info.title, width=300, tooltip=lambda i: i.info.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", '类别'), lambda i: i.info.flow_label, width=100),
    Column(QT_TRANSLATE_NOOP("GovDesk", '我的办理'), my_act, width=150),
    Column(QT_TRANSLATE_NOOP("GovDesk", '办理时间'), lambda i: when(i.acted_at), width=140, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '当前环节'), lambda i: "", width=130, chip=where_now),
]

# The three views of my work, in the switch above the list: each tile belongs to one of them.
TODO_VIEW, READ_VIEW, DONE_VIEW = "todo", "read", "done"


class Tile(QFrame):
    clicked = Signal()

    def __init__(self, caption: str, icon_name: str | None, area: str | None, number_style: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.caption = caption
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = QLabel("0")
        self.number.setObjectName(number_style)
        icon = QLabel()
        pixmap_icon = area_icon(area, ACCENT) if area else action_icon(icon_name or "done")
        icon.setPixmap(pixmap_icon.pixmap(28, 28))
        label = QLabel(caption)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.number)
        self.setMinimumWidth(150)

    def set_count(self, count: int) -> None:
        self.number.setText(str(count))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.clicked.emit()
        super().mousePressEvent(event)


# The tiles that choose a view of the to-dos, with the caption of the list they show.
VIEW_CAPTIONS = {
    "all": QT_TRANSLATE_NOOP("GovDesk", '我的待办'),
    "read": QT_TRANSLATE_NOOP("GovDesk", '我的待阅'),
    "soon": QT_TRANSLATE_NOOP("GovDesk", '3个工作日内到期'),
    "overdue": QT_TRANSLATE_NOOP("GovDesk", '已逾期'),
    "urged": QT_TRANSLATE_NOOP("GovDesk", '催办'),
}


class WorkbenchPage(Page):
    title = QT_TRANSLATE_NOOP("GovDesk", '工作台')
    # Emitted each time the tiles and the list show what was just read from the database.
    loaded = Signal()
    # The user asked to see the rest of a capped list in an area's own page (an area key).
    area_requested = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor | None,
        prefs: Prefs,
        open_record: Callable[[todo.TodoItem], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.open_record = open_record
        self.result: todo.TodoList | None = None
        self.first_reading: WorkbenchReading | None = None
        # The tile whose list is shown.
        self.view_key = "all"

        self.greeting = QLabel()
        self.greeting.setObjectName("pageTitle")
        self.today_label = QLabel()
        self.today_label.setObjectName("hint")
        header = QHBoxLayout()
        header.addWidget(self.greeting)
        header.addStretch(1)
        header.addWidget(self.today_label)

        self.tiles: dict[str, Tile] = {
            "all": Tile(tr('我的待办'), "done", None, "tileNumber"),
            "read": Tile(tr('待阅'), "read", None, "tileNumber"),
            "soon": Tile(tr('3个工作日内到期'), "soon", None, "tileNumberSoon"),
            "overdue": Tile(tr('已逾期'), "overdue", None, "tileNumberUrgent"),
            "urged": Tile(tr('催办'), "urge", None, "tileNumberUrgent"),
        }
        for area in AREAS:
            if area.flow_keys:
                self.tiles[area.key] = Tile(tr(area.label), None, area.key, "tileNumber")
        # The views in the first row; the areas, one tile each, in as many rows of that width as they need (a
        # row of every tile would not fit the office laptop's screen once three areas have flows).
        grid = QGridLayout()
        views = ("all", "read", "soon", "overdue", "urged")
        for i, (key, tile) in enumerate(self.tiles.items()):
            if key in views:
                grid.addWidget(tile, 0, views.index(key))
            else:
                place = i - len(views)
                grid.addWidget(tile, 1 + place // len(views), place % len(views))
            tile.clicked.connect(lambda key=key: self.show_only(key))

        # 待办 | 待阅 | 已办: which of my work the list shows.
        self.switch = QButtonGroup(self)
        self.switch_buttons: dict[str, QPushButton] = {}
        self.switch_bar = QWidget()
        self.switch_bar.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # The chosen view stands out as the theme's primary button does.
        self.switch_bar.setStyleSheet(
            f"QPushButton#segment {{ border-radius: 0px; padding: 4px 16px; }}"
            f"QPushButton#segment:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}"
        )
        switch_row = QHBoxLayout(self.switch_bar)
        switch_row.setContentsMargins(0, 0, 0, 0)
        switch_row.setSpacing(0)
        for key, text in ((TODO_VIEW, tr('待办')), (READ_VIEW, tr('待阅')), (DONE_VIEW, tr('已办'))):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName("segment")
            button.setMinimumWidth(96)
            button.clicked.connect(lambda _=False, key=key: self.show_view(key))
            self.switch.addButton(button)
            self.switch_buttons[key] = button
            switch_row.addWidget(button)
        self.switch_buttons[TODO_VIEW].setChecked(True)
        self.list_caption = QLabel(tr('我的待办'))
        self.list_caption.setStyleSheet("font-weight: bold;")
        # A capped list says so, and where the rest is.
        self.capped_note = QLabel()
        self.capped_note.setObjectName("hint")
        self.capped_note.setTextFormat(Qt.TextFormat.RichText)
        self.capped_note.linkActivated.connect(self.area_requested.emit)
        self.capped_note.hide()
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.switch_bar)
        caption_row.addSpacing(16)
        caption_row.addWidget(self.list_caption)
        caption_row.addSpacing(12)
        caption_row.addWidget(self.capped_note, 1)
        self.model = LazyTableModel(TODO_COLUMNS)
        self.table = DataTable(
            self.model, prefs, "workbench/todo",
            tr('暂无待办事项。\n需要您办理的公文、报销单等会自动出现在这里，并提醒即将到期和已逾期的事项。'),
        )
        self.table.activated.connect(self.open_record)
        # An empty tile's list offers 清除筛选: back to all the to-dos.
        self.table.clearFilters.connect(lambda: self.show_only("all"))
        self.done_model = LazyTableModel(DONE_COLUMNS, page_size=50)
        self.done_table = DataTable(
            self.done_model, prefs, "workbench/done",
            tr('暂无已办事项。\n您办理过的公文、报销单等会列在这里，并显示它们现在办到了哪一步。'),
        )
        # An 已办 row opens its record as a to-do would: the record's own window.
        self.done_table.activated.connect(
            lambda item: self.open_record(todo.TodoItem(info=item.info, overdue=False, due_soon=False)))
        # 已办 is not counted (app.services.workflow.done): the line under it says what is listed so far.
        self.done_model.totalChanged.connect(lambda _total: self._say_done_listed())
        self.done_model.modelReset.connect(self._say_done_listed)
        self.done_model.rowsInserted.connect(lambda *_: self._say_done_listed())
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.done_table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addLayout(caption_row)
        layout.addWidget(self.lists, 1)

        if actor is not None:
            self.set_actor(actor)

    def set_actor(self, actor: Actor, first_reading: WorkbenchReading | None = None) -> None:
        """Whose 工作台 this is. Built before the login finished, the page shows nothing until then.
        first_reading: what read_workbench read for this user at the login, shown by the first refresh
        instead of reading again."""
        self.actor = actor
        self.first_reading = first_reading
        self.greeting.setText(tr('{0}，您好').format(actor.full_name))

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"*"})

    def refresh(self) -> None:
        actor = self.actor
        if actor is None:
            return
        first, self.first_reading = self.first_reading, None
        if self.view_key == DONE_VIEW:
            self._read_done()
        if first is not None:
            self._show(first)
            return
        run_in_background(lambda _progress: read_workbench(self.ctx, actor), self._show, self._read_failed)

    def _read_failed(self, error: BaseException) -> None:
        fault = as_server_fault(error)
        if fault is not None:
            # Said by the main window's strip; the 工作台 reloads when the server is back.
            connection_monitor().report_lost(fault)
            return
        show_error(self, error, tr('无法读取待办事项'))

    def _show(self, outcome: WorkbenchReading) -> None:
        if not isValid(self):
            # Read for a window closed meanwhile: nothing left to show it in.
            return
        result, today, workday = outcome.todos, outcome.today, outcome.workday
        self.result = result
        self.today_label.setText(
            tr('{0}年{1}月{2}日 {3}（{4}）').format(
                today.year, today.month, today.day, tr(WEEKDAYS[today.weekday()]), tr('工作日') if workday else tr('休息日')
            )
        )
        # Every number from the count queries, not from the list, which holds the most urgent only.
        for key in ("all", "read", "soon", "overdue", "urged"):
            self.tiles[key].set_count(result.count_of(key))
        self.switch_buttons[TODO_VIEW].setText(tr('待办（{0}）').format(result.count_of("all")))
        self.switch_buttons[READ_VIEW].setText(tr('待阅（{0}）').format(result.count_of("read")))
        for area in AREAS:
            if area.flow_keys:
                self.tiles[area.key].set_count(result.count_of("all", frozenset(area.flow_keys)))
        if self.view_key != DONE_VIEW:
            self.show_only(self.view_key)
        self.loaded.emit()

    @staticmethod
    def _view_of(key: str) -> tuple[str, frozenset[str] | None]:
        """The service's view and flows of a tile."""
        if key in VIEW_CAPTIONS:
            return key, None
        area = next((a for a in AREAS if a.key == key), None)
        return "all", frozenset(area.flow_keys) if area else None

    def show_only(self, key: str) -> None:
        """Shows one tile's list: from what the 工作台 read where that holds all of it, else read anew."""
        self.view_key = key
        self.switch_buttons[READ_VIEW if key == "read" else TODO_VIEW].setChecked(True)
        self.lists.setCurrentWidget(self.table)
        if key in VIEW_CAPTIONS:
            self.list_caption.setText(tr(VIEW_CAPTIONS[key]))
        else:
            self.list_caption.setText(tr('我的待办 · {0}').format(self.tiles[key].caption))
        self.table.set_no_match_text(
            tr('暂无待阅文件。\n送您传阅的公文会出现在这里。') if key == "read"
            else None if key == "all" else tr('没有这一类的待办事项。')
        )
        result = self.result
        if result is None:
            return
        view, flow_keys = self._view_of(key)
        if view == "read":
            self._fill(result.reading, result.count_of("read"), view, flow_keys)
        elif not result.truncated or (view == "all" and flow_keys is None):
            # Capped or not, what the 工作台 read is the 'all' view's most urgent: no second reading of it.
            self._fill([i for i in result.items if self._in_view(i, view, flow_keys)],
                       result.count_of(view, flow_keys), view, flow_keys)
        else:
            self._read_view(view, flow_keys)

    def show_view(self, view: str) -> None:
        """待办, 待阅 or 已办, as the switch above the list chooses."""
        if view == DONE_VIEW:
            self.view_key = DONE_VIEW
            self.switch_buttons[DONE_VIEW].setChecked(True)
            self.list_caption.setText(tr('我办理过的事项，按办理时间从近到远'))
            self.capped_note.hide()
            self.lists.setCurrentWidget(self.done_table)
            self._read_done()
        else:
            self.show_only("read" if view == READ_VIEW else "all")

    def _say_done_listed(self) -> None:
        listed, label = self.done_model.rowCount(), self.done_table.total_label
        if listed and self.done_model.total > listed:
            label.setText(tr('已列出最近的 {0} 件，向下滚动可看更早的').format(listed))
        elif listed:
            label.setText(tr('共 {0} 件').format(listed))

    def _read_done(self) -> None:
        actor = self.actor
        if actor is None:
            return
        ctx = self.ctx

        def fetch(offset: int, limit: int, _key: str | None, _descending: bool) -> ListPage[done.DoneItem]:
            return as_user(ctx, actor, done.done_list, offset=offset, limit=limit)()

        self.done_model.set_fetch(fetch)

    @staticmethod
    def _in_view(item: todo.TodoItem, view: str, flow_keys: frozenset[str] | None) -> bool:
        if flow_keys is not None and item.info.flow_key not in flow_keys:
            return False
        return {"soon": item.due_soon, "overdue": item.overdue, "urged": item.urge is not None}.get(view, True)

    def _read_view(self, view: str, flow_keys: frozenset[str] | None) -> None:
        actor = self.actor
        if actor is None:
            return
        key = self.view_key
        reading = as_user(self.ctx, actor, todo.todo, office_today(), view=view, flow_keys=flow_keys)

        def work(_progress: object) -> todo.TodoList:
            return reading()

        def show(result: todo.TodoList) -> None:
            if key == self.view_key:
                self._fill(result.items, result.total, view, flow_keys)

        run_in_background(work, show, self._read_failed)

    def _fill(self, items: list[todo.TodoItem], total: int, view: str, flow_keys: frozenset[str] | None) -> None:
        self.model.set_rows(items)
        if len(items) >= total:
            self.capped_note.hide()
            return
        links = tr("、").join(
            f'“<a href="{area.key}">{tr(area.label)}</a>”' for area in self._areas_holding(view, flow_keys)
        )
        text = tr('只显示最紧急的{0}件，共{1}件。').format(len(items), total)
        if links:
            text += tr('到{0}中查看全部').format(links)
        self.capped_note.setText(text)
        self.capped_note.show()

    def _areas_holding(self, view: str, flow_keys: frozenset[str] | None) -> list[Area]:
        """The areas whose own pages list the rest of a view."""
        result = self.result
        if result is None:
            return []
        return [
            area for area in AREAS
            if area.flow_keys and (flow_keys is None or set(area.flow_keys) & flow_keys)
            and result.count_of(view, frozenset(area.flow_keys)) > 0
        ]
