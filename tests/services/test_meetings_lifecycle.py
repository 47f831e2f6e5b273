"""A meeting through its flow (app.services.meetings.lifecycle): 开始签到, 取消 with its room given back, 会议结束,
退回筹备 and 办结, each by the office's staff and refused to everyone else, leaving nothing behind."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.services.meetings import lifecycle, plan, records
from tests.helpers.document_office import TODAY, Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting

STAFF = ["clerk", "clerk2", "director", "deputy"]
OTHERS = ["petition", "finance", "mayor", "liaison_fin", "admin"]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _meeting(o: Office) -> int:
    return new_meeting(o, add_rooms(o)["第一会议室"])


def _at(o: Office, meeting: int, state: str) -> None:
    if state in ("held", "follow_up"):
        o.run(lifecycle.convene, o.clerk, meeting, today=TODAY)
    if state == "follow_up":
        o.run(lifecycle.conclude, o.clerk, meeting, today=TODAY)


@pytest.mark.parametrize("who", STAFF)
def test_the_office_staff_carry_a_meeting_to_its_end(office: Office, who: str) -> None:
    meeting = _meeting(office)
    actor = office.people[who]
    held = office.run(lifecycle.convene, actor, meeting, today=TODAY)
    assert (held.state, held.state_label) == ("held", "会议召开")
    back = office.run(lifecycle.return_to_prepare, actor, meeting, "时间记错，会议改期", today=TODAY)
    assert back.state == "prepare"
    office.run(lifecycle.convene, actor, meeting, today=TODAY)
    after = office.run(lifecycle.conclude, actor, meeting, today=TODAY)
    assert (after.state, after.state_label) == ("follow_up", "会后落实")
    done = office.run(lifecycle.finish, actor, meeting, "纪要已印发", today=TODAY)
    assert (done.state, done.closed, done.cancelled) == ("closed", True, False)


@pytest.mark.parametrize("who", OTHERS)
@pytest.mark.parametrize("move", ["convene", "cancel", "conclude", "return", "finish"])
def test_nobody_else_moves_a_meeting(office: Office, who: str, move: str) -> None:
    meeting = _meeting(office)
    _at(office, meeting, {"conclude": "held", "return": "held", "finish": "follow_up"}.get(move, "prepare"))
    call = {"convene": lifecycle.convene, "cancel": lifecycle.cancel_meeting, "conclude": lifecycle.conclude,
            "return": lifecycle.return_to_prepare, "finish": lifecycle.finish}[move]
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(call, office.people[who], meeting, "原因", today=TODAY)
    assert counts(office.ctx) == before


@pytest.mark.parametrize("who", STAFF)
def test_a_cancelled_meeting_gives_its_room_back(office: Office, who: str) -> None:
    rooms = add_rooms(office)
    meeting = new_meeting(office, rooms["第一会议室"])
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="请填写取消会议的原因"):
        office.run(lifecycle.cancel_meeting, office.people[who], meeting, "  ", today=TODAY)
    assert counts(office.ctx) == before
    cancelled = office.run(lifecycle.cancel_meeting, office.people[who], meeting, "县长临时外出", today=TODAY)
    assert (cancelled.state_label, cancelled.closed, cancelled.cancelled) == ("已取消", True, True)
    # The slot is free again for another meeting.
    new_meeting(office, rooms["第一会议室"], title="安全生产专题会", meeting_type="专题会议")
    with pytest.raises(WorkflowError, match="已取消"):
        office.run(lifecycle.convene, office.clerk, meeting, today=TODAY)


def test_a_held_meeting_cannot_be_cancelled_and_returning_needs_a_reason(office: Office) -> None:
    meeting = _meeting(office)
    _at(office, meeting, "held")
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="会前筹备"):
        office.run(lifecycle.cancel_meeting, office.director, meeting, "不开了", today=TODAY)
    with pytest.raises(ValidationError, match="请填写退回的原因"):
        office.run(lifecycle.return_to_prepare, office.director, meeting, "", today=TODAY)
    assert counts(office.ctx) == before


def test_an_act_on_a_meeting_changed_since_read_is_refused(office: Office) -> None:
    meeting = _meeting(office)
    seen = office.run(records.get_meeting, office.clerk, meeting)
    office.run(records.update_meeting, office.clerk2, meeting, _input_of(office, seen), expected_version=seen.version)
    from app.core.errors import ConflictError

    with pytest.raises(ConflictError):
        office.run(lifecycle.convene, office.clerk, meeting, expected_version=seen.version, today=TODAY)


def _input_of(o: Office, seen: records.MeetingInfo) -> records.MeetingInput:
    from tests.helpers.meetings_office import meeting_input

    return meeting_input(o, seen.room_id, notes="改为全体参会人员提前十分钟到场")


def test_a_secretary_may_not_finish_with_undone_plan_tasks_but_a_leader_may(office: Office) -> None:
    meeting = _meeting(office)
    made = office.run(plan.make_plan, office.clerk, meeting)
    _at(office, meeting, "follow_up")
    before = counts(office.ctx)
    undone = len(made.tasks)
    with pytest.raises(WorkflowError, match=f"会议方案还有{undone}项任务未完成"):
        office.run(lifecycle.finish, office.clerk, meeting, today=TODAY)
    assert counts(office.ctx) == before
    assert office.run(lifecycle.finish, office.deputy, meeting, today=TODAY).closed
