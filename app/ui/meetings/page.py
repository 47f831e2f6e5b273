"""会议 page: the calendar (周/月) and the lists 即将召开, 筹备中, 待落实 and 全部会议 in tabs; 新建会议 (Ctrl+N) and
会议室… beside them. Ctrl+F searches the list shown (from the calendar, the whole list); F5 reads again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import ServerUnavailable, WorkCancelled
from app.core.roles import Role
from app.services.kernel.actor import Actor
from app.services.meetings import listing, records
from app.services.meetings.records import ORGANIZERS
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.meetings.calendar_view import CalendarView
from app.ui.meetings.lists import TIME_COLUMN, list_spec, make_fetch
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.list_page import ListPage, ListTabsPage

BOXES: tuple[tuple[listing.Box, str], ...] = (
    ("upcoming", "calendar"), ("prepare", "edit"), ("follow_up", "done"), ("all", "meetings"))


class MeetingsPage(ListTabsPage):
    title = QT_TRANSLATE_NOOP("GovDesk", "会议")

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.organizer = actor.has(*ORGANIZERS)
        rooms = self._room_choices()
        this_year = date.today().year
        years = list(range(this_year + 1, this_year - 5, -1))
        new = self.new_meeting if self.organizer else None

        self.tabs = QTabWidget()
        self.calendar = CalendarView(self._fetch_days, rooms)
        self.calendar.meetingActivated.connect(self.open_meeting)
        if self.organizer:
            self.calendar.newMeetingAt.connect(self.new_meeting_at)
        self.tabs.addTab(self.calendar, action_icon("calendar"), tr("会议日历"))
        self.lists: dict[str, ListPage] = {}
        for box, icon in BOXES:
            page = ListPage(list_spec(box, rooms, years, organizer=self.organizer), make_fetch(ctx, actor, box),
                            prefs, self.open_row, new)
            self.lists[box] = page
            if prefs.header_state(page.spec.state_key) is None:
                # Unless the user sorted it otherwise: by the meeting's time, the coming ones soonest first and
                # the others latest first (the header's own default would sort by number, latest first).
                soonest = box in ("upcoming", "prepare")
                page.table.view.horizontalHeader().setSortIndicator(
                    TIME_COLUMN, Qt.SortOrder.AscendingOrder if soonest else Qt.SortOrder.DescendingOrder)
            tab_icon = area_icon("meetings", ACCENT) if icon == "meetings" else action_icon(icon)
            self.tabs.addTab(page, tab_icon, page.title)

        corner = QWidget()
        row = QHBoxLayout(corner)
        # Off the window's edge: the last button's border was cut.
        row.setContentsMargins(0, 0, 6, 0)
        self.new_button: QPushButton | None = None
        self.rooms_button: QPushButton | None = None
        if self.organizer:
            self.new_button = QPushButton(action_icon("new", "white"), tr("新建会议"))
            self.new_button.setObjectName("primary")
            self.new_button.setToolTip(tr("登记一个会议，预订会议室（Ctrl+N）"))
            self.new_button.clicked.connect(self.new_meeting)
            row.addWidget(self.new_button)
        if self.organizer or actor.has(Role.ADMIN):
            self.rooms_button = QPushButton(action_icon("edit"), tr("会议室…"))
            self.rooms_button.setToolTip(tr("增加、修改或停用会议室"))
            self.rooms_button.clicked.connect(self.manage_rooms)
            row.addWidget(self.rooms_button)
        refresh = QPushButton(action_icon("refresh"), tr("刷新"))
        refresh.setToolTip(tr("重新读取会议（F5）；查找会议用 Ctrl+F"))
        refresh.clicked.connect(self.refresh)
        row.addWidget(refresh)
        self.tabs.setCornerWidget(corner)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _tab_shown(self, _index: int) -> None:
        # A list has its own 新建会议 (and offers it when empty); the corner's is for the calendar.
        if self.new_button is not None:
            self.new_button.setVisible(self.tabs.currentWidget() is self.calendar)
        self.refresh()

    def _room_choices(self) -> list[tuple[str, int]]:
        try:
            rooms = db_call(self, as_user(self.ctx, self.actor, records.list_rooms))
            return [(r.name, r.id) for r in rooms]
        except (ServerUnavailable, WorkCancelled):
            return []

    def _fetch_days(self, first: date, last: date) -> list[listing.MeetingRow]:
        return as_user(self.ctx, self.actor, listing.meetings_between, first, last)()

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"meeting", "meeting_room", "attachment"})

    def refresh(self) -> None:
        refresh = getattr(self.tabs.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()

    def focus_search(self) -> bool:
        """Ctrl+F: the search of the list shown; from the calendar, of the whole list."""
        if self.current_list is None:
            self.tabs.setCurrentWidget(self.lists["all"])
        return super().focus_search()

    def new_record(self) -> bool:
        if not self.organizer:
            return False
        self.new_meeting()
        return True

    def open_row(self, row: Any) -> None:
        self.open_meeting(row.id)

    def open_meeting(self, meeting_id: int) -> None:
        from app.ui.meetings.window import MeetingWindow

        self.show_record(lambda: MeetingWindow(self.ctx, self.actor, meeting_id, self))

    def new_meeting(self) -> None:
        self.new_meeting_at(None)

    def new_meeting_at(self, starts_at: datetime | None) -> None:
        from app.ui.meetings.editor import MeetingEditor

        saved = self.run_editor(lambda: MeetingEditor(self.ctx, self.actor, parent=self, starts_at=starts_at))
        if saved is not None:
            self.open_meeting(saved.id)

    def manage_rooms(self) -> None:
        from app.ui.meetings.rooms_dialog import RoomsDialog

        dialog = RoomsDialog(self.ctx, self.actor, self)
        dialog.exec()
        if dialog.changed:
            self.reload_rooms()
            self.refresh()

    def reload_rooms(self) -> None:
        """The rooms the calendar and the lists filter by, as they are now (one added, renamed or put out of
        use); the room chosen stays chosen while it is still there."""
        rooms = self._room_choices()
        combos = [self.calendar.room] + [page.combos["room_id"] for page in self.lists.values()]
        for combo in combos:
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for name, room_id in rooms:
                combo.addItem(name, room_id)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.blockSignals(False)
