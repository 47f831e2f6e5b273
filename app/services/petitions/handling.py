"""信访: what every act on a case shares, and the assigned unit's part (交办 to the unit that answers for the
matter, 谁主管、谁负责): its task, its dispute of the assignment (异议, within 5 working days, once per
assignment, answered by the office) and the office's 催办 of its handling report.

The unit's task is the case's one lead work item at 办理 (app.services.workflow.parallel); its 联络员 reports on it
with parallel.report_work_item, and the case waits for that report before it goes to 审核.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.core.calendar import Deadline, local_date
from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.petitions.flow import ENTITY, HANDLE
from app.core.petitions.limits import objection_deadline
from app.core.printable import check_printable
from app.core.roles import Role
from app.db.tables import user_roles, users, workflow_work_items
from app.models import Unit, Urge, WorkflowInstance
from app.models.base import utcnow
from app.models.petitions import Petition, PetitionObjection
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.petitions.records import LEADERS, PetitionInfo, commit_info, touch
from app.services.workflow import acts as workflow_acts
from app.services.workflow import clocks, parallel
from app.services.workflow import moves as workflow
from app.services.workflow.urges import reply_deadline

MAX_OPINION = 500
MAX_REASON = 1000
UPHELD, REJECTED = "upheld", "rejected"
OUTCOME_LABELS: dict[str, str] = {"": "待答复", UPHELD: "异议成立，改由其他单位承办", REJECTED: "异议不成立，仍由本单位承办"}
URGE_METHOD = "系统提醒"

_WW = workflow_work_items.c


# ----- what every act shares ------------------------------------------------------------------------------


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def text(value: str, label: str, field_name: str, limit: int, *, required: bool = False) -> str:
    """A typed text, stripped and checked: required where asked, at most ``limit`` characters, printable."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(cleaned) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(cleaned)}个字", field=field_name)
    check_printable(cleaned, label, field=field_name)
    return cleaned


@acting
def open_case(
    uow: UnitOfWork, actor: Actor, petition_id: int, doing: str, move: str, expected_version: int | None,
) -> tuple[Petition, WorkflowInstance]:
    """The case opened for a move of its flow: seen by the actor, as they read it, at a step the move leaves
    from, and theirs to move (首问负责; the leaders at 审核)."""
    return workflow_acts.open_act(
        uow, actor, records.RECORDS, petition_id, doing, move=move, expected_version=expected_version
    )


def is_responsible(actor: Actor, instance: WorkflowInstance) -> bool:
    return actor.id is not None and actor.id == instance.responsible_id


def require_office(actor: Actor, instance: WorkflowInstance, doing: str) -> None:
    """The case's responsible person or an office leader (主任, 副主任) decides for the office."""
    if is_responsible(actor, instance) or actor.has(*LEADERS):
        return
    raise PermissionDenied(f"只有本件的首问责任人、办公室主任或副主任可以{doing}")


def require_open(petition: Petition, instance: WorkflowInstance, doing: str, *, at: str = HANDLE) -> None:
    if instance.closed:
        raise WorkflowError(f"信访件{petition.number}已经办结，不能再{doing}")
    if instance.state != at:
        raise WorkflowError(f"信访件{petition.number}不在办理阶段，不能{doing}")


def active_unit(uow: UnitOfWork, unit_id: int | None, field_name: str = "unit_id") -> Unit:
    """The unit a case goes to: one that exists and is in use."""
    unit = uow.session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        raise ValidationError("请选择承办单位", field=field_name)
    if not unit.active:
        raise ValidationError(f"{unit.name}已停用，请选择其他承办单位", field=field_name)
    return unit


@acting
def handling_due(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, today: date) -> Deadline | None:
    """The 办理 clock's due date (60 days from acceptance, with its extension), None while it does not run."""
    for view in clocks.clock_readings(uow, actor, instance.id, today):
        if view.clock.key == "handling":
            return view.reading.due
    return None


def check_due(due: date | None, today: date, limit: Deadline | None) -> date:
    """A unit's 办理期限: not before today, not after the case's own 办理 clock."""
    if due is None:
        raise ValidationError("请填写承办单位的办理期限", field="due")
    if due < today:
        raise ValidationError("办理期限不能早于今天", field="due")
    if limit is not None and due > limit.date:
        raise ValidationError(
            f"办理期限不能晚于本件的办理时限{day_text(limit.date)}", field="due"
        )
    return due


