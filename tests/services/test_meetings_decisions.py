"""议定事项 (app.services.meetings.decisions): recorded by the organizers once the meeting is held, each turned
into a supervision item through supervision's own register act with the origin ("meeting", id, decision id), the
link shown from both ends; a turned decision is kept as it was, and is not turned twice."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.services.meetings import decisions, lifecycle
from app.services.supervision import items
from app.services.workflow import links
from tests.helpers.document_office import TODAY, Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting

ORGANIZERS = ["clerk", "clerk2", "director", "deputy"]
OTHERS = ["petition", "finance", "mayor", "liaison_fin", "admin"]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _held(o: Office, state: str = "follow_up") -> int:
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(lifecycle.convene, o.clerk, meeting, today=TODAY)
    if state == "follow_up":
        o.run(lifecycle.conclude, o.clerk, meeting, today=TODAY)
    return meeting


def _two(o: Office) -> list[decisions.DecisionInput]:
    return [
        decisions.DecisionInput("县财政局牵头，年底前完成城区学校校舍维修资金拨付", o.units["财政局"], date(2026, 12, 31)),
        decisions.DecisionInput("县教育局负责，寒假前完成校园安全隐患排查", o.units["教育局"], date(2027, 1, 15)),
    ]


def _item_input(o: Office, origin: decisions.DecisionOrigin) -> items.ItemInput:
    return items.ItemInput(source=origin.source, title=origin.title, requirement=origin.requirement,
                           lead_unit_id=origin.lead_unit_id, co_unit_ids=[], responsible_id=o.clerk.id,
                           priority="重点督办", deadline=origin.deadline)


@pytest.mark.parametrize("who", ORGANIZERS)
@pytest.mark.parametrize("state", ["held", "follow_up"])
def test_the_organizers_record_the_decisions_once_the_meeting_is_held(office: Office, who: str, state: str) -> None:
    meeting = _held(office, state)
    saved = office.run(decisions.save_decisions, office.people[who], meeting, _two(office))
    assert [(d.position, d.lead_unit_name, d.deadline, d.item_id) for d in saved] == [
        (0, "县财政局", date(2026, 12, 31), None), (1, "县教育局", date(2027, 1, 15), None)]
    # Reordered and one removed: the one kept keeps its id.
    again = office.run(decisions.save_decisions, office.people[who], meeting, _two(office)[1:])
    assert [d.id for d in again] == [saved[1].id]
    assert office.run(decisions.decisions_of, office.liaison_fin, meeting) == again


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_records_decisions(office: Office, who: str) -> None:
    meeting = _held(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(decisions.save_decisions, office.people[who], meeting, _two(office))
    assert counts(office.ctx) == before


def test_decisions_wait_for_the_meeting_and_bad_ones_are_refused(office: Office) -> None:
    meeting = new_meeting(office, add_rooms(office)["第一会议室"])
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="会议召开"):
        office.run(decisions.save_decisions, office.clerk, meeting, _two(office))
    office.run(lifecycle.convene, office.clerk, meeting, today=TODAY)
    before = counts(office.ctx)
    for bad, message in (
        ([decisions.DecisionInput("  ", None, None)], "请填写第1项议定事项的内容"),
        ([decisions.DecisionInput("x", 99999, None)], "第1项议定事项的牵头单位不存在"),
        ([decisions.DecisionInput("字" * 2001, None, None)], "不能超过2000个字"),
    ):
        with pytest.raises(ValidationError, match=message):
            office.run(decisions.save_decisions, office.clerk, meeting, bad)
    assert counts(office.ctx) == before


def test_a_decision_becomes_a_supervision_item_linked_both_ways(office: Office) -> None:
    meeting = _held(office)
    saved = office.run(decisions.save_decisions, office.clerk, meeting, _two(office))
    origin = office.run(decisions.decision_origin, office.clerk, saved[0].id)
    assert origin.origin == ("meeting", meeting, saved[0].id)
    assert (origin.lead_unit_id, origin.deadline) == (office.units["财政局"], date(2026, 12, 31))
    item = office.run(items.create_item, office.clerk, _item_input(office, origin), origin=origin.origin, today=TODAY)
    shown = office.run(decisions.decisions_of, office.clerk, meeting)
    assert (shown[0].item_id, shown[0].item_title, shown[0].item_state_label) == (
        item.id, f"{item.number} {item.title}", "立项")
    assert shown[0].turned and not shown[1].turned
    from_item = office.run(links.links_of, office.clerk, "supervision_item", item.id).records
    assert [(r.kind_label, r.entity_type, r.entity_id, r.source_part) for r in from_item] == [
        ("来源议定事项", "meeting", meeting, saved[0].id)]
    from_meeting = office.run(links.links_of, office.clerk, "meeting", meeting).records
    assert [(r.kind_label, r.entity_id) for r in from_meeting] == [("督办事项", item.id)]
    # Not twice, and kept as it was.
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="已转为督办事项"):
        office.run(decisions.decision_origin, office.clerk, saved[0].id)
    with pytest.raises(ValidationError, match="这一项已转为督办事项，不能重复转办"):
        office.run(items.create_item, office.clerk, _item_input(office, origin), origin=origin.origin, today=TODAY)
    with pytest.raises(ValidationError, match="已转为督办事项，不能修改或删除"):
        office.run(decisions.save_decisions, office.clerk, meeting, _two(office)[1:])
    changed = [decisions.DecisionInput(saved[0].text, office.units["财政局"], date(2027, 1, 31)), _two(office)[1]]
    with pytest.raises(ValidationError, match="已转为督办事项，不能修改或删除"):
        office.run(decisions.save_decisions, office.clerk, meeting, changed)
    assert counts(office.ctx) == before
    # The other one still turns, and a decision of another meeting is not this meeting's part.
    second = office.run(decisions.decision_origin, office.clerk, saved[1].id)
    office.run(items.create_item, office.clerk, _item_input(office, second), origin=second.origin, today=TODAY)
    assert all(d.turned for d in office.run(decisions.decisions_of, office.clerk, meeting))
    with pytest.raises(ValidationError, match="找不到该议定事项"):
        office.run(items.create_item, office.clerk, _item_input(office, second), origin=("meeting", meeting, 99999),
                   today=TODAY)


def test_a_liaison_who_may_not_see_the_item_sees_only_that_the_decision_was_turned(office: Office) -> None:
    meeting = _held(office)
    saved = office.run(decisions.save_decisions, office.clerk, meeting, _two(office))
    second = office.run(decisions.decision_origin, office.clerk, saved[1].id)
    office.run(items.create_item, office.clerk, _item_input(office, second), origin=second.origin, today=TODAY)
    seen = office.run(decisions.decisions_of, office.liaison_fin, meeting)[1]
    assert seen.turned and (seen.item_title, seen.item_state_label) == ("", "")
