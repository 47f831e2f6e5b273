"""Generic workflow use cases: start a record's flow, list the actions open to a user, move it on.

Entity services (documents, claims ...) call start() and apply_transition() inside their own unit of
work, then commit once with their own changes. transition() is the stand-alone form that commits.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, literal_column, select, union_all

from app.core.areas import entity_types
from app.core.errors import NotFound, PermissionDenied, WorkflowError
from app.core.printable import check_printable
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS, Flow, Transition, flow_from_dict
from app.core.workflow.actor_facts import ACTOR_FACTS
from app.core.workflow.flows import BUILTIN_FLOWS, builtin_flow
from app.db.tables import (
    delegations,
    flow_definitions,
    units,
    user_roles,
    users,
    utcnow,
    workflow_instances,
)
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.move_effects import after_move

if TYPE_CHECKING:
    from app.core.calendar import WorkCalendar
    from app.models import WorkflowInstance

# The reads of the 工作台 and the lists (flow versions, InstanceInfo rows, names) are written on the
# tables of app.db.tables and need no ORM; the mapped classes are imported by the functions that create
# or change instances. A record window's view of its flow is in app.services.workflow.detail.

# Records whose area service owns their transitions (every entity type an area's manifest declares); the
# generic transition refuses them.
OWN_SERVICES: dict[str, str] = entity_types()

# A liaison acts for one unit only: on records of other units the role does not count.
UNIT_SCOPED_ROLES: frozenset[str] = frozenset({Role.LIAISON.value})


@dataclass(frozen=True)
class InstanceInfo:
    """Where one record stands in its flow, as the lists and the 工作台 show it."""

    id: int
    flow_key: str
    flow_version: int
    flow_label: str
    entity_type: str
    entity_id: int | None
    title: str
    state: str
    state_label: str
    closed: bool
    unit_id: int | None
    owner_id: int | None
    assignee_id: int | None
    urgency: str
    due_date: date | None
    due_provisional: bool
    entered_at: datetime
    version: int
    # 撤回: who made the last move, and when its next handler first opened the record since.
    moved_by_id: int | None = None
    opened_at: datetime | None = None
    responsible_id: int | None = None


def flow_for(uow: UnitOfWork, key: str, version: int | None = None) -> Flow:
    """The stored flow version an administrator saved, else the built-in default (version 1)."""
    cache_key = ("flow", key, version)
    if cache_key not in uow.cache:
        newest: Flow | None = uow.cache.get(("flow", key, None))
        # The newest version, read already by this work (a record just started on it), asked for by its number:
        # the same stored row or the same built-in flow, not read again.
        if version is not None and newest is not None and newest.version == version:
            uow.cache[cache_key] = newest
        else:
            uow.cache[cache_key] = _load_flow(uow, key, version)
    flow: Flow = uow.cache[cache_key]
    return flow


def _load_flow(uow: UnitOfWork, key: str, version: int | None) -> Flow:
    stored_flows = flow_definitions.c
    query = select(stored_flows.definition).where(stored_flows.flow_key == key)
    if version is not None:
        query = query.where(stored_flows.flow_version == version)
    stored = uow.execute(query.order_by(stored_flows.flow_version.desc()).limit(1)).scalar_one_or_none()
    if stored is not None:
        return _parsed_flow(key, stored)
    default = DEFAULT_FLOWS.get(key) if version is None else builtin_flow(key, version)
    if default is None:
        raise NotFound(f"找不到流程“{key}”的第{version}版定义")
    return default


def stored_definition(key: Any, version: Any) -> Any:
    """The stored text of a flow version, as a scalar subquery: a record's own statement reads it with the
    record (NULL where the version is built in); flow_with_definition then makes the flow of it."""
    stored_flows = flow_definitions.c
    return (
        select(stored_flows.definition)
        .where(stored_flows.flow_key == key, stored_flows.flow_version == version)
        .limit(1)
        .scalar_subquery()
    )


def flow_with_definition(uow: UnitOfWork, key: str, version: int, stored: str | None) -> Flow:
    """flow_for(uow, key, version), from the stored text (or None) read by the caller's own statement."""
    cache_key = ("flow", key, version)
    if cache_key not in uow.cache:
        found = _parsed_flow(key, stored) if stored is not None else builtin_flow(key, version)
        if found is None:
            raise NotFound(f"找不到流程“{key}”的第{version}版定义")
        uow.cache[cache_key] = found
    flow: Flow = uow.cache[cache_key]
    return flow


