"""Parallel work items (app.services.workflow.parallel): sent at a record's step to units or people, each with
its task, deadline, feedback and state; a move that waits for all of them, or for the 主办, is refused naming
who has not finished. On the test flow stored as an edited flow, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.services.workflow import detail, moves, parallel
from tests.helpers.document_office import TODAY, Office, counts
from tests.helpers.record_features_flow import build, item_at_handle, move, start_item

DUE = date(2026, 12, 11)
LATER = DUE + timedelta(days=1)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx)


def _send(o: Office, item: int, who: str = "clerk") -> list[parallel.WorkItem]:
    return o.run(parallel.send_work_items, o.people[who], item, [
        parallel.WorkItemInput("牵头制定停车场建设方案", unit_id=o.units["财政局"], due=DUE, lead=True),
        parallel.WorkItemInput("配合做好学校周边停车规划", unit_id=o.units["教育局"], due=DUE),
    ], TODAY)


def _actions(o: Office, who: str, item: int) -> list[str]:
    return [a.action for a in o.run(detail.instance_detail, o.people[who], item).actions]


def test_items_are_sent_at_the_step_and_the_move_waits_for_them(office: Office) -> None:
    item = item_at_handle(office, unit="财政局")
    before = counts(office.ctx)
    lead, assist = _send(office, item)
    assert counts(office.ctx)[1:] == (before[1] + 1, before[2] + 1)
    assert (lead.holder, lead.lead, lead.step_key, lead.state_label, lead.due_date) == ("县财政局", True, "handle",
                                                                                       "办理中", DUE)
    assert (assist.holder, assist.lead) == ("县教育局", False)
    assert _actions(office, "director", item) == []
    with pytest.raises(WorkflowError) as refused:
        move(office, "clerk", item, "report_done")
    assert refused.value.message == "暂不能报请审核：县财政局、县教育局尚未办结"
    with pytest.raises(WorkflowError) as refused:
        move(office, "director", item, "lead_done")
    assert refused.value.message == "暂不能主办办结报审：主办单位县财政局尚未办结"
    assert counts(office.ctx)[0] == before[0]


def test_the_lead_done_lets_the_lead_move_go_and_all_done_every_move(office: Office) -> None:
    item = item_at_handle(office, unit="财政局")
    lead, assist = _send(office, item)
    reported = office.run(parallel.report_work_item, office.liaison_fin, lead.id, "  方案已报县政府常务会议审定。")
    assert (reported.state, reported.feedback) == ("reported", "方案已报县政府常务会议审定。")
    # Reported is not done: the office finishes it.
    with pytest.raises(WorkflowError, match="主办单位县财政局尚未办结"):
        move(office, "director", item, "lead_done")
    done = office.run(parallel.finish_work_item, office.clerk, lead.id)
    assert (done.state, done.state_label, done.done_by_name) == ("done", "已办结", "张文秘")
    assert _actions(office, "director", item) == ["lead_done"]
    with pytest.raises(WorkflowError, match="暂不能报请审核：县教育局尚未办结"):
        move(office, "clerk", item, "report_done")
    office.run(parallel.report_work_item, office.liaison_edu, assist.id, "规划已完成。")
    office.run(parallel.finish_work_item, office.director, assist.id)
    assert _actions(office, "director", item) == ["report_done", "lead_done"]
    assert move(office, "clerk", item, "report_done").state == "review"


@pytest.mark.parametrize("who", ["clerk2", "director", "liaison_edu", "mayor"])
def test_only_the_holder_reports(office: Office, who: str) -> None:
    item = item_at_handle(office, unit="财政局")
    lead, _ = _send(office, item)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="只有县财政局的部门联络员可以反馈这项任务"):
        office.run(parallel.report_work_item, office.people[who], lead.id, "已办")
    assert counts(office.ctx) == before


def test_an_item_for_a_person_is_reported_by_that_person(office: Office) -> None:
    item = item_at_handle(office)
    [mine] = office.run(parallel.send_work_items, office.clerk, item,
                        [parallel.WorkItemInput("起草督办通报", user_id=office.clerk2.id)], TODAY)
    assert mine.holder == "赵文秘"
    with pytest.raises(PermissionDenied, match="只有赵文秘可以反馈"):
        office.run(parallel.report_work_item, office.clerk, mine.id, "已起草")
    office.run(parallel.report_work_item, office.clerk2, mine.id, "已起草")


@pytest.mark.parametrize("who", ["petition", "finance", "mayor", "liaison_fin"])
def test_nobody_but_the_steps_handlers_and_the_responsible_person_sends_or_finishes(office: Office, who: str) -> None:
    item = item_at_handle(office, unit="财政局")
    lead, _ = _send(office, item)
    office.run(parallel.report_work_item, office.liaison_fin, lead.id, "已办")
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="只有本事项的责任人或“承办”环节的办理人可以分派和办结并行事项"):
        office.run(parallel.send_work_items, office.people[who], item,
                   [parallel.WorkItemInput("任务", unit_id=office.units["城关镇"])], TODAY)
    with pytest.raises(PermissionDenied, match="分派和办结"):
        office.run(parallel.finish_work_item, office.people[who], lead.id)
    assert counts(office.ctx) == before
    shown = office.run(parallel.work_items_of, office.people[who], item)
    assert not shown.may_coordinate and len(shown.items) == 2


@pytest.mark.parametrize(("items", "words"), [
    ([], "请至少添加一个承办单位或人员"),
    ([parallel.WorkItemInput("任务")], "第1项请指定一个承办单位或一名人员"),
    ([parallel.WorkItemInput("任务", unit_id=-1)], "第1项的承办单位不存在"),
    ([parallel.WorkItemInput(" ", unit_id=-1)], "第1项请填写办理任务"),
    ([parallel.WorkItemInput("任务", user_id=-1)], "第1项的承办人员已停用或不存在"),
    ([parallel.WorkItemInput("任务", user_id=-1, due=TODAY - timedelta(days=1))], "办理期限不能早于今天"),
])
def test_a_bad_sending_is_refused_whole(office: Office, items: list[parallel.WorkItemInput], words: str) -> None:
    item = item_at_handle(office)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=words):
        office.run(parallel.send_work_items, office.clerk, item, items, TODAY)
    assert counts(office.ctx) == before
    assert office.run(parallel.work_items_of, office.clerk, item).items == []


def test_one_lead_per_step_and_one_open_item_per_holder(office: Office) -> None:
    item = item_at_handle(office)
    _send(office, item)
    with pytest.raises(ValidationError, match="只能有一个主办单位"):
        office.run(parallel.send_work_items, office.clerk, item,
                   [parallel.WorkItemInput("又一个主办", unit_id=office.units["城关镇"], lead=True)], TODAY)
    with pytest.raises(ValidationError, match="第2项的承办单位或人员在本环节已有未办结的事项"):
        office.run(parallel.send_work_items, office.clerk, item, [
            parallel.WorkItemInput("镇里配合", unit_id=office.units["城关镇"]),
            parallel.WorkItemInput("再次分派", unit_id=office.units["教育局"]),
        ], TODAY)
    assert len(office.run(parallel.work_items_of, office.clerk, item).items) == 2


def test_an_item_not_reported_or_already_done_is_not_finished(office: Office) -> None:
    item = item_at_handle(office)
    lead, _ = _send(office, item)
    with pytest.raises(WorkflowError, match="县财政局尚未反馈办理情况，不能办结"):
        office.run(parallel.finish_work_item, office.clerk, lead.id)
    with pytest.raises(ValidationError, match="请填写办理情况"):
        office.run(parallel.report_work_item, office.liaison_fin, lead.id, "  ")
    office.run(parallel.report_work_item, office.liaison_fin, lead.id, "已办")
    office.run(parallel.finish_work_item, office.clerk, lead.id)
    with pytest.raises(WorkflowError, match="已经办结"):
        office.run(parallel.finish_work_item, office.clerk, lead.id)
    with pytest.raises(WorkflowError, match="已办结，不能再反馈"):
        office.run(parallel.report_work_item, office.liaison_fin, lead.id, "补充")


def test_a_holder_who_may_not_see_the_record_sees_their_own_item_only(office: Office) -> None:
    item = item_at_handle(office, unit="财政局")
    _send(office, item)
    shown = office.run(parallel.work_items_of, office.liaison_edu, item)
    assert [i.holder for i in shown.items] == ["县教育局"] and not shown.may_coordinate
    other = start_item(office, "另一件", "城关镇")
    with pytest.raises(PermissionDenied):
        office.run(parallel.work_items_of, office.liaison_edu, other)


def test_the_workbench_lists_what_waits_on_each_person(office: Office) -> None:
    item = item_at_handle(office, title="推进停车场建设", unit="财政局")
    lead, _ = _send(office, item)
    [waiting] = office.run(parallel.pending_work_items, office.liaison_fin, TODAY)
    assert (waiting.title, waiting.item.task, waiting.waiting_for, waiting.overdue) == (
        "推进停车场建设", "牵头制定停车场建设方案", "report", False)
    assert office.run(parallel.pending_work_items, office.liaison_fin, LATER)[0].overdue
    assert office.run(parallel.pending_work_items, office.clerk, TODAY) == []
    office.run(parallel.report_work_item, office.liaison_fin, lead.id, "已办")
    assert office.run(parallel.pending_work_items, office.liaison_fin, TODAY) == []
    # The responsible person is to finish what was reported.
    [to_finish] = office.run(parallel.pending_work_items, office.clerk, TODAY)
    assert (to_finish.item.id, to_finish.waiting_for) == (lead.id, "finish")
    assert office.run(parallel.pending_work_items, office.director, TODAY) == []


def test_a_closed_record_takes_no_more_items(office: Office) -> None:
    item = item_at_handle(office)
    move(office, "director", item, "lead_done")
    move(office, "director", item, "approve")
    with pytest.raises(WorkflowError, match="已办结，不能再分派并行事项"):
        office.run(parallel.send_work_items, office.clerk, item,
                   [parallel.WorkItemInput("任务", unit_id=office.units["城关镇"])], TODAY)
    with office.ctx.uow() as uow:
        assert moves.get_instance(uow, item).closed
