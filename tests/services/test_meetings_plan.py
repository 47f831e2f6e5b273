"""会议方案 (app.services.meetings.plan): the plan from its type's template, its tasks changed by the organizers,
ticked off by their owner, and each task on its owner's 工作台 (a "checklist" work item) until ticked off or the
meeting closed, overdue once its day has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.bootstrap import AppContext
from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.meetings.plan import PHASES, plan_template
from app.models.meetings import MeetingPlanTask
from app.services.meetings import lifecycle, plan
from app.services.workflow import parallel, todo
from tests.helpers.document_office import TODAY, Office, build_office, counts
from tests.helpers.meetings_office import ENDS, STARTS, add_rooms, new_meeting

ORGANIZERS = ["clerk", "clerk2", "director", "deputy"]
OTHERS = ["petition", "finance", "mayor", "liaison_fin", "admin"]


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _meeting(o: Office) -> int:
    return new_meeting(o, add_rooms(o)["第一会议室"])


def _second_meeting(o: Office) -> int:
    """Another meeting, in the second room, without a plan yet."""
    with o.ctx.uow() as uow:
        from sqlalchemy import select

        from app.models.meetings import MeetingRoom

        room = uow.session.execute(select(MeetingRoom.id).where(MeetingRoom.name == "第二会议室")).scalar_one()
    return new_meeting(o, room, title="教育工作会", meeting_type="工作会议")


def _todo(o: Office, who: str, today: date = TODAY) -> list[todo.TodoItem]:
    with o.ctx.uow() as uow:
        return [i for i in todo.todo(uow, o.people[who], today).items if i.kind == todo.TASK]


def test_a_plan_starts_from_its_types_template_with_each_task_due_before_or_after(office: Office) -> None:
    meeting = _meeting(office)
    made = office.run(plan.make_plan, office.clerk, meeting)
    template = plan_template("常务会议")
    assert [(t.phase, t.text) for t in made.tasks] == [(t.phase, t.text) for t in template]
    assert {t.owner_name for t in made.tasks} == {"张文秘"}
    first = made.tasks[0]
    assert first.text == "征集议题，报县长审定议题顺序"
    assert first.due_at == (STARTS.astimezone(UTC) - (STARTS - datetime(2026, 11, 26, 9, 0)))
    summary = next(t for t in made.tasks if t.text == "整理会议记录，起草会议纪要")
    assert summary.due_at == datetime(2026, 12, 3, 11, 30).astimezone(UTC)
    assert ENDS < datetime(2026, 12, 3, 11, 30)
    assert made.undone_by_phase == {p: sum(1 for t in template if t.phase == p) for p in PHASES}
    assert made.may_edit
    # Already has tasks: not again.
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match="会议方案已有任务"):
        office.run(plan.make_plan, office.clerk, meeting)
    assert counts(office.ctx) == before


@pytest.mark.parametrize("who", ORGANIZERS)
def test_the_organizers_make_and_change_the_plan(office: Office, who: str) -> None:
    meeting = _meeting(office)
    actor = office.people[who]
    made = office.run(plan.make_plan, actor, meeting, office.clerk2.id)
    assert {t.owner_name for t in made.tasks} == {"赵文秘"}
    added = office.run(plan.add_task, actor, meeting, "会场保障", "准备应急药箱", office.clerk.id,
                       datetime(2026, 12, 1, 8, 0))
    assert (added.phase, added.owner_name, added.done) == ("会场保障", "张文秘", False)
    changed = office.run(plan.update_task, actor, added.id, text="准备应急药箱和饮用水", owner_id=office.clerk2.id,
                         due_at=datetime(2026, 12, 1, 7, 30))
    assert (changed.text, changed.owner_name) == ("准备应急药箱和饮用水", "赵文秘")
    view = office.run(plan.remove_task, actor, added.id)
    assert added.id not in [t.id for t in view.tasks]


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_changes_the_plan(office: Office, who: str) -> None:
    meeting = _meeting(office)
    made = office.run(plan.make_plan, office.clerk, meeting)
    actor = office.people[who]
    other = _second_meeting(office)
    before = counts(office.ctx)
    task = made.tasks[0]
    for call in (
        lambda: office.run(plan.make_plan, actor, other),
        lambda: office.run(plan.add_task, actor, meeting, "会场保障", "准备应急药箱", office.clerk.id, datetime(2026, 12, 1, 8)),
        lambda: office.run(plan.update_task, actor, task.id, text="改", owner_id=office.clerk.id, due_at=task.due_at),
        lambda: office.run(plan.remove_task, actor, task.id),
        lambda: office.run(plan.set_done, actor, task.id, True),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert counts(office.ctx) == before
    assert office.run(plan.plan_of, office.mayor, meeting).may_edit is False


def test_bad_input_is_refused_saying_what_to_fix(office: Office) -> None:
    meeting = _meeting(office)
    before = counts(office.ctx)
    for args, message in (
        (("会前准备", "x", office.clerk.id, datetime(2026, 12, 1, 8)), "阶段只能是"),
        (("会场保障", "  ", office.clerk.id, datetime(2026, 12, 1, 8)), "请填写任务内容"),
        (("会场保障", "字" * 201, office.clerk.id, datetime(2026, 12, 1, 8)), "不能超过200个字"),
        (("会场保障", "准备茶水", None, datetime(2026, 12, 1, 8)), "请选择任务的责任人"),
        (("会场保障", "准备茶水", office.clerk.id, None), "请填写完成时间"),
        (("会场保障", "准备茶水", 99999, datetime(2026, 12, 1, 8)), "责任人已停用或不存在"),
    ):
        with pytest.raises(ValidationError, match=message):
            office.run(plan.add_task, office.clerk, meeting, *args)
    assert counts(office.ctx) == before


def test_a_task_stands_on_its_owners_workbench_until_ticked_off(office: Office) -> None:
    meeting = _meeting(office)
    task = office.run(plan.add_task, office.director, meeting, "会场保障", "准备应急药箱", office.clerk2.id,
                      datetime(2026, 11, 30, 17, 0))
    shown = _todo(office, "clerk2")
    assert len(shown) == 1 and shown[0].info.title == "县政府第12次常务会议"
    assert shown[0].task == "会场保障：准备应急药箱" and shown[0].info.title == "县政府第12次常务会议"
    assert (shown[0].due_date, shown[0].overdue) == (date(2026, 11, 30), False)
    assert _todo(office, "clerk") == []
    # Past its day it is overdue.
    late = _todo(office, "clerk2", date(2026, 12, 1))
    assert late[0].overdue
    view = office.run(plan.plan_of, office.clerk, meeting)
    assert view.tasks[0].late(datetime(2026, 12, 1, tzinfo=UTC))
    # Its owner moves: it moves with it.
    office.run(plan.update_task, office.clerk, task.id, text="准备应急药箱", owner_id=office.deputy.id,
               due_at=datetime(2026, 11, 30, 17, 0))
    assert _todo(office, "clerk2") == [] and len(_todo(office, "deputy")) == 1
    # Ticked off by its owner, it leaves; ticked open again, it is back.
    done = office.run(plan.set_done, office.deputy, task.id, True)
    assert (done.done, done.done_by_name, done.late(datetime(2027, 1, 1, tzinfo=UTC))) == (True, "李副主任", False)
    assert _todo(office, "deputy") == []
    office.run(plan.set_done, office.clerk, task.id, False)
    assert len(_todo(office, "deputy")) == 1
    with pytest.raises(ValidationError, match="尚未完成"):
        office.run(plan.set_done, office.clerk, task.id, False)
    # Removed, it leaves.
    office.run(plan.remove_task, office.clerk, task.id)
    assert _todo(office, "deputy") == []


def test_a_task_leaves_the_workbench_when_the_meeting_closes(office: Office) -> None:
    meeting = _meeting(office)
    office.run(plan.add_task, office.clerk, meeting, "会场保障", "准备应急药箱", office.clerk2.id,
               datetime(2026, 11, 30, 17, 0))
    assert len(_todo(office, "clerk2")) == 1
    office.run(lifecycle.cancel_meeting, office.director, meeting, "县长临时外出", today=TODAY)
    assert _todo(office, "clerk2") == []
    task = office.run(plan.plan_of, office.clerk, meeting).tasks[0]
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match="已取消"):
        office.run(plan.set_done, office.clerk2, task.id, True)
    assert counts(office.ctx) == before
    assert office.run(plan.plan_of, office.clerk, meeting).may_edit is False


def test_an_owner_outside_the_office_ticks_their_own_task_only(office: Office) -> None:
    meeting = _meeting(office)
    mine = office.run(plan.add_task, office.clerk, meeting, "会场保障", "安排安保人员", office.liaison_edu.id,
                      datetime(2026, 11, 30, 17, 0))
    other = office.run(plan.add_task, office.clerk, meeting, "会场保障", "准备茶水", office.clerk2.id,
                       datetime(2026, 11, 30, 17, 0))
    assert office.run(plan.set_done, office.liaison_edu, mine.id, True).done
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(plan.set_done, office.liaison_edu, other.id, True)
    assert counts(office.ctx) == before


def test_the_engine_ticks_a_checklist_item_for_its_holder_or_the_coordinator_only(office: Office) -> None:
    meeting = _meeting(office)
    task = office.run(plan.add_task, office.clerk, meeting, "会场保障", "准备应急药箱", office.liaison_edu.id,
                      datetime(2026, 11, 30, 17, 0))
    with office.ctx.uow() as uow:
        item_id = uow.session.get(MeetingPlanTask, task.id).work_item_id
    before = counts(office.ctx)
    for who in ("liaison_fin", "mayor", "petition"):
        with pytest.raises(PermissionDenied, match="郑联络本人"):
            office.run(parallel.tick_checklist_item, office.people[who], item_id, True)
    with pytest.raises(PermissionDenied):
        office.run(parallel.update_checklist_item, office.liaison_edu, item_id, user_id=office.clerk.id, task="x",
                   due=date(2026, 12, 1))
    assert counts(office.ctx) == before
    assert office.run(parallel.tick_checklist_item, office.liaison_edu, item_id, True).state == "done"
    assert office.run(parallel.tick_checklist_item, office.clerk2, item_id, False).state == "sent"
    # Engine items of the kind "task" are not checklist lines, and the other way round.
    with pytest.raises(NotFound):
        office.run(parallel.report_work_item, office.liaison_edu, item_id, "已完成")


def test_a_plan_is_read_by_those_who_see_the_meeting_only(office: Office) -> None:
    rooms = add_rooms(office)
    theirs = new_meeting(office, rooms["第二会议室"], title="教育工作会", attendees=[])
    office.run(plan.make_plan, office.clerk, theirs)
    assert len(office.run(plan.plan_of, office.mayor, theirs).tasks) == len(plan_template("常务会议"))
    with pytest.raises(PermissionDenied):
        office.run(plan.plan_of, office.liaison_fin, theirs)
