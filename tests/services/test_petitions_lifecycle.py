"""信访件's acts (app.services.petitions.lifecycle, .handling, .visits), each by the case's responsible person
(首问负责) or the office's leaders and refused to everyone else, a refusal leaving the database as it was; the
limits across holidays; 异议, 延期, 回访 and 复查/复核 to the end; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.db.tables import record_links, workflow_clock_events, workflow_work_items
from app.models import AuditEntry, ChangeFeedEntry, Urge, WorkflowHistory, WorkflowInstance
from app.models.petitions import Petition, PetitionObjection, PetitionVisit
from app.services.petitions import lifecycle, records, visits
from app.services.workflow import clocks, parallel, todo
from tests.helpers.document_office import TODAY, Office
from tests.helpers.petitions_office import REQUEST, build_petition_office, new_petition, register

REFUSED = (PermissionDenied, WorkflowError, NotFound)
# The roles the brief names, by the office's keys; "petition" registers (answers for) every case here.
ROLES = ("petition", "petition2", "director", "deputy", "clerk", "mayor", "liaison_fin", "liaison_edu", "finance")
DUE = date(2026, 12, 18)


@pytest.fixture
def o(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


# ----- the database as a refusal must leave it -----------------------------------------------------------


def snapshot(o: Office) -> tuple[Any, ...]:
    """Every row an act on a case writes: history, audit, change feed, cases with their versions and fields,
    visits, objections, tasks, clock events, links and urges."""
    with o.ctx.uow() as uow:
        s = uow.session

        def count(table: Any) -> int:
            return int(s.execute(select(func.count()).select_from(table)).scalar_one())

        cases = s.execute(
            select(Petition.id, Petition.version, Petition.handling_unit_id, Petition.findings, Petition.decision,
                   Petition.replied_on, Petition.concluded_on, Petition.forwarded_to).order_by(Petition.id)
        ).all()
        instances = s.execute(
            select(WorkflowInstance.id, WorkflowInstance.state, WorkflowInstance.responsible_id,
                   WorkflowInstance.due_date).order_by(WorkflowInstance.id)
        ).all()
        objections = s.execute(select(PetitionObjection.id, PetitionObjection.outcome)).all()
        tasks = s.execute(select(workflow_work_items.c.id, workflow_work_items.c.state)).all()
        return (
            count(WorkflowHistory), count(AuditEntry), count(ChangeFeedEntry), count(PetitionVisit),
            count(workflow_clock_events), count(record_links), count(Urge), tuple(cases), tuple(instances),
            tuple(objections), tuple(tasks),
        )


def refused(o: Office, call: Any, *args: Any, error: Any = REFUSED, match: str | None = None, **kwargs: Any) -> str:
    """The act is refused and writes nothing; returns the refusal's message."""
    before = snapshot(o)
    with pytest.raises(error, match=match) as raised:
        o.run(call, *args, **kwargs)
    assert snapshot(o) == before
    return str(raised.value)


def info(o: Office, pid: int) -> records.PetitionInfo:
    return o.run(records.get_petition, o.director, pid)  # type: ignore[no-any-return]


# ----- cases at each step, through the real services ------------------------------------------------------


def accepted(o: Office, today: date = TODAY, **fields: Any) -> int:
    pid = new_petition(o, today=today, **fields)
    o.run(lifecycle.accept, o.petition, pid, today=today)
    return pid


def assigned(o: Office, today: date = TODAY, due: date = DUE, **fields: Any) -> int:
    pid = new_petition(o, today=today, **fields)
    o.run(lifecycle.assign, o.petition, pid, unit_id=o.units["财政局"], due=due, task="核实开发商办证进度并答复",
          today=today)
    return pid


def unit_task(o: Office, pid: int) -> parallel.WorkItem:
    items = o.run(parallel.work_items_of, o.director, info(o, pid).instance_id).items
    return [i for i in items if i.lead and i.state != "recalled"][-1]  # type: ignore[no-any-return]


def write(o: Office, pid: int, by: str = "petition", today: date = TODAY) -> None:
    o.run(lifecycle.write_reply, o.people[by], pid, findings="开发商已补齐材料，不动产登记中心已受理",
          decision="支持", basis="《不动产登记暂行条例》第十四条", today=today)


def in_review(o: Office, today: date = TODAY) -> int:
    pid = assigned(o, today)
    o.run(parallel.report_work_item, o.liaison_fin, unit_task(o, pid).id, "已督促开发商办证，预计月底发证")
    write(o, pid, today=today)
    o.run(lifecycle.submit, o.petition, pid, today=today)
    return pid


