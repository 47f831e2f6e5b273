"""催办: hastening an overdue or urgent item. Each one is recorded (who, when, how, note) and printable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

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
                WorkflowInstance.closed.is_(False), WorkflowInstance.due_date < today
            )
        ).scalars()
    )
