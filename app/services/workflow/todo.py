"""The to-do query behind the 工作台: what this user must act on (待办) and read (待阅), what is due soon
and what is overdue, and what was hastened (催办).

Who may act at a step is read from the flow definitions, so a new or edited flow needs no change here.
Beside the steps stand the parallel work items that wait for one unit or person (app.services.workflow.work_items,
on the engine's workflow_work_items): any flow's tasks, a unit's 会签 opinion and 签收, each to the unit's
liaison, and a reader's 传阅 copy (待阅). A 催办 goes to whoever the hastened item waits for, with its note.
A record's recurring report (app.services.workflow.duties) that is overdue or due soon is a to-do of its holder
(the responsible person, or the unit's 联络员), and of their delegate, marked: a branch of its own beside the
steps, counted under the same tiles, hastened by a 催办 of the duty (urges.duty_key) until the next report.

The list holds the most urgent items only (at most ``limit``); every count comes from a count query, so
the tiles stay right however long the list would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple, Unpack

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    exists,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
    union_all,
)

from app.core.calendar import Deadline, WorkCalendar
from app.core.workflow import Flow
from app.core.workflow.actor_facts import is_actor_fact
from app.core.workflow.duties import Rhythm
from app.core.workflow.engine import Condition
from app.core.workflow.urging import URGING_ROLES
from app.db.tables import units, workflow_duties, workflow_duty_reports, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.light_tables import urges
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import duties, work_items
from app.services.workflow.moves import (
    INFO_COLUMNS,
    UNIT_SCOPED_ROLES,
    InstanceInfo,
    every_flow,
    flow_for,
    info_from_row,
    principals_of,
)

DUE_SOON_WORKDAYS = 3
_WI = workflow_instances.c


# What a to-do asks of its holder: to act at the record's step, or one of the parallel work items.
STEP = "step"
COSIGN, RECEIPT, READ, TASK = work_items.COSIGN, work_items.RECEIPT, work_items.READ, work_items.TASK
# A recurring report the holder owes (app.services.workflow.duties); and a unit's report overdue on a record the
# actor answers for (一事一人), theirs to hasten (催报).
DUTY = "duty"
FOLLOW = "follow"
# The views of the 工作台: every to-do, those due soon, overdue or hastened, and what waits to be read.
VIEWS = ("all", "soon", "overdue", "urged", "read")


class UrgeNote(NamedTuple):
    """The latest 催办 of an item at its current step."""

    by_name: str
    method: str
    note: str
    at: datetime


@dataclass(frozen=True)
class TodoItem:
    """One to-do: the record it is about (opening it opens the record), what it asks, its deadline, and
    whether it is overdue, due soon or hastened."""

    info: InstanceInfo
    overdue: bool
    due_soon: bool
    kind: str = STEP
    due_date: date | None = None
    due_provisional: bool = False
    urge: UrgeNote | None = None
    # 代理: the name of the person this to-do is held for (the delegate acts on their behalf), "" for one's own.
    on_behalf_of: str = ""
    # A DUTY: which of the record's duties (its key) and what it is, with its rhythm ("进展汇报 · 每周").
    duty_key: str = ""
    duty_label: str = ""
    # A TASK: what the task (or a checklist line, such as a 会议方案's) asks, in its own words.
    task: str = ""


class Counts(NamedTuple):
    """How many to-dos of one flow there are, overdue, due soon and hastened."""

    total: int = 0
    overdue: int = 0
    soon: int = 0
    urged: int = 0

    def plus(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self, other, strict=True)))

    def of_view(self, view: str) -> int:
        return {"soon": self.soon, "overdue": self.overdue, "urged": self.urged}.get(view, self.total)


@dataclass(frozen=True)
class TodoList:
    """The 工作台's to-dos of one view, the most urgent first, with every count of the 工作台.

    ``items`` holds at most the limit asked for; ``total`` is how many the view holds."""

    items: list[TodoItem]
    total: int
    view: str = "all"
    # Per flow key: the to-dos (待办) and, apart, what waits to be read (待阅).
    todo_by_flow: dict[str, Counts] = field(default_factory=dict)
    read_by_flow: dict[str, Counts] = field(default_factory=dict)
    flow_labels: dict[str, str] = field(default_factory=dict)
    # With the view 'all', the 工作台's first load: the 待阅 as well, the most urgent first.
    reading: list[TodoItem] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return len(self.items) < self.total

    @property
    def counts(self) -> Counts:
        return _sum(self.todo_by_flow.values())

    @property
    def read_counts(self) -> Counts:
        return _sum(self.read_by_flow.values())

    @property
    def counts_by_flow(self) -> dict[str, int]:
        return {key: counts.total for key, counts in self.todo_by_flow.items() if counts.total}

    def count_of(self, view: str, flow_keys: frozenset[str] | None = None) -> int:
        """How many to-dos a view holds, of some flows only or of all."""
        return _count_of(self.read_by_flow if view == "read" else self.todo_by_flow, view, flow_keys)

    @property
    def due_soon(self) -> list[TodoItem]:
        return [item for item in self.items if item.due_soon]

    @property
    def overdue(self) -> list[TodoItem]:
        return [item for item in self.items if item.overdue]


def _count_of(by_flow: dict[str, Counts], view: str, flow_keys: frozenset[str] | None) -> int:
    return _sum(c for key, c in by_flow.items() if flow_keys is None or key in flow_keys).of_view(view)


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total = total.plus(c)
    return total


# How each registered actor fact (app.core.workflow.actor_facts) reads as SQL on workflow_instances, for one
# person: (where it holds, where it does not), given the units the person heads as a condition. NULL-safe:
# a record with no owner is nobody's own. app.services.workflow.moves keeps the same facts in Python.
FactSql = Callable[[Actor, ColumnElement[bool]], tuple[ColumnElement[bool], ColumnElement[bool]]]


def _is_person(column: ColumnElement[int | None], actor: Actor) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    if actor.id is None:
        return false(), true()
    return column == actor.id, or_(column.is_(None), column != actor.id)


FACT_SQL: Mapping[str, FactSql] = {
    "actor_is_owner": lambda actor, _headed: _is_person(_WI.owner_id, actor),
    "actor_is_principal": lambda actor, _headed: (true(), false()) if actor.is_principal else (false(), true()),
    "actor_heads_unit": lambda _actor, headed: (headed, or_(_WI.unit_id.is_(None), not_(headed))),
    "actor_is_responsible": lambda actor, _headed: _is_person(_WI.responsible_id, actor),
}


def _wanted(condition: Condition) -> tuple[str, bool]:
    """An actor guard as (fact, whether it must hold): the engine allows only 是/否 on them."""
    return condition.field, bool(condition.value) == (condition.op == "==")


class _Scope(NamedTuple):
    """Which of an actor's instances at a step are theirs to act on, beyond holding the step's role: the
    record's own unit only (a 联络员), and the guards on who acts, as alternatives (one per transition
    open to the actor's roles) of facts that must each hold or not. A private key for grouping steps."""

    own_unit_only: bool
    alternatives: frozenset[frozenset[tuple[str, bool]]]