# ----- the unit's task ------------------------------------------------------------------------------------


def lead_task(uow: UnitOfWork, instance: WorkflowInstance) -> Any | None:
    """The unit's latest task at 办理 (a row of the work items), or None for a case the office handles."""
    return uow.execute(
        select(_WW.id, _WW.unit_id, _WW.task, _WW.due_date, _WW.state, _WW.feedback, _WW.sent_at,
               _WW.reported_by_name)
        .where(_WW.instance_id == instance.id, _WW.step_key == HANDLE, _WW.kind == parallel.KIND,
               _WW.lead.is_(True), _WW.state != "recalled")
        .order_by(_WW.id.desc()).limit(1)
    ).first()


@acting
def send_task(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, unit_id: int, task: str, due: date,
              today: date) -> None:
    """Sends the unit its task. Inside the caller's ``as_one``."""
    parallel.send_work_items(uow, actor, instance.id, [
        parallel.WorkItemInput(task, unit_id=unit_id, due=due, lead=True),
    ], today)


def _recall_task(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, task_id: int, why: str) -> None:
    """Takes a unit's task back (its objection was upheld): it leaves the unit's 工作台. Does not commit."""
    uow.execute(workflow_work_items.update().where(_WW.id == task_id).values(
        state="recalled", done_at=utcnow(), done_by_id=actor.id, done_by_name=actor.full_name,
    ))
    uow.record(actor.id, actor.username, "recall_work_item", ENTITY, instance.entity_id,
               {"instance": instance.id, "item": task_id, "reason": why}, change_op="update")


@acting
def assigned_on(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, task: Any, today: date) -> date:
    """The day the unit got its task: for the first assignment, the day the 办理 clock started (the 交办);
    for a unit the case went to after an upheld objection, the day of that answer."""
    first = uow.execute(
        select(_WW.id).where(_WW.instance_id == instance.id, _WW.step_key == HANDLE, _WW.kind == parallel.KIND,
                             _WW.lead.is_(True)).order_by(_WW.id).limit(1)
    ).scalar_one()
    if first == task.id:
        for view in clocks.clock_readings(uow, actor, instance.id, today):
            if view.clock.key == "handling" and view.reading.started is not None:
                return view.reading.started
    moved_on = uow.execute(
        select(PetitionObjection.answered_on).where(
            PetitionObjection.petition_id == instance.entity_id, PetitionObjection.outcome == UPHELD,
            PetitionObjection.answered_on.is_not(None),
        ).order_by(PetitionObjection.id.desc()).limit(1)
    ).scalar_one_or_none()
    if moved_on is not None:
        return min(moved_on, today)
    # A task sent otherwise than by an upheld objection: the day it was sent, never after the act's day.
    return min(local_date(task.sent_at), today)


def _liaisons(uow: UnitOfWork, unit_id: int) -> list[int]:
    return list(uow.execute(
        select(users.c.id).join(user_roles, user_roles.c.user_id == users.c.id)
        .where(users.c.unit_id == unit_id, users.c.active.is_(True), user_roles.c.role_code == Role.LIAISON.value)
        .order_by(users.c.id)
    ).scalars())


@dataclass(frozen=True)
class AssignmentInfo:
    """The assigned unit's task as the case's window shows it."""

    unit_id: int
    unit_name: str
    task: str
    due: date | None
    state: str
    state_label: str
    report: str
    reported_by_name: str
    assigned_on: date
    objection_deadline: date
    objection_deadline_provisional: bool
    # Whether the actor (the unit's 联络员) may dispute the assignment now.
    may_object: bool


