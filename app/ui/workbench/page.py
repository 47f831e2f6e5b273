"""工作台: my to-dos, what is due within 3 working days, what is overdue, and counts per area."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.services import todo
from app.services.actor import Actor
from app.services.settings import work_calendar
from app.services.worklist import Page as DataPage
from app.ui.areas import AREAS, area_for_flow
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, OK, SOON, URGENT
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.lazy_table import Column, LazyTableModel
from app.ui.widgets.messages import show_error
from app.ui.widgets.pages import Page
from app.ui.widgets.worker import run_in_background

WEEKDAYS = (
    QT_TRANSLATE_NOOP("GovDesk", "星期一"), QT_TRANSLATE_NOOP("GovDesk", "星期二"), QT_TRANSLATE_NOOP("GovDesk", "星期三"),
    QT_TRANSLATE_NOOP("GovDesk", "星期四"), QT_TRANSLATE_NOOP("GovDesk", "星期五"), QT_TRANSLATE_NOOP("GovDesk", "星期六"),
    QT_TRANSLATE_NOOP("GovDesk", "星期日"),
)


def due_text(item: todo.TodoItem) -> str:
    due = item.info.due_date
    if due is None:
        return "—"
    text = tr('{0}年{1}月{2}日').format(due.year, due.month, due.day)
    return text + tr('（待国务院公布）') if item.info.due_provisional else text


def status_chip(item: todo.TodoItem) -> tuple[str, str]:
    if item.overdue:
        return tr('已逾期'), URGENT
    if item.due_soon:
        return tr('即将到期'), SOON
    if item.info.urgency:
        return item.info.urgency, URGENT
    return tr('办理中'), OK


TODO_COLUMNS: list[Column[todo.TodoItem]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", '事项'), lambda i: i.info.title, width=380, tooltip=lambda i: i.info.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", '类别'), lambda i: i.info.flow_label, width=110),
    Column(QT_TRANSLATE_NOOP("GovDesk", '当前环节'), lambda i: i.info.state_label, width=120),
    Column(QT_TRANSLATE_NOOP("GovDesk", '办理时限'), due_text, width=170, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '状态'), lambda i: "", width=110, chip=status_chip),
]


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


class WorkbenchPage(Page):
    title = QT_TRANSLATE_NOOP("GovDesk", '工作台')
    # Emitted each time the tiles and the list show what was just read from the database.
    loaded = Signal()

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
        self.filter: Callable[[todo.TodoItem], bool] = lambda _item: True

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
            "soon": Tile(tr('3个工作日内到期'), "soon", None, "tileNumberSoon"),
            "overdue": Tile(tr('已逾期'), "overdue", None, "tileNumberUrgent"),
        }
        for area in AREAS:
            if area.flow_keys:
                self.tiles[area.key] = Tile(tr(area.label), None, area.key, "tileNumber")
        grid = QGridLayout()
        for i, (key, tile) in enumerate(self.tiles.items()):
            grid.addWidget(tile, 0, i)
            tile.clicked.connect(lambda key=key: self.show_only(key))

        self.list_caption = QLabel(tr('我的待办'))
        self.list_caption.setStyleSheet("font-weight: bold;")
        self.model = LazyTableModel(TODO_COLUMNS)
        self.table = DataTable(
            self.model, prefs, "workbench/todo",
            tr('暂无待办事项。\n需要您办理的公文、报销单等会自动出现在这里，并提醒即将到期和已逾期的事项。'),
        )
        self.table.activated.connect(self.open_record)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(self.list_caption)
        layout.addWidget(self.table, 1)

        if actor is not None:
            self.set_actor(actor)

    def set_actor(self, actor: Actor) -> None:
        """Whose 工作台 this is. Built before the login finished, the page shows nothing until then."""
        self.actor = actor
        self.greeting.setText(tr('{0}，您好').format(actor.full_name))

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"*"})

    def refresh(self) -> None:
        actor = self.actor
        if actor is None:
            return

        def work(_progress: object) -> tuple[todo.TodoList, bool]:
            with self.ctx.uow() as uow:
                today = date.today()
                return todo.todo(uow, actor, today), work_calendar(uow).is_workday(today)

        run_in_background(work, self._show, lambda error: show_error(self, error, tr('无法读取待办事项')))

    def _show(self, outcome: tuple[todo.TodoList, bool]) -> None:
        result, workday = outcome
        self.result = result
        today = date.today()
        self.today_label.setText(
            tr('{0}年{1}月{2}日 {3}（{4}）').format(
                today.year, today.month, today.day, tr(WEEKDAYS[today.weekday()]), tr('工作日') if workday else tr('休息日')
            )
        )
        self.tiles["all"].set_count(len(result.items))
        self.tiles["soon"].set_count(len(result.due_soon))
        self.tiles["overdue"].set_count(len(result.overdue))
        for area in AREAS:
            if area.flow_keys:
                self.tiles[area.key].set_count(sum(result.counts_by_flow.get(k, 0) for k in area.flow_keys))
        self._fill()
        self.loaded.emit()

    def show_only(self, key: str) -> None:
        captions = {"all": tr('我的待办'), "soon": tr('3个工作日内到期'), "overdue": tr('已逾期')}
        if key == "all":
            self.filter = lambda _item: True
        elif key == "soon":
            self.filter = lambda item: item.due_soon
        elif key == "overdue":
            self.filter = lambda item: item.overdue
        else:
            self.filter = lambda item: (area_for_flow(item.info.flow_key) or AREAS[0]).key == key
            captions[key] = tr('我的待办 · {0}').format(self.tiles[key].caption)
        self.list_caption.setText(captions.get(key, tr('我的待办')))
        self._fill()

    def _fill(self) -> None:
        items = [i for i in (self.result.items if self.result else []) if self.filter(i)]
        self.model.set_fetch(lambda offset, limit, _key, _desc: DataPage(items[offset:offset + limit], len(items), offset))
