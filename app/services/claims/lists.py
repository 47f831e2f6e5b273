"""The 报账 lists: my claims, claims waiting for me, and all the claims a user may see, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true

from app.core.errors import ValidationError
from app.core.workflow.approval_chain import FLOW_KEY
from app.models import Claim, Unit, WorkflowInstance
from app.services.claims import records as claims
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from app.services.workflow import todo
from app.services.workflow.worklist import Page, check_page, date_range, escape_like, search_text, sort_order

Box = Literal["mine", "waiting", "all"]
BOXES: dict[str, str] = {"mine": "我的报销单", "waiting": "待我审批", "all": "全部报销单"}
SORT_KEYS = ("date", "number", "total", "due_date", "claimant", "id")


@dataclass(frozen=True)
class ClaimRow:
    id: int
    number: str
    title: str
    unit_name: str
    claimant_name: str
    claim_date: date
    total: Decimal
    over_budget: bool
    state: str
    state_label: str
    closed: bool
    withdrawn: bool
    # Back at 经办人填报 after having been submitted: sent back by a reviewer.
    submitted: bool
    due_date: date | None
    due_provisional: bool
    overdue: bool
    instance_id: int


def _scope(uow: UnitOfWork, actor: Actor, box: str) -> list[ColumnElement[bool]]:
    if box == "mine":
        return [Claim.claimant_id == actor.id] if actor.id is not None else [false()]
    if box == "waiting":
        actionable, _ = todo.actionable_clause(uow, actor, frozenset({FLOW_KEY}))
        return [actionable]
    if claims.sees_all(uow, actor):
        # Others' drafts that were never submitted are theirs alone.
        return [or_(Claim.submitted == true(), Claim.claimant_id == actor.id)] if actor.id is not None else []
    own: list[ColumnElement[bool]] = [Claim.claimant_id == actor.id] if actor.id is not None else []
    headed = claims.headed_units(uow, actor)
    if headed:
        own.append(and_(Claim.unit_id.in_(headed), Claim.submitted == true()))
    return [or_(*own)] if own else [false()]


@acting
def list_claims(
    uow: UnitOfWork,
    actor: Actor,
    *,
    box: Box = "all",
    state: str | None = None,
    unit_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    overdue_on: date | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int = 50,
    order_by: str = "date",
    descending: bool | None = None,
    today: date | None = None,
) -> Page[ClaimRow]:
    """A page of claims and the total. state is a step key, or 'open' / 'closed'; search matches the
    number, the first line's 摘要 (the title) and the claimant's name."""
    check_page(offset, limit)
    if box not in BOXES:
        raise ValidationError("没有这个报销单列表", field="box")
    if order_by not in SORT_KEYS:
        raise ValidationError(f"不能按“{order_by}”排序", field="order_by")
    dates = date_range(Claim.claim_date, date_from, date_to)
    today = today or date.today()
    conditions: list[ColumnElement[bool]] = _scope(uow, actor, box)
    instance_needed = box == "waiting"
    if unit_id is not None:
        conditions.append(Claim.unit_id == unit_id)
    conditions += dates
    text = search_text(search)
    if text:
        pattern = f"%{escape_like(text)}%"
        conditions.append(or_(
            Claim.number.like(pattern, escape="\\"), Claim.title.like(pattern, escape="\\"),
            Claim.claimant_name.like(pattern, escape="\\"),
        ))
    # The flow key and the closed flag lead the (closed, flow_key, state) index; only SQLite can use it
    # without them, so they are spelled out even where they follow from the state.
    if state == "open":
        conditions += [WorkflowInstance.closed == false(), WorkflowInstance.flow_key == FLOW_KEY]
        instance_needed = True
    elif state == "closed":
        conditions += [WorkflowInstance.closed == true(), WorkflowInstance.flow_key == FLOW_KEY]
        instance_needed = True
    elif state:
        final = any(step.key == state and step.final for step in workflow.flow_for(uow, FLOW_KEY).steps)
        conditions += [
            WorkflowInstance.closed == (true() if final else false()), WorkflowInstance.flow_key == FLOW_KEY,
            WorkflowInstance.state == state,
        ]
        instance_needed = True
    if overdue_on is not None:
        conditions += [WorkflowInstance.closed == false(), WorkflowInstance.due_date < overdue_on]
        instance_needed = True

    joined = Claim.instance_id == WorkflowInstance.id
    count_query = select(func.count()).select_from(Claim)
    if instance_needed:
        count_query = count_query.join(WorkflowInstance, joined)
    total = int(uow.session.execute(count_query.where(*conditions)).scalar_one())

    if box == "waiting" and descending is None and order_by == "date":
        # What waits longest comes first, as on the 工作台; the (closed, due_date) index gives that order.
        order_by, descending = "due_date", False
    newest_first = order_by in ("date", "id", "number", "total") if descending is None else descending
    sorts: dict[str, list[Any]] = {
        "date": [Claim.claim_date, Claim.id],
        "number": [Claim.year, Claim.seq],
        "total": [Claim.total, Claim.id],
        "due_date": [WorkflowInstance.due_date, WorkflowInstance.id],
        "claimant": [Claim.claimant_name, Claim.id],
        "id": [Claim.id],
    }
    ordering = sort_order(sorts[order_by], newest_first)
    rows = uow.session.execute(
        select(Claim, WorkflowInstance, Unit.name)
        .join(WorkflowInstance, joined)
        .outerjoin(Unit, Unit.id == Claim.unit_id)
        .where(*conditions)
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
    )
    result = []
    for claim, instance, unit_name in rows:
        flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
        result.append(ClaimRow(
            id=claim.id, number=claim.number, title=claim.title, unit_name=unit_name or "",
            claimant_name=claim.claimant_name, claim_date=claim.claim_date, total=Decimal(claim.total),
            over_budget=claim.over_budget, state=instance.state, state_label=flow.step(instance.state).label,
            closed=instance.closed, withdrawn=claim.withdrawn, submitted=claim.submitted, due_date=instance.due_date,
            due_provisional=instance.due_provisional,
            overdue=not instance.closed and instance.due_date is not None and instance.due_date < today,
            instance_id=instance.id,
        ))
    return Page(result, total, offset)
