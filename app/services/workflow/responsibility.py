"""一事一人, 首问负责: the one person who answers for a record across every move, until a recorded hand-over.

moves.start makes the starter responsible, and no move changes it: only hand_over does, and the hand-over
stands in the record's history (移交责任人) with its reason, and in the audit log. The responsible person
holds the record's recurring duties (app.services.workflow.duties), so a hand-over hands those on too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.printable import check_printable
from app.core.roles import Role
from app.db.tables import user_roles, users
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import get_instance, user_full_name
from app.services.workflow.visibility import may_see, require_visible

# Who may hand over a record they do not answer for themself: the office's heads, who assign the work,
# and the administrator, who reassigns what a person leaving the office held.
REASSIGNING_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.ADMIN)
HANDOVER_ACTION = "handover"
HANDOVER_LABEL = "移交责任人"
MAX_REASON = 200


@dataclass(frozen=True)
class Responsible:
    """Who answers for a record, and whether the actor may hand it over."""

    instance_id: int
    user_id: int | None
    name: str
    may_hand_over: bool
    # Why not, for the 移交… button's tooltip ("" when it may).
    why_not: str


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    unit_name: str


def _hand_over_refusal(actor: Actor, responsible_id: int | None, closed: bool) -> str:
    if closed:
        return "事项已办结，不能再移交责任人"
    if actor.id is not None and actor.id == responsible_id or actor.has(*REASSIGNING_ROLES):
        return ""
    heads = "、".join(role.label for role in REASSIGNING_ROLES)
    return f"只有本事项的责任人，或{heads}，可以移交责任人"


@acting
def responsible_of(uow: UnitOfWork, actor: Actor, instance_id: int) -> Responsible:
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id)
    why_not = _hand_over_refusal(actor, instance.responsible_id, instance.closed)
    return Responsible(
        instance.id, instance.responsible_id, user_full_name(uow, instance.responsible_id) or "未指定",
        not why_not, why_not,
    )


def _user_as_actor(uow: UnitOfWork, user_id: int) -> Actor | None:
    """An active user as an Actor, to ask what they may see; None for a user disabled, locked or gone."""
    rows = uow.execute(
        select(users.c.id, users.c.username, users.c.full_name, users.c.unit_id, users.c.is_principal,
               user_roles.c.role_code)
        .select_from(users.outerjoin(user_roles, user_roles.c.user_id == users.c.id))
        .where(users.c.id == user_id, users.c.active.is_(True), users.c.locked_by_admin.is_(False))
    ).all()
    if not rows:
        return None
    first = rows[0]
    return Actor(first.id, first.username, first.full_name,
                 frozenset(r.role_code for r in rows if r.role_code is not None), first.unit_id,
                 bool(first.is_principal))


def user_may_see(uow: UnitOfWork, user_id: int, instance_id: int) -> bool:
    """Whether another active user may see the record, by the same rule as the actor's own reads."""
    other = _user_as_actor(uow, user_id)
    if other is None:
        return False
    # The visibility check confirms whoever it asks about as the unit of work's acting user; the commit
    # must still check the real actor, so that is put back.
    acting_before = uow.acting
    try:
        return may_see(uow, other, instance_id)
    finally:
        uow.acting = acting_before


@acting
def handover_candidates(uow: UnitOfWork, actor: Actor, instance_id: int) -> list[Candidate]:
    """Active people who may see the record, the responsible person left out: whom 移交… offers."""
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id)
    from app.db.tables import units

    rows = uow.execute(
        select(users.c.id, users.c.full_name, units.c.name)
        .select_from(users.outerjoin(units, units.c.id == users.c.unit_id))
        .where(users.c.active.is_(True), users.c.locked_by_admin.is_(False))
        .order_by(units.c.sort_order, users.c.id)
    ).all()
    return [
        Candidate(row.id, row.full_name, row.name or "")
        for row in rows
        if row.id != instance.responsible_id and user_may_see(uow, row.id, instance.id)
    ]


@acting
def hand_over(
    uow: UnitOfWork, actor: Actor, instance_id: int, *, to_user_id: int, reason: str,
    expected_version: int | None = None,
) -> Responsible:
    """Makes another person responsible for the record, with the reason; recorded in its history. Commits."""
    from app.models import WorkflowHistory

    instance = get_instance(uow, instance_id, expected_version)
    require_visible(uow, actor, instance.id, "移交")
    refusal = _hand_over_refusal(actor, instance.responsible_id, instance.closed)
    if refusal:
        raise (WorkflowError if instance.closed else PermissionDenied)(refusal)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写移交的原因", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"移交原因不能超过{MAX_REASON}个字", field="reason")
    check_printable(reason, "移交原因", field="reason")
    if to_user_id == instance.responsible_id:
        raise ValidationError("此人已是本事项的责任人，请选择其他人员", field="to_user_id")
    name = user_full_name(uow, to_user_id)
    if _user_as_actor(uow, to_user_id) is None:
        raise ValidationError(f"{name or '所选人员'}已停用或被锁定，不能接手事项，请选择其他人员", field="to_user_id")
    if not user_may_see(uow, to_user_id, instance.id):
        raise ValidationError(f"{name}无权查看这件事项，不能移交给他，请选择其他人员", field="to_user_id")
    before = instance.responsible_id
    instance.responsible_id = to_user_id
    opinion = f"移交给{name}：{reason}"
    uow.session.add(
        WorkflowHistory(
            instance_id=instance.id, from_state=instance.state, to_state=instance.state, action=HANDOVER_ACTION,
            action_label=HANDOVER_LABEL, actor_id=actor.id, actor_name=actor.full_name, opinion=opinion,
        )
    )
    uow.record(
        actor.id, actor.username, HANDOVER_ACTION, instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "from": before, "to": to_user_id, "reason": reason}, change_op="update",
    )
    uow.flush()
    result = Responsible(instance.id, to_user_id, name, *_may_after(actor, to_user_id))
    uow.commit()
    return result


def _may_after(actor: Actor, responsible_id: int) -> tuple[bool, str]:
    why_not = _hand_over_refusal(actor, responsible_id, False)
    return not why_not, why_not