def _scope_at(flow: Flow, step_key: str, actor: Actor) -> _Scope | None:
    """None where no transition out of the step is open to the actor's roles."""
    # A cancellation (作废, 撤销) is open to someone at every record of the step, yet nobody is asked to make it:
    # it puts no record on anyone's 工作台.
    matching = [t for t in flow.transitions_from(step_key) if t.kind != "cancel" and t.role_matches(flow, actor.roles)]
    if not matching:
        return None
    alternatives = frozenset(
        frozenset(_wanted(c) for c in t.conditions if is_actor_fact(c.field)) for t in matching
    )
    if frozenset() in alternatives:
        # One way out asks nothing of who acts: the others add nothing to it.
        alternatives = frozenset({frozenset()})
    return _Scope(
        own_unit_only=not any(t.role_matches(flow, actor.roles - UNIT_SCOPED_ROLES) for t in matching),
        alternatives=alternatives,
    )


def _scope_conditions(scope: _Scope, actor: Actor, headed_unit: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if scope.own_unit_only:
        conditions.append(_WI.unit_id == actor.unit_id)
    if scope.alternatives != frozenset({frozenset()}):
        ways = []
        for facts in sorted(scope.alternatives, key=sorted):
            parts = [FACT_SQL[key](actor, headed_unit)[0 if holds else 1] for key, holds in sorted(facts)]
            ways.append(and_(*parts))
        conditions.append(or_(*ways))
    return conditions


@acting
def actionable_clause(
    uow: UnitOfWork, actor: Actor, flow_keys: frozenset[str] | None = None
) -> tuple[ColumnElement[bool], dict[tuple[str, int], Flow]]:
    """Which open instances this actor may act on now, as SQL, and the flow versions it consulted.

    Written on the table's columns, so that the to-do query runs as plain SQL with no ORM loaded; an
    ORM query may use it as well."""
    return _actionable(uow, actor, flow_keys)


def _actionable(
    uow: UnitOfWork, actor: Actor, flow_keys: frozenset[str] | None = None
) -> tuple[ColumnElement[bool], dict[tuple[str, int], Flow]]:
    """actionable_clause for anyone: the actor, or a person the actor acts for (代理), who is not acting."""
    # Every flow version there is: the built-in ones and those an administrator saved. Asking the
    # instances table instead would scan every open record.
    flows = {pair: flow for pair, flow in every_flow(uow).items() if flow_keys is None or pair[0] in flow_keys}
    # The units the actor heads, asked inside the statement rather than by one of its own (a round trip).
    headed_unit = (
        _WI.unit_id.in_(select(units.c.id).where(units.c.head_user_id == actor.id)) if actor.id is not None
        else false()
    )
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
                    *_scope_conditions(scope, actor, headed_unit),
                )
            )
    by_role = and_(_WI.assignee_id.is_(None), or_(*clauses)) if clauses else false()
    mine = _WI.assignee_id == actor.id if actor.id is not None else false()
    if flow_keys is not None:
        mine = and_(mine, _WI.flow_key.in_(sorted(flow_keys)))
    return and_(_WI.closed == false(), or_(by_role, mine)), flows


