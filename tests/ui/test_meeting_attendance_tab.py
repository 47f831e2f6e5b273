"""签到 tab (app.ui.meetings.attendance_tab): once sign-in has opened the clerk at the door marks each attendee
到会 with one click (the next still unsigned is then selected), 请假 with its reason, 代会 with the substitute's
name, 清除 to undo; the summary on top follows. A reason left empty is refused beside its field; before sign-in
opens, or by someone outside the office, a sign-in is refused and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import attendance, records
from app.ui.meetings.attendance_tab import AttendanceTab, SignDialog
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meeting_tabs import answer_dialog, printed, refusals, shoot
from tests.helpers.meetings_office import add_rooms, attendees, meeting_input, new_meeting
from tests.helpers.meetings_steps import take


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _tab(qtbot: QtBot, o: Office, who: str, meeting: int) -> AttendanceTab:
    tab = AttendanceTab(o.ctx, o.people[who], meeting)
    qtbot.addWidget(tab)
    tab.reload()
    return tab


def _signed(o: Office, meeting: int) -> list[tuple[str, str, str, str]]:
    info = o.run(records.get_meeting, o.clerk, meeting)
    return [(a.name, a.attendance, a.leave_reason, a.substitute_name) for a in info.attendees]


def _shown(tab: AttendanceTab) -> list[tuple[str, str, str]]:
    return [(tab.table.item(r, 1).text(), tab.table.item(r, 3).text().strip(), tab.table.item(r, 4).text())
            for r in range(tab.table.rowCount())]


def _answer(monkeypatch: pytest.MonkeyPatch, text: str, errors: list[str] | None = None) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SignDialog)
        dialog.text.setText(text)

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, SignDialog)
        if errors is not None:
            errors.append(dialog.form.error_text("reason") or dialog.form.error_text("substitute"))

    answer_dialog(monkeypatch, SignDialog, fill, after=look)


def test_the_clerk_signs_everyone_in(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    take(o, meeting, "convene")
    tab = _tab(qtbot, o, "clerk", meeting)
    assert tab.summary.text().startswith("应到 4 人，实到 0 人")
    assert [row[1] for row in _shown(tab)] == ["未签到"] * 4

    tab.table.selectRow(0)
    tab.present_button.click()
    assert tab.current() is not None and tab.current().name == "刘副县长"  # type: ignore[union-attr]

    _answer(monkeypatch, "参加市政府专题会议")
    tab.leave_button.click()
    _answer(monkeypatch, "县财政局副局长 李某某")
    assert tab.current() is not None and tab.current().name == "钱局长"  # type: ignore[union-attr]
    tab.substitute_button.click()
    tab.present_button.click()
    assert _signed(o, meeting) == [("陈县长", "present", "", ""), ("刘副县长", "leave", "参加市政府专题会议", ""),
                                   ("钱局长", "substitute", "", "县财政局副局长 李某某"), ("孙局长", "present", "", "")]
    assert [row[1:] for row in _shown(tab)] == [("到会", ""), ("请假", "参加市政府专题会议"),
                                                 ("代会", "由县财政局副局长 李某某代会"), ("到会", "")]
    summary = o.run(attendance.attendance_summary, o.clerk, meeting)
    assert tab.summary.text().startswith("应到 4 人，实到 3 人（其中代会 1 人），请假 1 人，未签到 0 人")
    assert summary.rate in tab.summary.text()
    shoot(tab, "attendance", qtbot)

    tab.table.selectRow(3)
    tab.clear_button.click()
    assert _signed(o, meeting)[3] == ("孙局长", "", "", "")
    assert "未签到 1 人" in tab.summary.text()


def test_a_leave_without_its_reason_is_refused_beside_the_field(qtbot: QtBot, office: Office,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    take(o, meeting, "convene")
    tab = _tab(qtbot, o, "clerk", meeting)
    tab.table.selectRow(1)
    errors: list[str] = []
    before = counts(o.ctx)
    _answer(monkeypatch, "  ", errors)
    tab.leave_button.click()
    assert errors == ["请填写请假事由"]
    assert counts(o.ctx) == before


def test_before_sign_in_opens_a_sign_in_is_refused(qtbot: QtBot, office: Office,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    tab.table.selectRow(0)
    shown = refusals(monkeypatch)
    before = counts(o.ctx)
    tab.present_button.click()
    assert shown and "开始签到" in shown[0]
    assert counts(o.ctx) == before
    assert _signed(o, meeting)[0][1] == ""


@pytest.mark.parametrize("who", ["petition", "liaison_fin", "mayor"])
def test_outside_the_office_sign_in_is_refused(qtbot: QtBot, office: Office, who: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    take(o, meeting, "convene")
    tab = _tab(qtbot, o, who, meeting)
    for button in (tab.present_button, tab.leave_button, tab.substitute_button, tab.clear_button):
        assert not button.isVisibleTo(tab)
    assert tab.print_button.isVisibleTo(tab)
    tab.table.selectRow(0)
    shown = refusals(monkeypatch)
    before = counts(o.ctx)
    tab.sign("present")
    assert shown and "登记签到" in shown[0]
    assert counts(o.ctx) == before


@pytest.mark.parametrize("who", ["clerk", "liaison_fin"])
def test_the_sign_in_sheet_prints_as_the_user(qtbot: QtBot, office: Office, who: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, who, meeting)
    title, text = printed(monkeypatch, tab.print_button.click)
    assert "签到表" in title
    assert "县政府第12次常务会议" in text.replace("\n", "")
    assert "钱局长" in text


def test_a_meeting_the_user_may_not_see_is_not_printed(qtbot: QtBot, office: Office,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "liaison_fin", meeting)
    # The 财政局 is taken off the meeting while the tab is open: its 联络员 no longer sees it.
    info = o.run(records.get_meeting, o.clerk, meeting)
    data = meeting_input(o, info.room_id, attendees=attendees(o)[:2])
    o.run(records.update_meeting, o.clerk, meeting, data, expected_version=info.version)
    shown = refusals(monkeypatch)
    tab.print_button.click()
    assert shown and "不能查看" in shown[0]
