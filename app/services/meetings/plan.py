"""会议方案: a meeting's tasks in five phases (app.core.meetings.plan.PHASES), each with its owner and the time it
is due; a new plan starts from its meeting type's template.

Each task with an owner is also an engine checklist item (app.services.workflow.parallel, "checklist"), so that it
stands on its owner's 工作台 until ticked off, overdue once its day has passed, and leaves it when the meeting is
closed. The plan's row keeps the item's id; changing the task's owner, text or time changes the item in place,
removing the task recalls it. Ticking a task off is for its owner or the meeting's organizers, as the item's is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.meetings.plan import PHASES, plan_template
from app.core.printable import check_printable
from app.models import User, WorkflowInstance
from app.models.base import utcnow
from app.models.meetings import Meeting, MeetingPlanTask
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings.records import load, require_open, require_organizer, to_utc, touch
from app.services.workflow import moves as workflow
from app.services.workflow import parallel

MAX_TEXT = 200
MAX_TASKS = 100


@dataclass(frozen=True)
class PlanTaskInfo:
    id: int
    phase: str
    position: int
    text: str
    owner_id: int | None
    owner_name: str
    due_at: datetime
    done: bool
    done_at: datetime | None
    done_by_name: str

    def late(self, now: datetime) -> bool:
        """Not done, and its time has passed."""
        return not self.done and self.due_at < now


@dataclass(frozen=True)
class PlanView:
    meeting_id: int
    tasks: list[PlanTaskInfo]
    # Every phase, with how many of its tasks are not done (0 for a phase with none).
    undone_by_phase: dict[str, int]
    # Whether the actor may add, change and remove tasks (the meeting's organizers, while it is open).
    may_edit: bool


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _task_info(uow: UnitOfWork, task: MeetingPlanTask) -> PlanTaskInfo:
    return PlanTaskInfo(
        id=task.id, phase=task.phase, position=task.position, text=task.text, owner_id=task.owner_id,
        owner_name=workflow.user_full_name(uow, task.owner_id) if task.owner_id is not None else "",
        due_at=_aware(task.due_at), done=task.done, done_at=_aware(task.done_at) if task.done_at else None,
        done_by_name=task.done_by_name,
    )


def _tasks(uow: UnitOfWork, meeting_id: int) -> list[MeetingPlanTask]:
    rows = uow.session.execute(
        select(MeetingPlanTask).where(MeetingPlanTask.meeting_id == meeting_id)
    ).scalars().all()
    return sorted(rows, key=lambda t: (PHASES.index(t.phase) if t.phase in PHASES else len(PHASES), t.position, t.id))


def _may_edit(actor: Actor, meeting: Meeting, instance: WorkflowInstance) -> bool:
    try:
        require_open(meeting, instance, "修改会议方案")
        require_organizer(actor, instance, "修改会议方案")
    except (PermissionDenied, WorkflowError):
        return False
    return True


def _view(uow: UnitOfWork, actor: Actor, meeting: Meeting, instance: WorkflowInstance) -> PlanView:
    uow.flush()
    infos = [_task_info(uow, t) for t in _tasks(uow, meeting.id)]
    undone = {phase: sum(1 for t in infos if t.phase == phase and not t.done) for phase in PHASES}
    return PlanView(meeting.id, infos, undone, _may_edit(actor, meeting, instance))


def _open_for_edit(
    uow: UnitOfWork, actor: Actor, meeting_id: int, doing: str
) -> tuple[Meeting, WorkflowInstance]:
    meeting, instance = load(uow, actor, meeting_id)
    require_organizer(actor, instance, doing)
    require_open(meeting, instance, doing)
    return meeting, instance


def _check_owner(uow: UnitOfWork, owner_id: int | None) -> int:
    # Every task has its owner (DOMAIN.md §2): the one whose 工作台 shows it.
    if owner_id is None:
        raise ValidationError("请选择任务的责任人", field="owner_id")
    user = uow.session.get(User, owner_id)
    if user is None or not user.active:
        raise ValidationError("责任人已停用或不存在，请重新选择", field="owner_id")
    return user.id


def _check_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError("请填写任务内容", field="text")
    if len(cleaned) > MAX_TEXT:
        raise ValidationError(f"任务内容不能超过{MAX_TEXT}个字，现在有{len(cleaned)}个字", field="text")
    check_printable(cleaned, "任务内容", field="text")
    return cleaned


def _check_due(due_at: datetime | None) -> datetime:
    if due_at is None:
        raise ValidationError("请填写完成时间", field="due_at")
    return to_utc(due_at)


def _item_text(meeting: Meeting, task: MeetingPlanTask) -> str:
    """The line on the owner's 工作台: which phase, what (its row names the meeting already)."""
    return f"{task.phase}：{task.text}"[: parallel.MAX_TASK]


