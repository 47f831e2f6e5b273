"""Recurring duties of a record (app.core.workflow.duties): a report due on a rhythm while the record stands
in a stretch of its flow, kept in step with every move, reported by its holder, hastened when missed.

- follow_move (a move effect, app.services.workflow.move_effects) starts a duty on entering its first step,
  with the flow's rhythm, and stops it on leaving its last one; a record that closes owes no report.
- The holder is read when asked, not stored: the record's responsible person (so a hand-over hands the duty
  on), or the 联络员 of the record's unit, kept on the duty when it starts.
- set_rhythm gives one record a rhythm of its own (重点督办 every week, 马上督办 within 1 working day, 定期
  督办 every month): the responsible person, or the office's heads who class the items.
- report_duty records a report and moves the next due date on from the report's day: by the holder, or by
  their delegate (代理) on the holder's behalf, within the delegation's period.
- duties_due lists the actor's overdue and due-soon reports; the 工作台 (app.services.workflow.todo) reads the
  same ones in SQL (holder_clause, DUE_SOON_WORKDAYS), with a delegate's marked for whom they are held.
  hasten_duty records a 催办 aimed at the holder, kept apart from the step's (urges.duty_key): answered by the
  next report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, false, func, or_, select, true

from app.core.calendar import Deadline
from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.printable import check_printable
from app.core.roles import Role
from app.core.workflow import Flow
from app.core.workflow.duties import (
    HOLDER_LABELS,
    RHYTHM_KINDS,
    Duty,
    Rhythm,
    duties_entered,
    duties_left,
    next_due,
)
from app.core.workflow.engine import FlowDefinitionError
from app.db.tables import (
    user_roles,
    users,
    workflow_duties,
    workflow_duty_reports,
    workflow_instances,
)
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import flow_for, get_instance, principals_of, user_full_name
from app.services.workflow.visibility import require_visible

if TYPE_CHECKING:
    from app.models import WorkflowInstance

_WD = workflow_duties.c
_WR = workflow_duty_reports.c
_WI = workflow_instances.c

# Who gives a record its own rhythm beside its responsible person: the heads who class the office's items.
RHYTHM_SETTERS = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# A report due within this many working days shows on the 工作台 as due soon: as a step's to-do does, under
# the same tile (3个工作日内到期).
DUE_SOON_WORKDAYS = 3
MAX_REPORT = 2000


@dataclass(frozen=True)
class DutyReport:
    due_date: date | None
    reported_on: date
    text: str
    by_name: str
    at: datetime


@dataclass(frozen=True)
class DutyInfo:
    """One duty of a record, as its window shows it."""

    instance_id: int
    key: str
    label: str
    rhythm: Rhythm
    holder_label: str
    holder_name: str
    active: bool
    next_due: date | None
    next_due_provisional: bool
    overdue: bool
    reports: tuple[DutyReport, ...]
    may_report: bool
    may_set_rhythm: bool


@dataclass(frozen=True)
class DueDuty:
    """A report the actor owes, for the 工作台."""

    instance_id: int
    title: str
    key: str
    label: str
    rhythm: Rhythm
    next_due: date
    next_due_provisional: bool
    overdue: bool


# ----- following the record's moves ---------------------------------------------------------------------------


@acting
def follow_move(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, flow: Flow, from_state: str | None, today: date
) -> None:
    """Starts and stops the record's duties as it moves (a move effect: inside the move's unit of work, whose
    actor is already confirmed, so the check costs nothing)."""
    if not flow.duties:
        return
    stopping = {d.key for d in duties_left(flow.duties, from_state, instance.state)}
    if instance.closed:
        stopping |= {d.key for d in flow.duties}
    if stopping:
        uow.execute(
            workflow_duties.update()
            .where(_WD.instance_id == instance.id, _WD.duty_key.in_(sorted(stopping)), _WD.active == true())
            .values(active=False)
        )
    if instance.closed:
        return
    calendar = work_calendar(uow)
    for duty in duties_entered(flow.duties, from_state, instance.state):
        row = uow.execute(
            select(_WD.id, _WD.rhythm, _WD.every, _WD.active)
            .where(_WD.instance_id == instance.id, _WD.duty_key == duty.key)
        ).one_or_none()
        unit_id = instance.unit_id if duty.holder == "unit" else None
        if row is None:
            due = next_due(duty.rhythm, today, calendar)
            uow.execute(workflow_duties.insert().values(
                instance_id=instance.id, duty_key=duty.key, rhythm=duty.rhythm.kind, every=duty.rhythm.every,
                starts_on=today, next_due=due.date, next_due_provisional=due.provisional, active=True,
                unit_id=unit_id, user_id=None,
            ))
        elif not row.active:
            # Entered again (after a return): the rhythm the record was given stands, counted from today.
            due = next_due(Rhythm(row.rhythm, row.every), today, calendar)
            uow.execute(
                workflow_duties.update().where(_WD.id == row.id).values(
                    active=True, starts_on=today, next_due=due.date, next_due_provisional=due.provisional,
                    unit_id=unit_id,
                )
            )


# ----- reading -----------------------------------------------------------------------------------------------


def holder_clause(actor: Actor) -> Any:
    """The duties whose holder the actor is, on workflow_duties joined to workflow_instances (the 工作台 reads
    it as plain SQL: app.services.workflow.todo)."""
    if actor.id is None:
        return false()
    mine = and_(_WD.unit_id.is_(None), _WI.responsible_id == actor.id)
    if actor.has(Role.LIAISON) and actor.unit_id is not None:
        return or_(mine, _WD.unit_id == actor.unit_id)
    return mine


def _holds(actor: Actor, instance: WorkflowInstance, unit_id: int | None) -> bool:
    if unit_id is None:
        return actor.id is not None and instance.responsible_id == actor.id
    return actor.has(Role.LIAISON) and actor.unit_id == unit_id


def _reports_for(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, unit_id: int | None, today: date
) -> tuple[bool, Actor | None]:
    """Whether the actor may report, and on whose behalf: None for the holder themself; else the first
    person who delegated to them for today (代理) and holds the duty."""
    if _holds(actor, instance, unit_id):
        return True, None
    for principal in principals_of(uow, actor, today):
        if _holds(principal, instance, unit_id):
            return True, principal
    return False, None


def _declared(flow: Flow, key: str) -> Duty:
    for duty in flow.duties:
        if duty.key == key:
            return duty
    raise NotFound(f"流程“{flow.label}”中没有“{key}”汇报事项")


def _unit_liaisons(uow: UnitOfWork, unit_id: int) -> list[tuple[int, str]]:
    rows = uow.execute(
        select(users.c.id, users.c.full_name)
        .join(user_roles, user_roles.c.user_id == users.c.id)
        .where(users.c.unit_id == unit_id, users.c.active.is_(True), user_roles.c.role_code == Role.LIAISON.value)
        .order_by(users.c.id)
    ).all()
    return [(row.id, row.full_name) for row in rows]


def _holder_name(uow: UnitOfWork, instance: WorkflowInstance, unit_id: int | None) -> str:
    if unit_id is None:
        return user_full_name(uow, instance.responsible_id) or "未指定"
    return "、".join(name for _, name in _unit_liaisons(uow, unit_id)) or "（该单位暂无联络员）"


@acting
def duties_of(uow: UnitOfWork, actor: Actor, instance_id: int, today: date | None = None) -> list[DutyInfo]:
    """The record's duties, started or not yet, with their reports, newest first."""
    today = today or date.today()
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    rows = {
        row.duty_key: row
        for row in uow.execute(select(workflow_duties).where(_WD.instance_id == instance.id)).all()
    }
    setter = _may_set_rhythm(actor, instance) and not instance.closed
    result = []
    for duty in flow.duties:
        row = rows.get(duty.key)
        if row is None:
            result.append(DutyInfo(instance.id, duty.key, duty.label, duty.rhythm, HOLDER_LABELS[duty.holder],
                                   _holder_name(uow, instance, instance.unit_id if duty.holder == "unit" else None),
                                   False, None, False, False, (), False, setter))
            continue
        reports = tuple(
            DutyReport(r.due_date, r.reported_on, r.text, r.by_name, r.at)
            for r in uow.execute(
                select(workflow_duty_reports).where(_WR.duty_id == row.id).order_by(_WR.id.desc())
            ).all()
        )
        active = bool(row.active) and not instance.closed
        overdue = active and row.next_due is not None and row.next_due < today
        result.append(DutyInfo(
            instance.id, duty.key, duty.label, Rhythm(row.rhythm, row.every), HOLDER_LABELS[duty.holder],
            _holder_name(uow, instance, row.unit_id), active, row.next_due if active else None,
            bool(row.next_due_provisional), overdue, reports,
            active and _reports_for(uow, actor, instance, row.unit_id, today)[0], setter,
        ))
    return result


