"""Arrival: what came to the signed-in person since the last look — new 待办, new 待阅, and 催办 aimed at them.

The main window's change poller asks the change feed every few seconds anyway. Only when the feed shows
a change to records does it ask here: the person's to-dos are counted again by the 工作台's own query
(app.services.workflow.todo.todo, with a short list), and compared with what was seen last (an
ArrivalMark). A to-do is new when it was not in the last list and another person's change touched its
record: the person's own moves (a draft they started, a record they sent back to themselves) are not
news to them. A 催办 arrives for the person it is aimed at (urges.aimed_at_id), never for a role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Integer, Text, column, func, or_, select, table

from app.db.tables import UTCDateTime, audit_log, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.changes import Change
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import todo

# How many of the most urgent to-dos and 待阅 are remembered to tell a new one by; a count beyond them
# still says how many arrived.
ARRIVAL_LIMIT = 100
# Feed entries that are never about a record in a flow: a change to them needs no recount.
NOT_RECORDS = frozenset({"user", "unit", "settings", "holiday", "common_opinion", "unit_group", "delegation",
                         "budget", "backup", "audit_anchor"})
# Titles named in one message; the rest are "等".
NAMED = 3

# The 催办 rows as a light clause (the poll loads no ORM): who made it, for whom, and about what.
_urges = table(
    "urges",
    column("id", Integer),
    column("instance_id", Integer),
    column("by_id", Integer),
    column("by_name", Text()),
    column("method", Text()),
    column("note", Text()),
    column("at", UTCDateTime()),
    column("aimed_at_id", Integer),
)
_U, _WI, _A = _urges.c, workflow_instances.c, audit_log.c

# A record as the change feed names it: (entity type, entity id), or the instance's own id where no
# record of an area stands behind it.
RecordKey = tuple[str, int]
# A to-do as remembered: what it asks (todo.STEP, todo.READ …) and its workflow instance.
Seen = tuple[str, int]


@dataclass(frozen=True)
class ArrivalMark:
    """What the person was last seen to have: counts, the listed to-dos, and the latest 催办 there was."""

    todo_count: int
    read_count: int
    seen: frozenset[Seen]
    last_urge_id: int


@dataclass(frozen=True)
class UrgeArrival:
    by_name: str
    method: str
    note: str
    title: str
    at: datetime


@dataclass(frozen=True)
class Arrivals:
    """What arrived since the mark, and the counts now (the navigation pane shows the 待办)."""

    todo_count: int
    read_count: int
    new_todo_titles: list[str] = field(default_factory=list)
    new_todo_count: int = 0
    new_read_titles: list[str] = field(default_factory=list)
    new_read_count: int = 0
    urges: list[UrgeArrival] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.new_todo_count or self.new_read_count or self.urges)


def touches_records(changes: Iterable[Change]) -> bool:
    """Whether a batch of feed entries may have changed anyone's to-dos (a recount is worth it)."""
    return any(c.entity_type not in NOT_RECORDS for c in changes)


def _key(item: todo.TodoItem) -> RecordKey:
    info = item.info
    return info.entity_type, info.entity_id if info.entity_id is not None else info.id


def _seen(result: todo.TodoList) -> frozenset[Seen]:
    return frozenset((item.kind, item.info.id) for item in [*result.items, *result.reading])


def _latest_urge(uow: UnitOfWork) -> int:
    return int(uow.execute(select(func.max(_U.id))).scalar_one() or 0)


def _read(uow: UnitOfWork, actor: Actor, today: date | None) -> todo.TodoList:
    return todo.todo(uow, actor, today or date.today(), limit=ARRIVAL_LIMIT)


@acting
def arrival_mark(
    uow: UnitOfWork, actor: Actor, reading: todo.TodoList | None = None, today: date | None = None
) -> ArrivalMark:
    """Where the person stands now: from the 工作台's reading where it was just read, else read here."""
    result = reading if reading is not None else _read(uow, actor, today)
    return ArrivalMark(result.count_of("all"), result.count_of("read"), _seen(result), _latest_urge(uow))


def _changed_by_others(uow: UnitOfWork, actor: Actor, changes: Sequence[Change]) -> set[RecordKey]:
    """The records that someone other than the actor changed in these feed entries (their audit rows)."""
    positions = sorted({c.position for c in changes if c.entity_type not in NOT_RECORDS and c.entity_id is not None})
    if not positions:
        return set()
    rows = uow.execute(
        select(_A.entity_type, _A.entity_id).where(
            _A.seq.in_(positions), or_(_A.user_id.is_(None), _A.user_id != actor.id)
        )
    ).all()
    return {(r.entity_type, int(r.entity_id)) for r in rows if r.entity_id is not None}


def _new_items(
    items: Sequence[todo.TodoItem], mark: ArrivalMark, others: set[RecordKey], listed_all: bool,
    count_now: int, count_then: int,
) -> tuple[list[str], int]:
    """The titles of the unseen items another person brought, and how many arrived in all."""
    unseen = [item for item in items if (item.kind, item.info.id) not in mark.seen]
    theirs = [item for item in unseen if _key(item) in others]
    titles = list(dict.fromkeys(item.info.title for item in theirs))
    # A list cut at the limit may leave a new one out: the count then says how many more there are.
    beyond = 0 if listed_all else max(0, (count_now - count_then) - len(unseen))
    return titles, len(titles) + (beyond if others else 0)


@acting
def check_arrivals(
    uow: UnitOfWork, actor: Actor, mark: ArrivalMark, changes: Sequence[Change], today: date | None = None
) -> tuple[Arrivals, ArrivalMark]:
    """What arrived for the actor in these feed entries, and the new mark. Counts again only when the
    entries touch records; otherwise it answers from the mark with no statement at all."""
    if not touches_records(changes) or actor.id is None:
        return Arrivals(mark.todo_count, mark.read_count), mark
    result = _read(uow, actor, today)
    others = _changed_by_others(uow, actor, changes)
    todo_now, read_now = result.count_of("all"), result.count_of("read")
    todo_titles, todo_new = _new_items(result.items, mark, others, result.total <= len(result.items),
                                       todo_now, mark.todo_count)
    read_titles, read_new = _new_items(result.reading, mark, others, read_now <= len(result.reading),
                                       read_now, mark.read_count)
    # Up to the latest there is now: one made while this runs is left for the next look, not skipped.
    latest_urge = _latest_urge(uow)
    rows = uow.execute(
        select(_U.id, _U.by_name, _U.method, _U.note, _U.at, _WI.title)
        .select_from(_urges.join(workflow_instances, _WI.id == _U.instance_id))
        .where(_U.id > mark.last_urge_id, _U.id <= latest_urge, _U.aimed_at_id == actor.id,
               or_(_U.by_id.is_(None), _U.by_id != actor.id))
        .order_by(_U.id)
    ).all()
    urges = [UrgeArrival(r.by_name, r.method, r.note, r.title, r.at) for r in rows]
    last_urge = max(mark.last_urge_id, latest_urge)
    arrivals = Arrivals(todo_now, read_now, todo_titles, todo_new, read_titles, read_new, urges)
    return arrivals, ArrivalMark(todo_now, read_now, _seen(result), last_urge)


__all__ = ["ArrivalMark", "Arrivals", "UrgeArrival", "arrival_mark", "check_arrivals", "touches_records"]
