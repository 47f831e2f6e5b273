"""Parallel work items under one record: several units or people, each with their own task, deadline,
feedback and state, sent at the record's current step (主办/协办 of a supervision item).

- Sending, and finishing an item once its holder has reported, is for the record's responsible person or
  whoever may act at its current step: the same people who move it on.
- Reporting (the feedback) is for the item's holder: the person named, or the 联络员 of the unit named, or
  a delegate (代理, app.services.workflow.delegation) of theirs on a day the delegation holds, recorded as on
  their behalf. A holder (and their delegate) sees their own items even on a record they could not otherwise
  see, as a 会签 unit sees the document it signs.
- A transition that waits for the items (Transition.waits_for) reads, through app.services.workflow.
  record_facts, the items of the step that are not done.

The 公文's 会签, 分发 and 传阅 are items of the same table, of their own kinds (app.services.documents.work_items):
the services here send, report, finish and list the kind "task", and send, change, tick and recall the kind
"checklist" (a line of a record's own to-do list, such as a 会议方案's task: no feedback, ticked off in one act),
while a step's waiting (pending_work) counts every kind's unfinished items. The 工作台 shows every kind
(app.services.workflow.work_items).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.printable import check_printable
from app.core.roles import Role
from app.core.workflow.parallel import WORK_ITEM_STATE_LABELS, PendingWork
from app.db.tables import units, users, utcnow, workflow_instances, workflow_work_items
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import effective_roles, flow_for, get_instance, principals_of
from app.services.workflow.visibility import may_see, require_visible

_WW = workflow_work_items.c
_WI = workflow_instances.c
KIND = "task"
# Kinds and states as app.db.tables.workflow_work_items describes them.
FINISHED = ("done", "recalled")
MAX_TASK = 500
MAX_FEEDBACK = 2000


@dataclass(frozen=True)
class WorkItemInput:
    """One item to send: to a unit (its 联络员 reports) or to a person, never both."""

    task: str
    unit_id: int | None = None
    user_id: int | None = None
    due: date | None = None
    lead: bool = False


@dataclass(frozen=True)
class WorkItem:
    id: int
    instance_id: int
    step_key: str
    holder: str
    unit_id: int | None
    user_id: int | None
    lead: bool
    task: str
    due_date: date | None
    state: str
    feedback: str
    done_at: datetime | None
    done_by_name: str
    # Who gave the feedback, and the holder they gave it for when a delegate did (代理).
    reported_by_name: str = ""
    on_behalf_of_name: str = ""

    @property
    def state_label(self) -> str:
        return WORK_ITEM_STATE_LABELS.get(self.state, self.state)

    def overdue(self, today: date) -> bool:
        return self.state == "sent" and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class PendingWorkItem:
    """An item waiting on the actor, for the 工作台: to report on (their own), or to finish (their record's)."""

    item: WorkItem
    title: str
    # "report": the actor holds it and has not reported; "finish": it was reported on a record they answer for.
    waiting_for: str
    overdue: bool


_COLUMNS = (
    _WW.id, _WW.instance_id, _WW.step_key, _WW.unit_id, _WW.user_id, _WW.lead, _WW.task, _WW.due_date,
    _WW.state, _WW.feedback, _WW.done_at, _WW.done_by_name, _WW.reported_by_name, _WW.on_behalf_of_name,
    units.c.name.label("unit_name"),
    users.c.full_name.label("user_name"),
)
_FROM = workflow_work_items.outerjoin(units, units.c.id == _WW.unit_id).outerjoin(users, users.c.id == _WW.user_id)


def _item(r: Any) -> WorkItem:
    """A WorkItem from a row of _COLUMNS."""
    holder = r.unit_name or r.user_name or "（已删除）"
    return WorkItem(
        r.id, r.instance_id, r.step_key, holder, r.unit_id, r.user_id, bool(r.lead), r.task, r.due_date, r.state,
        r.feedback, r.done_at, r.done_by_name, r.reported_by_name, r.on_behalf_of_name,
    )


def pending_work(uow: UnitOfWork, instance_id: int, step_key: str) -> tuple[PendingWork, ...]:
    """The items of a record's step that are not done, as the guards read them."""
    rows = uow.execute(
        select(*_COLUMNS).select_from(_FROM)
        .where(_WW.instance_id == instance_id, _WW.step_key == step_key, _WW.state.not_in(FINISHED))
        .order_by(_WW.id)
    ).all()
    return tuple(PendingWork(_item(row).holder, bool(row.lead)) for row in rows)


def _may_coordinate(uow: UnitOfWork, actor: Actor, instance_id: int) -> tuple[bool, str]:
    """Whether the actor sends and finishes the record's items: its responsible person, or one who may act
    at its current step."""
    instance = get_instance(uow, instance_id)
    if actor.id is not None and instance.responsible_id == actor.id:
        return True, ""
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    roles = effective_roles(actor, instance)
    if any(t.role_matches(flow, roles) for t in flow.transitions_from(instance.state)):
        return True, ""
    return False, f"只有本事项的责任人或“{flow.step(instance.state).label}”环节的办理人可以分派和办结并行事项"


def _require_coordinator(uow: UnitOfWork, actor: Actor, instance_id: int, doing: str) -> None:
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id, doing)
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能再{doing}")
    allowed, why_not = _may_coordinate(uow, actor, instance.id)
    if not allowed:
        raise PermissionDenied(why_not)