@acting
def duties_due(uow: UnitOfWork, actor: Actor, today: date | None = None) -> list[DueDuty]:
    """For the 工作台: the reports the actor owes that are overdue or due within DUE_SOON_WORKDAYS working
    days, on open records, the most urgent first."""
    today = today or date.today()
    if actor.id is None:
        return []
    soon = work_calendar(uow).add_workdays(today, DUE_SOON_WORKDAYS).date
    rows = uow.execute(
        select(_WD.instance_id, _WD.duty_key, _WD.rhythm, _WD.every, _WD.next_due, _WD.next_due_provisional,
               _WI.title, _WI.flow_key, _WI.flow_version)
        .select_from(workflow_duties.join(workflow_instances, _WI.id == _WD.instance_id))
        .where(_WD.active == true(), _WI.closed == false(), _WD.next_due <= soon, holder_clause(actor))
        .order_by(_WD.next_due, _WD.id)
    ).all()
    result = []
    for row in rows:
        flow = flow_for(uow, row.flow_key, row.flow_version)
        label = next((d.label for d in flow.duties if d.key == row.duty_key), row.duty_key)
        result.append(DueDuty(
            row.instance_id, row.title, row.duty_key, label, Rhythm(row.rhythm, row.every), row.next_due,
            bool(row.next_due_provisional), row.next_due < today,
        ))
    return result