# The 催办 records (app.models.urges), read on a light table clause as the documents' tables are
# (app.services.workflow.work_items): the 工作台 loads no ORM.
def _aimed_at(people: Sequence[int]) -> ColumnElement[bool]:
    """A 催办 reaches the person it is aimed at (and their delegate); one aimed at nobody, the step's holders."""
    return or_(urges.c.aimed_at_id.is_(None), urges.c.aimed_at_id.in_(list(people))) if people else (
        urges.c.aimed_at_id.is_(None)
    )


def _urged(instance_id: ColumnElement[int], people: Sequence[int]) -> ColumnElement[bool]:
    """Hastened at its current step: an urge from before the record moved on was meant for someone else. A
    催办 of a missed report (duty_key) hastens the report, not the step."""
    return exists().where(urges.c.instance_id == instance_id, urges.c.at >= _WI.entered_at, _aimed_at(people),
                          urges.c.duty_key.is_(None))


class _Source(NamedTuple):
    """One kind of to-do: which rows are the actor's, and how its deadline reads in SQL."""

    kind: str
    mine: ColumnElement[bool]
    overdue: ColumnElement[bool]
    soon: ColumnElement[bool]
    # Rows: the select with the joins, the order (most urgent first), and the sent time where the deadline
    # counts from it (else the step's own due date is the deadline).
    select: Callable[..., Select[Unpack[tuple[Any, ...]]]]
    order: tuple[ColumnElement[Any], ...]
    sent_at: ColumnElement[datetime] | None = None
    due: Callable[[date], Deadline | None] | None = None
    may_be_urged: bool = False
    # The row's deadline is its item's own due date (a task's), read after the record's columns.
    item_due: bool = False
    # 代理: the actor's own rows, and per person the actor acts for, theirs (name, condition).
    own: ColumnElement[bool] | None = None
    behalf: tuple[tuple[str, ColumnElement[bool]], ...] = ()