@acting
def send_work_items(
    uow: UnitOfWork, actor: Actor, instance_id: int, items: Sequence[WorkItemInput], today: date | None = None,
) -> list[WorkItem]:
    """Sends the items at the record's current step, all or none. Commits."""
    _require_coordinator(uow, actor, instance_id, "分派并行事项")
    instance = get_instance(uow, instance_id)
    today = today or date.today()
    if not items:
        raise ValidationError("请至少添加一个承办单位或人员", field="items")
    existing = [i for i in _items(uow, and_(_WW.instance_id == instance.id, _WW.kind == KIND))
                if i.step_key == instance.state]
    # A 主办 whose task is done or was taken back may be sent a new one (a 退回, a reopening, an upheld
    # objection): one open 主办 task at a time.
    leads = [i for i in existing if i.lead and i.state not in FINISHED] + [i for i in items if i.lead]
    if len(leads) > 1:
        raise ValidationError("一个环节只能有一个主办单位，其余请设为协办", field="items")
    open_holders = {(i.unit_id, i.user_id) for i in existing if i.state not in FINISHED}
    for index, item in enumerate(items, start=1):
        where = f"第{index}项"
        if (item.unit_id is None) == (item.user_id is None):
            raise ValidationError(f"{where}请指定一个承办单位或一名人员", field="items")
        task = item.task.strip()
        if not task:
            raise ValidationError(f"{where}请填写办理任务", field="items")
        if len(task) > MAX_TASK:
            raise ValidationError(f"{where}的办理任务不能超过{MAX_TASK}个字", field="items")
        check_printable(task, "办理任务", field="items")
        if item.due is not None and item.due < today:
            raise ValidationError(f"{where}的办理期限不能早于今天", field="items")
        if item.unit_id is not None:
            if uow.execute(select(units.c.id).where(units.c.id == item.unit_id)).first() is None:
                raise ValidationError(f"{where}的承办单位不存在，可能已被删除", field="items")
        else:
            active = uow.execute(select(users.c.active).where(users.c.id == item.user_id)).scalar_one_or_none()
            if not active:
                raise ValidationError(f"{where}的承办人员已停用或不存在，请选择其他人员", field="items")
        if (item.unit_id, item.user_id) in open_holders:
            raise ValidationError(f"{where}的承办单位或人员在本环节已有未办结的事项", field="items")
        open_holders.add((item.unit_id, item.user_id))
    ids = []
    for item in items:
        result = uow.execute(workflow_work_items.insert().returning(_WW.id).values(
            instance_id=instance.id, step_key=instance.state, kind=KIND, lead=item.lead, unit_id=item.unit_id,
            user_id=item.user_id, task=item.task.strip(), due_date=item.due, due_provisional=False, state="sent",
            feedback="", sent_at=utcnow(), sent_by_id=actor.id, sent_by_name=actor.full_name, done_by_name="",
        ))
        ids.append(int(result.scalar_one()))
    uow.record(
        actor.id, actor.username, "send_work_items", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "items": ids}, change_op="update",
    )
    sent = _items(uow, _WW.id.in_(ids))
    uow.commit()
    return sent


