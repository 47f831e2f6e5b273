"""催办: hastening an overdue or urgent item. Each one is recorded (who, when, how, note) and printable."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

from sqlalchemy import false, func, select

from app.core.calendar import Deadline, WorkCalendar, local_date, local_time
from app.core.errors import ValidationError
from app.core.roles import Role
from app.core.workflow import urging
from app.core.workflow.urging import UrgeSlipHead
from app.models import Urge, WorkflowInstance
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import get_instance
from app.services.workflow.visibility import require_visible

URGE_METHODS = ("电话", "短信", "当面", "书面", "系统提醒")
# Who may hasten: the office's coordinators, and the leaders they serve.
URGING_ROLES = urging.URGING_ROLES
# The office's 限时办结 practice: the hastened unit replies within this many working days of the urge.
REPLY_WORKDAYS = 2
# What the 催办单 says when the step waits for nobody in particular, so that the office names someone.
NOBODY_RESPONSIBLE = "未指定（请指定承办人）"


@dataclass(frozen=True)
class UrgeInfo:
    id: int
    instance_id: int
    by_name: str
    method: str
    note: str
    at: datetime
    reply_due: date | None = None
    reply_due_provisional: bool = False


def reply_deadline(calendar: WorkCalendar, urged_on: date) -> Deadline:
    """The 反馈时限 of an urge made on ``urged_on``: REPLY_WORKDAYS working days later, as every deadline."""
    return calendar.add_workdays(urged_on, REPLY_WORKDAYS)


def _info(row: Urge) -> UrgeInfo:
    return UrgeInfo(
        row.id, row.instance_id, row.by_name, row.method, row.note, row.at, row.reply_due, row.reply_due_provisional
    )


@acting
def urge(uow: UnitOfWork, actor: Actor, instance_id: int, method: str, note: str = "",
         today: date | None = None) -> UrgeInfo:
    require_role(actor, URGING_ROLES, "催办")
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id, "催办")
    if instance.closed:
        raise ValidationError(f"“{instance.title}”已办结，不需要催办")
    if method not in URGE_METHODS:
        raise ValidationError(f"催办方式只能是：{'、'.join(URGE_METHODS)}", field="method")
    today = today or date.today()
    overdue = instance.due_date is not None and instance.due_date < today
    if not overdue and not instance.urgency:
        raise ValidationError("只有已逾期或标为紧急的事项才需要催办", field="method")
    reply = reply_deadline(work_calendar(uow), today)
    row = Urge(
        instance_id=instance.id, by_id=actor.id, by_name=actor.full_name, method=method, note=note.strip(),
        reply_due=reply.date, reply_due_provisional=reply.provisional, aimed_at_id=aimed_at(uow, instance),
    )
    uow.session.add(row)
    uow.flush()
    uow.record(
        actor.id, actor.username, "urge", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "method": method, "note": note.strip()}, change_op="update",
    )
    info = _info(row)
    uow.commit()
    return info


def urges_for(uow: UnitOfWork, instance_id: int) -> list[UrgeInfo]:
    rows = uow.session.execute(select(Urge).where(Urge.instance_id == instance_id).order_by(Urge.id)).scalars()
    return [_info(r) for r in rows]


def urge_count(uow: UnitOfWork, instance_id: int) -> int:
    return int(uow.session.execute(select(func.count(Urge.id)).where(Urge.instance_id == instance_id)).scalar_one())


def overdue_open(uow: UnitOfWork, today: date) -> list[int]:
    """Open items past their due date: the scheduled 催办 run walks these."""
    return list(
        uow.session.execute(
            select(WorkflowInstance.id).where(
                WorkflowInstance.closed == false(), WorkflowInstance.due_date < today
            )
        ).scalars()
    )


@dataclass(frozen=True)
class UrgeSlipFacts(UrgeSlipHead):
    """What a 催办单 prints, gathered from the record, its flow and its urges. Times are on the office's
    clock (app.core.calendar.local_time), as the windows show them; the records keep UTC."""

    due_provisional: bool
    latest: UrgeInfo
    previous: list[UrgeInfo]
    reply_due: date
    reply_provisional: bool


def _step_holders(uow: UnitOfWork, instance: WorkflowInstance, flow_roles: set[str]) -> list[tuple[int, str, int | None]]:
    """(id, name, unit) of the active people whose roles act at the step; a unit-scoped role (联络员)
    counts only in the record's own unit, as it does for acting."""
    from app.models import User, UserRole
    from app.services.workflow.moves import UNIT_SCOPED_ROLES

    rows = uow.session.execute(
        select(User.id, User.full_name, User.unit_id, UserRole.role_code)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role_code.in_(sorted(flow_roles)))
        .order_by(User.id)
    ).all()
    holders: dict[int, tuple[int, str, int | None]] = {}
    for user_id, name, unit_id, role in rows:
        if role in UNIT_SCOPED_ROLES and unit_id != instance.unit_id:
            continue
        holders[user_id] = (user_id, name, unit_id)
    return list(holders.values())


def _name_of(uow: UnitOfWork, user_id: int | None) -> str:
    from app.models import User

    user = uow.session.get(User, user_id) if user_id else None
    return user.full_name if user is not None and user.active else ""


