"""Generic workflow use cases: start a record's flow, list the actions open to a user, move it on.

Entity services (documents, claims ...) call start() and apply_transition() inside their own unit of
work, then commit once with their own changes. transition() is the stand-alone form that commits.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.core.areas import entity_types
from app.core.errors import NotFound, PermissionDenied, WorkflowError
from app.core.printable import check_printable
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS, Flow, Transition, flow_from_dict
from app.core.workflow.flows import BUILTIN_FLOWS, builtin_flow
from app.db.tables import flow_definitions, units, utcnow, workflow_instances
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


def flow_for(uow: UnitOfWork, key: str, version: int | None = None) -> Flow:
    """The stored flow version an administrator saved, else the built-in default (version 1)."""
    cache_key = ("flow", key, version)
    if cache_key not in uow.cache:
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


def every_flow(uow: UnitOfWork) -> dict[tuple[str, int], Flow]:
    """Every flow version there is, built-in and saved, in one query; flow_for() then finds each of
    them in this unit of work without asking again."""
    cache_key = ("flows",)
    if cache_key not in uow.cache:
        flows = dict(BUILTIN_FLOWS)
        # As flow_for(key): the newest saved version, else the built-in one.
        latest: dict[str, int] = {key: flow.version for key, flow in DEFAULT_FLOWS.items()}
        saved: dict[str, int] = {}
        stored_flows = flow_definitions.c
        rows = uow.execute(
            select(stored_flows.flow_key, stored_flows.flow_version, stored_flows.definition)
        ).all()
        for key, version, definition in rows:
            flows[(key, version)] = _parsed_flow(key, definition)
            saved[key] = max(saved.get(key, version), version)
        latest.update(saved)
        for (key, version), flow in flows.items():
            uow.cache[("flow", key, version)] = flow
        for key, version in latest.items():
            uow.cache[("flow", key, None)] = flows[(key, version)]
        uow.cache[cache_key] = flows
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


def info_from_row(row: Sequence[Any], flow: Flow) -> InstanceInfo:
    """An InstanceInfo from a row of INFO_COLUMNS."""
    (
        id_, flow_key, flow_version, entity_type, entity_id, title, state, closed,
        unit_id, owner_id, assignee_id, urgency, due_date, due_provisional, entered_at, version,
    ) = row
    return InstanceInfo(
        id_, flow_key, flow_version, flow.label, entity_type, entity_id, title, state, flow.step(state).label,
        closed, unit_id, owner_id, assignee_id, urgency, due_date, due_provisional, entered_at, version,
    )


def instance_info(instance: WorkflowInstance, flow: Flow) -> InstanceInfo:
    return info_from_row([getattr(instance, column.key) for column in INFO_COLUMNS], flow)


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


@acting
def actor_context(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance) -> dict[str, Any]:
    """The facts about the actor that guards read."""
    heads_unit = False
    if instance.unit_id is not None and actor.id is not None:
        head = uow.execute(
            select(units.c.head_user_id).where(units.c.id == instance.unit_id)
        ).scalar_one_or_none()
        heads_unit = head == actor.id
    return {
        "actor_is_owner": actor.id is not None and instance.owner_id == actor.id,
        "actor_is_principal": actor.is_principal,
        "actor_heads_unit": heads_unit,
    }


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
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, facts: Mapping[str, Any] | None = None
) -> list[Transition]:
    if instance.closed:
        return []
    if instance.assignee_id is not None and instance.assignee_id != actor.id:
        return []
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    context = {**(facts or {}), **_engine_facts(uow, instance, flow), **actor_context(uow, actor, instance)}
    return flow.available(instance.state, effective_roles(actor, instance), context)


@acting
def resolve_transition(
    uow: UnitOfWork,
    actor: Actor,
    instance: WorkflowInstance,
    action: str,
    opinion: str | None = "",
    facts: Mapping[str, Any] | None = None,
) -> Transition:
    """The transition this actor's action would take now, or the refusal saying why; changes nothing.
    With opinion None, a missing opinion is not judged: only whether the actor may act."""
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能再办理")
    if instance.assignee_id is not None and instance.assignee_id != actor.id:
        name = user_full_name(uow, instance.assignee_id) or "指定人员"
        raise PermissionDenied(f"此事项在当前环节由{name}办理")
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    context = {**(facts or {}), **_engine_facts(uow, instance, flow), **actor_context(uow, actor, instance)}
    return flow.resolve(instance.state, action, effective_roles(actor, instance), context, opinion)


@acting
def apply_transition(
    uow: UnitOfWork,
    actor: Actor,
    instance: WorkflowInstance,
    action: str,
    opinion: str = "",
    facts: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> Transition:
    """Moves the instance on and appends its history and audit entry. Does not commit."""
    from app.models import WorkflowHistory

    chosen = resolve_transition(uow, actor, instance, action, opinion, facts)
    check_printable(opinion, "意见", field="opinion")
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    from_state = instance.state
    instance.state = chosen.target
    instance.entered_at = utcnow()
    instance.assignee_id = None
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
        )
    )
    uow.record(
        actor.id, actor.username, "transition", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "action": chosen.action, "state": [from_state, chosen.target],
         "opinion": opinion.strip()},
        change_op="update",
    )
    uow.flush()
    return chosen


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
) -> InstanceInfo:
    """The generic transition: consults the flow, enforces roles, and commits history, audit and feed."""
    instance = get_instance(uow, instance_id, expected_version)
    if instance.entity_type in OWN_SERVICES:
        # Their steps do more than move the flow (numbers, receipts, circulation): only their service may.
        raise WorkflowError(f"{OWN_SERVICES[instance.entity_type]}请在它自己的窗口中办理")
    apply_transition(uow, actor, instance, action, opinion, facts, today)
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