@functools.lru_cache(maxsize=64)
def _parsed_flow(key: str, definition: str) -> Flow:
    """A stored flow, parsed and checked once per process. Keyed by its text, not its version: a
    restored backup may hold other text under the same version number."""
    base = DEFAULT_FLOWS.get(key)
    return flow_from_dict(json.loads(definition), base.predicates if base else None)


# The rows of every_flow's statement that are the delegations in force for the 工作台's reader, not flows.
_DELEGATION_ROW = "#delegation"


def every_flow(uow: UnitOfWork, delegate: tuple[int, date] | None = None) -> dict[tuple[str, int], Flow]:
    """Every flow version there is, built-in and saved, in one query; flow_for() then finds each of
    them in this unit of work without asking again.

    delegate (a user id and a day): the same statement also reads who has delegated to that user for the day
    (代理), for principals_of: the 工作台 asks both at the start, and on a LAN each statement is a round trip."""
    cache_key = ("flows",)
    if delegate is not None and ("principal_ids", *delegate) not in uow.cache:
        uow.cache.pop(cache_key, None)
    if cache_key not in uow.cache:
        flows = dict(BUILTIN_FLOWS)
        # As flow_for(key): the newest saved version, else the built-in one.
        latest: dict[str, int] = {key: flow.version for key, flow in DEFAULT_FLOWS.items()}
        saved: dict[str, int] = {}
        stored_flows = flow_definitions.c
        query: Any = select(stored_flows.flow_key, stored_flows.flow_version, stored_flows.definition)
        if delegate is not None:
            # Written into the SQL, as todo's tallies are: a bound parameter in a UNION leaves PostgreSQL to guess.
            query = union_all(query, select(
                literal_column(f"'{_DELEGATION_ROW}'", String()), delegations.c.principal_id, literal_column("NULL"),
            ).where(delegations.c.delegate_id == delegate[0], active_delegation(delegate[1])))
        principal_ids: list[int] = []
        rows = uow.execute(query).all()
        for key, version, definition in rows:
            if key == _DELEGATION_ROW:
                principal_ids.append(int(version))
                continue
            flows[(key, version)] = _parsed_flow(key, definition)
            saved[key] = max(saved.get(key, version), version)
        latest.update(saved)
        for (key, version), flow in flows.items():
            uow.cache[("flow", key, version)] = flow
        for key, version in latest.items():
            uow.cache[("flow", key, None)] = flows[(key, version)]
        uow.cache[cache_key] = flows
        if delegate is not None:
            uow.cache[("principal_ids", *delegate)] = sorted(principal_ids)
    result: dict[tuple[str, int], Flow] = uow.cache[cache_key]
    return result


# What InstanceInfo reads from an instance, in its field order. A list asks for these columns alone
# and makes its entries with info_from_row, which spares building and tracking an ORM object per row.
# They are the table's columns, not the mapped attributes: a statement of table columns alone runs as
# plain SQL, without the ORM's compile and load steps.
_WI = workflow_instances.c
INFO_COLUMNS = (
    _WI.id, _WI.flow_key, _WI.flow_version, _WI.entity_type, _WI.entity_id, _WI.title, _WI.state, _WI.closed,
    _WI.unit_id, _WI.owner_id, _WI.assignee_id, _WI.urgency, _WI.due_date, _WI.due_provisional, _WI.entered_at,
    _WI.version,
)
# With what a record's window shows besides (撤回: the mover and the first opening; the responsible person):
# the lists and the 工作台, which read many rows, leave these out.
WINDOW_COLUMNS = (*INFO_COLUMNS, _WI.moved_by_id, _WI.opened_at, _WI.responsible_id)
_BASE = len(INFO_COLUMNS)