# ----- acting ------------------------------------------------------------------------------------------------


def _active_duty(uow: UnitOfWork, instance: WorkflowInstance, key: str, doing: str) -> Any:
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    duty = _declared(flow, key)
    row = uow.execute(
        select(workflow_duties).where(_WD.instance_id == instance.id, _WD.duty_key == key)
    ).one_or_none()
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能再{doing}")
    if row is None or not row.active:
        raise WorkflowError(f"“{duty.label}”在当前环节不需要汇报，不能{doing}")
    return row


def _may_set_rhythm(actor: Actor, instance: WorkflowInstance) -> bool:
    return (actor.id is not None and instance.responsible_id == actor.id) or actor.has(*RHYTHM_SETTERS)


def _audit(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, action: str, detail: dict[str, Any]) -> None:
    uow.record(
        actor.id, actor.username, action, instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, **detail}, change_op="update",
    )


@acting
def set_rhythm(
    uow: UnitOfWork, actor: Actor, instance_id: int, duty_key: str, kind: str, every: int = 1,
    today: date | None = None,
) -> DutyInfo:
    """Gives the record's duty a rhythm of its own, before the duty starts (as the item is classed at
    registration) or while it runs: then the next due date counts from the last report, or the duty's start,
    under it. Commits."""
    today = today or date.today()
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id, "设置汇报周期")
    if not _may_set_rhythm(actor, instance):
        heads = "、".join(role.label for role in RHYTHM_SETTERS)
        raise PermissionDenied(f"只有本事项的责任人或{heads}可以设置汇报周期")
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能再设置汇报周期")
    duty = _declared(flow_for(uow, instance.flow_key, instance.flow_version), duty_key)
    if kind not in RHYTHM_KINDS:
        raise ValidationError("汇报周期只能是每周、每月或若干个工作日内", field="kind")
    try:
        rhythm = Rhythm(kind, int(every))
    except FlowDefinitionError as error:
        raise ValidationError(error.message, field="every") from None
    row = uow.execute(
        select(workflow_duties).where(_WD.instance_id == instance.id, _WD.duty_key == duty.key)
    ).one_or_none()
    if row is None:
        # Not started yet: kept, inactive, for follow_move to start it with when the record gets there.
        uow.execute(workflow_duties.insert().values(
            instance_id=instance.id, duty_key=duty.key, rhythm=rhythm.kind, every=rhythm.every, starts_on=today,
            next_due=None, next_due_provisional=False, active=False,
            unit_id=instance.unit_id if duty.holder == "unit" else None, user_id=None,
        ))
    elif not row.active:
        uow.execute(workflow_duties.update().where(_WD.id == row.id).values(rhythm=rhythm.kind, every=rhythm.every))
    else:
        last = uow.execute(select(func.max(_WR.reported_on)).where(_WR.duty_id == row.id)).scalar_one_or_none()
        since = max(last, row.starts_on) if last is not None else row.starts_on
        due = next_due(rhythm, since, work_calendar(uow))
        uow.execute(workflow_duties.update().where(_WD.id == row.id).values(
            rhythm=rhythm.kind, every=rhythm.every, next_due=due.date, next_due_provisional=due.provisional,
        ))
    _audit(uow, actor, instance, "set_rhythm", {"duty": duty_key, "rhythm": [rhythm.kind, rhythm.every]})
    info = next(d for d in duties_of(uow, actor, instance.id, today) if d.key == duty_key)
    uow.commit()
    return info