def _sync_item(uow: UnitOfWork, actor: Actor, meeting: Meeting, instance: WorkflowInstance,
               task: MeetingPlanTask) -> None:
    """Puts the task's checklist item as the task now reads: sent, or changed; recalled when it has no owner (its
    owner's account was deleted). Inside the caller's transaction (as_one)."""
    day = _aware(task.due_at).astimezone().date()
    if task.owner_id is None:
        if task.work_item_id is not None:
            parallel.recall_checklist_item(uow, actor, task.work_item_id)
            task.work_item_id = None
        return
    if task.work_item_id is None:
        item = parallel.send_checklist_item(uow, actor, instance.id, task.owner_id, _item_text(meeting, task), day)
        task.work_item_id = item.id
        if task.done:
            parallel.tick_checklist_item(uow, actor, item.id, True)
        return
    parallel.update_checklist_item(uow, actor, task.work_item_id, user_id=task.owner_id,
                                   task=_item_text(meeting, task), due=day)


def _next_position(uow: UnitOfWork, meeting_id: int, phase: str) -> int:
    found = uow.session.execute(
        select(func.max(MeetingPlanTask.position))
        .where(MeetingPlanTask.meeting_id == meeting_id, MeetingPlanTask.phase == phase)
    ).scalar_one_or_none()
    return 0 if found is None else int(found) + 1


def _count(uow: UnitOfWork, meeting_id: int) -> int:
    return int(uow.session.execute(
        select(func.count()).select_from(MeetingPlanTask).where(MeetingPlanTask.meeting_id == meeting_id)
    ).scalar_one())


@acting
def plan_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> PlanView:
    """The meeting's plan, phase by phase, for anyone who sees the meeting."""
    meeting, instance = load(uow, actor, meeting_id)
    return _view(uow, actor, meeting, instance)


@acting
def make_plan(uow: UnitOfWork, actor: Actor, meeting_id: int, owner_id: int | None = None) -> PlanView:
    """The plan from its meeting type's template: each task due so many hours before the meeting starts (the
    summary's after it ends), all to ``owner_id`` or else the meeting's responsible person. Refused when the plan
    already has tasks. Commits."""
    meeting, instance = _open_for_edit(uow, actor, meeting_id, "制定会议方案")
    if _count(uow, meeting.id):
        raise ValidationError("会议方案已有任务，请逐项增删修改，不能再按模板生成", field="plan")
    owner = _check_owner(uow, owner_id if owner_id is not None else instance.responsible_id)
    starts, ends = _aware(meeting.starts_at), _aware(meeting.ends_at)
    positions: dict[str, int] = {}
    with uow.as_one():
        for template in plan_template(meeting.meeting_type):
            due = starts - timedelta(hours=template.hours_before) if template.hours_before >= 0 else (
                ends + timedelta(hours=-template.hours_before))
            position = positions.get(template.phase, 0)
            positions[template.phase] = position + 1
            task = MeetingPlanTask(meeting_id=meeting.id, phase=template.phase, position=position,
                                   text=template.text, owner_id=owner, due_at=due, done=False, done_by_name="")
            uow.session.add(task)
            uow.flush()
            _sync_item(uow, actor, meeting, instance, task)
    touch(meeting)
    uow.record(actor.id, actor.username, "make_plan", "meeting", meeting.id,
               {"tasks": sum(positions.values()), "owner_id": owner}, change_op="update")
    view = _view(uow, actor, meeting, instance)
    uow.commit()
    return view