def _items(uow: UnitOfWork, where: ColumnElement[bool]) -> list[WorkItem]:
    rows = uow.execute(select(*_COLUMNS).select_from(_FROM).where(where).order_by(_WW.id)).all()
    return [_item(row) for row in rows]


def _one_item(uow: UnitOfWork, item_id: int) -> WorkItem:
    found = _items(uow, and_(_WW.id == item_id, _WW.kind == KIND))
    if not found:
        raise NotFound("找不到该并行事项，可能已被删除")
    return found[0]


def _held_for(uow: UnitOfWork, actor: Actor, item: WorkItem, today: date | None) -> Actor | None:
    """Whom the actor reports the item for: themself when they hold it, else the first person they act for
    today (代理) who does; None when neither."""
    if _holds(actor, item):
        return actor
    return next((p for p in principals_of(uow, actor, today) if _holds(p, item)), None)


def _holds(actor: Actor, item: WorkItem) -> bool:
    if actor.id is not None and item.user_id == actor.id:
        return True
    return item.unit_id is not None and item.unit_id == actor.unit_id and actor.has(Role.LIAISON)


@acting
def report_work_item(
    uow: UnitOfWork, actor: Actor, item_id: int, feedback: str, today: date | None = None
) -> WorkItem:
    """The holder's feedback on their item, or their delegate's on their behalf (代理, on ``today``); it may be
    given again until the item is finished. Commits."""
    item = _one_item(uow, item_id)
    instance = get_instance(uow, item.instance_id)
    principal = _held_for(uow, actor, item, today)
    if principal is None:
        raise PermissionDenied(f"只有{item.holder}{'的部门联络员' if item.unit_id is not None else ''}可以反馈这项任务")
    if instance.closed or item.state == "done":
        raise WorkflowError("这项任务已办结，不能再反馈")
    feedback = feedback.strip()
    if not feedback:
        raise ValidationError("请填写办理情况", field="feedback")
    if len(feedback) > MAX_FEEDBACK:
        raise ValidationError(f"办理情况不能超过{MAX_FEEDBACK}个字", field="feedback")
    check_printable(feedback, "办理情况", field="feedback")
    on_behalf = principal if principal is not actor else None
    uow.execute(workflow_work_items.update().where(_WW.id == item.id).values(
        state="reported", feedback=feedback, reported_at=utcnow(), reported_by_id=actor.id,
        reported_by_name=actor.full_name, on_behalf_of_id=on_behalf.id if on_behalf is not None else None,
        on_behalf_of_name=on_behalf.full_name if on_behalf is not None else "",
    ))
    detail: dict[str, Any] = {"instance": instance.id, "item": item.id, "feedback": feedback}
    if on_behalf is not None:
        detail["on_behalf_of"] = on_behalf.full_name
    uow.record(
        actor.id, actor.username, "report_work_item", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id, detail, change_op="update",
    )
    reported = _one_item(uow, item.id)
    uow.commit()
    return reported


@acting
def finish_work_item(uow: UnitOfWork, actor: Actor, item_id: int) -> WorkItem:
    """Accepts a reported item as done (办结), for whoever sends the record's items. Commits."""
    item = _one_item(uow, item_id)
    _require_coordinator(uow, actor, item.instance_id, "办结并行事项")
    instance = get_instance(uow, item.instance_id)
    if item.state == "done":
        raise WorkflowError(f"{item.holder}的任务已经办结")
    if item.state != "reported":
        raise WorkflowError(f"{item.holder}尚未反馈办理情况，不能办结")
    uow.execute(workflow_work_items.update().where(_WW.id == item.id).values(
        state="done", done_at=utcnow(), done_by_id=actor.id, done_by_name=actor.full_name,
    ))
    uow.record(
        actor.id, actor.username, "finish_work_item", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "item": item.id}, change_op="update",
    )
    finished = _one_item(uow, item.id)
    uow.commit()
    return finished