def replied(o: Office, today: date = TODAY) -> int:
    pid = in_review(o, today)
    o.run(lifecycle.sign, o.director, pid, today=today)
    return pid


def satisfied(o: Office, pid: int, today: date = TODAY) -> None:
    o.run(lifecycle.record_visit, o.petition, pid, visited_on=today, method="电话回访", satisfaction="满意",
          today=today)


def concluded(o: Office, today: date = TODAY) -> int:
    pid = replied(o, today)
    satisfied(o, pid, today)
    o.run(lifecycle.conclude, o.petition, pid, today=today)
    return pid


# ----- 受理, 交办, 转送, 不予受理 ----------------------------------------------------------------------------


def test_the_responsible_person_accepts_and_nobody_else(o: Office) -> None:
    pid = new_petition(o)
    for who in ROLES:
        if who != "petition":
            refused(o, lifecycle.accept, o.people[who], pid, today=TODAY)
    done = o.run(lifecycle.accept, o.petition, pid, opinion="本办自行办理", expected_version=info(o, pid).version,
                 today=TODAY)
    assert (done.state, done.state_label, done.responsible_name, done.handling_unit_id) == ("handle", "办理", "孙接待",
                                                                                           None)
    # The 办理 clock runs from the day of acceptance: 60 days, in 2027 (holidays not yet published: provisional).
    handling = next(v for v in o.run(clocks.clock_readings, o.petition, done.instance_id, TODAY)
                    if v.clock.key == "handling")
    assert handling.reading.due is not None and handling.reading.due.date == date(2027, 1, 26)


def test_the_responsible_person_assigns_to_a_unit_whose_liaison_gets_the_task(o: Office) -> None:
    pid = new_petition(o)
    assert refused(o, records.get_petition, o.liaison_fin, pid, error=PermissionDenied)
    for who in ROLES:
        if who != "petition":
            refused(o, lifecycle.assign, o.people[who], pid, unit_id=o.units["财政局"], due=DUE, task="核实",
                    today=TODAY)
    done = o.run(lifecycle.assign, o.petition, pid, unit_id=o.units["财政局"], due=DUE, task="核实办证进度",
                 opinion="请财政局牵头", today=TODAY)
    assert (done.state, done.handling_unit_name) == ("handle", "县财政局")
    # The unit's 联络员 now sees the case (masked) and its task; the other unit's does not.
    seen = o.run(records.get_petition, o.liaison_fin, pid)
    assert seen.masked and seen.id_number != info(o, pid).id_number
    refused(o, records.get_petition, o.liaison_edu, pid)
    task = o.run(lifecycle.assignment_of, o.liaison_fin, pid, today=TODAY)
    assert (task.unit_name, task.task, task.due, task.state, task.assigned_on) == (
        "县财政局", "核实办证进度", DUE, "sent", TODAY)
    assert task.objection_deadline == date(2026, 12, 4) and task.may_object
    assert not o.run(lifecycle.assignment_of, o.director, pid, today=TODAY).may_object
    mine = o.run(todo.todo, o.liaison_fin, TODAY).items
    assert [(i.kind, i.task) for i in mine if i.info.entity_id == pid] == [("task", "核实办证进度")]
    assert o.run(lifecycle.assignment_of, o.petition, accepted(o), today=TODAY) is None


@pytest.mark.parametrize(("fields", "field"), [
    ({"due": TODAY - timedelta(days=1)}, "due"),
    ({"due": date(2027, 1, 27)}, "due"),
    ({"task": "  "}, "task"),
    ({"unit_id": None}, "unit_id"),
])
def test_an_assignment_needs_a_unit_a_task_and_a_due_date_within_the_handling_limit(
    o: Office, fields: dict[str, Any], field: str,
) -> None:
    pid = new_petition(o)
    values: dict[str, Any] = {"unit_id": o.units["财政局"], "due": DUE, "task": "核实", **fields}
    with pytest.raises(ValidationError) as raised:
        o.run(lifecycle.assign, o.petition, pid, today=TODAY, **values)
    assert raised.value.field == field
    assert info(o, pid).state == "register"


