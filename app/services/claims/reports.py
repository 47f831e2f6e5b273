"""报账 reports: claims by department over a period, and totals by expense category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, case, false, func, select, true

from app.core.roles import Role
from app.models import Claim, ClaimLineItem, Unit, WorkflowInstance
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.worklist import date_range

REPORT_ROLES = (Role.FINANCE, Role.CASHIER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class UnitTotal:
    unit_id: int
    unit_name: str
    claims: int
    total: Decimal
    closed_total: Decimal  # paid and booked
    open_total: Decimal  # still on its way


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    lines: int
    total: Decimal


def _period(date_from: date, date_to: date) -> list[ColumnElement[bool]]:
    # Drafts never submitted and withdrawn claims are not spending.
    return [*date_range(Claim.claim_date, date_from, date_to), Claim.submitted == true(), Claim.withdrawn == false()]


@acting
def totals_by_unit(uow: UnitOfWork, actor: Actor, date_from: date, date_to: date) -> list[UnitTotal]:
    require_role(actor, REPORT_ROLES, "查看报账统计")
    closed_amount = case((WorkflowInstance.closed == true(), Claim.total), else_=0)
    rows = uow.session.execute(
        select(Unit.id, Unit.name, func.count(Claim.id), func.sum(Claim.total), func.sum(closed_amount))
        .join(Claim, Claim.unit_id == Unit.id)
        .join(WorkflowInstance, WorkflowInstance.id == Claim.instance_id)
        .where(*_period(date_from, date_to))
        .group_by(Unit.id, Unit.name, Unit.sort_order)
        .order_by(Unit.sort_order, Unit.name)
    )
    result = []
    for unit_id, name, count, total, closed in rows:
        total_value = Decimal(total or 0).quantize(ZERO)
        closed_value = Decimal(closed or 0).quantize(ZERO)
        result.append(UnitTotal(unit_id, name, int(count), total_value, closed_value, total_value - closed_value))
    return result


@acting
def totals_by_category(
    uow: UnitOfWork, actor: Actor, date_from: date, date_to: date, unit_id: int | None = None
) -> list[CategoryTotal]:
    require_role(actor, REPORT_ROLES, "查看报账统计")
    conditions = _period(date_from, date_to)
    if unit_id is not None:
        conditions.append(Claim.unit_id == unit_id)
    rows = uow.session.execute(
        select(ClaimLineItem.category, func.count(ClaimLineItem.id), func.sum(ClaimLineItem.amount))
        .join(Claim, Claim.id == ClaimLineItem.claim_id)
        .where(*conditions)
        .group_by(ClaimLineItem.category)
        .order_by(func.sum(ClaimLineItem.amount).desc())
    )
    return [CategoryTotal(category, int(count), Decimal(total or 0).quantize(ZERO)) for category, count, total in rows]