@dataclass(frozen=True)
class WorkItems:
    items: list[WorkItem]
    # Whether the actor may send and finish items on this record, and why not.
    may_coordinate: bool
    why_not: str


@acting
def work_items_of(uow: UnitOfWork, actor: Actor, instance_id: int) -> WorkItems:
    """The record's items; a holder who may not see the record sees their own items only."""
    instance = get_instance(uow, instance_id)
    every = _items(uow, and_(_WW.instance_id == instance.id, _WW.kind == KIND))
    if may_see(uow, actor, instance.id):
        allowed, why_not = _may_coordinate(uow, actor, instance.id)
        if instance.closed:
            allowed, why_not = False, "事项已办结"
        return WorkItems(every, allowed, why_not)
    own = [i for i in every if _held_for(uow, actor, i, None) is not None]
    if not own:
        require_visible(uow, actor, instance.id)
    return WorkItems(own, False, "只能查看和反馈本单位的任务")


@acting
def pending_work_items(uow: UnitOfWork, actor: Actor, today: date | None = None) -> list[PendingWorkItem]:
    """For the 工作台: the items the actor holds and has not reported, and the reported items on records
    the actor answers for, waiting to be finished; open records only, by due date."""
    today = today or date.today()
    if actor.id is None:
        return []
    held: ColumnElement[bool] = _WW.user_id == actor.id
    if actor.has(Role.LIAISON) and actor.unit_id is not None:
        held = or_(held, _WW.unit_id == actor.unit_id)
    rows = uow.execute(
        select(*_COLUMNS, _WI.title, _WI.responsible_id)
        .select_from(_FROM.join(workflow_instances, _WI.id == _WW.instance_id))
        .where(
            _WI.closed == false(),
            _WW.kind == KIND,
            or_(and_(held, _WW.state == "sent"), and_(_WI.responsible_id == actor.id, _WW.state == "reported")),
        )
        .order_by(_WW.due_date.is_(None), _WW.due_date, _WW.id)
    ).all()
    result = []
    for row in rows:
        item = _item(row)
        waiting = "report" if item.state == "sent" else "finish"
        result.append(PendingWorkItem(item, row.title, waiting, item.overdue(today)))
    return result


# ----- checklist items ---------------------------------------------------------------------------------------
# A "checklist" item is one line of a record's own to-do list (a 会议方案's task) put on its holder's 工作台: sent
# to one person with the day it is due, and ticked off in one act by its holder or by whoever coordinates the
# record's items, with no feedback to report or accept; it may be ticked open again. Its record's service keeps
# its own row (the task's text, phase …) and the item's id; the item is the 工作台's part of it. A past day is
# allowed: a plan made late still shows what is already overdue.
CHECKLIST = "checklist"


def _checklist_item(uow: UnitOfWork, item_id: int) -> WorkItem:
    found = _items(uow, and_(_WW.id == item_id, _WW.kind == CHECKLIST))
    if not found:
        raise NotFound("找不到该清单事项，可能已被删除")
    return found[0]


def _check_checklist(uow: UnitOfWork, user_id: int, task: str) -> str:
    active = uow.execute(select(users.c.active).where(users.c.id == user_id)).scalar_one_or_none()
    if not active:
        raise ValidationError("责任人已停用或不存在，请选择其他人员", field="owner_id")
    text = task.strip()
    if not text:
        raise ValidationError("请填写任务内容", field="text")
    if len(text) > MAX_TASK:
        raise ValidationError(f"任务内容不能超过{MAX_TASK}个字", field="text")
    check_printable(text, "任务内容", field="text")
    return text


def _audit_item(uow: UnitOfWork, actor: Actor, action: str, instance_id: int, detail: dict[str, Any]) -> None:
    instance = get_instance(uow, instance_id)
    uow.record(
        actor.id, actor.username, action, instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, **detail}, change_op="update",
    )


