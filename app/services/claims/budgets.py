"""Departments' yearly budgets per expense category, and what a claim leaves of them.

A budget counts the claims that have been submitted and not withdrawn. A claim still being filled in,
or sent back to its claimant, does not hold budget until it is submitted again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import false, func, select, true

from app.core.claims import CATEGORIES
from app.core.errors import ValidationError
from app.core.money import parse_amount
from app.core.roles import Role
from app.models import Budget, Claim, ClaimLineItem, Unit
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

BUDGET_ROLES = (Role.FINANCE, Role.ADMIN)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetLine:
    category: str
    budget: Decimal
    used: Decimal  # by other submitted claims of the department this year
    this_claim: Decimal
    left: Decimal  # budget - used - this_claim; negative when over

    @property
    def over(self) -> bool:
        return self.left < 0


@dataclass(frozen=True)
class BudgetRow:
    id: int
    year: int
    unit_id: int
    unit_name: str
    category: str
    amount: Decimal
    used: Decimal
    left: Decimal
    version: int


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def used_by_category(
    uow: UnitOfWork, unit_id: int, year: int, categories: list[str] | None = None, exclude_claim_id: int | None = None
) -> dict[str, Decimal]:
    first, last = _year_range(year)
    query = (
        select(ClaimLineItem.category, func.sum(ClaimLineItem.amount))
        .join(Claim, Claim.id == ClaimLineItem.claim_id)
        .where(
            Claim.unit_id == unit_id,
            Claim.claim_date >= first,
            Claim.claim_date <= last,
            Claim.submitted == true(),
            Claim.withdrawn == false(),
        )
        .group_by(ClaimLineItem.category)
    )
    if categories is not None:
        query = query.where(ClaimLineItem.category.in_(categories))
    if exclude_claim_id is not None:
        query = query.where(Claim.id != exclude_claim_id)
    return {category: Decimal(total or 0).quantize(ZERO) for category, total in uow.session.execute(query)}


def budget_status(
    uow: UnitOfWork, unit_id: int, year: int, by_category: Mapping[str, Decimal], exclude_claim_id: int | None = None
) -> list[BudgetLine]:
    """For each category of the claim that has a budget: the budget, what others used, and what is left."""
    if not by_category:
        return []
    budgets = dict(
        uow.session.execute(
            select(Budget.category, Budget.amount).where(
                Budget.unit_id == unit_id, Budget.year == year, Budget.category.in_(list(by_category))
            )
        ).all()
    )
    if not budgets:
        return []
    used = used_by_category(uow, unit_id, year, list(budgets), exclude_claim_id)
    lines = []
    for category, amount in by_category.items():
        if category not in budgets:
            continue
        budget = Decimal(budgets[category]).quantize(ZERO)
        spent = used.get(category, ZERO)
        lines.append(BudgetLine(category, budget, spent, amount, budget - spent - amount))
    return lines


@acting
def set_budget(
    uow: UnitOfWork, actor: Actor, *, year: int, unit_id: int, category: str, amount: str | Decimal
) -> BudgetRow:
    """Sets (or replaces) a department's budget for one category and year."""
    require_role(actor, BUDGET_ROLES, "设置预算")
    if not 2000 <= year <= 2100:
        raise ValidationError("请填写正确的预算年度", field="year")
    if category not in CATEGORIES:
        raise ValidationError("请选择费用类别", field="category")
    unit = uow.session.get(Unit, unit_id)
    if unit is None:
        raise ValidationError("请选择部门", field="unit_id")
    try:
        value = parse_amount(amount) if isinstance(amount, str) else amount
    except ValidationError as error:
        raise ValidationError("预算金额：" + error.message, field="amount") from None
    if value <= 0:
        raise ValidationError("预算金额必须大于零；不再控制预算请删除该条", field="amount")
    row = uow.session.execute(
        select(Budget).where(Budget.year == year, Budget.unit_id == unit_id, Budget.category == category)
    ).scalar_one_or_none()
    old = row.amount if row is not None else None
    if row is None:
        row = Budget(year=year, unit_id=unit_id, category=category, amount=value)
        uow.session.add(row)
    else:
        row.amount = value
    uow.flush()
    uow.record(
        actor.id, actor.username, "update" if old is not None else "create", "budget", row.id,
        {"year": year, "unit": unit.name, "category": category, "amount": [str(old) if old else None, str(value)]},
        change_op="update",
    )
    used = used_by_category(uow, unit_id, year, [category]).get(category, ZERO)
    result = BudgetRow(row.id, year, unit_id, unit.name, category, value, used, value - used, row.version)
    uow.commit()
    return result


@acting
def remove_budget(uow: UnitOfWork, actor: Actor, budget_id: int) -> None:
    require_role(actor, BUDGET_ROLES, "删除预算")
    row = uow.found(Budget, budget_id, "找不到该预算，可能已被删除")
    uow.record(
        actor.id, actor.username, "delete", "budget", row.id,
        {"year": row.year, "unit_id": row.unit_id, "category": row.category, "amount": str(row.amount)},
        change_op="delete",
    )
    uow.session.delete(row)
    uow.commit()


@acting
def list_budgets(uow: UnitOfWork, actor: Actor, year: int) -> list[BudgetRow]:
    """Every budget of the year with what has been used: for finance staff, leaders and the administrator."""
    require_role(actor, (*BUDGET_ROLES, Role.DIRECTOR, Role.DEPUTY_DIRECTOR), "查看预算")
    rows = uow.session.execute(
        select(Budget, Unit.name).join(Unit, Unit.id == Budget.unit_id).where(Budget.year == year)
        .order_by(Unit.sort_order, Unit.name, Budget.category)
    )
    result = []
    cache: dict[int, dict[str, Decimal]] = {}
    for budget, unit_name in rows:
        if budget.unit_id not in cache:
            cache[budget.unit_id] = used_by_category(uow, budget.unit_id, year)
        used = cache[budget.unit_id].get(budget.category, ZERO)
        amount = Decimal(budget.amount).quantize(ZERO)
        result.append(
            BudgetRow(budget.id, year, budget.unit_id, unit_name, budget.category, amount, used, amount - used,
                      budget.version)
        )
    return result