def test_an_inactive_unit_is_refused(o: Office) -> None:
    from app.models import Unit

    with o.ctx.uow() as uow:
        unit = uow.session.get(Unit, o.units["教育局"])
        assert unit is not None
        unit.active = False
        uow.commit()
    pid = new_petition(o)
    message = refused(o, lifecycle.assign, o.petition, pid, unit_id=o.units["教育局"], due=DUE, task="核实",
                      today=TODAY, error=ValidationError)
    assert "已停用" in message


def test_forward_and_reject_need_their_reason_and_close_the_case(o: Office) -> None:
    first, second = new_petition(o), new_petition(o, name="李四", id_number="", phone="13900001111")
    for who in ROLES:
        if who != "petition":
            refused(o, lifecycle.forward, o.people[who], first, to="县人民法院", reason="属诉讼事项", today=TODAY)
            refused(o, lifecycle.reject, o.people[who], second, reason="不属于受理范围", today=TODAY)
    refused(o, lifecycle.forward, o.petition, first, to=" ", reason="属诉讼事项", today=TODAY, error=ValidationError)
    refused(o, lifecycle.reject, o.petition, second, reason="", today=TODAY, error=ValidationError)
    gone = o.run(lifecycle.forward, o.petition, first, to="县人民法院", reason="属诉讼事项", today=TODAY)
    assert (gone.state_label, gone.closed, gone.forwarded_to) == ("已转送", True, "县人民法院")
    no = o.run(lifecycle.reject, o.petition, second, reason="不属于受理范围", today=TODAY)
    assert (no.state_label, no.closed) == ("不予受理", True)
    # A closed case takes no act, each refusal saying so.
    assert "已转送" in refused(o, lifecycle.accept, o.petition, first, today=TODAY)
    assert "不予受理" in refused(o, lifecycle.assign, o.petition, second, unit_id=o.units["财政局"], due=DUE,
                                task="核实", today=TODAY)
    for call, kwargs in [
        (lifecycle.extend, {"days": 10, "reason": "情况复杂"}),
        (lifecycle.urge_unit, {}),
        (lifecycle.write_reply, {"findings": "x", "decision": "支持", "basis": "y"}),
    ]:
        assert "办结" in refused(o, call, o.director if call is lifecycle.extend else o.petition, first,
                                today=TODAY, **kwargs)


def test_a_stale_version_is_a_conflict(o: Office) -> None:
    pid = new_petition(o)
    old = info(o, pid).version
    o.run(records.update_petition, o.petition, pid, records.PetitionInput(
        channel="来访", received_on=date(2026, 11, 2), name="王建国", request=REQUEST, category="商品房两证办理",
        place="城关镇", phone="13812345678"), today=TODAY)
    refused(o, lifecycle.accept, o.petition, pid, expected_version=old, today=TODAY, error=ConflictError)
    done = o.run(lifecycle.accept, o.petition, pid, expected_version=info(o, pid).version, today=TODAY)
    refused(o, lifecycle.write_reply, o.petition, pid, findings="x", decision="支持", basis="y",
            expected_version=done.version - 1, today=TODAY, error=ConflictError)


def test_a_case_handed_over_is_moved_by_its_new_responsible_person_only(o: Office) -> None:
    from app.services.workflow import responsibility

    pid = new_petition(o)
    o.run(responsibility.hand_over, o.petition, info(o, pid).instance_id, to_user_id=o.petition2.id,
          reason="休假")
    refused(o, lifecycle.accept, o.petition, pid, today=TODAY)
    assert o.run(lifecycle.accept, o.petition2, pid, today=TODAY).state == "handle"


# ----- limits across holidays ----------------------------------------------------------------------------


def test_the_acceptance_limit_of_a_case_received_before_national_day_ends_after_it(o: Office) -> None:
    pid = new_petition(o, today=date(2026, 9, 25), received_on=date(2026, 9, 25))
    acceptance = next(v for v in o.run(clocks.clock_readings, o.petition, info(o, pid).instance_id,
                                       date(2026, 9, 25)) if v.clock.key == "acceptance")
    # 15 days from 25 September: 10 October, the Saturday worked after the 国庆 holiday.
    assert acceptance.reading.due is not None and acceptance.reading.due.date == date(2026, 10, 10)


def _due(o: Office, pid: int, on: date, clock: str) -> date:
    view = next(v for v in o.run(clocks.clock_readings, o.petition, info(o, pid).instance_id, on)
                if v.clock.key == clock)
    assert view.reading.due is not None and not view.reading.due.provisional
    return view.reading.due.date  # type: ignore[no-any-return]


