"""登记 or change a meeting: its type, name, times, room (or a place), host, 承办单位, requirements and attendees
(people and units, each with their post, rank and 主席台/会场). A room already taken at that time is said beside
the room field, naming the meeting that holds it, as soon as the room or the time is chosen; the service
refuses the same on saving, under the room's lock, should another client have booked it meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.core.meetings.plan import MEETING_TYPES
from app.core.meetings.rooms import Booking, check_times, clash_message, first_clash
from app.services.admin.users import UnitInfo
from app.services.kernel.actor import Actor
from app.services.meetings import listing, records
from app.services.meetings.records import AttendeeInput, MeetingInfo, MeetingInput, RoomInfo
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.editing import FormDialog, finish_save
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.screen import fit_to_screen

ZONES: tuple[tuple[str, str], ...] = (("hall", QT_TRANSLATE_NOOP("GovDesk", "会场")),
                                      ("dais", QT_TRANSLATE_NOOP("GovDesk", "主席台")))
# The service's words for the time fields (app.core.meetings.rooms), as this form names them.
FIELD_ALIASES: dict[str, str] = {"starts": "starts_at", "ends": "ends_at"}
NAME_COLUMN, POST_COLUMN, RANK_COLUMN, ZONE_COLUMN = 1, 2, 3, 4


def default_start(today: date | None = None) -> datetime:
    """A new meeting's start when none is given: the next day at 9:00."""
    day = (today or date.today()) + timedelta(days=1)
    return datetime.combine(day, time(9, 0))


