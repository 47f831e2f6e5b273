"""签到 (app.services.meetings.attendance): 到会, 请假 with its reason, 代会 with the substitute's name, when
each may be recorded, by whom, and the attendance summary; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.bootstrap import AppContext
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.services.meetings import attendance, records
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, attendees, new_meeting
from tests.helpers.meetings_steps import take


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def seven(o: Office) -> int:
    """The 常务会议 with three guests more: seven expected."""
    people = attendees(o) + [records.AttendeeInput(name=n, post="代表", rank=r)
                             for n, r in (("甲代表", 5), ("乙代表", 6), ("丙代表", 7))]
    return new_meeting(o, add_rooms(o)["第一会议室"], attendees=people)


def ids(o: Office, meeting: int) -> dict[str, int]:
    return {a.name: a.id for a in o.run(records.get_meeting, o.clerk, meeting).attendees}


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_the_office_records_the_sign_in_once_it_has_begun(office: Office, who: str) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    take(office, meeting, "convene")
    version = office.run(records.get_meeting, office.clerk, meeting).version
    started = datetime.now(UTC) - timedelta(seconds=1)
    signed = office.run(attendance.sign_in, office.people[who], meeting, person["陈县长"], "present",
                        expected_version=version)
    assert signed.attendance == "present" and signed.signed_at is not None and signed.signed_at >= started
    assert office.run(records.get_meeting, office.clerk, meeting).version > version
    sub = office.run(attendance.sign_in, office.people[who], meeting, person["钱局长"], "substitute",
                     substitute=" 赵副局长 ")
    assert (sub.attendance, sub.substitute_name, sub.leave_reason) == ("substitute", "赵副局长", "")
    gone = office.run(attendance.sign_in, office.people[who], meeting, person["孙局长"], "leave", reason="赴省厅开会")
    assert (gone.attendance, gone.leave_reason) == ("leave", "赴省厅开会")
    # A mistake is cleared.
    cleared = office.run(attendance.sign_in, office.people[who], meeting, person["钱局长"], "")
    assert (cleared.attendance, cleared.substitute_name, cleared.signed_at) == ("", "", None)


def test_who_signed_them_in_is_kept(office: Office) -> None:
    from app.models.meetings import MeetingAttendee

    meeting = seven(office)
    person = ids(office, meeting)
    take(office, meeting, "convene")
    office.run(attendance.sign_in, office.clerk2, meeting, person["陈县长"], "present")
    with office.ctx.uow() as uow:
        row = uow.found(MeetingAttendee, person["陈县长"], "none")
        assert (row.signed_by_name, row.attendance) == ("赵文秘", "present")


@pytest.mark.parametrize("who", ["mayor", "vice", "liaison_fin", "petition", "finance", "cashier", "admin"])
def test_nobody_else_records_it(office: Office, who: str) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    take(office, meeting, "convene")
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="登记签到"):
        office.run(attendance.sign_in, office.people[who], meeting, person["钱局长"], "present")
    assert counts(office.ctx) == before


def test_a_leave_is_known_before_the_meeting_but_presence_only_once_sign_in_begins(office: Office) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    gone = office.run(attendance.sign_in, office.clerk, meeting, person["孙局长"], "leave", reason="出差")
    assert gone.attendance == "leave"
    before = counts(office.ctx)
    for status, extra in (("present", {}), ("substitute", {"substitute": "赵副局长"})):
        with pytest.raises(WorkflowError, match="请先点击“开始签到”"):
            office.run(attendance.sign_in, office.clerk, meeting, person["钱局长"], status, **extra)
    assert counts(office.ctx) == before
    assert office.run(attendance.sign_in, office.clerk, meeting, person["孙局长"], "").attendance == ""


def test_once_the_meeting_is_over_the_sign_in_stands(office: Office) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    take(office, meeting, "convene")
    office.run(attendance.sign_in, office.clerk, meeting, person["陈县长"], "present")
    take(office, meeting, "conclude")
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="已经结束，不能再登记签到"):
        office.run(attendance.sign_in, office.clerk, meeting, person["刘副县长"], "leave", reason="出差")
    assert counts(office.ctx) == before
    take(office, meeting, "finish")
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="已办结，不能再登记签到"):
        office.run(attendance.sign_in, office.director, meeting, person["陈县长"], "")
    assert counts(office.ctx) == before
    assert office.run(attendance.attendance_summary, office.clerk, meeting).present == 1


def test_not_on_a_cancelled_meeting(office: Office) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    take(office, meeting, "cancel")
    with pytest.raises(WorkflowError, match="已取消，不能再登记签到"):
        office.run(attendance.sign_in, office.clerk, meeting, person["孙局长"], "leave", reason="出差")


@pytest.mark.parametrize(("status", "extra", "message", "field"), [
    ("absent", {}, "签到情况只能是到会、请假、代会或未签到", "status"),
    ("leave", {"reason": "  "}, "请假请填写事由", "reason"),
    ("leave", {"reason": "事" * 201}, "请假事由不能超过200个字", "reason"),
    ("substitute", {}, "代会请填写代会人姓名", "substitute"),
    ("substitute", {"substitute": "名" * 51}, "代会人姓名不能超过50个字", "substitute"),
])
def test_bad_sign_ins_say_what_to_fix(office: Office, status: str, extra: dict[str, str], message: str,
                                      field: str) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    take(office, meeting, "convene")
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=message) as caught:
        office.run(attendance.sign_in, office.clerk, meeting, person["钱局长"], status, **extra)
    assert caught.value.field == field
    assert counts(office.ctx) == before


def test_someone_not_of_the_meeting_and_a_stale_sign_in(office: Office) -> None:
    meeting = seven(office)
    other = new_meeting(office, None, place="城关镇会议室", title="另一个会议")
    take(office, meeting, "convene")
    stranger = next(iter(ids(office, other).values()))
    with pytest.raises(NotFound, match="找不到该参会人员"):
        office.run(attendance.sign_in, office.clerk, meeting, stranger, "present")
    person = ids(office, meeting)
    version = office.run(records.get_meeting, office.clerk, meeting).version
    office.run(attendance.sign_in, office.clerk, meeting, person["陈县长"], "present", expected_version=version)
    with pytest.raises(ConflictError, match="已被其他人修改"):
        office.run(attendance.sign_in, office.clerk2, meeting, person["刘副县长"], "present", expected_version=version)


def test_the_summary(office: Office) -> None:
    meeting = seven(office)
    person = ids(office, meeting)
    empty = office.run(attendance.attendance_summary, office.mayor, meeting)
    assert (empty.expected, empty.unsigned, empty.rate) == (7, 7, "0.0%")
    office.run(attendance.sign_in, office.clerk, meeting, person["孙局长"], "leave", reason="赴省厅开会")
    take(office, meeting, "convene")
    for name in ("陈县长", "刘副县长", "甲代表", "乙代表"):
        office.run(attendance.sign_in, office.clerk, meeting, person[name], "present")
    office.run(attendance.sign_in, office.clerk, meeting, person["钱局长"], "substitute", substitute="赵副局长")
    partial = office.run(attendance.attendance_summary, office.liaison_fin, meeting)
    assert (partial.expected, partial.present, partial.leave, partial.substitute, partial.unsigned, partial.rate) == (
        7, 4, 1, 1, 1, "71.4%")
    office.run(attendance.sign_in, office.clerk, meeting, person["丙代表"], "present")
    summary = office.run(attendance.attendance_summary, office.clerk, meeting)
    # Six of seven took part (five present, one in another's place): 85.714…%.
    assert (summary.present, summary.unsigned, summary.rate) == (5, 0, "85.7%")
    assert summary.leaves == [("县教育局　孙局长（局长）", "赴省厅开会")]
    assert summary.substitutes == [("县财政局　钱局长（局长）", "赵副局长")]


def test_the_summary_of_a_meeting_nobody_is_asked_to_and_who_may_see_it(office: Office) -> None:
    meeting = new_meeting(office, None, place="城关镇会议室", attendees=[])
    summary = office.run(attendance.attendance_summary, office.clerk, meeting)
    assert (summary.expected, summary.rate, summary.leaves) == (0, "—", [])
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(attendance.attendance_summary, office.liaison_fin, meeting)