def test_the_handling_limit_and_its_extension_end_after_the_spring_festival(o: Office) -> None:
    on = date(2025, 12, 20)
    pid = accepted(o, on, received_on=date(2025, 12, 15))
    # 60 days from 20 December 2025 is 18 February 2026, in the 春节 holiday: the first working day after it.
    assert _due(o, pid, on, "handling") == date(2026, 2, 24)
    o.run(lifecycle.extend, o.director, pid, days=10, reason="需要等待鉴定结论", today=on)
    # 70 days: 28 February 2026, a Saturday worked in exchange for the holiday.
    assert _due(o, pid, on, "handling") == date(2026, 2, 28)


def test_a_review_request_counts_thirty_days_from_the_reply_across_the_spring_festival(o: Office) -> None:
    on = date(2026, 1, 15)
    pid = accepted(o, on, received_on=date(2026, 1, 5))
    write(o, pid, today=on)
    o.run(lifecycle.submit, o.petition, pid, today=on)
    assert o.run(lifecycle.sign, o.deputy, pid, today=on).replied_on == on
    late = date(2026, 2, 15)
    assert "2026年2月14日" in refused(o, lifecycle.open_review, o.petition, pid, requested_on=late, request="请求复查",
                                     today=late, error=ValidationError)
    review = o.run(lifecycle.open_review, o.petition, pid, requested_on=date(2026, 2, 14), request="请求复查",
                   today=late)
    assert (review.stage_label, review.received_on) == ("复查", date(2026, 2, 14))
    # A 复查 is decided within 30 days of the request.
    assert _due(o, review.id, late, "decision") == date(2026, 3, 16)


def test_an_objection_counts_five_working_days_across_national_day(o: Office) -> None:
    on = date(2026, 9, 29)
    first = assigned(o, on, due=date(2026, 11, 20), received_on=date(2026, 9, 25))
    second = assigned(o, on, due=date(2026, 11, 20), received_on=date(2026, 9, 25), name="赵六", id_number="",
                      phone="13700001111", request="反映教育局下属学校收费问题，请依法查处")
    assert o.run(lifecycle.assignment_of, o.liaison_fin, first, today=on).objection_deadline == date(2026, 10, 12)
    message = refused(o, lifecycle.object_to_assignment, o.liaison_fin, second, reason="应由住建局办理",
                      today=date(2026, 10, 13), error=ValidationError)
    assert "2026年10月12日" in message
    made = o.run(lifecycle.object_to_assignment, o.liaison_fin, first, reason="应由住建局办理",
                 today=date(2026, 10, 12))
    assert (made.unit_name, made.outcome, made.outcome_label) == ("县财政局", "", "待答复")


# ----- 异议 -----------------------------------------------------------------------------------------------


def test_only_the_assigned_units_liaison_objects_once(o: Office) -> None:
    pid = assigned(o)
    for who in ROLES:
        if who != "liaison_fin":
            refused(o, lifecycle.object_to_assignment, o.people[who], pid, reason="不属本单位职责", today=TODAY)
    refused(o, lifecycle.object_to_assignment, o.liaison_fin, pid, reason=" ", today=TODAY, error=ValidationError)
    o.run(lifecycle.object_to_assignment, o.liaison_fin, pid, reason="不属本单位职责", today=TODAY)
    assert "重复" in refused(o, lifecycle.object_to_assignment, o.liaison_fin, pid, reason="再议", today=TODAY,
                             error=ValidationError)
    assert [x.reason for x in o.run(lifecycle.objections_of, o.liaison_fin, pid)] == ["不属本单位职责"]


def test_an_upheld_objection_moves_the_case_to_another_unit(o: Office) -> None:
    pid = assigned(o)
    objection = o.run(lifecycle.object_to_assignment, o.liaison_fin, pid, reason="属教育局职责", today=TODAY)
    for who in ROLES:
        if who not in ("petition", "director", "deputy"):
            refused(o, lifecycle.answer_objection, o.people[who], objection.id, uphold=True, answer="同意",
                    new_unit_id=o.units["教育局"], today=TODAY)
    refused(o, lifecycle.answer_objection, o.petition, objection.id, uphold=True, answer="同意",
            new_unit_id=o.units["财政局"], today=TODAY, error=ValidationError)
    refused(o, lifecycle.answer_objection, o.petition, objection.id, uphold=True, answer="同意",
            new_unit_id=o.units["教育局"], due=date(2027, 2, 1), today=TODAY, error=ValidationError)
    done = o.run(lifecycle.answer_objection, o.deputy, objection.id, uphold=True, answer="同意改由教育局办理",
                 new_unit_id=o.units["教育局"], today=TODAY)
    assert done.handling_unit_name == "县教育局"
    items = o.run(parallel.work_items_of, o.director, done.instance_id).items
    assert [(i.holder, i.state, i.due_date) for i in items] == [("县财政局", "recalled", DUE),
                                                               ("县教育局", "sent", DUE)]
    refused(o, records.get_petition, o.liaison_fin, pid)
    assert o.run(lifecycle.assignment_of, o.liaison_edu, pid, today=TODAY).unit_name == "县教育局"
    answered = o.run(lifecycle.objections_of, o.director, pid)[0]
    assert (answered.outcome, answered.answered_by_name) == ("upheld", "李副主任")
    assert "已经答复" in refused(o, lifecycle.answer_objection, o.petition, objection.id, uphold=False, answer="x",
                                today=TODAY, error=ValidationError)