@acting
def assignment_of(uow: UnitOfWork, actor: Actor, petition_id: int, *, today: date | None = None) -> AssignmentInfo | None:
    """The unit the case is assigned to, its task, due date and state, its handling report and the last day
    it may dispute the assignment; None for a case not assigned to a unit."""
    today = today or date.today()
    petition, instance = records.load(uow, actor, petition_id)
    task = lead_task(uow, instance)
    if task is None or task.unit_id is None:
        return None
    start = assigned_on(uow, actor, instance, task, today)
    limit = objection_deadline(start, work_calendar(uow).overrides)
    may_object = (
        actor.has(Role.LIAISON) and actor.unit_id == task.unit_id and not instance.closed
        and instance.state == HANDLE and task.state == "sent" and today <= limit.date
        and not _objected(uow, petition.id, task.unit_id)
    )
    return AssignmentInfo(
        unit_id=task.unit_id, unit_name=workflow.unit_name(uow, task.unit_id),
        task=task.task, due=task.due_date, state=task.state,
        state_label=parallel.WORK_ITEM_STATE_LABELS.get(task.state, task.state), report=task.feedback,
        reported_by_name=task.reported_by_name, assigned_on=start, objection_deadline=limit.date,
        objection_deadline_provisional=limit.provisional, may_object=may_object,
    )


# ----- 异议: the unit disputes its assignment -------------------------------------------------------------


@dataclass(frozen=True)
class ObjectionInfo:
    id: int
    petition_id: int
    unit_id: int
    unit_name: str
    reason: str
    objected_on: date
    by_name: str
    outcome: str
    answer: str
    answered_by_name: str
    answered_on: date | None = None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


def _objection_info(uow: UnitOfWork, row: PetitionObjection) -> ObjectionInfo:
    return ObjectionInfo(
        row.id, row.petition_id, row.unit_id, workflow.unit_name(uow, row.unit_id),
        row.reason, row.objected_on, row.by_name, row.outcome, row.answer, row.answered_by_name, row.answered_on,
    )


def _objected(uow: UnitOfWork, petition_id: int, unit_id: int) -> bool:
    """Whether the unit has disputed its present assignment. A case leaves a unit only by the unit's own
    objection upheld; so an objection of the unit not upheld (waiting, or answered no) is of the assignment
    it still holds, and an upheld one of an earlier assignment."""
    return uow.execute(
        select(PetitionObjection.id).where(
            PetitionObjection.petition_id == petition_id, PetitionObjection.unit_id == unit_id,
            PetitionObjection.outcome != UPHELD,
        ).limit(1)
    ).first() is not None


@acting
def object_to_assignment(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, reason: str, today: date | None = None,
) -> ObjectionInfo:
    """The assigned unit's 联络员 disputes the assignment, with the reason, within 5 working days of it and
    once per assignment; the office answers it (answer_objection). Commits."""
    today = today or date.today()
    petition, instance = records.load(uow, actor, petition_id)
    if not (actor.has(Role.LIAISON) and actor.unit_id is not None and actor.unit_id == petition.handling_unit_id):
        raise PermissionDenied("只有承办单位的联络员可以对交办提出异议")
    require_open(petition, instance, "对交办提出异议")
    task = lead_task(uow, instance)
    if task is None or task.unit_id != actor.unit_id:
        raise WorkflowError(f"信访件{petition.number}没有交办给您的单位")
    if task.state != "sent":
        raise WorkflowError("本单位已报送办理情况，不能再对交办提出异议")
    start = assigned_on(uow, actor, instance, task, today)
    limit = objection_deadline(start, work_calendar(uow).overrides)
    if today > limit.date:
        raise ValidationError(
            f"对交办的异议应在交办之日起5个工作日内（{day_text(limit.date)}前）提出，现已超过期限", field="reason"
        )
    if _objected(uow, petition.id, actor.unit_id):
        raise ValidationError("本单位已对这次交办提出过异议，不能重复提出", field="reason")
    why = text(reason, "异议理由", "reason", MAX_REASON, required=True)
    row = PetitionObjection(petition_id=petition.id, unit_id=actor.unit_id, reason=why, objected_on=today,
                            by_name=actor.full_name)
    uow.session.add(row)
    uow.flush()
    uow.record(actor.id, actor.username, "object_assignment", ENTITY, petition.id,
               {"objection": row.id, "unit": actor.unit_id, "reason": why}, change_op="update")
    touch(petition)
    info = _objection_info(uow, row)
    uow.commit()
    return info


