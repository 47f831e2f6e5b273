"""The to-do query behind the 工作台: what this user must act on, what is due soon and what is overdue.

Who may act where is read from the flow definitions, so a new or edited flow needs no change here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.core.workflow import Flow
from app.core.workflow.engine import HEADS_UNIT, NOT_OWNER, OWNER
from app.db.tables import units, workflow_instances
from app.services.actor import Actor
from app.services.settings import work_calendar
from app.services.uow import UnitOfWork
from app.services.workflow import INFO_COLUMNS, UNIT_SCOPED_ROLES, InstanceInfo, every_flow, flow_for, info_from_row

DUE_SOON_WORKDAYS = 3
_WI = workflow_instances.c


@dataclass(frozen=True)
class TodoItem:
    """One to-do, and whether it is overdue or due soon."""

    info: InstanceInfo
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class TodoList:
    """The 工作台's to-dos, with its counts."""

    items: list[TodoItem]
    due_soon: list[TodoItem]
    overdue: list[TodoItem]
    counts_by_flow: dict[str, int] = field(default_factory=dict)
    flow_labels: dict[str, str] = field(default_factory=dict)
    truncated: bool = False


class _Scope(NamedTuple):
    """Which of an actor's instances at a step are theirs to act on, beyond holding the step's role.
    A private key for grouping steps, so a plain named tuple (cheaper to define than a dataclass)."""

    own_unit_only: bool
    own_records_only: bool
    others_records_only: bool
    headed_units_only: bool


def _scope_at(flow: Flow, step_key: str, actor: Actor) -> _Scope | None:
    """None where no transition out of the step is open to the actor's roles."""
    matching = [t for t in flow.transitions_from(step_key) if t.role_matches(flow, actor.roles)]
    if not matching:
        return None
    return _Scope(
        own_unit_only=not any(t.role_matches(flow, actor.roles - UNIT_SCOPED_ROLES) for t in matching),
        own_records_only=all(OWNER in t.conditions for t in matching),
        # Nobody's to-do list holds their own claim to approve: someone else must.
        others_records_only=all(NOT_OWNER in t.conditions for t in matching) and actor.id is not None,
        headed_units_only=all(HEADS_UNIT in t.conditions for t in matching),
    )


def _scope_conditions(scope: _Scope, actor: Actor, headed_units: list[int]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.own_unit_only:
        conditions.append(_WI.unit_id == actor.unit_id)
    if scope.own_records_only:
        conditions.append(_WI.owner_id == actor.id)
    if scope.others_records_only:
        conditions.append(or_(_WI.owner_id.is_(None), _WI.owner_id != actor.id))
    if scope.headed_units_only:
        conditions.append(_WI.unit_id.in_(headed_units) if headed_units else false())
    return conditions


def actionable_clause(
    uow: UnitOfWork, actor: Actor, flow_keys: frozenset[str] | None = None
) -> tuple[ColumnElement[bool], dict[tuple[str, int], Flow]]:
    """Which open instances this actor may act on now, as SQL, and the flow versions it consulted.

    Written on the table's columns, so that the to-do query runs as plain SQL with no ORM loaded; an
    ORM query may use it as well."""
    # Every flow version there is: the built-in ones and those an administrator saved. Asking the
    # instances table instead would scan every open record.
    flows = {pair: flow for pair, flow in every_flow(uow).items() if flow_keys is None or pair[0] in flow_keys}
    headed_units = list(uow.execute(select(units.c.id).where(units.c.head_user_id == actor.id)).scalars())
    clauses: list[ColumnElement[bool]] = []
    for (key, version), flow in sorted(flows.items()):
        # The steps of one flow version where the actor acts alike, as one state IN (...): a few short
        # clauses instead of one per step, quicker to build and compile, and each an index range.
        steps_by_scope: dict[_Scope, list[str]] = {}
        for step in flow.steps:
            scope = None if step.final else _scope_at(flow, step.key, actor)
            if scope is not None:
                steps_by_scope.setdefault(scope, []).append(step.key)
        for scope, states in steps_by_scope.items():
            clauses.append(
                and_(
                    _WI.flow_key == key,
                    _WI.flow_version == version,
                    _WI.state.in_(states),
                    *_scope_conditions(scope, actor, headed_units),
                )
            )
    by_role = and_(_WI.assignee_id.is_(None), or_(*clauses)) if clauses else false()
    mine = _WI.assignee_id == actor.id if actor.id is not None else false()
    if flow_keys is not None:
        mine = and_(mine, _WI.flow_key.in_(sorted(flow_keys)))
    return and_(_WI.closed == false(), or_(by_role, mine)), flows


def todo(uow: UnitOfWork, actor: Actor, today: date | None = None, limit: int = 500) -> TodoList:
    today = today or date.today()
    actionable, flows = actionable_clause(uow, actor)
    rows = uow.execute(
        select(*INFO_COLUMNS)
        .where(actionable)
        # Plain due-date order walks the (closed, due_date) index; open steps all carry a due date.
        .order_by(_WI.due_date, _WI.id)
        .limit(limit + 1)
    ).all()
    truncated = len(rows) > limit
    rows = rows[:limit]
    soon_limit = work_calendar(uow).add_workdays(today, DUE_SOON_WORKDAYS).date
    items: list[TodoItem] = []
    for row in rows:
        key = (row.flow_key, row.flow_version)
        flow = flows.get(key) or flow_for(uow, *key)
        info = info_from_row(row, flow)
        due = info.due_date
        items.append(TodoItem(info, due is not None and due < today, due is not None and today <= due <= soon_limit))
    counts = Counter(item.info.flow_key for item in items)
    labels = {flow.key: flow.label for flow in flows.values()}
    return TodoList(
        items=items,
        due_soon=[i for i in items if i.due_soon],
        overdue=[i for i in items if i.overdue],
        counts_by_flow=dict(counts),
        flow_labels=labels,
        truncated=truncated,
    )