def test_the_unit_the_case_moved_to_may_object_to_its_own_assignment_once(o: Office) -> None:
    pid = assigned(o)
    first = o.run(lifecycle.object_to_assignment, o.liaison_fin, pid, reason="属教育局职责", today=TODAY)
    o.run(lifecycle.answer_objection, o.petition, first.id, uphold=True, answer="改由教育局办理",
          new_unit_id=o.units["教育局"], today=TODAY)
    refused(o, lifecycle.object_to_assignment, o.liaison_fin, pid, reason="再议", today=TODAY)
    moved = o.run(lifecycle.assignment_of, o.liaison_edu, pid, today=TODAY)
    assert (moved.assigned_on, moved.objection_deadline, moved.may_object) == (TODAY, date(2026, 12, 4), True)
    o.run(lifecycle.object_to_assignment, o.liaison_edu, pid, reason="属住建局职责", today=TODAY)
    assert not o.run(lifecycle.assignment_of, o.liaison_edu, pid, today=TODAY).may_object
    refused(o, lifecycle.object_to_assignment, o.liaison_edu, pid, reason="再议", today=TODAY, error=ValidationError)
    assert [x.unit_name for x in o.run(lifecycle.objections_of, o.director, pid)] == ["县财政局", "县教育局"]
    # Each unit's 联络员 reads their own unit's objections only.
    assert [x.unit_name for x in o.run(lifecycle.objections_of, o.liaison_edu, pid)] == ["县教育局"]


def test_the_new_units_five_working_days_count_from_the_answer(o: Office) -> None:
    pid = assigned(o)
    first = o.run(lifecycle.object_to_assignment, o.liaison_fin, pid, reason="属教育局职责", today=TODAY)
    answered = date(2026, 12, 1)
    o.run(lifecycle.answer_objection, o.petition, first.id, uphold=True, answer="改由教育局办理",
          new_unit_id=o.units["教育局"], today=answered)
    assert o.run(lifecycle.objections_of, o.director, pid)[0].answered_on == answered
    # Tuesday 12-01 and five working days on: 12-08 (a Tuesday), whatever day the task row was written.
    moved = o.run(lifecycle.assignment_of, o.liaison_edu, pid, today=date(2026, 12, 8))
    assert (moved.assigned_on, moved.objection_deadline, moved.may_object) == (answered, date(2026, 12, 8), True)
    refused(o, lifecycle.object_to_assignment, o.liaison_edu, pid, reason="属住建局职责", today=date(2026, 12, 9),
            error=ValidationError)


def test_a_rejected_objection_leaves_the_case_with_the_unit(o: Office) -> None:
    pid = assigned(o)
    objection = o.run(lifecycle.object_to_assignment, o.liaison_fin, pid, reason="不属本单位", today=TODAY)
    refused(o, lifecycle.answer_objection, o.petition, objection.id, uphold=False, answer="", today=TODAY,
            error=ValidationError)
    refused(o, lifecycle.answer_objection, o.petition, objection.id, uphold=False, answer="属财政职责",
            new_unit_id=o.units["教育局"], today=TODAY, error=ValidationError)
    done = o.run(lifecycle.answer_objection, o.petition, objection.id, uphold=False, answer="属财政职责",
                 today=TODAY)
    assert done.handling_unit_name == "县财政局" and unit_task(o, pid).state == "sent"
    assert o.run(lifecycle.objections_of, o.liaison_fin, pid)[0].outcome_label == "异议不成立，仍由本单位承办"


# ----- 延期 -----------------------------------------------------------------------------------------------