@acting
def send_checklist_item(
    uow: UnitOfWork, actor: Actor, instance_id: int, user_id: int, task: str, due: date,
) -> WorkItem:
    """Puts one checklist line on its holder's 工作台, due on ``due``, at the record's current step; for whoever
    coordinates the record's items. Commits."""
    _require_coordinator(uow, actor, instance_id, "分派清单事项")
    instance = get_instance(uow, instance_id)
    text = _check_checklist(uow, user_id, task)
    item_id = uow.execute(workflow_work_items.insert().returning(_WW.id).values(
        instance_id=instance.id, step_key=instance.state, kind=CHECKLIST, lead=False, unit_id=None,
        user_id=user_id, task=text, due_date=due, due_provisional=False, state="sent", feedback="",
        sent_at=utcnow(), sent_by_id=actor.id, sent_by_name=actor.full_name, done_by_name="",
    )).scalar_one()
    _audit_item(uow, actor, "send_checklist_item", instance.id, {"item": int(item_id)})
    sent = _checklist_item(uow, int(item_id))
    uow.commit()
    return sent


@acting
def update_checklist_item(
    uow: UnitOfWork, actor: Actor, item_id: int, *, user_id: int, task: str, due: date,
) -> WorkItem:
    """Changes an open checklist item in place: its holder, text and day (a new holder has it on their 工作台
    at once, the old one no longer). Commits."""
    item = _checklist_item(uow, item_id)
    _require_coordinator(uow, actor, item.instance_id, "修改清单事项")
    if item.state == "recalled":
        raise WorkflowError("这项清单事项已收回，不能再修改")
    text = _check_checklist(uow, user_id, task)
    uow.execute(workflow_work_items.update().where(_WW.id == item.id).values(user_id=user_id, task=text, due_date=due))
    _audit_item(uow, actor, "update_checklist_item", item.instance_id, {"item": item.id})
    changed = _checklist_item(uow, item.id)
    uow.commit()
    return changed


@acting
def recall_checklist_item(uow: UnitOfWork, actor: Actor, item_id: int) -> WorkItem:
    """收回 a checklist item that is no longer on the list: it leaves its holder's 工作台. Commits."""
    item = _checklist_item(uow, item_id)
    _require_coordinator(uow, actor, item.instance_id, "收回清单事项")
    uow.execute(workflow_work_items.update().where(_WW.id == item.id).values(
        state="recalled", done_at=utcnow(), done_by_id=actor.id, done_by_name=actor.full_name,
    ))
    _audit_item(uow, actor, "recall_checklist_item", item.instance_id, {"item": item.id})
    recalled = _checklist_item(uow, item.id)
    uow.commit()
    return recalled


def _may_tick(uow: UnitOfWork, actor: Actor, item: WorkItem) -> bool:
    """Whether the actor ticks this checklist item: its holder (or their delegate today), or a coordinator."""
    if _held_for(uow, actor, item, None) is not None:
        return True
    return _may_coordinate(uow, actor, item.instance_id)[0]


@acting
def tick_checklist_item(uow: UnitOfWork, actor: Actor, item_id: int, done: bool) -> WorkItem:
    """Ticks a checklist item done (it leaves its holder's 工作台), or open again; by its holder or whoever
    coordinates the record's items, while the record is open. Commits."""
    item = _checklist_item(uow, item_id)
    instance = get_instance(uow, item.instance_id)
    if not _may_tick(uow, actor, item):
        raise PermissionDenied(f"只有{item.holder}本人或本事项的经办人可以勾选这项任务")
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能再勾选任务")
    if item.state == "recalled":
        raise WorkflowError("这项任务已收回，不能再勾选")
    if done == (item.state == "done"):
        raise WorkflowError("这项任务已经完成" if done else "这项任务尚未完成")
    values: dict[str, Any] = (
        {"state": "done", "done_at": utcnow(), "done_by_id": actor.id, "done_by_name": actor.full_name} if done
        else {"state": "sent", "done_at": None, "done_by_id": None, "done_by_name": ""}
    )
    uow.execute(workflow_work_items.update().where(_WW.id == item.id).values(**values))
    _audit_item(uow, actor, "tick_checklist_item", instance.id, {"item": item.id, "done": done})
    ticked = _checklist_item(uow, item.id)
    uow.commit()
    return ticked
