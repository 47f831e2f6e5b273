"""座次 (app.services.meetings.seating): the seating by rank on the 主席台 and in the hall's rows, drags within
and across zones that freeze the order shown, back to rank order; who sees and who changes it, on SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.services.meetings import records, seating
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, attendees, later, meeting_input, new_meeting
from tests.helpers.meetings_steps import take


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


# Guests of the hall by name and rank (the meeting's own four are the 县长 and 副县长 on the dais, ranks 1 and
# 2, and the two 局长 in the hall, ranks 3 and 4).
GUESTS = [("甲代表", 5), ("乙代表", 6), ("丙代表", 7), ("丁代表", 8), ("戊代表", 9)]


def big_meeting(o: Office) -> int:
    """The 常务会议 with five guests in the hall, three seats a row: seven in the hall."""
    people = attendees(o) + [records.AttendeeInput(name=n, post="代表", rank=r) for n, r in GUESTS]
    return new_meeting(o, add_rooms(o)["第一会议室"], attendees=people, hall_per_row=3)


def names(rows: list[list[seating.SeatView]]) -> list[list[str]]:
    return [[seat.name for seat in row] for row in rows]


def ids(o: Office, meeting: int) -> dict[str, int]:
    info = o.run(records.get_meeting, o.clerk, meeting)
    return {a.name: a.id for a in info.attendees}


def test_the_seating_by_rank(office: Office) -> None:
    meeting = big_meeting(office)
    plan = office.run(seating.seating_of, office.clerk, meeting)
    assert (plan.meeting_id, plan.title, plan.by_hand, plan.hall_per_row) == (meeting, "县政府第12次常务会议", False, 3)
    assert names(plan.dais) == [["陈县长", "刘副县长"]]
    # Hall ranks 3…9 in rows of three, each row centred: 5 3 4 / 8 6 7 / 9 (as ranks).
    assert names(plan.hall) == [["甲代表", "钱局长", "孙局长"], ["丁代表", "乙代表", "丙代表"], ["戊代表"]]
    first = plan.dais[0][0]
    assert (first.label, first.post, first.rank, first.zone, first.row, first.column) == (
        "陈县长（县长）", "县长", 1, "dais", 0, 0)
    qian = plan.hall[0][1]
    assert (qian.label, qian.unit_name, qian.row, qian.column) == ("县财政局　钱局长（局长）", "县财政局", 0, 1)


@pytest.mark.parametrize("who", ["clerk", "director", "mayor", "vice", "liaison_fin", "petition", "admin"])
def test_everyone_who_sees_the_meeting_sees_its_seating(office: Office, who: str) -> None:
    meeting = big_meeting(office)
    assert names(office.run(seating.seating_of, office.people[who], meeting).dais) == [["陈县长", "刘副县长"]]


def test_a_liaison_of_a_unit_with_no_part_does_not(office: Office) -> None:
    meeting = new_meeting(office, add_rooms(office)["第一会议室"], attendees=attendees(office)[:2])
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(seating.seating_of, office.liaison_edu, meeting)


@pytest.mark.parametrize("who", ["clerk", "clerk2", "director", "deputy"])
def test_a_drag_in_the_hall_freezes_the_order_shown(office: Office, who: str) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    version = office.run(seating.seating_of, office.clerk, meeting).version
    before = counts(office.ctx)
    # 戊代表, alone in the third row, is dragged to the first seat of the second row.
    plan = office.run(seating.move_seat, office.people[who], meeting, person["戊代表"], "hall", 3,
                      expected_version=version)
    assert plan.by_hand and plan.version > version
    assert names(plan.hall) == [["甲代表", "钱局长", "孙局长"], ["戊代表", "丁代表", "乙代表"], ["丙代表"]]
    assert names(plan.dais) == [["陈县长", "刘副县长"]]
    assert counts(office.ctx) != before
    # The order stays as it was left.
    assert names(office.run(seating.seating_of, office.mayor, meeting).hall) == names(plan.hall)
    seats = {a.name: (a.zone, a.seat) for a in office.run(records.get_meeting, office.clerk, meeting).attendees}
    assert seats["戊代表"] == ("hall", 3) and seats["丙代表"] == ("hall", 6)
    # The dais, untouched, is still by rank.
    assert seats["陈县长"] == ("dais", None)


def test_a_drag_across_zones_writes_both(office: Office) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    # 钱局长 goes up to the dais, to the audience's right of the 县长.
    plan = office.run(seating.move_seat, office.clerk, meeting, person["钱局长"], "dais", 1)
    assert names(plan.dais) == [["陈县长", "钱局长", "刘副县长"]]
    assert names(plan.hall) == [["甲代表", "孙局长", "丁代表"], ["乙代表", "丙代表", "戊代表"]]
    assert [s.zone for s in plan.dais[0]] == ["dais"] * 3
    # And the 副县长 down to the end of the hall (any seat past the last is the last).
    plan = office.run(seating.move_seat, office.clerk, meeting, person["刘副县长"], "hall", 99)
    assert names(plan.dais) == [["陈县长", "钱局长"]]
    assert names(plan.hall)[-1] == ["刘副县长"]
    seats = {a.name: (a.zone, a.seat) for a in office.run(records.get_meeting, office.clerk, meeting).attendees}
    assert seats["刘副县长"] == ("hall", 6) and seats["钱局长"] == ("dais", 1)


def test_back_to_rank_order_keeps_the_zones_chosen(office: Office) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "dais", 0)
    office.run(seating.move_seat, office.clerk, meeting, person["孙局长"], "hall", 0)
    plan = office.run(seating.reset_seating, office.deputy, meeting)
    assert not plan.by_hand
    # On the dais by rank: 1, 2 and 9 give 9 1 2 (seat_order(3) is 3 1 2).
    assert names(plan.dais) == [["戊代表", "陈县长", "刘副县长"]]
    assert names(plan.hall) == [["甲代表", "钱局长", "孙局长"], ["丁代表", "乙代表", "丙代表"]]


def test_someone_added_after_a_drag_sits_after_the_hand_set_seats(office: Office) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "hall", 0)
    people = attendees(office) + [records.AttendeeInput(name=n, post="代表", rank=r) for n, r in GUESTS]
    people.append(records.AttendeeInput(name="新代表", post="代表", rank=1))
    room = office.run(records.get_meeting, office.clerk, meeting).room_id
    office.run(records.update_meeting, office.clerk, meeting,
               meeting_input(office, room, attendees=people, hall_per_row=3))
    hall = names(office.run(seating.seating_of, office.clerk, meeting).hall)
    assert hall[0][0] == "戊代表" and hall[-1][-1] == "新代表"


@pytest.mark.parametrize("who", ["mayor", "vice", "liaison_fin", "petition", "finance", "cashier", "admin"])
def test_nobody_else_changes_the_seating(office: Office, who: str) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="调整座次"):
        office.run(seating.move_seat, office.people[who], meeting, person["戊代表"], "hall", 0)
    with pytest.raises(PermissionDenied, match="调整座次"):
        office.run(seating.reset_seating, office.people[who], meeting)
    assert counts(office.ctx) == before
    assert not office.run(seating.seating_of, office.clerk, meeting).by_hand


def test_the_seating_changes_while_the_meeting_is_held_but_not_once_closed(office: Office) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    take(office, meeting, "convene")
    office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "hall", 0)
    take(office, meeting, "conclude", "finish")
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="已办结，不能再调整座次"):
        office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "hall", 2)
    with pytest.raises(WorkflowError, match="已办结，不能再调整座次"):
        office.run(seating.reset_seating, office.director, meeting)
    assert counts(office.ctx) == before
    # Still shown, for the record.
    assert office.run(seating.seating_of, office.clerk, meeting).by_hand


def test_nor_on_a_cancelled_meeting(office: Office) -> None:
    meeting = big_meeting(office)
    take(office, meeting, "cancel")
    with pytest.raises(WorkflowError, match="已取消，不能再调整座次"):
        office.run(seating.reset_seating, office.director, meeting)


def test_drags_that_cannot_be_right(office: Office) -> None:
    meeting = big_meeting(office)
    person = ids(office, meeting)
    other = new_meeting(office, None, place="城关镇会议室", title="另一个会议", **later(24))
    stranger = next(iter(ids(office, other).values()))
    version = office.run(seating.seating_of, office.clerk, meeting).version
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="座位区域只能是主席台或会场") as caught:
        office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "stage", 0)
    assert caught.value.field == "zone"
    with pytest.raises(ValidationError, match="座位序号应为不小于0的整数"):
        office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "hall", -1)
    with pytest.raises(NotFound, match="找不到该参会人员"):
        office.run(seating.move_seat, office.clerk, meeting, stranger, "hall", 0)
    assert counts(office.ctx) == before
    office.run(seating.move_seat, office.clerk, meeting, person["戊代表"], "hall", 0, expected_version=version)
    with pytest.raises(ConflictError, match="已被其他人修改"):
        office.run(seating.move_seat, office.deputy, meeting, person["甲代表"], "hall", 0, expected_version=version)
