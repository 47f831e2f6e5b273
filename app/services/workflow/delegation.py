"""代理/委托: a person away names a colleague and a period; inside it their to-dos show for the colleague, who
acts on their behalf (app.services.workflow.moves.resolve_for, todo). An administrator may also set one for
someone else. Every change is audited and goes into the change feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import and_, or_, select, update

from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.core.printable import check_printable
from app.core.roles import Role
from app.db.tables import delegations, users, utcnow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

ENTITY = "delegation"
# A delegation longer than this is an appointment, not an absence.
MAX_DAYS = 366
_D = delegations.c


@dataclass(frozen=True)
class DelegationInfo:
    id: int
    principal_id: int
    principal_name: str
    delegate_id: int
    delegate_name: str
    starts_on: date
    ends_on: date
    reason: str
    revoked_at: datetime | None

    def in_force(self, on: date) -> bool:
        return self.revoked_at is None and self.starts_on <= on <= self.ends_on

    @property
    def period(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} 至 {self.ends_on:%Y-%m-%d}"


def _user(uow: UnitOfWork, user_id: int) -> tuple[str, bool]:
    row = uow.execute(select(users.c.full_name, users.c.active).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound("找不到该用户，可能已被删除")
    return row.full_name, bool(row.active)


def _infos(uow: UnitOfWork, condition: object) -> list[DelegationInfo]:
    principal, delegate = users.alias("principal"), users.alias("delegate")
    rows = uow.execute(
        select(_D.id, _D.principal_id, principal.c.full_name, _D.delegate_id, delegate.c.full_name, _D.starts_on,
               _D.ends_on, _D.reason, _D.revoked_at)
        .select_from(delegations.join(principal, principal.c.id == _D.principal_id)
                     .join(delegate, delegate.c.id == _D.delegate_id))
        .where(condition)  # type: ignore[arg-type]
        .order_by(_D.starts_on.desc(), _D.id.desc())
    ).all()
    return [DelegationInfo(*row) for row in rows]


@acting
def delegate(
    uow: UnitOfWork,
    actor: Actor,
    *,
    delegate_id: int,
    starts_on: date,
    ends_on: date,
    reason: str = "",
    principal_id: int | None = None,
    today: date | None = None,
) -> DelegationInfo:
    """Names a colleague to act for the actor (or, by an administrator, for principal_id) over a period."""
    if actor.id is None and principal_id is None:
        raise ValidationError("请选择委托人", field="principal_id")
    principal = principal_id if principal_id is not None else actor.id
    assert principal is not None
    if principal != actor.id and not actor.has(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以替他人设置委托")
    principal_name, principal_active = _user(uow, principal)
    if delegate_id == principal:
        raise ValidationError("不能委托给自己，请选择其他同事", field="delegate_id")
    delegate_name, delegate_active = _user(uow, delegate_id)
    if not delegate_active:
        raise ValidationError(f"{delegate_name}的账户已停用，不能接受委托，请选择其他同事", field="delegate_id")
    if not principal_active:
        raise ValidationError(f"{principal_name}的账户已停用，不能设置委托", field="principal_id")
    if ends_on < starts_on:
        raise ValidationError("结束日期不能早于开始日期", field="ends_on")
    if ends_on < (today or date.today()):
        raise ValidationError("结束日期已过，请重新选择委托期间", field="ends_on")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise ValidationError(f"委托期间不能超过{MAX_DAYS}天", field="ends_on")
    text = reason.strip()
    check_printable(text, "委托事由", field="reason")
    if len(text) > 200:
        raise ValidationError("委托事由不能超过200个字", field="reason")
    overlapping = _infos(uow, and_(
        _D.principal_id == principal, _D.revoked_at.is_(None), _D.starts_on <= ends_on, _D.ends_on >= starts_on,
    ))
    if overlapping:
        o = overlapping[0]
        raise ValidationError(
            f"{principal_name}在{o.period}已委托{o.delegate_name}代办，与所选期间重叠；请先撤销该委托或另选期间",
            field="starts_on",
        )
    inserted = cast("CursorResult[Any]", uow.execute(
        delegations.insert().values(
            principal_id=principal, delegate_id=delegate_id, starts_on=starts_on, ends_on=ends_on, reason=text,
            created_at=utcnow(), created_by=actor.id,
        )
    ))
    key = inserted.inserted_primary_key
    assert key is not None
    new_id = int(key[0])
    uow.record(
        actor.id, actor.username, "delegate", ENTITY, new_id,
        {"principal": principal_name, "delegate": delegate_name, "from": starts_on.isoformat(),
         "to": ends_on.isoformat(), "reason": text},
        change_op="create",
    )
    info = _infos(uow, _D.id == new_id)[0]
    uow.commit()
    return info


@acting
def revoke_delegation(uow: UnitOfWork, actor: Actor, delegation_id: int) -> DelegationInfo:
    """Ends a delegation now: by the person who gave it, or an administrator."""
    found = _infos(uow, _D.id == delegation_id)
    if not found:
        raise NotFound("找不到该委托，可能已被删除")
    info = found[0]
    if info.principal_id != actor.id and not actor.has(Role.ADMIN):
        raise PermissionDenied("只有委托人本人或系统管理员可以撤销委托")
    if info.revoked_at is not None:
        raise ValidationError(f"委托{info.delegate_name}代办（{info.period}）已撤销")
    uow.execute(update(delegations).where(_D.id == delegation_id).values(revoked_at=utcnow()))
    uow.record(
        actor.id, actor.username, "revoke_delegation", ENTITY, delegation_id,
        {"principal": info.principal_name, "delegate": info.delegate_name, "period": info.period},
        change_op="update",
    )
    info = _infos(uow, _D.id == delegation_id)[0]
    uow.commit()
    return info


@dataclass(frozen=True)
class MyDelegations:
    given: list[DelegationInfo]
    received: list[DelegationInfo]


@acting
def my_delegations(uow: UnitOfWork, actor: Actor) -> MyDelegations:
    """The delegations the actor gave and those given to them, newest first."""
    if actor.id is None:
        return MyDelegations([], [])
    rows = _infos(uow, or_(_D.principal_id == actor.id, _D.delegate_id == actor.id))
    return MyDelegations(
        [d for d in rows if d.principal_id == actor.id], [d for d in rows if d.delegate_id == actor.id]
    )