def test_a_leader_extends_the_handling_limit_once_by_at_most_thirty_days(o: Office) -> None:
    pid = accepted(o)
    for who in ROLES:
        if who not in ("director", "deputy"):
            refused(o, lifecycle.extend, o.people[who], pid, days=10, reason="情况复杂", today=TODAY)
    for days in (0, 31, -1):
        refused(o, lifecycle.extend, o.director, pid, days=days, reason="情况复杂", today=TODAY,
                error=ValidationError)
    refused(o, lifecycle.extend, o.director, pid, days=10, reason=" ", today=TODAY, error=ValidationError)
    refused(o, lifecycle.extend, o.director, new_petition(o), days=10, reason="情况复杂", today=TODAY)
    o.run(lifecycle.extend, o.deputy, pid, days=30, reason="涉及多个部门，需联合调查", today=TODAY)
    handling = next(v for v in o.run(clocks.clock_readings, o.petition, info(o, pid).instance_id, TODAY)
                    if v.clock.key == "handling")
    assert handling.reading.extended_by == 30 and handling.reading.extension_reason == "涉及多个部门，需联合调查"
    assert handling.reading.due is not None and handling.reading.due.date == date(2027, 2, 25)
    refused(o, lifecycle.extend, o.director, pid, days=5, reason="再延", today=TODAY)


# ----- 处理意见书, 报送审核, 审核 ----------------------------------------------------------------------------


def test_the_reply_is_written_by_the_responsible_person_with_a_known_decision(o: Office) -> None:
    pid = assigned(o)
    for who in ROLES:
        if who != "petition":
            refused(o, lifecycle.write_reply, o.people[who], pid, findings="查明", decision="支持", basis="依据",
                    today=TODAY)
    for bad in ({"decision": "同意"}, {"findings": ""}, {"basis": " "}):
        values = {"findings": "查明", "decision": "支持", "basis": "依据", **bad}
        refused(o, lifecycle.write_reply, o.petition, pid, today=TODAY, error=ValidationError, **values)
    done = o.run(lifecycle.write_reply, o.petition, pid, findings="查明属实", decision="解释说明", basis="条例",
                 today=TODAY)
    assert (done.findings, done.decision, done.decision_basis) == ("查明属实", "解释说明", "条例")


def test_submit_waits_for_the_reply_and_the_units_report(o: Office) -> None:
    pid = assigned(o)
    assert "处理意见书" in refused(o, lifecycle.submit, o.petition, pid, today=TODAY, error=ValidationError)
    write(o, pid)
    assert "尚未报送办理情况" in refused(o, lifecycle.submit, o.petition, pid, today=TODAY)
    # The 催办 reaches the unit's 联络员 on the 工作台.
    for who in ("petition2", "clerk", "mayor", "liaison_fin", "liaison_edu", "finance"):
        refused(o, lifecycle.urge_unit, o.people[who], pid, note="请抓紧", today=TODAY)
    o.run(lifecycle.urge_unit, o.director, pid, today=TODAY)
    o.run(lifecycle.urge_unit, o.petition, pid, note="请于本周内报送", today=TODAY)
    mine = [i for i in o.run(todo.todo, o.liaison_fin, TODAY).items if i.info.entity_id == pid]
    assert len(mine) == 1 and mine[0].urge is not None and "请于本周内报送" in mine[0].urge.note
    assert o.run(todo.todo, o.liaison_fin, TODAY, view="urged").counts.urged >= 1
    o.run(parallel.report_work_item, o.liaison_fin, unit_task(o, pid).id, "已督促开发商办证")
    assert "已报送" in refused(o, lifecycle.urge_unit, o.petition, pid, today=TODAY)
    assert o.run(lifecycle.assignment_of, o.petition, pid, today=TODAY).report == "已督促开发商办证"
    for who in ROLES:
        if who != "petition":
            refused(o, lifecycle.submit, o.people[who], pid, today=TODAY)
    done = o.run(lifecycle.submit, o.petition, pid, opinion="请审核", today=TODAY)
    assert (done.state_label, unit_task(o, pid).state) == ("审核", "done")