def info_from_row(row: Sequence[Any], flow: Flow) -> InstanceInfo:
    """An InstanceInfo from a row of INFO_COLUMNS or WINDOW_COLUMNS."""
    (
        id_, flow_key, flow_version, entity_type, entity_id, title, state, closed,
        unit_id, owner_id, assignee_id, urgency, due_date, due_provisional, entered_at, version,
    ) = row[:_BASE]
    moved_by_id, opened_at, responsible_id = row[_BASE:] if len(row) > _BASE else (None, None, None)
    return InstanceInfo(
        id_, flow_key, flow_version, flow.label, entity_type, entity_id, title, state, flow.step(state).label,
        closed, unit_id, owner_id, assignee_id, urgency, due_date, due_provisional, entered_at, version,
        moved_by_id, opened_at, responsible_id,
    )


def instance_info(instance: WorkflowInstance, flow: Flow) -> InstanceInfo:
    return info_from_row([getattr(instance, column.key) for column in WINDOW_COLUMNS], flow)


def _set_due(instance: WorkflowInstance, flow: Flow, calendar: WorkCalendar, today: date) -> None:
    limit = flow.step(instance.state).time_limit
    if limit is None or flow.step(instance.state).final:
        instance.due_date = None
        instance.due_provisional = False
        return
    due = calendar.add_workdays(today, limit.amount) if limit.unit == "workday" else calendar.add_days(
        today, limit.amount
    )
    instance.due_date = due.date
    instance.due_provisional = due.provisional


@acting
def start(
    uow: UnitOfWork,
    actor: Actor,
    *,
    flow_key: str,
    entity_type: str,
    title: str,
    entity_id: int | None = None,
    unit_id: int | None = None,
    urgency: str = "",
    today: date | None = None,
) -> WorkflowInstance:
    """Creates the instance at the flow's start step, owned by the actor. Does not commit."""
    from app.models import WorkflowHistory, WorkflowInstance

    flow = flow_for(uow, flow_key)
    instance = WorkflowInstance(
        flow_key=flow.key,
        flow_version=flow.version,
        entity_type=entity_type,
        entity_id=entity_id,
        title=title[:300],
        state=flow.start,
        unit_id=unit_id if unit_id is not None else actor.unit_id,
        owner_id=actor.id,
        # 首问负责: whoever registers the record answers for it until a recorded hand-over.
        responsible_id=actor.id,
        urgency=urgency,
        entered_at=utcnow(),
    )
    _set_due(instance, flow, work_calendar(uow), today or date.today())
    uow.session.add(instance)
    uow.flush()
    after_move(uow, actor, instance, flow, None, today or date.today())
    uow.session.add(
        WorkflowHistory(
            instance_id=instance.id, from_state=None, to_state=flow.start, action="start",
            action_label="创建", actor_id=actor.id, actor_name=actor.full_name, opinion="",
        )
    )
    uow.record(
        actor.id, actor.username, "create", entity_type, entity_id if entity_id is not None else instance.id,
        {"flow": flow.key, "title": title, "instance": instance.id}, change_op="create",
    )
    return instance


# How each registered actor fact (app.core.workflow.actor_facts) is known for one person and one record (an
# instance or an InstanceInfo), given whether the person heads the record's unit (asked once, by the caller,
# who may have read it with the record). app.services.workflow.todo keeps the same facts as SQL.
FactValue = Callable[[Actor, Any, bool], bool]
FACT_VALUES: Mapping[str, FactValue] = {
    "actor_is_owner": lambda person, record, _heads: person.id is not None and record.owner_id == person.id,
    "actor_is_principal": lambda person, _record, _heads: bool(person.is_principal),
    "actor_heads_unit": lambda _person, _record, heads: heads,
    "actor_is_responsible": lambda person, record, _heads: (
        person.id is not None and getattr(record, "responsible_id", None) == person.id
    ),
}


