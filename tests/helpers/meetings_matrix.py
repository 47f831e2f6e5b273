"""The records the permission matrix's 会议 rows act on (tests/services/test_permission_matrix): 常务会议 of the
office, each registered by the clerk (so the clerk is its 经办人), one at each point of the flow, attended by the
county's leaders and the 财政局 but not the 教育局 (whose 联络员 is the stranger to all of them). No tests live here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.core.meetings.plan import PHASES
from app.models.meetings import MeetingAttendee, MeetingDecision, MeetingPlanTask
from app.services.meetings import agenda, decisions, plan, records
from tests.helpers.document_office import Office
from tests.helpers.meetings_office import add_rooms, later, new_meeting
from tests.helpers.meetings_steps import take

MATERIAL = ("财政局汇报材料.pdf", b"%PDF-1.4\n% material\n")
# The day a decision of the matrix's meeting is to be carried out by.
DECISION_DEADLINE = date(2027, 3, 31)


def matrix_attendees(o: Office) -> list[records.AttendeeInput]:
    """The county's leaders on the 主席台 and the 财政局 in the hall; no 教育局."""
    return [
        records.AttendeeInput(user_id=o.mayor.id, post="县长", rank=1, zone="dais"),
        records.AttendeeInput(user_id=o.vice.id, post="副县长", rank=2, zone="dais"),
        records.AttendeeInput(unit_id=o.units["财政局"], name="钱局长", post="局长", rank=3),
    ]


def topic_input(o: Office, title: str = "关于2027年县级财政预算安排的汇报") -> agenda.TopicInput:
    return agenda.TopicInput(title=title, summary="提请会议研究2027年预算草案", reporter="钱局长",
                             unit_id=o.units["财政局"])


def decision_input(o: Office) -> decisions.DecisionInput:
    return decisions.DecisionInput("县财政局牵头，年底前完成2027年预算草案的修改完善", o.units["财政局"],
                                   DECISION_DEADLINE)


def _meeting(o: Office, number: int, room_id: int | None, hours: float) -> int:
    """A 常务会议 ``hours`` after the helpers' usual time (so the rooms' bookings never clash)."""
    fields: dict[str, Any] = {"title": f"县政府第{number}次常务会议", "attendees": matrix_attendees(o), **later(hours)}
    if room_id is None:
        fields["place"] = "县政府办公楼二楼小会议室"
    return new_meeting(o, room_id, **fields)


def _first(o: Office, column: object, *where: object) -> int:
    with o.ctx.uow() as uow:
        found = uow.session.execute(select(column).where(*where).limit(1)).scalar_one()  # type: ignore[call-overload]
        return int(found)


def prepare_for_matrix(o: Office) -> dict[str, int]:
    """{name: id} of what the rows act on:

    - mt_prepare (会前筹备, in the 第一会议室): its plan from the template (the clerk's tasks, each on the clerk's
      工作台: mt_task and its item mt_item; mt_owner is the clerk) and one task of the 财政局's 联络员 (mt_fin_task, mt_fin_item); a topic
      the 财政局's 联络员 proposed with a material (mt_topic, mt_material) and one the office approved
      (mt_topic_approved); a file of the meeting's (mt_file);
    - mt_held (会议召开, in the 第二会议室, no plan yet): mt_attendee is the 财政局's place in the hall;
    - mt_follow (会后落实): one decision for the 财政局 (mt_decision);
    - mt_closed (已办结), and its flow instance mt_closed_instance."""
    rooms = add_rooms(o)
    ids = {
        "mt_room": rooms["第一会议室"],
        "mt_prepare": _meeting(o, 21, rooms["第一会议室"], 0),
        "mt_held": _meeting(o, 22, rooms["第二会议室"], 0),
        "mt_follow": _meeting(o, 23, None, 24),
        "mt_closed": _meeting(o, 24, None, 48),
    }
    prepare = ids["mt_prepare"]
    o.run(plan.make_plan, o.clerk, prepare)
    with o.ctx.uow() as uow:
        task = uow.session.execute(
            select(MeetingPlanTask).where(MeetingPlanTask.meeting_id == prepare).order_by(MeetingPlanTask.id).limit(1)
        ).scalar_one()
        ids["mt_task"], ids["mt_item"] = task.id, int(task.work_item_id or 0)
        ids["mt_owner"] = int(task.owner_id or 0)
    due = datetime(2026, 11, 30, 17, 0)
    fin_task = o.run(plan.add_task, o.clerk, prepare, PHASES[0], "报送财政局汇报材料", o.liaison_fin.id, due)
    ids["mt_fin_task"] = fin_task.id
    ids["mt_fin_item"] = _first(o, MeetingPlanTask.work_item_id, MeetingPlanTask.id == fin_task.id)
    topic = o.run(agenda.propose_topic, o.liaison_fin, prepare, topic_input(o), files=[MATERIAL])
    ids["mt_topic"] = topic.id
    with o.ctx.uow() as uow:
        ids["mt_material"] = agenda.materials_of(uow, o.clerk, topic.id)[0].id
    ids["mt_file"] = o.run(records.add_file, o.clerk, prepare, filename="会议通知.pdf", data=b"%PDF-1.4 notice",
                           purpose="material").id
    approved = o.run(agenda.propose_topic, o.clerk, prepare, topic_input(o, "关于城区停车场建设的汇报"))
    o.run(agenda.review_topic, o.clerk, approved.id, True)
    o.run(agenda.review_topic, o.director, approved.id, True)
    ids["mt_topic_approved"] = approved.id

    take(o, ids["mt_held"], "convene")
    ids["mt_attendee"] = _first(o, MeetingAttendee.id, MeetingAttendee.meeting_id == ids["mt_held"],
                                MeetingAttendee.unit_id == o.units["财政局"])

    take(o, ids["mt_follow"], "convene", "conclude")
    o.run(decisions.save_decisions, o.clerk, ids["mt_follow"], [decision_input(o)])
    ids["mt_decision"] = _first(o, MeetingDecision.id, MeetingDecision.meeting_id == ids["mt_follow"])

    take(o, ids["mt_closed"], "convene", "conclude", "finish")
    with o.ctx.uow() as uow:
        ids["mt_prepare_instance"] = records.get_meeting(uow, o.clerk, prepare).instance_id
        ids["mt_closed_instance"] = records.get_meeting(uow, o.clerk, ids["mt_closed"]).instance_id
    return ids
