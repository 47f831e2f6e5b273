"""The parallel work items of the 公文 flows that wait for one person or one unit, not for a step's role:
a unit's 会签 opinion, a unit's 签收 of a distributed copy, a reader's 传阅 copy. The 工作台 reads them
beside the steps (app.services.workflow.todo).

They are read on light table clauses of the documents' tables (app.services.kernel.light_tables), so that the
工作台 needs no ORM at the start (app.db.tables says why).
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
from app.db.tables import workflow_instances
from app.services.kernel.actor import Actor
from app.services.kernel.light_tables import (
    document_circulations,
    document_co_handlers,
    document_cosigners,
    document_distributions,
    documents,
)
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import UNIT_SCOPED_ROLES, flow_for

# The flows and steps these items belong to (app.services.documents.records.FLOW_KEYS; that module loads the ORM).
OUTGOING_FLOW = "outgoing_document"
INCOMING_FLOW = "incoming_document"
COSIGN_STEP = "cosign"
# A reader's copy has the 传阅 step's time limit from the day it was sent. A unit signs for a distributed
# copy within the limit the office keeps for signing for what it receives itself (收文's 签收).
READ_LIMIT_STEP = (INCOMING_FLOW, "circulate")
RECEIPT_LIMIT_STEP = (INCOMING_FLOW, "receive")

_WI = workflow_instances.c
_DOC = documents.c

COSIGN, RECEIPT, READ = "cosign", "receipt", "read"


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


def pending_cosigns(actor: Actor) -> ColumnElement[bool]:
    """The documents at 会签 whose opinion the actor's unit has not given yet (for acts_for_unit)."""
    return and_(
        document_cosigners.c.unit_id == actor.unit_id,
        document_cosigners.c.agreed.is_(None),
        _WI.flow_key == OUTGOING_FLOW,
        _WI.state == COSIGN_STEP,
        _WI.closed == false(),
    )


def pending_receipts(actor: Actor) -> ColumnElement[bool]:
    """The copies distributed to the actor's unit that nobody has signed for yet (for acts_for_unit)."""
    return and_(document_distributions.c.unit_id == actor.unit_id, document_distributions.c.received_at.is_(None))


def unread_circulations(actor: Actor) -> ColumnElement[bool]:
    """The copies sent to the actor to read that they have not read and that were not recalled. A liaison
    reads only the documents their unit may see (app.services.documents.records.can_see)."""
    circulations = document_circulations.c
    conditions = [circulations.reader_id == actor.id, circulations.read_at.is_(None), circulations.recalled == false()]
    if not actor.roles - UNIT_SCOPED_ROLES:
        conditions.append(linked_to_unit(actor.unit_id))
    return and_(*conditions)


def linked_to_unit(unit_id: int | None) -> ColumnElement[bool]:
    """The documents a unit is linked to (drafted, led, assisted, co-signed or received), as
    app.services.documents.records._unit_linked asks it of one document."""
    if unit_id is None:
        return false()
    linked = [
        exists().where(child.c.document_id == _DOC.id, child.c.unit_id == unit_id)
        for child in (document_cosigners, document_distributions, document_co_handlers)
    ]
    return or_(_DOC.drafting_unit_id == unit_id, _DOC.handling_unit_id == unit_id, *linked)


def cosign_select(*columns: ColumnElement[object]) -> Select[Unpack[tuple[Any, ...]]]:
    return select(*columns).select_from(
        document_cosigners.join(documents, _DOC.id == document_cosigners.c.document_id).join(
            workflow_instances, _WI.id == _DOC.workflow_instance_id
        )
    )


def receipt_select(*columns: ColumnElement[object]) -> Select[Unpack[tuple[Any, ...]]]:
    return select(*columns).select_from(
        document_distributions.join(documents, _DOC.id == document_distributions.c.document_id).join(
            workflow_instances, _WI.id == _DOC.workflow_instance_id
        )
    )


def read_select(*columns: ColumnElement[object]) -> Select[Unpack[tuple[Any, ...]]]:
    return select(*columns).select_from(
        document_circulations.join(documents, _DOC.id == document_circulations.c.document_id).join(
            workflow_instances, _WI.id == _DOC.workflow_instance_id
        )
    )


def count_columns(
    overdue: ColumnElement[bool], soon: ColumnElement[bool]
) -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[int]]:
    """How many, how many overdue, how many due soon: one statement counts all three."""
    return (
        func.count(),
        func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        func.coalesce(func.sum(case((soon, 1), else_=0)), 0),
    )