@acting
def add_task(
    uow: UnitOfWork, actor: Actor, meeting_id: int, phase: str, text: str, owner_id: int | None,
    due_at: datetime | None,
) -> PlanTaskInfo:
    """One more task, at the end of its phase. Commits."""
    meeting, instance = _open_for_edit(uow, actor, meeting_id, "修改会议方案")
    if phase not in PHASES:
        raise ValidationError(f"阶段只能是{'、'.join(PHASES)}之一", field="phase")
    if _count(uow, meeting.id) >= MAX_TASKS:
        raise ValidationError(f"会议方案最多{MAX_TASKS}项任务", field="plan")
    task = MeetingPlanTask(
        meeting_id=meeting.id, phase=phase, position=_next_position(uow, meeting.id, phase), text=_check_text(text),
        owner_id=_check_owner(uow, owner_id), due_at=_check_due(due_at), done=False, done_by_name="",
    )
    uow.session.add(task)
    uow.flush()
    with uow.as_one():
        _sync_item(uow, actor, meeting, instance, task)
    touch(meeting)
    uow.record(actor.id, actor.username, "add_plan_task", "meeting", meeting.id,
               {"task": task.id, "phase": phase, "text": task.text}, change_op="update")
    uow.flush()
    info = _task_info(uow, task)
    uow.commit()
    return info


def _load_task(uow: UnitOfWork, task_id: int) -> MeetingPlanTask:
    task = uow.session.get(MeetingPlanTask, task_id)
    if task is None:
        raise NotFound("找不到该任务，可能已被删除")
    return task


@acting
def update_task(
    uow: UnitOfWork, actor: Actor, task_id: int, *, text: str, owner_id: int | None, due_at: datetime | None,
) -> PlanTaskInfo:
    """Changes a task's text, owner and time; its item on the 工作台 follows. Commits."""
    task = _load_task(uow, task_id)
    meeting, instance = _open_for_edit(uow, actor, task.meeting_id, "修改会议方案")
    before = {"text": task.text, "owner_id": task.owner_id, "due_at": _aware(task.due_at).isoformat()}
    task.text, task.owner_id, task.due_at = _check_text(text), _check_owner(uow, owner_id), _check_due(due_at)
    uow.flush()
    with uow.as_one():
        _sync_item(uow, actor, meeting, instance, task)
    touch(meeting)
    uow.record(actor.id, actor.username, "update_plan_task", "meeting", meeting.id, {
        "task": task.id, "before": before,
        "after": {"text": task.text, "owner_id": task.owner_id, "due_at": _aware(task.due_at).isoformat()},
    }, change_op="update")
    uow.flush()
    info = _task_info(uow, task)
    uow.commit()
    return info


@acting
def remove_task(uow: UnitOfWork, actor: Actor, task_id: int) -> PlanView:
    """Takes a task off the plan; its item leaves its owner's 工作台. Commits."""
    task = _load_task(uow, task_id)
    meeting, instance = _open_for_edit(uow, actor, task.meeting_id, "修改会议方案")
    with uow.as_one():
        if task.work_item_id is not None:
            parallel.recall_checklist_item(uow, actor, task.work_item_id)
    uow.record(actor.id, actor.username, "remove_plan_task", "meeting", meeting.id,
               {"task": task.id, "text": task.text}, change_op="update")
    uow.session.delete(task)
    touch(meeting)
    view = _view(uow, actor, meeting, instance)
    uow.commit()
    return view


@acting
def set_done(uow: UnitOfWork, actor: Actor, task_id: int, done: bool) -> PlanTaskInfo:
    """Ticks a task done, or open again: its owner, or the meeting's organizers, while the meeting is open. The
    owner may tick their own task even where they could not otherwise open the meeting. Commits."""
    task = _load_task(uow, task_id)
    meeting = uow.found(Meeting, task.meeting_id, "找不到该会议，可能已被删除")
    instance = uow.found(WorkflowInstance, meeting.instance_id or 0, "找不到该会议的办理记录")
    owner = actor.id is not None and actor.id == task.owner_id
    if not owner:
        load(uow, actor, meeting.id)
        try:
            require_organizer(actor, instance, "勾选会议方案任务")
        except PermissionDenied:
            raise PermissionDenied("只有任务的责任人或会议的经办人员可以勾选这项任务") from None
    require_open(meeting, instance, "勾选会议方案任务")
    if task.done == done:
        raise ValidationError("这项任务已经完成" if done else "这项任务尚未完成", field="done")
    task.done = done
    task.done_at = utcnow() if done else None
    task.done_by_name = actor.full_name if done else ""
    with uow.as_one():
        if task.work_item_id is not None:
            parallel.tick_checklist_item(uow, actor, task.work_item_id, done)
    touch(meeting)
    uow.record(actor.id, actor.username, "tick_plan_task", "meeting", meeting.id,
               {"task": task.id, "done": done}, change_op="update")
    uow.flush()
    info = _task_info(uow, task)
    uow.commit()
    return info
