"""催办: hastening an overdue or urgent item. Each one is recorded (who, when, how, note) and printable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import false, func, select

from app.core.errors import ValidationError
from app.core.roles import Role
from app.models import Urge, WorkflowInstance
from app.services.actor import Actor, require_role
from app.services.uow import UnitOfWork
from app.services.workflow import get_instance

URGE_METHODS = ("电话", "短信", "当面", "书面", "系统提醒")
# Who may hasten: the office's coordinators, and the leaders they serve.
URGING_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.PETITION_OFFICER, Role.COUNTY_LEADER)


@dataclass(frozen=True)
class UrgeInfo:
    id: int
    instance_id: int
    by_name: str
    method: str
    note: str
    at: datetime


def urge(uow: UnitOfWork, actor: Actor, instance_id: int, method: str, note: str = "",
         today: date | None = None) -> UrgeInfo:
    require_role(actor, URGING_ROLES, "催办")
    instance = get_instance(uow, instance_id)
    if instance.closed:
        raise ValidationError(f"“{instance.title}”已办结，不需要催办")
    if method not in URGE_METHODS:
        raise ValidationError(f"催办方式只能是：{'、'.join(URGE_METHODS)}", field="method")
    today = today or date.today()
    overdue = instance.due_date is not None and instance.due_date < today
    if not overdue and not instance.urgency:
        raise ValidationError("只有已逾期或标为紧急的事项才需要催办", field="method")
    row = Urge(instance_id=instance.id, by_id=actor.id, by_name=actor.full_name, method=method, note=note.strip())
    uow.session.add(row)
    uow.flush()
    uow.record(
        actor.id, actor.username, "urge", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "method": method, "note": note.strip()}, change_op="update",
    )
    info = UrgeInfo(row.id, instance.id, row.by_name, row.method, row.note, row.at)
    uow.commit()
    return info


def urges_for(uow: UnitOfWork, instance_id: int) -> list[UrgeInfo]:
    rows = uow.session.execute(select(Urge).where(Urge.instance_id == instance_id).order_by(Urge.id)).scalars()
    return [UrgeInfo(r.id, r.instance_id, r.by_name, r.method, r.note, r.at) for r in rows]


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
class UrgeSlipFacts:
    """What a 催办单 prints, gathered from the record, its flow and its urges."""

    office_name: str
    serial: str
    item_title: str
    item_kind: str
    current_step: str
    responsible_unit: str
    responsible_person: str
    due_date: date | None
    overdue_days: int | None
    latest: UrgeInfo
    previous: list[UrgeInfo]


def urge_slip_facts(uow: UnitOfWork, instance_id: int, today: date | None = None) -> UrgeSlipFacts:
    from app.core.roles import describe_roles
    from app.core.workflow.engine import OWNER
    from app.models import Unit, User
    from app.services.settings import get_setting
    from app.services.workflow import flow_for

    instance = get_instance(uow, instance_id)
    records = urges_for(uow, instance_id)
    if not records:
        raise ValidationError(f"“{instance.title}”还没有催办记录，请先催办再打印催办单")
    latest = records[-1]
    year = latest.at.year
    # Numbered by order within the year: urges are never deleted, so the numbers have no gaps.
    earlier_this_year = uow.session.execute(
        select(func.count(Urge.id)).where(
            Urge.id <= latest.id, func.extract("year", Urge.at) == year
        )
    ).scalar_one()
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    step = flow.step(instance.state)
    unit = uow.session.get(Unit, instance.unit_id) if instance.unit_id else None
    if instance.assignee_id:
        assignee = uow.session.get(User, instance.assignee_id)
        person = assignee.full_name if assignee else ""
    elif any(OWNER in t.conditions for t in flow.transitions_from(step.key)):
        owner = uow.session.get(User, instance.owner_id) if instance.owner_id else None
        person = owner.full_name if owner else ""
    else:
        person = describe_roles(set(step.roles))
    today = today or date.today()
    overdue_days = None
    if instance.due_date is not None and instance.due_date < today:
        # Calendar days: the slip reads 已逾期N天.
        overdue_days = (today - instance.due_date).days
    return UrgeSlipFacts(
        office_name=str(get_setting(uow, "office_name")),
        serial=f"催〔{year}〕{earlier_this_year}号",
        item_title=instance.title,
        item_kind=flow.label,
        current_step=step.label,
        responsible_unit=unit.name if unit else "",
        responsible_person=person,
        due_date=instance.due_date,
        overdue_days=overdue_days,
        latest=latest,
        previous=records[:-1],
    )


def urge_overdue(uow: UnitOfWork, actor: Actor, today: date | None = None) -> int:
    """The scheduled 催办: one 系统提醒 for every open item past its due date that has not been hastened
    today. Safe to run several times a day. Returns how many items were hastened."""
    require_role(actor, [Role.ADMIN, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY], "批量催办")
    today = today or date.today()
    due = overdue_open(uow, today)
    if not due:
        return 0
    from datetime import UTC, datetime, time

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
            Urge(instance_id=instance_id, by_id=actor.id, by_name=actor.full_name, method="系统提醒", note=note)
        )
        uow.record(
            actor.id, actor.username, "urge", instance.entity_type,
            instance.entity_id if instance.entity_id is not None else instance.id,
            {"instance": instance_id, "method": "系统提醒", "note": note}, change_op="update",
        )
        hastened += 1
    uow.commit()
    return hastened