@acting
def answer_objection(
    uow: UnitOfWork, actor: Actor, objection_id: int, *, uphold: bool, answer: str, new_unit_id: int | None = None,
    due: date | None = None, today: date | None = None,
) -> PetitionInfo:
    """The office's answer to a unit's objection: upheld, the case goes to another unit (a new task; the
    disputing unit's is taken back); not upheld, the unit keeps it. By the case's responsible person or an
    office leader. Commits."""
    today = today or date.today()
    row = uow.session.get(PetitionObjection, objection_id)
    if row is None:
        raise NotFound("找不到该异议，可能已被删除")
    petition, instance = records.load(uow, actor, row.petition_id)
    require_office(actor, instance, "答复承办单位的异议")
    require_open(petition, instance, "答复异议")
    if row.outcome:
        raise ValidationError("这项异议已经答复过了", field="answer")
    reply = text(answer, "答复意见", "answer", MAX_REASON, required=True)
    task = lead_task(uow, instance)
    with uow.as_one():
        if uphold:
            unit = active_unit(uow, new_unit_id, "new_unit_id")
            if unit.id == row.unit_id:
                raise ValidationError("异议成立时，请改交其他单位承办", field="new_unit_id")
            limit = handling_due(uow, actor, instance, today)
            old_due = task.due_date if task is not None else None
            new_due = check_due(due if due is not None else old_due, today, limit)
            if task is not None and task.unit_id == row.unit_id:
                _recall_task(uow, actor, instance, task.id, reply)
            send_task(uow, actor, instance, unit.id, task.task if task is not None else petition.request[:500],
                      new_due, today)
            petition.handling_unit_id = unit.id
        elif new_unit_id is not None or due is not None:
            raise ValidationError("异议不成立时仍由原单位承办，不能改交其他单位", field="new_unit_id")
        row.outcome = UPHELD if uphold else REJECTED
        row.answer = reply
        row.answered_by_name = actor.full_name
        row.answered_on = today
        uow.record(actor.id, actor.username, "answer_objection", ENTITY, petition.id,
                   {"objection": row.id, "outcome": row.outcome, "answer": reply,
                    "unit": petition.handling_unit_id}, change_op="update")
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def objections_of(uow: UnitOfWork, actor: Actor, petition_id: int) -> list[ObjectionInfo]:
    """The case's objections, the earliest first: the office sees all; a unit's 联络员 their own unit's."""
    petition, _instance = records.load(uow, actor, petition_id)
    query = select(PetitionObjection).where(PetitionObjection.petition_id == petition.id)
    if not records.sees_all(actor):
        query = query.where(PetitionObjection.unit_id == actor.unit_id)
    rows = uow.session.execute(query.order_by(PetitionObjection.id)).scalars().all()
    return [_objection_info(uow, row) for row in rows]


# ----- 催办 of the unit's report ---------------------------------------------------------------------------


@acting
def urge_unit(uow: UnitOfWork, actor: Actor, petition_id: int, *, note: str = "", today: date | None = None) -> None:
    """催办: reminds the assigned unit to report how it handled the case; the 催办 reaches its 联络员 (the one
    liaison where the unit has one, else all of them) on the 工作台 and is kept with the case. By the case's
    responsible person or an office leader. Commits."""
    today = today or date.today()
    petition, instance = records.load(uow, actor, petition_id)
    require_office(actor, instance, "催办承办单位")
    require_open(petition, instance, "催办承办单位")
    task = lead_task(uow, instance)
    if task is None or task.unit_id is None:
        raise WorkflowError(f"信访件{petition.number}没有交办给单位，不需要催办")
    if task.state != "sent":
        raise WorkflowError("承办单位已报送办理情况，不需要催办")
    extra = text(note, "催办说明", "note", MAX_OPINION)
    unit_name = workflow.unit_name(uow, task.unit_id) or "承办单位"
    due = f"于{day_text(task.due_date)}前" if task.due_date is not None else "尽快"
    message = f"请{unit_name}{due}报送信访件{petition.number}的办理情况。{extra}".strip()
    liaisons = _liaisons(uow, task.unit_id)
    reply = reply_deadline(work_calendar(uow), today)
    urge = Urge(
        instance_id=instance.id, by_id=actor.id, by_name=actor.full_name, method=URGE_METHOD, note=message,
        reply_due=reply.date, reply_due_provisional=reply.provisional,
        aimed_at_id=liaisons[0] if len(liaisons) == 1 else None,
    )
    uow.session.add(urge)
    uow.flush()
    uow.record(actor.id, actor.username, "urge", ENTITY, petition.id,
               {"instance": instance.id, "unit": task.unit_id, "method": URGE_METHOD, "note": message},
               change_op="update")
    touch(petition)
    uow.commit()