def actor_facts_for(person: Actor, record: Any, heads_unit: bool) -> dict[str, bool]:
    """Every registered actor fact of this person on this record (a fact without a value fails here)."""
    return {key: FACT_VALUES[key](person, record, heads_unit) for key in ACTOR_FACTS}


def unit_head_id(uow: UnitOfWork, unit_id: int | None) -> int | None:
    if unit_id is None:
        return None
    cache_key = ("unit_head", unit_id)
    if cache_key not in uow.cache:
        uow.cache[cache_key] = uow.execute(
            select(units.c.head_user_id).where(units.c.id == unit_id)
        ).scalar_one_or_none()
    head: int | None = uow.cache[cache_key]
    return head


def _context_of(uow: UnitOfWork, person: Actor, instance: Any) -> dict[str, Any]:
    heads = person.id is not None and unit_head_id(uow, instance.unit_id) == person.id
    return actor_facts_for(person, instance, heads)


@acting
def actor_context(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance) -> dict[str, Any]:
    """The facts about the actor that guards read."""
    return _context_of(uow, actor, instance)


# ----- 代理/委托: the people a delegate acts for today ------------------------------------------------------


def person(uow: UnitOfWork, user_id: int) -> Actor | None:
    """The Actor of an active user as the database holds them now (as the login makes it), or None."""
    rows = uow.execute(
        select(users.c.id, users.c.username, users.c.full_name, users.c.unit_id, users.c.is_principal,
               user_roles.c.role_code)
        .select_from(users.outerjoin(user_roles, user_roles.c.user_id == users.c.id))
        .where(users.c.id == user_id, users.c.active.is_(True), users.c.locked_by_admin.is_(False))
    ).all()
    if not rows:
        return None
    first = rows[0]
    return Actor(
        id=first.id, username=first.username, full_name=first.full_name,
        roles=frozenset(r.role_code for r in rows if r.role_code is not None), unit_id=first.unit_id,
        is_principal=bool(first.is_principal),
    )


def active_delegation(on: date) -> Any:
    """The delegations in force on a day, as a condition on the delegations table."""
    d = delegations.c
    return (d.starts_on <= on) & (d.ends_on >= on) & d.revoked_at.is_(None)


@acting
def principals_of(uow: UnitOfWork, actor: Actor, today: date | None = None) -> list[Actor]:
    """The people the actor acts for today (each delegated to them for a period that holds today)."""
    if actor.id is None:
        return []
    on = today or date.today()
    cache_key = ("principals", actor.id, on)
    if cache_key not in uow.cache:
        ids = uow.cache.get(("principal_ids", actor.id, on))
        if ids is None:
            ids = uow.execute(
                select(delegations.c.principal_id)
                .where(delegations.c.delegate_id == actor.id, active_delegation(on))
                .order_by(delegations.c.principal_id)
            ).scalars().all()
        found = [p for i in dict.fromkeys(ids) if (p := person(uow, i)) is not None and p.id != actor.id]
        uow.cache[cache_key] = found
    result: list[Actor] = uow.cache[cache_key]
    return result


def _engine_facts(uow: UnitOfWork, instance: WorkflowInstance, flow: Flow) -> dict[str, Any]:
    """The facts the engine's features supply (the parallel work a move waits for): after the caller's, so
    that no caller can say the work is done when it is not (app.services.workflow.record_facts)."""
    from app.services.workflow.record_facts import record_facts

    return record_facts(uow, instance, flow)


def effective_roles(actor: Actor, instance: WorkflowInstance) -> frozenset[str]:
    if instance.unit_id is not None and instance.unit_id == actor.unit_id:
        return actor.roles
    return actor.roles - UNIT_SCOPED_ROLES