def test_a_leader_signs_or_returns_the_reply(o: Office) -> None:
    pid = in_review(o)
    for who in ROLES:
        if who not in ("director", "deputy"):
            refused(o, lifecycle.sign, o.people[who], pid, today=TODAY)
            refused(o, lifecycle.return_reply, o.people[who], pid, opinion="补充依据", today=TODAY)
    refused(o, lifecycle.return_reply, o.director, pid, opinion=" ", today=TODAY, error=(ValidationError, WorkflowError))
    back = o.run(lifecycle.return_reply, o.director, pid, opinion="补充依据", today=TODAY)
    assert back.state_label == "办理"
    write(o, pid)
    o.run(lifecycle.submit, o.petition, pid, today=TODAY)
    signed = o.run(lifecycle.sign, o.deputy, pid, opinion="同意", today=TODAY)
    assert (signed.state_label, signed.replied_on) == ("已答复", TODAY)


# ----- 回访 and 办结 ---------------------------------------------------------------------------------------


def test_a_satisfied_visit_then_conclusion(o: Office) -> None:
    pid = replied(o)
    for who in ROLES:
        if who != "petition":
            refused(o, lifecycle.record_visit, o.people[who], pid, visited_on=TODAY, method="电话回访",
                    satisfaction="满意", today=TODAY)
            refused(o, lifecycle.conclude, o.people[who], pid, today=TODAY)
    for bad in ({"method": "微信回访"}, {"satisfaction": "很好"}, {"visited_on": TODAY + timedelta(days=1)},
                {"action": "reopen", "reason": "x"}, {"leader_id": o.director.id}):
        values = {"visited_on": TODAY, "method": "电话回访", "satisfaction": "基本满意", **bad}
        refused(o, lifecycle.record_visit, o.petition, pid, today=TODAY, error=ValidationError, **values)
    satisfied(o, pid)
    assert [(v.method, v.satisfaction, v.by_name) for v in o.run(lifecycle.visits_of, o.mayor, pid)] == [
        ("电话回访", "满意", "孙接待")]
    done = o.run(lifecycle.conclude, o.petition, pid, today=TODAY)
    assert (done.state_label, done.closed, done.concluded_on) == ("已办结", True, TODAY)


def test_an_unsatisfied_visit_reopens_the_case(o: Office) -> None:
    pid = replied(o)
    refused(o, lifecycle.record_visit, o.petition, pid, visited_on=TODAY, method="上门回访", satisfaction="不满意",
            today=TODAY, error=ValidationError)
    refused(o, lifecycle.record_visit, o.petition, pid, visited_on=TODAY, method="上门回访", satisfaction="不满意",
            action="reopen", today=TODAY, error=ValidationError)
    done = o.run(lifecycle.record_visit, o.petition, pid, visited_on=TODAY, method="上门回访", satisfaction="不满意",
                 action="reopen", reason="开发商仍未提交材料", today=TODAY)
    assert (done.state_label, done.responsible_name) == ("办理", "孙接待")
    visit = o.run(lifecycle.visits_of, o.petition, pid)[0]
    assert (visit.action_label, visit.reason) == ("重新办理", "开发商仍未提交材料")


def test_an_unsatisfied_visit_escalates_to_a_leader_who_answers_for_it(o: Office) -> None:
    pid = replied(o)
    refused(o, lifecycle.record_visit, o.petition, pid, visited_on=TODAY, method="上门回访", satisfaction="不满意",
            action="escalate", reason="多次反映未果", leader_id=o.clerk.id, today=TODAY, error=ValidationError)
    done = o.run(lifecycle.record_visit, o.petition, pid, visited_on=TODAY, method="上门回访", satisfaction="不满意",
                 action="escalate", reason="多次反映未果", leader_id=o.director.id, today=TODAY)
    assert (done.state_label, done.responsible_name) == ("办理", "王主任")
    # From now on the leader moves it; the former handler no longer does.
    refused(o, lifecycle.write_reply, o.petition, pid, findings="x", decision="支持", basis="y", today=TODAY)
    write(o, pid, by="director")
    assert o.run(lifecycle.submit, o.director, pid, today=TODAY).state_label == "审核"


# ----- 复查, 复核, and the request after 复核 -------------------------------------------------------------