def _to_qdatetime(value: datetime) -> QDateTime:
    local = value.astimezone() if value.tzinfo is not None else value
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _to_datetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _datetime_edit(value: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(_to_qdatetime(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


class AttendeeTable(QTableWidget):
    """The attendees in the order they were added: who (a person, a unit, or a guest), the name a unit sends,
    their post, their rank (1 highest: the seating's order) and where they sit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels([tr("人员/单位"), tr("姓名"), tr("职务"), tr("排名"), tr("座位区域")])
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (NAME_COLUMN, POST_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (RANK_COLUMN, ZONE_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setMinimumHeight(self.verticalHeader().defaultSectionSize() * 5)

    def add(self, who: str, *, user_id: int | None = None, unit_id: int | None = None, name: str = "",
            post: str = "", rank: int = 0, zone: str = "hall") -> int:
        row = self.rowCount()
        self.insertRow(row)
        first = QTableWidgetItem(who)
        first.setFlags(first.flags() & ~Qt.ItemFlag.ItemIsEditable)
        first.setData(Qt.ItemDataRole.UserRole, (user_id, unit_id))
        self.setItem(row, 0, first)
        name_item = QTableWidgetItem(name)
        if user_id is not None:
            # A user's name is their own; a unit's row names whom it sends, typed here.
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, NAME_COLUMN, name_item)
        self.setItem(row, POST_COLUMN, QTableWidgetItem(post))
        rank_box = QSpinBox()
        rank_box.setRange(0, 999)
        rank_box.setSpecialValueText(tr("不排"))
        rank_box.setValue(rank or row + 1)
        self.setCellWidget(row, RANK_COLUMN, rank_box)
        zone_box = QComboBox()
        for key, label in ZONES:
            zone_box.addItem(tr(label), key)
        zone_box.setCurrentIndex(max(zone_box.findData(zone), 0))
        self.setCellWidget(row, ZONE_COLUMN, zone_box)
        return row

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)

    def text_at(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def who_at(self, row: int) -> tuple[int | None, int | None]:
        """The row's (user id, unit id)."""
        item = self.item(row, 0)
        found = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return (found[0], found[1]) if isinstance(found, (tuple, list)) else (None, None)

    def holds(self, user_id: int | None, unit_id: int | None) -> bool:
        return any(self.who_at(r) == (user_id, unit_id) for r in range(self.rowCount()))

    def attendees(self) -> list[AttendeeInput]:
        found = []
        for row in range(self.rowCount()):
            user_id, unit_id = self.who_at(row)
            rank = self.cellWidget(row, RANK_COLUMN)
            zone = self.cellWidget(row, ZONE_COLUMN)
            assert isinstance(rank, QSpinBox) and isinstance(zone, QComboBox)
            found.append(AttendeeInput(
                unit_id=unit_id, user_id=user_id, name=self.text_at(row, NAME_COLUMN),
                post=self.text_at(row, POST_COLUMN), rank=rank.value(), zone=zone.currentData(),
            ))
        return found


class MeetingEditor(FormDialog):
    """A new meeting (info None), perhaps at a time the calendar chose, or an open one's changes."""

    def __init__(self, ctx: AppContext, actor: Actor, info: MeetingInfo | None = None,
                 parent: QWidget | None = None, *, starts_at: datetime | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.info = ctx, actor, info
        self.saved: MeetingInfo | None = None
        self.setWindowTitle(tr("修改会议") if info else tr("新建会议"))
        fit_to_screen(self, (940, 760), (720, 540))
        choices = db_call(parent, as_user(ctx, actor, listing.editor_choices))
        rooms, units, people = choices.rooms, choices.units, choices.people
        self.rooms: dict[int, RoomInfo] = {room.id: room for room in rooms}
        # The bookings of one room on one day, read once each, for the clash shown as the user chooses.
        self._day_bookings: dict[tuple[int, date], list[Booking]] = {}

        self.meeting_type = QComboBox()
        for kind in MEETING_TYPES:
            self.meeting_type.addItem(tr(kind), kind)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(records.MAX_TITLE)
        self.title_edit.setPlaceholderText(tr("如：县政府第12次常务会议"))
        start = starts_at or default_start()
        self.starts = _datetime_edit(start)
        self.ends = _datetime_edit(start + timedelta(hours=2))
        self._length = timedelta(hours=2)
        self.room = QComboBox()
        self.room.addItem(tr("不使用会议室（在右边填写地点）"), None)
        for room in rooms:
            # The name and its seats in the box; where it is in the tooltip (the box has no room for both).
            shown = tr("{0}（{1}人）").format(room.name, room.capacity) if room.capacity else room.name
            self.room.addItem(shown, room.id)
            self.room.setItemData(self.room.count() - 1, room.location or tr("位置未填"), Qt.ItemDataRole.ToolTipRole)
        self.place = QLineEdit()
        self.place.setMaxLength(100)
        self.place.setPlaceholderText(tr("不用会议室时填写"))
        self.place.setToolTip(tr("不在会议室开会时填写地点，如：县教育局三楼会议室"))
        self.host = QLineEdit()
        self.host.setMaxLength(50)
        self.host.setPlaceholderText(tr("如：陈县长"))
        self.organizer = QComboBox()
        self.organizer.addItem(tr("请选择承办单位"), None)
        for unit in units:
            self.organizer.addItem(unit.name, unit.id)
        self._select(self.organizer, actor.unit_id)
        self.per_row = QSpinBox()
        self.per_row.setRange(1, 40)
        self.per_row.setValue(10)
        self.per_row.setSuffix(tr(" 个座位"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(tr("会议要求，如：请参会单位主要负责人准时参加，不得委托他人"))
        self.notes.setFixedHeight(self.fontMetrics().height() * 4)

        self.attendee_table = AttendeeTable()
        self.person_pick = QComboBox()
        self.person_pick.addItem(tr("选择人员…"), None)
        for person in people:
            shown = tr("{0}（{1}）").format(person.name, person.unit_name) if person.unit_name else person.name
            self.person_pick.addItem(shown, person)
        self.unit_pick = QComboBox()
        self.unit_pick.addItem(tr("选择参会单位…"), None)
        for unit in units:
            self.unit_pick.addItem(unit.name, unit)
        self.guest_name = QLineEdit()
        self.guest_name.setMaxLength(50)
        self.guest_name.setPlaceholderText(tr("或填写列席人员姓名"))
        add_person = QPushButton(action_icon("new"), tr("添加人员"))
        add_person.clicked.connect(self.add_person)
        add_unit = QPushButton(action_icon("new"), tr("添加单位"))
        add_unit.clicked.connect(self.add_unit)
        add_guest = QPushButton(action_icon("new"), tr("添加"))
        add_guest.clicked.connect(self.add_guest)
        remove = QPushButton(action_icon("delete"), tr("删除所选"))
        remove.clicked.connect(self.attendee_table.remove_selected)
        picks = QHBoxLayout()
        for widget, stretch in ((self.person_pick, 2), (add_person, 0), (self.unit_pick, 2), (add_unit, 0)):
            picks.addWidget(widget, stretch)
        guests = QHBoxLayout()
        guests.addWidget(self.guest_name, 1)
        guests.addWidget(add_guest)
        guests.addStretch(1)
        guests.addWidget(remove)
        attendee_box = QWidget()
        attendee_layout = QVBoxLayout(attendee_box)
        attendee_layout.setContentsMargins(0, 0, 0, 0)
        attendee_layout.addLayout(picks)
        attendee_layout.addLayout(guests)
        attendee_layout.addWidget(self.attendee_table)

        # Long names (a room with its place, a person with their unit) must not widen the form past the dialog:
        # the boxes shrink to a few characters and show the whole name in their list.
        for combo in (self.room, self.organizer, self.person_pick, self.unit_pick, self.meeting_type):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.form = FormGrid(pairs=True)
        self.form.add("meeting_type", tr("会议类型"), self.meeting_type, required=True)
        self.form.add("organizer_unit_id", tr("承办单位"), self.organizer, required=True)
        self.form.add("title", tr("会议名称"), self.title_edit, required=True, wide=True)
        self.form.add("starts_at", tr("开始时间"), self.starts, required=True)
        self.form.add("ends_at", tr("结束时间"), self.ends, required=True, check=self._check_times)
        self.form.add("room_id", tr("会议室"), self.room, check=self._check_room)
        self.form.add("place", tr("会议地点"), self.place, check=self._check_place)
        self.form.add("host_name", tr("主持人"), self.host)
        self.form.add("hall_per_row", tr("会场每排"), self.per_row)
        self.form.add("notes", tr("会议要求"), self.notes, wide=True)
        self.form.add("attendees", tr("参会人员"), attendee_box, wide=True,
                      hint=tr("排名1为最高，座次按排名排定；单位的行可填写参会人姓名，确定后再补也可以"))
        body = QWidget()
        body.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lay_out(scroll, save_text=tr("保存") if info else tr("登记"))

        self.starts.dateTimeChanged.connect(self._start_moved)
        self.ends.dateTimeChanged.connect(self._end_moved)
        self.room.currentIndexChanged.connect(lambda _i: self._room_or_time_changed())
        if info is not None:
            self._show(info)
        self._room_or_time_changed()

    # ----- reading what is offered -----------------------------------------------------------------------------
    def _bookings(self, room_id: int, day: date) -> list[Booking]:
        """The room's meetings that day, other than this one (read once per room and day)."""
        key = (room_id, day)
        if key not in self._day_bookings:
            rows = db_call(self, as_user(self.ctx, self.actor, listing.meetings_between, day, day, room_id=room_id,
                                         include_cancelled=False))
            self._day_bookings[key] = [
                Booking(room_id, r.starts_at, r.ends_at, r.id, r.title) for r in rows
                if self.info is None or r.id != self.info.id
            ]
        return self._day_bookings[key]

    # ----- checks beside the fields ----------------------------------------------------------------------------
    def _check_times(self) -> None:
        check_times(_to_datetime(self.starts.dateTime()), _to_datetime(self.ends.dateTime()))

    def _check_room(self) -> None:
        """The clash with a meeting already in the room, named, as the service would refuse it."""
        room_id = self.room.currentData()
        if room_id is None:
            return
        starts = _to_datetime(self.starts.dateTime()).astimezone()
        ends = _to_datetime(self.ends.dateTime()).astimezone()
        if ends <= starts:
            return
        others: list[Booking] = []
        day = starts.date()
        while day <= ends.date():
            others += self._bookings(room_id, day)
            day += timedelta(days=1)
        wanted = Booking(room_id, starts.astimezone(UTC), ends.astimezone(UTC), self.info.id if self.info else None)
        clash = first_clash(wanted, others)
        if clash is not None:
            local = Booking(clash.room_id, clash.starts.astimezone(), clash.ends.astimezone(), clash.meeting_id,
                            clash.title)
            raise ValidationError(clash_message(self.rooms[room_id].name, local), field="room_id")

    def _check_place(self) -> None:
        if self.room.currentData() is None and not self.place.text().strip():
            raise ValidationError(tr("请选择会议室，或填写会议地点"), field="place")

    def _start_moved(self) -> None:
        """Moving the start keeps the meeting's length: the end moves with it."""
        self.ends.blockSignals(True)
        self.ends.setDateTime(_to_qdatetime(_to_datetime(self.starts.dateTime()) + self._length))
        self.ends.blockSignals(False)
        self._room_or_time_changed()

    def _end_moved(self) -> None:
        length = _to_datetime(self.ends.dateTime()) - _to_datetime(self.starts.dateTime())
        if length > timedelta(0):
            self._length = length
        self._room_or_time_changed()

    def _room_or_time_changed(self) -> None:
        """The room's clash and the times are said at once, not only when the user leaves the field."""
        for name in ("room_id", "ends_at"):
            self.form.set_error(name, self.form.problem(name))
        self.form.recheck("place")

    # ----- attendees -------------------------------------------------------------------------------------------
    def add_person(self) -> None:
        person = self.person_pick.currentData()
        if not isinstance(person, listing.PersonChoice):
            return
        if not self.attendee_table.holds(person.id, None):
            self.attendee_table.add(tr("{0}（{1}）").format(person.name, person.unit_name) if person.unit_name
                                    else person.name, user_id=person.id, name=person.name, post=person.title)
        self.person_pick.setCurrentIndex(0)

    def add_unit(self) -> None:
        unit = self.unit_pick.currentData()
        if not isinstance(unit, UnitInfo):
            return
        if not self.attendee_table.holds(None, unit.id):
            self.attendee_table.add(unit.name, unit_id=unit.id)
        self.unit_pick.setCurrentIndex(0)

    def add_guest(self) -> None:
        name = self.guest_name.text().strip()
        if name:
            self.attendee_table.add(tr("列席人员"), name=name)
            self.guest_name.clear()

    # ----- showing and saving ----------------------------------------------------------------------------------
    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _show(self, info: MeetingInfo) -> None:
        self._select(self.meeting_type, info.meeting_type)
        self.title_edit.setText(info.title)
        self.starts.blockSignals(True)
        self.starts.setDateTime(_to_qdatetime(info.starts_at))
        self.starts.blockSignals(False)
        self.ends.setDateTime(_to_qdatetime(info.ends_at))
        self._length = info.ends_at - info.starts_at
        if info.room_id is not None and self.room.findData(info.room_id) < 0:
            # A room since taken out of use still shows as the meeting's.
            self.room.addItem(info.room_name, info.room_id)
        self._select(self.room, info.room_id)
        self.place.setText(info.place)
        self.host.setText(info.host_name)
        if self.organizer.findData(info.organizer_unit_id) < 0:
            self.organizer.addItem(info.organizer_unit_name, info.organizer_unit_id)
        self._select(self.organizer, info.organizer_unit_id)
        self.per_row.setValue(info.hall_per_row)
        self.notes.setPlainText(info.notes)
        for a in info.attendees:
            who = a.unit_name if a.unit_id is not None and a.user_id is None else (a.name or a.unit_name)
            if a.unit_id is None and a.user_id is None:
                who = tr("列席人员")
            self.attendee_table.add(who, user_id=a.user_id, unit_id=a.unit_id, name=a.name, post=a.post,
                                    rank=a.rank, zone=a.zone)
        if info.state != "prepare":
            # Held already: its time stays as it was (the service refuses a change).
            self.starts.setEnabled(False)
            self.ends.setEnabled(False)

    def data(self) -> MeetingInput:
        return MeetingInput(
            meeting_type=self.meeting_type.currentData(), title=self.title_edit.text(),
            starts_at=_to_datetime(self.starts.dateTime()), ends_at=_to_datetime(self.ends.dateTime()),
            room_id=self.room.currentData(), place=self.place.text(), host_name=self.host.text(),
            organizer_unit_id=self.organizer.currentData(), notes=self.notes.toPlainText(),
            attendees=self.attendee_table.attendees(), hall_per_row=self.per_row.value(),
        )

    def save(self) -> None:
        if self.form.check_all():
            finish_save(self, self._save, self._show_invalid)

    def _show_invalid(self, error: ValidationError) -> None:
        field = FIELD_ALIASES.get(error.field or "", error.field)
        self.form.show_error(ValidationError(error.message, field=field))

    def _save(self) -> None:
        data, ctx, actor, info = self.data(), self.ctx, self.actor, self.info

        def work() -> MeetingInfo:
            if info is None:
                return as_user(ctx, actor, records.create_meeting, data)()
            return as_user(ctx, actor, records.update_meeting, info.id, data, expected_version=info.version)()

        self.saved = db_call(self, work, saving=True)


def attendee_summary(attendees: Sequence[records.AttendeeInfo]) -> str:
    """参会人员 in one line for the window's facts: the first few, and how many in all."""
    labels = [a.label for a in attendees]
    if len(labels) <= 4:
        return tr("、").join(labels) or "—"
    return tr("{0}等{1}人（单位）").format(tr("、").join(labels[:4]), len(labels))


__all__ = ["MeetingEditor", "attendee_summary", "default_start"]

