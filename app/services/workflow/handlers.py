"""Sending a record to a named person (送曹县长签发): who may be picked at the step a move leads to, and the
check that the person picked is one of them.

The candidates are the active users who could act at that step: their roles (a 联络员 in the record's unit
only), and the guards on who acts there that can be known of them (the principal leader, the head of the
record's unit, not the record's owner …), with the record's facts where the guards read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.core.errors import WorkflowError
from app.core.workflow import ANY_ROLE, Flow, Transition
from app.db.tables import units, user_roles, users
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import (
    actor_facts_for,
    effective_roles,
    flow_for,
    get_instance,
    record_facts,
    resolve_for,
    unit_head_id,
)

if TYPE_CHECKING:
    from app.models import WorkflowInstance


@dataclass(frozen=True)
class Candidate:
    """A person a sender may name as the next handler."""

    id: int
    name: str
    unit_name: str
    is_principal: bool

    @property
    def text(self) -> str:
        return f"{self.name}（{self.unit_name}）" if self.unit_name else self.name


def _can_act(flow: Flow, step_key: str, person: Actor, instance: Any, heads_unit: bool,
             facts: Mapping[str, Any]) -> bool:
    moves = flow.transitions_from(step_key)
    # Whoever may take the step on; one who could only send it back is no handler.
    onward = [t for t in moves if t.kind == "forward"] or list(moves)
    context = {**facts, **actor_facts_for(person, instance, heads_unit)}
    roles = effective_roles(person, instance)
    return any(
        t.role_matches(flow, roles) and all(c.holds(context) for c in t.conditions if c.field in context)
        for t in onward
    )


def candidates_at(
    uow: UnitOfWork, instance: WorkflowInstance, flow: Flow, step_key: str, facts: Mapping[str, Any]
) -> list[Candidate]:
    """The active users who could act at this step of the record, the principal leaders first, then by
    unit (in the office's order) and name."""
    if not flow.names_handler(step_key):
        return []
    wanted: set[str] = set()
    for t in flow.transitions_from(step_key):
        wanted |= t.allowed_roles(flow)
    query = (
        select(users.c.id, users.c.username, users.c.full_name, users.c.unit_id, users.c.is_principal,
               user_roles.c.role_code, units.c.name.label("unit_name"), units.c.sort_order)
        .select_from(users.outerjoin(user_roles, user_roles.c.user_id == users.c.id)
                     .outerjoin(units, units.c.id == users.c.unit_id))
        .where(users.c.active.is_(True), users.c.locked_by_admin.is_(False))
        .order_by(users.c.id)
    )
    if ANY_ROLE not in wanted:
        holders = select(user_roles.c.user_id).where(user_roles.c.role_code.in_(sorted(wanted)))
        query = query.where(users.c.id.in_(holders))
    people: dict[int, tuple[Actor, str, int]] = {}
    roles: dict[int, set[str]] = {}
    for row in uow.execute(query).all():
        roles.setdefault(row.id, set())
        if row.role_code is not None:
            roles[row.id].add(row.role_code)
        people[row.id] = (
            Actor(row.id, row.username, row.full_name, frozenset(), row.unit_id, bool(row.is_principal)),
            row.unit_name or "", row.sort_order if row.sort_order is not None else 1_000_000,
        )
    head = unit_head_id(uow, instance.unit_id)
    found: list[tuple[tuple[bool, int, int], Candidate]] = []
    for user_id, (bare, unit_name, order) in people.items():
        person = Actor(bare.id, bare.username, bare.full_name, frozenset(roles[user_id]), bare.unit_id,
                       bare.is_principal)
        if _can_act(flow, step_key, person, instance, head == user_id, facts):
            found.append(((not person.is_principal, order, user_id),
                          Candidate(user_id, person.full_name, unit_name, person.is_principal)))
    return [candidate for _key, candidate in sorted(found, key=lambda pair: pair[0])]


def check_send_to(
    uow: UnitOfWork, instance: WorkflowInstance, flow: Flow, chosen: Transition, send_to: int,
    facts: Mapping[str, Any] | None,
) -> Candidate:
    """The person picked, or the refusal naming the step: they must be one who could act there."""
    step = flow.step(chosen.target)
    if not flow.names_handler(chosen.target):
        raise WorkflowError(f"“{chosen.label}”之后的“{step.label}”环节不能指定办理人", field="send_to")
    for candidate in candidates_at(uow, instance, flow, chosen.target, facts or {}):
        if candidate.id == send_to:
            return candidate
    raise WorkflowError(
        f"所选人员不能办理“{step.label}”环节，请从可以办理“{step.label}”的人员中选择", field="send_to"
    )


@acting
def handler_candidates(
    uow: UnitOfWork, actor: Actor, instance_id: int, action: str, today: date | None = None
) -> list[Candidate]:
    """Whom the actor may send the record to with this move: the people who could act at the step it leads
    to; empty where that step takes no named handler. Refuses an actor who may not take the move."""
    from app.services.workflow.visibility import require_visible

    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id)
    facts = record_facts(uow, instance)
    chosen, _principal = resolve_for(uow, actor, instance, action, None, facts, today)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    return candidates_at(uow, instance, flow, chosen.target, facts)
