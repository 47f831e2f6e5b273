"""The parallel work items that wait for one person or one unit, not for a step's role, as the 工作台 reads
them beside the steps (app.services.workflow.todo): every flow's items of the engine's table workflow_work_items,
by kind:

- "task" (app.services.workflow.parallel): to its person, or its unit's 联络员, while its record is open; due on
  its own due date;
- "checklist" (app.services.workflow.parallel), a line of a record's own to-do list (a 会议方案's task): to its
  person, shown like a task, while its record is open and it is not ticked off;
- "cosign", a unit's 会签 opinion: to the unit's 联络员 while the record is at the item's step; due with the step;
- "receipt", a unit's 签收 of a distributed copy: to the unit's 联络员, whenever the copy comes; due within the
  limit of 收文's 签收 from when it was sent;
- "read", a reader's 传阅 copy (待阅): to the reader; due within the limit of 传阅 from when it was sent.

An item waits while its state is "sent": feedback given (reported), done or recalled, it asks nothing more of
its holder. Read on the Core tables of app.db.tables, so the 工作台 needs no ORM at the start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Unpack

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
)

from app.core.calendar import Deadline, WorkCalendar
from app.core.roles import Role
from app.core.workflow.engine import TimeLimit
from app.db.tables import workflow_instances, workflow_work_items
from app.services.kernel.actor import Actor
from app.services.kernel.light_tables import document_co_handlers, documents
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import UNIT_SCOPED_ROLES, flow_for

# The 收文 flow, whose steps' time limits the receipts and the readers keep (app.services.documents.records.
# FLOW_KEYS; that module loads the ORM).
INCOMING_FLOW = "incoming_document"
# A reader's copy has the 传阅 step's time limit from the day it was sent. A unit signs for a distributed
# copy within the limit the office keeps for signing for what it receives itself (收文's 签收).
READ_LIMIT_STEP = (INCOMING_FLOW, "circulate")
RECEIPT_LIMIT_STEP = (INCOMING_FLOW, "receive")

_WI = workflow_instances.c
_WW = workflow_work_items.c
_DOC = documents.c
# Another item of the same record, through which a unit is linked to it.
_LINK = workflow_work_items.alias("link_item")

# The kinds of item (app.services.documents.work_items names the 公文's; app.services.workflow.parallel "task").
COSIGN, RECEIPT, READ, TASK = "cosign", "receipt", "read", "task"
# A checklist line waits on its holder as a task does, and the 工作台 shows it as one.
CHECKLIST = "checklist"
# The time an item was sent, from which a receipt's and a reader's deadlines count.
SENT_AT = _WW.sent_at
# A task's own deadline.
ITEM_DUE, ITEM_DUE_PROVISIONAL = _WW.due_date, _WW.due_provisional
# What a task asks.
ITEM_TASK = _WW.task


def time_limit(uow: UnitOfWork, flow_step: tuple[str, str]) -> TimeLimit | None:
    """The time limit of a flow's step, as the flow's current version declares it; None where it has none."""
    flow = flow_for(uow, flow_step[0])
    step = next((s for s in flow.steps if s.key == flow_step[1]), None)
    return step.time_limit if step is not None else None


def due_from(calendar: WorkCalendar, limit: TimeLimit | None) -> Callable[[date], Deadline | None]:
    """The deadline of an item sent on a given day."""

    def due(sent: date) -> Deadline | None:
        if limit is None:
            return None
        return calendar.add_workdays(sent, limit.amount) if limit.unit == "workday" else calendar.add_days(
            sent, limit.amount
        )

    return due


def local_date(value: datetime) -> date:
    return value.astimezone().date()


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


@dataclass(frozen=True)
class SentCutoffs:
    """An item's deadline grows with the day it was sent, so 'overdue' and 'due soon' are ranges of the
    time it was sent: overdue when sent before ``overdue_before``, due soon when sent from then until
    ``soon_before``. This keeps them countable in SQL."""

    overdue_before: datetime | None
    soon_before: datetime | None

    def overdue(self, sent_at: ColumnElement[datetime]) -> ColumnElement[bool]:
        return sent_at < self.overdue_before if self.overdue_before is not None else false()

    def due_soon(self, sent_at: ColumnElement[datetime]) -> ColumnElement[bool]:
        if self.overdue_before is None or self.soon_before is None:
            return false()
        return and_(sent_at >= self.overdue_before, sent_at < self.soon_before)


def sent_cutoffs(due: Callable[[date], Deadline | None], today: date, soon_limit: date) -> SentCutoffs:
    if due(today) is None:
        return SentCutoffs(None, None)
    return SentCutoffs(_local_midnight(_first_sent_day(due, today, today)),
                       _local_midnight(_first_sent_day(due, soon_limit + timedelta(days=1), soon_limit)))


def _first_sent_day(due: Callable[[date], Deadline | None], at_least: date, start: date) -> date:
    """The first day whose items are due on or after ``at_least``. Deadlines never fall before the day
    sent, so it is at most ``start``; walking back stops within the longest limit and its holidays."""
    day = start
    for _ in range(400):
        earlier = due(day - timedelta(days=1))
        if earlier is None or earlier.date < at_least:
            return day
        day -= timedelta(days=1)
    return day


def acts_for_unit(actor: Actor) -> bool:
    """Only a unit's liaison answers for it: its 会签 opinion and its 签收."""
    return actor.has(Role.LIAISON) and actor.unit_id is not None