def _named_holder(uow: UnitOfWork, instance: WorkflowInstance) -> tuple[int, str] | None:
    """The one person the item waits for, if there is one: the person it is assigned to; its owner at a
    step only the owner acts on; the one person who holds the step (in the record's unit, else anywhere)."""
    from app.core.workflow.engine import ANY_ROLE, OWNER
    from app.services.workflow.moves import flow_for

    if instance.assignee_id and _name_of(uow, instance.assignee_id):
        return instance.assignee_id, _name_of(uow, instance.assignee_id)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    moves = flow.transitions_from(instance.state)
    if moves and instance.owner_id and all(OWNER in t.conditions for t in moves) and _name_of(uow, instance.owner_id):
        return instance.owner_id, _name_of(uow, instance.owner_id)
    roles = {role for t in moves for role in t.allowed_roles(flow)} - {ANY_ROLE}
    holders = _step_holders(uow, instance, roles) if roles else []
    in_unit = [h for h in holders if h[2] == instance.unit_id]
    for group in (in_unit, holders):
        if len(group) == 1:
            return group[0][0], group[0][1]
    return None


def aimed_at(uow: UnitOfWork, instance: WorkflowInstance) -> int | None:
    """Whom a 催办 reaches: the one person the item waits for (and their delegate, app.services.workflow.todo);
    None where it waits for a role's holders, who all see it."""
    holder = _named_holder(uow, instance)
    return holder[0] if holder is not None else None


def responsible_person(uow: UnitOfWork, instance: WorkflowInstance) -> str:
    """Who answers for the item now, by name: the one person it waits for (_named_holder); else the head of
    the responsible unit. Never a role: where nobody is, the slip says so (NOBODY_RESPONSIBLE)."""
    from app.models import Unit

    holder = _named_holder(uow, instance)
    if holder is not None:
        return holder[1]
    unit = uow.session.get(Unit, instance.unit_id) if instance.unit_id else None
    head = _name_of(uow, unit.head_user_id) if unit is not None else ""
    if head:
        return f"{head}（单位负责人）"
    return NOBODY_RESPONSIBLE


def _overdue_days(calendar: WorkCalendar, due: date | None, today: date) -> int | None:
    if due is None:
        return None
    if today >= due:
        return calendar.overdue_workdays(due, today)
    return -calendar.workdays_between(today, due)


def urge_slip_facts(uow: UnitOfWork, instance_id: int, today: date | None = None) -> UrgeSlipFacts:
    from app.models import Unit
    from app.services.kernel.settings import get_setting
    from app.services.workflow.moves import flow_for

    instance = get_instance(uow, instance_id)
    records = [replace(u, at=local_time(u.at)) for u in urges_for(uow, instance_id)]
    if not records:
        raise ValidationError(f"“{instance.title}”还没有催办记录，请先催办再打印催办单")
    latest = records[-1]
    year = latest.at.year
    # Numbered by order within the office's year: urges are never deleted, so the numbers have no gaps.
    year_start = datetime.combine(date(year, 1, 1), time.min).astimezone().astimezone(UTC)
    earlier_this_year = uow.session.execute(
        select(func.count(Urge.id)).where(Urge.id <= latest.id, Urge.at >= year_start)
    ).scalar_one()
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    step = flow.step(instance.state)
    unit = uow.session.get(Unit, instance.unit_id) if instance.unit_id else None
    calendar = work_calendar(uow)
    today = today or date.today()
    if latest.reply_due is not None:
        reply = Deadline(latest.reply_due, latest.reply_due_provisional)
    else:
        # An urge recorded before its deadline was stored: the same rule, from its day.
        reply = reply_deadline(calendar, local_date(latest.at))
    return UrgeSlipFacts(
        office_name=str(get_setting(uow, "office_name")),
        serial=f"催〔{year}〕{earlier_this_year}号",
        item_title=instance.title,
        item_kind=flow.label,
        current_step=step.label,
        responsible_unit=unit.name if unit else "",
        responsible_person=responsible_person(uow, instance),
        due_date=instance.due_date,
        due_provisional=bool(instance.due_provisional) and instance.due_date is not None,
        overdue_days=_overdue_days(calendar, instance.due_date, today),
        latest=latest,
        previous=records[:-1],
        reply_due=reply.date,
        reply_provisional=reply.provisional,
    )


@acting
def urge_overdue(uow: UnitOfWork, actor: Actor, today: date | None = None) -> int:
    """The scheduled 催办: one 系统提醒 for every open item past its due date that has not been hastened
    today. Safe to run several times a day. Returns how many items were hastened."""
    require_role(actor, [Role.ADMIN, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY], "批量催办")
    today = today or date.today()
    due = overdue_open(uow, today)
    if not due:
        return 0
    reply = reply_deadline(work_calendar(uow), today)
    start_of_day = datetime.combine(today, time.min).astimezone(UTC)
    already = set(
        uow.session.execute(
            select(Urge.instance_id).where(Urge.instance_id.in_(due), Urge.at >= start_of_day)
        ).scalars()
    )
    hastened = 0
    for instance_id in due:
        if instance_id in already:
            continue
        instance = get_instance(uow, instance_id)
        note = f"已超过办理时限（{instance.due_date:%Y-%m-%d}），请尽快办理"
        uow.session.add(
            Urge(
                instance_id=instance_id, by_id=actor.id, by_name=actor.full_name, method="系统提醒", note=note,
                reply_due=reply.date, reply_due_provisional=reply.provisional, aimed_at_id=aimed_at(uow, instance),
            )
        )
        uow.record(
            actor.id, actor.username, "urge", instance.entity_type,
            instance.entity_id if instance.entity_id is not None else instance.id,
            {"instance": instance_id, "method": "系统提醒", "note": note}, change_op="update",
        )
        hastened += 1
    uow.commit()
    return hastened