@acting
def available_actions(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, facts: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> list[Transition]:
    """The actor's moves now: their own, and a delegate's on behalf of whom they act for today."""
    if instance.closed:
        return []
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    result: dict[str, Transition] = {}
    for who in (actor, *principals_of(uow, actor, today)):
        if instance.assignee_id is not None and instance.assignee_id != who.id:
            continue
        context = {**(facts or {}), **_engine_facts(uow, instance, flow), **_context_of(uow, who, instance)}
        for t in flow.available(instance.state, effective_roles(who, instance), context):
            result.setdefault(t.action, t)
    return list(result.values())


def _resolve_as(
    uow: UnitOfWork, who: Actor, instance: WorkflowInstance, action: str, opinion: str | None,
    facts: Mapping[str, Any] | None,
) -> Transition:
    if instance.assignee_id is not None and instance.assignee_id != who.id:
        name = user_full_name(uow, instance.assignee_id) or "指定人员"
        raise PermissionDenied(f"此事项在当前环节由{name}办理")
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    context = {**(facts or {}), **_engine_facts(uow, instance, flow), **_context_of(uow, who, instance)}
    return flow.resolve(instance.state, action, effective_roles(who, instance), context, opinion)


@acting
def resolve_for(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, action: str, opinion: str | None = "",
    facts: Mapping[str, Any] | None = None, today: date | None = None,
) -> tuple[Transition, Actor | None]:
    """The transition, and the person the actor takes it for (None: for themself). A delegate inside the
    period may act wherever the person who delegated may; the refusal is the actor's own."""
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能再办理")
    try:
        return _resolve_as(uow, actor, instance, action, opinion, facts), None
    except PermissionDenied as refusal:
        for principal in principals_of(uow, actor, today):
            try:
                return _resolve_as(uow, principal, instance, action, opinion, facts), principal
            except PermissionDenied:
                continue
        raise refusal from None


@acting
def resolve_transition(
    uow: UnitOfWork,
    actor: Actor,
    instance: WorkflowInstance,
    action: str,
    opinion: str | None = "",
    facts: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Transition:
    """The transition this actor's action would take now, or the refusal saying why; changes nothing.
    With opinion None, a missing opinion is not judged: only whether the actor may act."""
    return resolve_for(uow, actor, instance, action, opinion, facts, today)[0]


@acting
def apply_transition(
    uow: UnitOfWork,
    actor: Actor,
    instance: WorkflowInstance,
    action: str,
    opinion: str = "",
    facts: Mapping[str, Any] | None = None,
    today: date | None = None,
    *,
    send_to: int | None = None,
) -> Transition:
    """Moves the instance on and appends its history and audit entry. Does not commit.

    send_to: the person who acts at the step the move leads to (送曹县长签发), one of handler_candidates; then
    only they (and their delegate) have it in 待办. None: whoever holds the step's role, as before."""
    from app.models import WorkflowHistory

    chosen, principal = resolve_for(uow, actor, instance, action, opinion, facts, today)
    check_printable(opinion, "意见", field="opinion")
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    named = None
    if send_to is not None:
        from app.services.workflow.handlers import check_send_to

        named = check_send_to(uow, instance, flow, chosen, send_to, facts)
    from_state = instance.state
    instance.state = chosen.target
    instance.entered_at = utcnow()
    instance.assignee_id = named.id if named is not None else None
    # 撤回 is the mover's until the next handler opens the record or acts on it.
    instance.moved_by_id = actor.id
    instance.opened_at = None
    target = flow.step(chosen.target)
    if target.final:
        instance.closed = True
        instance.closed_at = instance.entered_at
    _set_due(instance, flow, work_calendar(uow), today or date.today())
    after_move(uow, actor, instance, flow, from_state, today or date.today())
    uow.session.add(
        WorkflowHistory(
            instance_id=instance.id,
            from_state=from_state,
            to_state=chosen.target,
            action=chosen.action,
            action_label=chosen.label,
            actor_id=actor.id,
            actor_name=actor.full_name,
            opinion=opinion.strip(),
            at=instance.entered_at,
            on_behalf_of_id=principal.id if principal is not None else None,
            on_behalf_of_name=principal.full_name if principal is not None else "",
        )
    )
    detail: dict[str, Any] = {"instance": instance.id, "action": chosen.action, "state": [from_state, chosen.target],
                              "opinion": opinion.strip()}
    if principal is not None:
        detail["on_behalf_of"] = principal.full_name
    if named is not None:
        detail["send_to"] = named.name
    uow.record(
        actor.id, actor.username, "transition", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id, detail, change_op="update",
    )
    uow.flush()
    return chosen


# Each area's record facts (app.services.documents.records.facts …) by entity type, for the reads that have
# only the instance: the candidates a sender may pick; and how the area marks its record changed (its own
# version, which its windows send back), for a change made on the instance alone: 撤回. The area registers
# them when its module is imported.
RecordFacts = Callable[[UnitOfWork, int], Mapping[str, Any]]
RecordTouch = Callable[[UnitOfWork, int], None]
_record_facts: dict[str, RecordFacts] = {}
_record_touch: dict[str, RecordTouch] = {}


def register_facts(entity_type: str, read: RecordFacts, touch: RecordTouch | None = None) -> None:
    _record_facts[entity_type] = read
    if touch is not None:
        _record_touch[entity_type] = touch


def touch_record(uow: UnitOfWork, instance: WorkflowInstance) -> None:
    """Marks the area's record behind the instance changed (a window that read it before is refused)."""
    touch = _record_touch.get(instance.entity_type)
    if touch is not None and instance.entity_id is not None:
        touch(uow, instance.entity_id)


def record_facts(uow: UnitOfWork, instance: WorkflowInstance) -> Mapping[str, Any]:
    read = _record_facts.get(instance.entity_type)
    if read is None or instance.entity_id is None:
        return {}
    return read(uow, instance.entity_id)


def get_instance(uow: UnitOfWork, instance_id: int, expected_version: int | None = None) -> WorkflowInstance:
    from app.models import WorkflowInstance

    instance = uow.found(WorkflowInstance, instance_id, "找不到该办理事项，可能已被删除")
    if expected_version is not None and instance.version != expected_version:
        from app.core.errors import ConflictError

        raise ConflictError(f"“{instance.title}”已被其他人办理，请刷新后再操作")
    return instance


@acting
def transition(
    uow: UnitOfWork,
    actor: Actor,
    instance_id: int,
    action: str,
    opinion: str = "",
    facts: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    *,
    send_to: int | None = None,
) -> InstanceInfo:
    """The generic transition: consults the flow, enforces roles, and commits history, audit and feed."""
    instance = get_instance(uow, instance_id, expected_version)
    if instance.entity_type in OWN_SERVICES:
        # Their steps do more than move the flow (numbers, receipts, circulation): only their service may.
        raise WorkflowError(f"{OWN_SERVICES[instance.entity_type]}请在它自己的窗口中办理")
    apply_transition(uow, actor, instance, action, opinion, facts, today, send_to=send_to)
    info = instance_info(instance, flow_for(uow, instance.flow_key, instance.flow_version))
    uow.commit()
    return info


def user_full_name(uow: UnitOfWork, user_id: int | None) -> str:
    """A user's name, or "" for none or a user since deleted. Through the session, whose identity map
    answers a user asked about again without a query."""
    from app.models import User

    user = uow.session.get(User, user_id) if user_id is not None else None
    return user.full_name if user else ""


def unit_name(uow: UnitOfWork, unit_id: int | None) -> str:
    """A unit's name, or "" for none or a unit since deleted (as user_full_name)."""
    from app.models import Unit

    unit = uow.session.get(Unit, unit_id) if unit_id is not None else None
    return unit.name if unit else ""
