"""The office a 报销单 is walked through from 填报 to 已办结 in: one person per step, and a stranger. Each module
that uses it has a three-line ``office`` fixture calling build_flow_office (tests/services/conftest.py's
``office`` is the other claims office, of test_claims_roles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.bootstrap import AppContext
from app.core.roles import Role
from app.services.kernel.actor import Actor
from tests.helpers import add_unit, add_user, set_unit_head

TODAY = date(2026, 11, 27)


@dataclass(frozen=True)
class Office:
    unit: int
    claimant: Actor
    head: Actor
    finance: Actor
    deputy: Actor
    director: Actor
    cashier: Actor
    admin: Actor
    stranger: Actor


def build_flow_office(ctx: AppContext) -> Office:
    """综合股 with its claimant and head, and the office's finance, leaders, cashier and admin elsewhere."""
    unit = add_unit(ctx, "综合股", "section")
    other = add_unit(ctx, "财务股", "section")
    head = add_user(ctx, "head", [], unit, "李股长")
    set_unit_head(ctx, unit, head.id)
    return Office(
        unit=unit,
        claimant=add_user(ctx, "claimant", [], unit, "张报销"),
        head=head,
        finance=add_user(ctx, "finance", [Role.FINANCE], other, "王会计"),
        deputy=add_user(ctx, "deputy", [Role.DEPUTY_DIRECTOR], other, "赵副主任"),
        director=add_user(ctx, "director", [Role.DIRECTOR], other, "钱主任", is_principal=True),
        cashier=add_user(ctx, "cashier", [Role.CASHIER], other, "孙出纳"),
        admin=add_user(ctx, "admin", [Role.ADMIN], other, "管理员"),
        stranger=add_user(ctx, "stranger", [], other, "路人"),
    )