@acting
def report_duty(
    uow: UnitOfWork, actor: Actor, instance_id: int, duty_key: str, text: str, today: date | None = None,
) -> DutyInfo:
    """The holder's report; the next one is due a rhythm after today. Commits."""
    today = today or date.today()
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id, "汇报")
    row = _active_duty(uow, instance, duty_key, "汇报")
    allowed, principal = _reports_for(uow, actor, instance, row.unit_id, today)
    if not allowed:
        duty = _declared(flow_for(uow, instance.flow_key, instance.flow_version), duty_key)
        raise PermissionDenied(
            f"“{duty.label}”由{HOLDER_LABELS[duty.holder]}（{_holder_name(uow, instance, row.unit_id)}）汇报"
        )
    text = text.strip()
    if not text:
        raise ValidationError("请填写汇报内容", field="text")
    if len(text) > MAX_REPORT:
        raise ValidationError(f"汇报内容不能超过{MAX_REPORT}个字", field="text")
    check_printable(text, "汇报内容", field="text")
    due: Deadline = next_due(Rhythm(row.rhythm, row.every), today, work_calendar(uow))
    uow.execute(workflow_duty_reports.insert().values(
        duty_id=row.id, due_date=row.next_due, reported_on=today, text=text, by_id=actor.id,
        by_name=actor.full_name, on_behalf_of_id=principal.id if principal is not None else None,
    ))
    uow.execute(workflow_duties.update().where(_WD.id == row.id).values(
        next_due=due.date, next_due_provisional=due.provisional,
    ))
    detail: dict[str, Any] = {"duty": duty_key, "due": str(row.next_due), "text": text}
    if principal is not None:
        detail["on_behalf_of"] = principal.full_name
    _audit(uow, actor, instance, "report_duty", detail)
    info = next(d for d in duties_of(uow, actor, instance.id, today) if d.key == duty_key)
    uow.commit()
    return info


@acting
def hasten_duty(
    uow: UnitOfWork, actor: Actor, instance_id: int, duty_key: str, method: str, note: str = "",
    today: date | None = None,
) -> int:
    """A 催办 of an overdue report, aimed at its holder (the responsible person, or the unit's one 联络员;
    where the unit has several, at the unit's role). Returns the urge's id. Commits."""
    from app.models import Urge
    from app.services.workflow.urges import URGE_METHODS, URGING_ROLES, reply_deadline

    today = today or date.today()
    require_role(actor, URGING_ROLES, "催办")
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id, "催办")
    row = _active_duty(uow, instance, duty_key, "催办")
    duty = _declared(flow_for(uow, instance.flow_key, instance.flow_version), duty_key)
    if method not in URGE_METHODS:
        raise ValidationError(f"催办方式只能是：{'、'.join(URGE_METHODS)}", field="method")
    if row.next_due is None or row.next_due >= today:
        raise ValidationError(f"“{duty.label}”尚未逾期，不需要催办", field="method")
    check_printable(note, "催办说明", field="note")
    if row.unit_id is None:
        aimed_at = instance.responsible_id
    else:
        liaisons = _unit_liaisons(uow, row.unit_id)
        aimed_at = liaisons[0][0] if len(liaisons) == 1 else None
    due_day = f"{row.next_due.year}年{row.next_due.month}月{row.next_due.day}日"
    text = f"“{duty.label}”应于{due_day}前汇报，已逾期，请尽快汇报。" + note.strip()
    reply = reply_deadline(work_calendar(uow), today)
    urge = Urge(
        instance_id=instance.id, by_id=actor.id, by_name=actor.full_name, method=method, note=text,
        reply_due=reply.date, reply_due_provisional=reply.provisional, aimed_at_id=aimed_at, duty_key=duty.key,
    )
    uow.session.add(urge)
    uow.flush()
    _audit(uow, actor, instance, "urge", {"duty": duty_key, "method": method, "note": text,
                                          "aimed_at": aimed_at})
    urge_id = urge.id
    uow.commit()
    return urge_id
