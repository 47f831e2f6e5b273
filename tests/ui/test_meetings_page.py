"""The 会议 page: a new meeting through the editor (type, name, times, room, attendees), a room already taken
said beside the room field with the other meeting named (as the user chooses, and again on saving when another
client booked it meanwhile); the calendar showing it in the week, beside the meeting at the same time, and in
the month; clicking it opens its window; the lists and their empty texts; rooms. Each window is looked at, at
1366×768, at text size 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import listing, records
from app.ui.meetings import window as window_module
from app.ui.meetings.calendar_view import lanes
from app.ui.meetings.editor import MeetingEditor
from app.ui.meetings.page import MeetingsPage
from app.ui.meetings.rooms_dialog import RoomsDialog
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office, build_office
from tests.helpers.meetings_office import add_rooms, new_meeting

# A day of next week: meetings are registered from today on, and the tests run on any day.
DAY = date.today() + timedelta(days=7)
STANDING = "县政府第12次常务会议"
NEW_TITLE = "全县安全生产专题会议"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_office(sqlite_ctx)


def at(hour: float, day: date = DAY) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def shoot(widget: QWidget, name: str, qtbot: QtBot, *, resize: bool = True) -> None:
    """The widget at 1366×768 (a dialog at its own size, within it), at 中 and at 大, saved to look at."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        if resize:
            widget.resize(1366, 768)
        widget.show()
        qtbot.wait(50)
        assert widget.width() <= 1366 and widget.height() <= 768
        widget.grab().save(f"/tmp/meetings-{name}-{size}.png")
    apply_theme(app, "medium")


def _standing(o: Office) -> tuple[dict[str, int], int]:
    rooms = add_rooms(o)
    return rooms, new_meeting(o, rooms["第一会议室"], starts_at=at(9), ends_at=at(11.5))