def _unit_items(actor: Actor, kind: str) -> ColumnElement[bool]:
    """The actor's unit's items of a kind that wait (for acts_for_unit)."""
    return and_(_WW.state == "sent", _WW.unit_id == actor.unit_id, _WW.kind == kind)


def pending_cosigns(actor: Actor) -> ColumnElement[bool]:
    """The records at 会签 whose opinion the actor's unit has not given yet (for acts_for_unit)."""
    return and_(_unit_items(actor, COSIGN), _WI.state == _WW.step_key, _WI.closed == false())


def pending_receipts(actor: Actor) -> ColumnElement[bool]:
    """The copies distributed to the actor's unit that nobody has signed for yet (for acts_for_unit)."""
    return _unit_items(actor, RECEIPT)


def unread_circulations(actor: Actor) -> ColumnElement[bool]:
    """The copies sent to the actor to read that they have not read and that were not recalled. A liaison
    reads only the documents their unit may see (app.services.documents.records.can_see)."""
    conditions = [_WW.state == "sent", _WW.user_id == actor.id, _WW.kind == READ]
    if not actor.roles - UNIT_SCOPED_ROLES:
        conditions.append(linked_to_unit(actor.unit_id))
    return and_(*conditions)


def pending_tasks(actor: Actor) -> ColumnElement[bool]:
    """The tasks (app.services.workflow.parallel) the actor holds, or their unit does when they are its 联络员,
    not yet reported, on open records; and the checklist lines they hold, not yet ticked off."""
    held = _WW.user_id == actor.id if actor.id is not None else false()
    if acts_for_unit(actor):
        held = or_(held, _WW.unit_id == actor.unit_id)
    return and_(_WW.state == "sent", _WW.kind.in_((TASK, CHECKLIST)), held, _WI.closed == false())


def linked_to_unit(unit_id: int | None) -> ColumnElement[bool]:
    """The documents a unit is linked to (drafted, led, assisted, co-signed or received), as
    app.services.documents.records._unit_linked asks it of one document. An item not of a document is not."""
    if unit_id is None:
        return false()
    return exists().where(
        _DOC.workflow_instance_id == _WI.id,
        or_(
            _DOC.drafting_unit_id == unit_id,
            _DOC.handling_unit_id == unit_id,
            exists().where(document_co_handlers.c.document_id == _DOC.id, document_co_handlers.c.unit_id == unit_id),
            exists().where(
                _LINK.c.instance_id == _WI.id, _LINK.c.unit_id == unit_id, _LINK.c.kind.in_((COSIGN, RECEIPT))
            ),
        ),
    )


def item_select(*columns: ColumnElement[object]) -> Select[Unpack[tuple[Any, ...]]]:
    """Work items with their records."""
    return select(*columns).select_from(workflow_work_items.join(workflow_instances, _WI.id == _WW.instance_id))


def count_columns(
    overdue: ColumnElement[bool], soon: ColumnElement[bool]
) -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[int]]:
    """How many, how many overdue, how many due soon: one statement counts all three."""
    return (
        func.count(),
        func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        func.coalesce(func.sum(case((soon, 1), else_=0)), 0),
    )