def test_a_review_is_asked_for_within_thirty_days_of_the_reply(o: Office) -> None:
    pid = replied(o)
    for who in ("clerk", "mayor", "liaison_fin", "liaison_edu", "finance"):
        refused(o, lifecycle.open_review, o.people[who], pid, requested_on=TODAY, request="请求复查", today=TODAY)
    late = date(2026, 12, 29)
    message = refused(o, lifecycle.open_review, o.petition, pid, requested_on=late, request="请求复查", today=late,
                      error=ValidationError)
    assert "2026年12月28日" in message
    refused(o, lifecycle.open_review, o.petition, assigned(o), requested_on=TODAY, request="请求复查", today=TODAY)
    review = o.run(lifecycle.open_review, o.petition2, pid, requested_on=date(2026, 12, 28),
                   request="对处理意见不服，请求复查", today=date(2026, 12, 28))
    assert (review.stage, review.number, review.reviews_number, review.received_on, review.request) == (
        "review", "复查〔2026〕1号", info(o, pid).number, date(2026, 12, 28), "对处理意见不服，请求复查")
    assert (review.name, review.state_label, review.responsible_name, review.handling_unit_name) == (
        "王建国", "受理申请", "周接待", "县财政局")
    refused(o, lifecycle.open_review, o.petition, pid, requested_on=date(2026, 12, 28), request="再次请求",
            today=date(2026, 12, 28), error=ValidationError)
    # The 复查 is answered for by whoever opened it (首问负责): only they accept it.
    on = date(2026, 12, 28)
    for who in ROLES:
        if who != "petition2":
            refused(o, lifecycle.accept, o.people[who], review.id, today=on)
    assert o.run(lifecycle.accept, o.petition2, review.id, today=on).state_label == "审查办理"


def _through_review(o: Office, pid: int, by: str, on: date) -> int:
    """A 复查 (or 复核) of ``pid`` opened, accepted, answered, signed and concluded on ``on``."""
    review = o.run(lifecycle.open_review, o.people[by], pid, requested_on=on, request="不服，请求复查", today=on).id
    who = o.people[by]
    o.run(lifecycle.accept, who, review, today=on)
    write(o, review, by=by, today=on)
    o.run(lifecycle.submit, who, review, today=on)
    o.run(lifecycle.sign, o.director, review, today=on)
    o.run(lifecycle.conclude, who, review, today=on)
    return review


def test_review_then_re_review_then_the_same_request_is_not_accepted_again(o: Office) -> None:
    pid = concluded(o)
    review = _through_review(o, pid, "petition", date(2026, 12, 1))
    # A review has no 交办: the 复查复核 flow has no such step.
    refused(o, lifecycle.assign, o.petition, review, unit_id=o.units["财政局"], due=DUE, task="x",
                   today=date(2026, 12, 1))
    re_review = _through_review(o, review, "petition", date(2026, 12, 10))
    final = info(o, re_review)
    assert (final.stage_label, final.number, final.closed) == ("复核", "复核〔2026〕1号", True)
    assert "终局" in refused(o, lifecycle.open_review, o.petition, re_review, requested_on=date(2026, 12, 10),
                             request="请求再次复核", today=date(2026, 12, 10))
    # The same request registered again is a repeat of a matter concluded after 复核: only 不予受理 remains.
    again = register(o, today=date(2026, 12, 11), received_on=date(2026, 12, 11)).petition
    assert again.is_repeat
    message = refused(o, lifecycle.accept, o.petition, again.id, today=date(2026, 12, 11))
    assert "该诉求已经复核终结" in message and info(o, pid).number in message
    refused(o, lifecycle.assign, o.petition, again.id, unit_id=o.units["财政局"], due=DUE, task="核实",
            today=date(2026, 12, 11))
    refused(o, lifecycle.forward, o.petition, again.id, to="市信访局", reason="请上级处理", today=date(2026, 12, 11))
    assert o.run(lifecycle.reject, o.petition, again.id, reason="已复核终结", today=date(2026, 12, 11)).closed


# ----- the 工作台 -----------------------------------------------------------------------------------------


def test_a_case_near_its_acceptance_limit_is_on_its_responsible_persons_desk(o: Office) -> None:
    pid = new_petition(o, received_on=date(2026, 11, 13))
    mine = [i for i in o.run(todo.todo, o.petition, TODAY).items if i.info.entity_id == pid]
    assert len(mine) == 1 and mine[0].due_soon and mine[0].due_date == date(2026, 11, 30)
    assert not [i for i in o.run(todo.todo, o.petition2, TODAY).items if i.info.entity_id == pid]
    assert not [i for i in o.run(todo.todo, o.liaison_fin, TODAY).items if i.info.entity_id == pid]


def test_an_unsatisfied_case_is_raised_to_one_of_the_offices_leaders_only(o: Office) -> None:
    pid = assigned(o)
    assert o.run(visits.leader_choices, o.petition, pid) == [(o.deputy.id, "李副主任"), (o.director.id, "王主任")]