def test_a_new_meeting_through_the_editor_a_clash_beside_the_room_and_the_calendar(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    rooms, standing = _standing(o)
    editor = MeetingEditor(o.ctx, o.clerk, starts_at=at(10))
    qtbot.addWidget(editor)
    assert editor.ends.dateTime().time().hour() == 12
    editor.meeting_type.setCurrentIndex(editor.meeting_type.findData("专题会议"))
    editor.title_edit.setText(NEW_TITLE)
    editor.host.setText("刘副县长")
    # The 第一会议室 is taken from 9:00 to 11:30: said beside the room as soon as it is chosen.
    editor.room.setCurrentIndex(editor.room.findData(rooms["第一会议室"]))
    said = editor.form.error_text("room_id")
    assert STANDING in said and "第一会议室" in said and "09:00—11:30" in said
    # Later the same day it is free; moving the start keeps the two hours.
    editor.starts.setDateTime(editor.starts.dateTime().addSecs(int(1.5 * 3600)))
    assert editor.form.error_text("room_id") == ""
    assert editor.ends.dateTime().time().hour() == 13 and editor.ends.dateTime().time().minute() == 30
    editor.starts.setDateTime(editor.starts.dateTime().addSecs(int(-1.5 * 3600)))
    assert STANDING in editor.form.error_text("room_id")
    shoot(editor, "editor-clash", qtbot, resize=False)
    # The 第二会议室 instead.
    editor.room.setCurrentIndex(editor.room.findData(rooms["第二会议室"]))
    assert editor.form.error_text("room_id") == ""
    editor.person_pick.setCurrentIndex(next(i for i in range(editor.person_pick.count())
                                            if getattr(editor.person_pick.itemData(i), "id", None) == o.vice.id))
    editor.add_person()
    editor.unit_pick.setCurrentIndex(next(i for i in range(editor.unit_pick.count())
                                          if getattr(editor.unit_pick.itemData(i), "id", None) == o.units["财政局"]))
    editor.add_unit()
    editor.add_unit()  # the same unit twice is one row
    editor.guest_name.setText("应急管理专家 周工")
    editor.add_guest()
    assert editor.attendee_table.rowCount() == 3
    editor.attendee_table.setItem(1, 1, QTableWidgetItem("钱局长"))

    # Meanwhile another client books the 第二会议室 at 11:00: saving is refused beside the room, naming it.
    other = new_meeting(o, rooms["第二会议室"], by="clerk2", title="教育工作调度会", meeting_type="工作会议",
                        attendees=[], starts_at=at(11), ends_at=at(12))
    editor.save()
    assert editor.saved is None and editor.title_edit.text() == NEW_TITLE
    assert "教育工作调度会" in editor.form.error_text("room_id")
    # An hour earlier it fits; the end moves with the start.
    editor.starts.setDateTime(editor.starts.dateTime().addSecs(-3600))
    editor.save()
    assert editor.saved is not None
    made = editor.saved
    assert (made.meeting_type, made.title, made.room_name, made.host_name) == ("专题会议", NEW_TITLE, "第二会议室",
                                                                              "刘副县长")
    assert (made.local_start.hour, made.local_end.hour) == (9, 11)
    labels = [a.label for a in made.attendees]
    assert labels[0].startswith("刘副县长") and labels[1:] == ["县财政局　钱局长", "应急管理专家 周工"]

    # The calendar's week: the two meetings at 9:00 side by side, the third after; clicking one opens it.
    page = MeetingsPage(o.ctx, o.clerk, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.calendar.show_day(DAY, "week")
    qtbot.wait(50)
    week = page.calendar.week
    week.repaint()
    drawn = {b.row.id: b.rect for b in week.blocks}
    assert set(drawn) == {standing, made.id, other}
    first, second = drawn[standing], drawn[made.id]
    assert first.top() == second.top() and not first.intersects(second)
    assert first.width() >= 40 and first.height() > week.hour_height() * 2
    assert drawn[other].top() > first.top()
    opened: list[int] = []
    monkeypatch.setattr(window_module.MeetingWindow, "exec", lambda self: opened.append(self.meeting_id) or 0)
    qtbot.mouseClick(week, Qt.MouseButton.LeftButton, pos=second.center())
    assert opened == [made.id]
    assert "共3个会议" in page.calendar.count_label.text()
    shoot(page, "week", qtbot)

    # The month shows the three on their day; the next month has none of them.
    page.calendar.set_mode("month")
    month = page.calendar.month
    month.repaint()
    assert {b.row.id for b in month.blocks} >= {standing, made.id}
    qtbot.mouseClick(month, Qt.MouseButton.LeftButton, pos=month.blocks[0].rect.center())
    assert len(opened) == 2
    shoot(page, "month", qtbot)
    page.calendar.step(2)
    month.repaint()
    assert month.blocks == [] and page.calendar.count_label.text() == "这段时间没有会议"
    page.calendar.go_today()
    assert page.calendar.anchor == date.today()

    # One room alone.
    page.calendar.set_mode("week")
    page.calendar.show_day(DAY)
    page.calendar.room.setCurrentIndex(page.calendar.room.findData(rooms["第二会议室"]))
    assert {r.id for r in page.calendar.rows} == {made.id, other}


def test_double_clicking_a_free_hour_offers_a_new_meeting_there(qtbot: QtBot, office: Office, prefs: Prefs,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    add_rooms(o)
    page = MeetingsPage(o.ctx, o.clerk, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.calendar.show_day(DAY)
    week = page.calendar.week
    asked: list[datetime] = []

    def answer(editor: MeetingEditor) -> int:
        asked.append(_start(editor))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(MeetingEditor, "exec", answer)
    column = week.column_rect(DAY.weekday())
    y = week.header_height() + 6 * week.hour_height() + 2  # 14:00 when the day starts at 8:00
    qtbot.mouseDClick(week, Qt.MouseButton.LeftButton, pos=QPoint(column.center().x(), y))
    assert asked == [at(14)]


def _start(editor: MeetingEditor) -> datetime:
    value = editor.starts.dateTime()
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def test_meetings_at_the_same_time_stand_side_by_side() -> None:
    def row(ident: int, start: float, end: float) -> listing.MeetingRow:
        return listing.MeetingRow(ident, "", "专题会议", str(ident), at(start), at(end), None, "", "", "", "",
                                  "prepare", "会前筹备", False, False, ident)

    rows = [row(1, 9, 11), row(2, 10, 12), row(3, 11, 12), row(4, 14, 15)]
    placed = {r.id: (lane, width) for r, _s, _e, lane, width in lanes([(r.starts_at, r.ends_at, r) for r in rows])}
    # 1 and 2 overlap; 3 begins as 1 ends and takes its lane; 4 is alone.
    assert placed == {1: (0, 2), 2: (1, 2), 3: (0, 2), 4: (0, 1)}


def test_the_lists_their_chips_and_empty_texts(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    o = office
    _rooms, standing = _standing(o)
    page = MeetingsPage(o.ctx, o.clerk, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    upcoming = page.lists["upcoming"]
    page.tabs.setCurrentWidget(upcoming)
    qtbot.waitUntil(lambda: upcoming.model.rowCount() == 1)
    assert upcoming.model.row_object(0).id == standing
    shoot(page, "upcoming", qtbot)
    follow_up = page.lists["follow_up"]
    page.tabs.setCurrentWidget(follow_up)
    qtbot.waitUntil(lambda: follow_up.model.total == 0)
    assert "已经召开" in follow_up.spec.empty_text
    # Ctrl+F from the calendar goes to the whole list's search.
    page.tabs.setCurrentWidget(page.calendar)
    assert page.focus_search()
    assert page.tabs.currentWidget() is page.lists["all"]
    assert page.new_button is not None and page.rooms_button is not None
    assert page.lists["all"].new_button is not None


def test_a_liaison_reads_the_meetings_of_their_unit_and_registers_none(qtbot: QtBot, office: Office,
                                                                      prefs: Prefs) -> None:
    o = office
    _standing(o)
    page = MeetingsPage(o.ctx, o.liaison_edu, prefs)
    qtbot.addWidget(page)
    assert page.new_button is None and page.rooms_button is None and not page.new_record()
    assert page.lists["all"].new_button is None
    page.calendar.show_day(DAY)
    # The 教育局 attends the 常务会议: it is in their calendar.
    assert [r.title for r in page.calendar.rows] == [STANDING]
    assert "参加" in page.lists["all"].spec.empty_text


def test_rooms_are_added_and_changed_in_their_dialog(qtbot: QtBot, office: Office) -> None:
    o = office
    add_rooms(o)
    dialog = RoomsDialog(o.ctx, o.clerk)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    # A name already taken is refused beside the name.
    dialog.name.setText("第一会议室")
    assert not dialog.save()
    assert "已有名为“第一会议室”的会议室" in dialog.form.error_text("name")
    dialog.name.setText("视频会议室")
    dialog.location.setText("县政府办公楼二楼")
    dialog.capacity.setValue(30)
    assert dialog.save() and dialog.changed
    assert dialog.table.rowCount() == 3
    # Changing one: out of use, it can no longer be booked.
    dialog.table.selectRow(next(i for i, r in enumerate(dialog.rooms) if r.name == "第二会议室"))
    assert dialog.name.text() == "第二会议室"
    dialog.active.setChecked(False)
    assert dialog.save()
    with o.ctx.uow() as uow:
        assert [r.name for r in records.list_rooms(uow, o.clerk)] == sorted(["第一会议室", "视频会议室"])
    shoot(dialog, "rooms", qtbot, resize=False)
    # Empty name: said beside it, nothing saved.
    dialog.start_new()
    assert not dialog.save()
    assert dialog.form.error_text("name") == "请填写名称"


def test_a_room_added_is_offered_by_the_calendar_and_the_lists(qtbot: QtBot, office: Office, prefs: Prefs,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    add_rooms(o)
    page = MeetingsPage(o.ctx, o.director, prefs)
    qtbot.addWidget(page)
    assert page.calendar.room.count() == 3

    def answer(dialog: RoomsDialog) -> int:
        dialog.name.setText("视频会议室")
        assert dialog.save()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(RoomsDialog, "exec", answer)
    assert page.rooms_button is not None
    page.rooms_button.click()
    for combo in (page.calendar.room, page.lists["all"].combos["room_id"]):
        assert [combo.itemText(i) for i in range(combo.count())] == ["全部会议室", "第一会议室", "第二会议室",
                                                                    "视频会议室"]


def test_an_empty_list_says_what_it_would_show_and_offers_a_new_meeting(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = MeetingsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    upcoming = page.lists["upcoming"]
    page.tabs.setCurrentWidget(upcoming)
    qtbot.waitUntil(lambda: upcoming.model.total == 0)
    table = upcoming.table
    assert "还没有结束的会议" in table.empty_label.text()
    assert table.empty_button is not None and table.empty_button.text() == "新建会议"
    opened: list[str] = []
    monkeypatch.setattr(MeetingEditor, "exec", lambda editor: opened.append(editor.windowTitle()) or 0)
    table.empty_button.click()
    assert opened == ["新建会议"]
    # The corner's 新建会议 is the calendar's; a list has its own.
    assert page.new_button is not None and not page.new_button.isVisible()
    page.tabs.setCurrentWidget(page.calendar)
    assert page.new_button.isVisible()
    # 待落实 offers nothing to create: meetings come there from being held.
    assert page.lists["follow_up"].table.empty_button is None


def test_the_lists_read_by_the_meetings_time(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    """即将召开 soonest first, 全部会议 latest first, whatever order the meetings were registered in."""
    o = office
    rooms = add_rooms(o)
    late = new_meeting(o, rooms["第一会议室"], title="后开的会", attendees=[], starts_at=at(9, DAY + timedelta(days=3)),
                       ends_at=at(10, DAY + timedelta(days=3)))
    soon = new_meeting(o, rooms["第一会议室"], title="先开的会", attendees=[], starts_at=at(9), ends_at=at(10))
    page = MeetingsPage(o.ctx, o.clerk, prefs)
    qtbot.addWidget(page)
    for box, expected in (("upcoming", [soon, late]), ("all", [late, soon])):
        listed = page.lists[box]
        page.tabs.setCurrentWidget(listed)
        qtbot.waitUntil(lambda listed=listed: listed.model.rowCount() == 2)  # type: ignore[misc]
        assert [listed.model.row_object(r).id for r in range(2)] == expected
        assert listed.model.sort_order() == ("starts", box == "all")
