"""Meetings and rooms (app.services.meetings.records): registering, booking a room, a clash refused with the
meeting it clashes with named, who may register and see; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.services.meetings import records
from tests.helpers.document_office import TODAY, Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, later, meeting_input, new_meeting


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_the_office_registers_a_meeting_with_its_room_booked(office: Office, who: str) -> None:
    rooms = add_rooms(office)
    made = office.run(records.create_meeting, office.people[who], meeting_input(office, rooms["第一会议室"]),
                      today=TODAY)
    assert (made.number, made.state, made.state_label, made.room_name) == ("会〔2026〕1号", "prepare", "会前筹备",
                                                                           "第一会议室")
    assert [a.label for a in made.attendees] == ["陈县长（县长）", "刘副县长（副县长）", "县财政局　钱局长（局长）",
                                                 "县教育局　孙局长（局长）"]
    assert made.when == "2026年12月1日（星期二）09:00—11:30"


@pytest.mark.parametrize("who", ["petition", "finance", "cashier", "mayor", "liaison_fin", "admin"])
def test_nobody_else_registers_a_meeting(office: Office, who: str) -> None:
    rooms = add_rooms(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="登记会议"):
        office.run(records.create_meeting, office.people[who], meeting_input(office, rooms["第一会议室"]), today=TODAY)
    assert counts(office.ctx) == before


def test_an_overlapping_booking_is_refused_naming_the_meeting(office: Office) -> None:
    rooms = add_rooms(office)
    new_meeting(office, rooms["第一会议室"])
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="第一会议室在12月1日09:00—11:30已被“县政府第12次常务会议”预订"):
        new_meeting(office, rooms["第一会议室"], title="安全生产专题会", meeting_type="专题会议", **later(2))
    assert counts(office.ctx) == before
    # Back to back is no clash, and another room is free.
    new_meeting(office, rooms["第一会议室"], title="安全生产专题会", meeting_type="专题会议", **later(2.5))
    new_meeting(office, rooms["第二会议室"], title="教育工作会", meeting_type="工作会议", **later(1))


def test_a_liaison_sees_only_the_meetings_of_their_unit(office: Office) -> None:
    rooms = add_rooms(office)
    ours = new_meeting(office, rooms["第一会议室"])
    theirs = new_meeting(office, rooms["第二会议室"], title="教育工作会", attendees=[])
    assert office.run(records.get_meeting, office.liaison_fin, ours).title == "县政府第12次常务会议"
    with pytest.raises(PermissionDenied):
        office.run(records.get_meeting, office.liaison_fin, theirs)
    assert office.run(records.get_meeting, office.mayor, theirs).title == "教育工作会"
