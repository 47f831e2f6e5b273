"""Any flow's work items (app.services.workflow.parallel, kind "task") on their holder's 工作台: a unit's to its
联络员, a person's to them; due on their own date (due soon, overdue, counted so), hastened with their record, and
gone once reported. A delegate (代理) sees and reports the tasks of the person they act for, on their behalf. On the test flow stored as an edited flow, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.db.tables import workflow_instances
from app.services.workflow import delegation, parallel, todo, urges
from tests.helpers.document_office import TODAY, Office
from tests.helpers.record_features_flow import build, item_at_handle

DUE = date(2026, 12, 1)  # a Tuesday: three working days after TODAY (Friday 27 November)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx)


def _mine(o: Office, who: str, today: date = TODAY, **kwargs: object) -> todo.TodoList:
    with o.ctx.uow() as uow:
        return todo.todo(uow, o.people[who], today=today, **kwargs)  # type: ignore[arg-type]


def _tasks(result: todo.TodoList) -> list[tuple[str, date | None, bool, bool]]:
    return [(i.info.title, i.due_date, i.due_soon, i.overdue) for i in result.items if i.kind == todo.TASK]


def test_a_unit_s_task_and_a_person_s_task_wait_on_their_holders(office: Office) -> None:
    o = office
    item = item_at_handle(o, title="推进城区停车场建设", unit="财政局")
    lead, personal = o.run(parallel.send_work_items, o.clerk, item, [
        parallel.WorkItemInput("牵头制定停车场建设方案", unit_id=o.units["财政局"], due=DUE, lead=True),
        parallel.WorkItemInput("核对停车位数据", user_id=o.vice.id),
    ], TODAY)

    fin = _mine(o, "liaison_fin")
    assert _tasks(fin) == [("推进城区停车场建设", DUE, True, False)]
    # The counts: the record's flow holds the task, due soon, beside the unit's own report (单位汇报, due the next
    # working day: app.services.workflow.duties on the 工作台).
    assert [i.kind for i in fin.items if i.kind == todo.DUTY] == [todo.DUTY]
    assert fin.todo_by_flow == {"record_features_test": todo.Counts(total=2, overdue=0, soon=2, urged=0)}
    # The person named has theirs, with no date of its own; the other unit's liaison has none.
    assert _tasks(_mine(o, "vice")) == [("推进城区停车场建设", None, False, False)]
    assert _tasks(_mine(o, "liaison_edu")) == []

    # Past its date the task is overdue, in the counts and the overdue view.
    late = _mine(o, "liaison_fin", DUE + timedelta(days=1))
    assert _tasks(late) == [("推进城区停车场建设", DUE, False, True)]
    assert [i.kind for i in _mine(o, "liaison_fin", DUE + timedelta(days=1), view="overdue").items
            if i.kind == todo.TASK] == [todo.TASK]
    assert late.count_of("overdue") >= 1

    # A 催办 of the (urgent) record reaches the holder of its task.
    with o.ctx.uow() as uow:
        uow.execute(update(workflow_instances).where(workflow_instances.c.id == item).values(urgency="特急"))
        uow.commit()
        urges.urge(uow, o.director, item, "电话", "请抓紧报送方案", today=TODAY)
    urged = _mine(o, "liaison_fin", view="urged")
    (task,) = [i for i in urged.items if i.kind == todo.TASK]
    assert task.urge is not None and task.urge.note == "请抓紧报送方案"
    assert urged.count_of("urged") == 1

    # Reported, it asks nothing more of its holder.
    o.run(parallel.report_work_item, o.liaison_fin, lead.id, "方案已报县政府常务会议审定。")
    assert _tasks(_mine(o, "liaison_fin")) == []
    o.run(parallel.report_work_item, o.vice, personal.id, "已核对。")
    assert _tasks(_mine(o, "vice")) == []


def test_a_delegate_sees_and_reports_the_task_of_the_person_they_act_for(office: Office) -> None:
    o = office
    item = item_at_handle(o, title="推进城区停车场建设", unit="财政局")
    (task,) = o.run(parallel.send_work_items, o.clerk, item, [
        parallel.WorkItemInput("核对停车位数据", user_id=o.vice.id, due=DUE),
    ], TODAY)
    # Before any delegation the colleague may not report it.
    with pytest.raises(PermissionDenied, match="只有刘副县长可以反馈这项任务"):
        o.run(parallel.report_work_item, o.mayor, task.id, "已核对。", TODAY)
    o.run(delegation.delegate, o.vice, delegate_id=o.mayor.id, starts_on=TODAY, ends_on=TODAY + timedelta(days=7),
          reason="外出学习", today=TODAY)
    held = [i for i in _mine(o, "mayor").items if i.kind == todo.TASK]
    assert [(i.info.title, i.on_behalf_of, i.due_date) for i in held] == [("推进城区停车场建设", "刘副县长", DUE)]
    assert [i.task for i in o.run(parallel.work_items_of, o.mayor, item).items] == ["核对停车位数据"]

    reported = o.run(parallel.report_work_item, o.mayor, task.id, "已核对，数据无误。", TODAY)
    assert (reported.state, reported.reported_by_name, reported.on_behalf_of_name) == ("reported", "陈县长", "刘副县长")
    assert _tasks(_mine(o, "mayor")) == [] and _tasks(_mine(o, "vice")) == []
    # The holder's own report names nobody else.
    again = o.run(parallel.report_work_item, o.vice, task.id, "已核对。", TODAY)
    assert (again.reported_by_name, again.on_behalf_of_name) == ("刘副县长", "")
    # After the period the delegate may not.
    with pytest.raises(PermissionDenied):
        o.run(parallel.report_work_item, o.mayor, task.id, "再次反馈。", TODAY + timedelta(days=8))