@dataclass(frozen=True)
class Workbench:
    """What the 工作台 shows when it opens: the to-dos, the day they were read for (the office's today) and
    whether it is a working day."""

    todos: TodoList
    today: date
    workday: bool


@acting
def workbench(uow: UnitOfWork, actor: Actor, today: date) -> Workbench:
    return Workbench(todo(uow, actor, today), today, work_calendar(uow).is_workday(today))


@acting
def todo(
    uow: UnitOfWork,
    actor: Actor,
    today: date | None = None,
    limit: int = 500,
    *,
    view: str = "all",
    flow_keys: frozenset[str] | None = None,
) -> TodoList:
    """The actor's to-dos of one view (VIEWS; 'read' is the 待阅), at most ``limit`` of them, the most
    urgent first, optionally of some flows only; and the counts of every view, from count queries."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    today = today or date.today()
    calendar = work_calendar(uow)
    soon_limit = calendar.add_workdays(today, DUE_SOON_WORKDAYS).date
    if actor.id is not None:
        # The flows and who has delegated to the actor today, in one statement.
        every_flow(uow, (actor.id, today))
    own, flows = actionable_clause(uow, actor)
    # 代理: the to-dos of each person who delegated to the actor for today, marked as held for them.
    principals = principals_of(uow, actor, today)
    behalf = tuple((p.full_name, _actionable(uow, p)[0]) for p in principals)
    actionable = or_(own, *(clause for _name, clause in behalf)) if behalf else own
    people = [i for i in (actor.id, *(p.id for p in principals)) if i is not None]
    todo_sources, read_source = _sources(uow, actor, actionable, calendar, today, soon_limit, principals)
    if behalf:
        todo_sources[0] = todo_sources[0]._replace(own=own, behalf=behalf)

    # Every count in one statement: on a LAN each statement is a round trip.
    parts = [_count(source, TODO_PART, people) for source in todo_sources]
    parts.append(_count_urged(actionable, people))
    parts += [
        _count_urged_items(source, people) for source in todo_sources[1:] if source.may_be_urged and source.kind != TASK
    ]
    if read_source is not None:
        parts.append(_count(read_source, READ_PART))
    owed = _owed_reports(actor, principals, today, soon_limit)
    parts.append(_count_reports(owed, people))
    counted, held_kinds = _counts(uow, parts)
    todo_by_flow, read_by_flow, reports_by_flow = counted[TODO_PART], counted[READ_PART], counted[REPORT_PART]
    _add_counts(todo_by_flow, reports_by_flow)

    shown = ([read_source] if read_source is not None else []) if view == "read" else todo_sources
    # A kind of work item the actor holds none of is not asked for its rows: a statement (a round trip) less.
    shown = [s for s in shown if s.kind == STEP or s.kind in held_kinds]
    items: list[TodoItem] = []
    for source in shown:
        items += _rows(uow, source, view, flow_keys, flows, today, soon_limit, limit, people)
    # Most people owe no report: then no statement asks for them (on a LAN each is a round trip).
    if view != "read" and _count_of(reports_by_flow, view, flow_keys):
        items += _report_rows(uow, owed, view, flow_keys, flows, today, limit, people)
    # Each source came most urgent first; together, the earliest deadlines first.
    items.sort(key=lambda item: (item.due_date is None, item.due_date or today, item.info.id))
    items = items[:limit]
    if _sum(todo_by_flow.values()).urged:
        items = _with_urges(uow, items, people)
    reading: list[TodoItem] = []
    if view == "all" and read_source is not None and _count_of(read_by_flow, "read", flow_keys):
        reading = _rows(uow, read_source, "read", flow_keys, flows, today, soon_limit, limit, people)
    labels = {flow.key: flow.label for flow in flows.values()}
    total = _count_of(read_by_flow if view == "read" else todo_by_flow, view, flow_keys)
    return TodoList(items, total, view, todo_by_flow, read_by_flow, labels, reading)


def _sources(
    uow: UnitOfWork, actor: Actor, actionable: ColumnElement[bool], calendar: WorkCalendar, today: date,
    soon_limit: date, principals: Sequence[Actor] = (),
) -> tuple[list[_Source], _Source | None]:
    due_date = _WI.due_date
    by_due = (due_date < today, due_date.between(today, soon_limit))

    def step_select(*columns: ColumnElement[object]) -> Select[Unpack[tuple[Any, ...]]]:
        return select(*columns).select_from(workflow_instances)

    # Plain due-date order walks the (closed, due_date) index; open steps all carry a due date.
    sources = [_Source(STEP, actionable, *by_due, step_select, (due_date, _WI.id), may_be_urged=True)]
    if work_items.acts_for_unit(actor):
        sources.append(
            _Source(COSIGN, work_items.pending_cosigns(actor), *by_due, work_items.item_select,
                    (due_date, _WI.id), may_be_urged=True)
        )
        sources.append(_sent_source(uow, RECEIPT, work_items.pending_receipts(actor), work_items.item_select,
                                    work_items.SENT_AT, work_items.RECEIPT_LIMIT_STEP, calendar, today, soon_limit))
    if actor.id is not None or work_items.acts_for_unit(actor):
        # Any flow's tasks (app.services.workflow.parallel), each due on its own date if it has one; with those of
        # each person who delegated to the actor (代理), marked as held for them.
        task_due = work_items.ITEM_DUE
        own_tasks = work_items.pending_tasks(actor)
        behalf = tuple((p.full_name, work_items.pending_tasks(p)) for p in principals)
        sources.append(
            _Source(TASK, or_(own_tasks, *(c for _n, c in behalf)) if behalf else own_tasks, task_due < today,
                    task_due.between(today, soon_limit), work_items.item_select, (task_due, _WI.id),
                    may_be_urged=True, item_due=True, own=own_tasks if behalf else None, behalf=behalf)
        )
    if actor.id is None:
        return sources, None
    read = _sent_source(uow, READ, work_items.unread_circulations(actor), work_items.item_select,
                        work_items.SENT_AT, work_items.READ_LIMIT_STEP, calendar, today, soon_limit)
    return sources, read


def _sent_source(
    uow: UnitOfWork, kind: str, mine: ColumnElement[bool], make_select: Callable[..., Select[Unpack[tuple[Any, ...]]]],
    sent_at: ColumnElement[datetime], limit_step: tuple[str, str], calendar: WorkCalendar, today: date,
    soon_limit: date,
) -> _Source:
    """A parallel item whose deadline counts from when it was sent."""
    due = work_items.due_from(calendar, work_items.time_limit(uow, limit_step))
    cutoffs = work_items.sent_cutoffs(due, today, soon_limit)
    return _Source(kind, mine, cutoffs.overdue(sent_at), cutoffs.due_soon(sent_at), make_select,
                   (sent_at, _WI.id), sent_at, due)


# Which tally a count statement adds to: the to-dos (待办) or what waits to be read (待阅).
TODO_PART, READ_PART = "todo", "read"
# The recurring reports owed, tallied apart first (so that their rows are asked for only when there are any),
# then added to the to-dos.
REPORT_PART = "report"
_NONE = literal_column("0", Integer())


def _part(name: str) -> ColumnElement[str]:
    # Written into the SQL (a constant of the code): a bound parameter in a UNION leaves PostgreSQL to
    # guess its type.
    return literal_column(f"'{name}'", String())


def _counts(
    uow: UnitOfWork, parts: list[Select[Unpack[tuple[Any, ...]]]]
) -> tuple[dict[str, dict[str, Counts]], set[str]]:
    """Runs the count statements as one UNION ALL; each gives (part, flow key, total, overdue, soon,
    urged) per flow, added to its part's tally. Also: the kinds of to-do counted at all (a part named
    "todo:cosign" is the to-dos of that kind)."""
    tallies: dict[str, dict[str, Counts]] = {TODO_PART: {}, READ_PART: {}, REPORT_PART: {}}
    kinds: set[str] = set()
    for part, key, total, overdue, soon, urged in uow.execute(union_all(*parts)).all():
        tally, _, kind = part.partition(":")
        if kind and total:
            kinds.add(kind)
        _add_counts(tallies[tally], {key: Counts(int(total), int(overdue), int(soon), int(urged))})
    return tallies, kinds


def _count(source: _Source, part: str, people: Sequence[int] = ()) -> Select[Unpack[tuple[Any, ...]]]:
    # Each kind's counts are told apart, so that a kind with none is not asked for its rows. A task's 催办 is
    # counted in the same branch (one branch less for everyone: most hold no task at all).
    label = part if source.kind == STEP else f"{part}:{source.kind}"
    urged: ColumnElement[int] = _NONE
    if source.kind == TASK:
        urged = func.coalesce(func.sum(case((_urged(_WI.id, people), 1), else_=0)), 0)
    return (
        source.select(_part(label), _WI.flow_key, *work_items.count_columns(source.overdue, source.soon), urged)
        .where(source.mine)
        .group_by(_WI.flow_key)
    )


def _count_urged(actionable: ColumnElement[bool], people: Sequence[int]) -> Select[Unpack[tuple[Any, ...]]]:
    """The hastened steps: those whose latest urge came at their current step. Read from the urges'
    side (each item's latest urge, a grouped index read), since a plain join let SQLite walk every open
    instance first: 35 ms for a secretary's 23,000 to-dos on the bench database, against 0.5 ms."""
    latest = (
        select(func.max(urges.c.id).label("id")).where(urges.c.duty_key.is_(None)).group_by(urges.c.instance_id)
        .subquery()
    )
    return (
        select(_part(TODO_PART), _WI.flow_key, _NONE, _NONE, _NONE, func.count())
        .select_from(
            latest.join(urges, urges.c.id == latest.c.id).join(workflow_instances, _WI.id == urges.c.instance_id)
        )
        .where(actionable, urges.c.at >= _WI.entered_at, _aimed_at(people))
        .group_by(_WI.flow_key)
    )


def _count_urged_items(source: _Source, people: Sequence[int]) -> Select[Unpack[tuple[Any, ...]]]:
    """The hastened parallel items: a unit's few, each asked whether its record was hastened."""
    return (
        source.select(_part(TODO_PART), _WI.flow_key, _NONE, _NONE, _NONE, func.count(func.distinct(_WI.id)))
        .where(source.mine, _urged(_WI.id, people))
        .group_by(_WI.flow_key)
    )


def _add_counts(into: dict[str, Counts], more: dict[str, Counts]) -> None:
    for key, counts in more.items():
        into[key] = into.get(key, Counts()).plus(counts)


def _rows(
    uow: UnitOfWork, source: _Source, view: str, flow_keys: frozenset[str] | None,
    flows: dict[tuple[str, int], Flow], today: date, soon_limit: date, limit: int, people: Sequence[int],
) -> list[TodoItem]:
    if view == "urged" and not source.may_be_urged:
        return []
    conditions = [source.mine]
    if view == "soon":
        conditions.append(source.soon)
    elif view == "overdue":
        conditions.append(source.overdue)
    elif view == "urged":
        conditions.append(_urged(_WI.id, people))
    if flow_keys is not None:
        conditions.append(_WI.flow_key.in_(sorted(flow_keys)))
    extra: list[ColumnElement[Any]] = [source.sent_at] if source.sent_at is not None else []
    if source.item_due:
        extra += [work_items.ITEM_DUE, work_items.ITEM_DUE_PROVISIONAL, work_items.ITEM_TASK]
    marks: list[ColumnElement[Any]] = []
    if source.behalf and source.own is not None:
        # Whose each row is: the actor's own, else the first person they act for whose it is.
        marks = [case((clause, 1), else_=0) for clause in (source.own, *(c for _n, c in source.behalf))]
    rows = uow.execute(
        source.select(*INFO_COLUMNS, *extra, *marks).where(*conditions).order_by(*source.order).limit(limit)
    ).all()
    items = []
    for row in rows:
        held_for = ""
        if marks:
            flags = row[len(INFO_COLUMNS) + len(extra):]
            if not flags[0]:
                held_for = next((name for (name, _c), flag in zip(source.behalf, flags[1:], strict=True) if flag), "")
        key = (row.flow_key, row.flow_version)
        info = info_from_row(row[: len(INFO_COLUMNS)], flows.get(key) or flow_for(uow, *key))
        task = ""
        if source.due is not None and source.sent_at is not None:
            deadline = source.due(work_items.local_date(row[len(INFO_COLUMNS)]))
            due, provisional = (deadline.date, deadline.provisional) if deadline else (None, False)
        elif source.item_due:
            due, provisional = row[len(INFO_COLUMNS)], bool(row[len(INFO_COLUMNS) + 1])
            task = row[len(INFO_COLUMNS) + 2] or ""
        else:
            due, provisional = info.due_date, info.due_provisional
        overdue = due is not None and due < today
        soon = due is not None and today <= due <= soon_limit
        items.append(TodoItem(info, overdue, soon, source.kind, due, provisional, on_behalf_of=held_for, task=task))
    return items


def _with_urges(uow: UnitOfWork, items: list[TodoItem], people: Sequence[int]) -> list[TodoItem]:
    """Each hastened item with its latest 催办 at its current step."""
    ids = sorted({item.info.id for item in items if item.kind in (STEP, COSIGN, TASK)})
    if not ids:
        return items
    latest: dict[int, UrgeNote] = {}
    entered = {item.info.id: item.info.entered_at for item in items}
    rows = uow.execute(
        select(urges.c.instance_id, urges.c.by_name, urges.c.method, urges.c.note, urges.c.at)
        .where(urges.c.instance_id.in_(ids), _aimed_at(people), urges.c.duty_key.is_(None))
        .order_by(urges.c.id)
    ).all()
    for instance_id, by_name, method, note, at in rows:
        if at >= entered[instance_id]:
            latest[instance_id] = UrgeNote(by_name, method, note, at)
    return [
        replace(item, urge=latest.get(item.info.id)) if item.kind in (STEP, COSIGN, TASK) else item
        for item in items
    ]


# ----- recurring reports (app.services.workflow.duties): the duties part of the 工作台 --------------------------
_WD = workflow_duties.c
_WR = workflow_duty_reports.c


class _OwedReports(NamedTuple):
    """The reports the actor owes now (overdue, or due within DUE_SOON_WORKDAYS), theirs and, per person the
    actor acts for today, that person's (name, condition); as SQL on workflow_duties joined to the records."""

    mine: ColumnElement[bool]
    own: ColumnElement[bool]
    behalf: tuple[tuple[str, ColumnElement[bool]], ...]
    overdue: ColumnElement[bool]
    soon: ColumnElement[bool]
    # A unit's overdue report on a record the actor answers for: theirs to hasten.
    follow: ColumnElement[bool]

    @property
    def listed(self) -> ColumnElement[bool]:
        return or_(self.mine, self.follow)


def _owed_reports(actor: Actor, principals: Sequence[Actor], today: date, soon_limit: date) -> _OwedReports:
    own = duties.holder_clause(actor)
    behalf = tuple((p.full_name, duties.holder_clause(p)) for p in principals)
    held = or_(own, *(clause for _name, clause in behalf)) if behalf else own
    # An open record's running duty, due by the 工作台's due-soon limit: a report due later is no to-do yet.
    mine = and_(_WD.active == true(), _WD.next_due <= soon_limit, _WI.closed == false(), held)
    # 一事一人: the person who answers for a record follows its units' reports, and hastens a missed one.
    follow: ColumnElement[bool] = false()
    if actor.id is not None and actor.has(*URGING_ROLES):
        follow = and_(_WD.active == true(), _WD.unit_id.is_not(None), _WD.next_due < today, _WI.closed == false(),
                      _WI.responsible_id == actor.id, not_(held))
    return _OwedReports(mine, own, behalf, _WD.next_due < today, _WD.next_due.between(today, soon_limit), follow)


def _report_select(*columns: ColumnElement[Any]) -> Select[Unpack[tuple[Any, ...]]]:
    return select(*columns).select_from(workflow_duties.join(workflow_instances, _WI.id == _WD.instance_id))


def _report_urged(people: Sequence[int]) -> ColumnElement[bool]:
    """Hastened (duties.hasten_duty) and not reported since: the next report answers the 催办."""
    answered = exists().where(_WR.duty_id == _WD.id, _WR.at >= urges.c.at)
    return exists().where(
        urges.c.instance_id == _WD.instance_id, urges.c.duty_key == _WD.duty_key, _aimed_at(people), not_(answered)
    )


def _count_reports(owed: _OwedReports, people: Sequence[int]) -> Select[Unpack[tuple[Any, ...]]]:
    """The owed reports per flow, with how many are overdue, due soon and hastened: a person owes a few."""
    urged = func.coalesce(func.sum(case((_report_urged(people), 1), else_=0)), 0)
    return (
        _report_select(_part(REPORT_PART), _WI.flow_key, *work_items.count_columns(owed.overdue, owed.soon), urged)
        .where(owed.listed)
        .group_by(_WI.flow_key)
    )


def _report_rows(
    uow: UnitOfWork, owed: _OwedReports, view: str, flow_keys: frozenset[str] | None,
    flows: dict[tuple[str, int], Flow], today: date, limit: int, people: Sequence[int],
) -> list[TodoItem]:
    """The owed reports of a view, the earliest due first, each with its latest 催办 where it was hastened."""
    urged = _report_urged(people)
    conditions = [owed.listed]
    if view == "soon":
        conditions.append(owed.soon)
    elif view == "overdue":
        conditions.append(owed.overdue)
    elif view == "urged":
        conditions.append(urged)
    if flow_keys is not None:
        conditions.append(_WI.flow_key.in_(sorted(flow_keys)))
    # Whose each row is: the actor's own, else the first person they act for whose it is.
    marks = [case((clause, 1), else_=0) for clause in (owed.own, *(c for _n, c in owed.behalf))] if owed.behalf else []
    duty_columns = (_WD.duty_key, _WD.rhythm, _WD.every, _WD.next_due, _WD.next_due_provisional,
                    case((urged, 1), else_=0), case((owed.follow, 1), else_=0))
    rows = uow.execute(
        _report_select(*INFO_COLUMNS, *duty_columns, *marks).where(*conditions).order_by(_WD.next_due, _WD.id)
        .limit(limit)
    ).all()
    items = []
    base = len(INFO_COLUMNS)
    for row in rows:
        key, rhythm, every, due, provisional, hastened, following = row[base: base + len(duty_columns)]
        flags = row[base + len(duty_columns):]
        held_for = ""
        if flags and not flags[0]:
            held_for = next((name for (name, _c), flag in zip(owed.behalf, flags[1:], strict=True) if flag), "")
        flow = flows.get((row.flow_key, row.flow_version)) or flow_for(uow, row.flow_key, row.flow_version)
        label = next((d.label for d in flow.duties if d.key == key), key)
        item = TodoItem(
            info_from_row(row[:base], flow), due < today, today <= due, FOLLOW if following else DUTY, due,
            bool(provisional),
            on_behalf_of=held_for, duty_key=key, duty_label=f"{label} · {Rhythm(rhythm, every).describe()}",
        )
        items.append(replace(item, urge=_latest_report_urge(uow, item, people)) if hastened else item)
    return items


def _latest_report_urge(uow: UnitOfWork, item: TodoItem, people: Sequence[int]) -> UrgeNote | None:
    """The latest 催办 of a hastened report (one statement per hastened report: a person has a few)."""
    row = uow.execute(
        select(urges.c.by_name, urges.c.method, urges.c.note, urges.c.at)
        .where(urges.c.instance_id == item.info.id, urges.c.duty_key == item.duty_key, _aimed_at(people))
        .order_by(urges.c.id.desc())
        .limit(1)
    ).first()
    return UrgeNote(*row) if row is not None else None
