"""The claims office the 报销单 tests share: its units and people (who sees a claim, who moves it on), a claim
filed through the real services, and every act that can be tried on one. tests/services/conftest.py builds
it as the ``office`` fixture; tests/services/test_claims_roles.py holds each person to what they may do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.claims import LineInput
from app.core.roles import Role
from app.models import (
    Attachment,
    AuditEntry,
    Budget,
    ChangeFeedEntry,
    Claim,
    FlowDefinition,
    Unit,
    User,
    UserRole,
    WorkflowHistory,
    WorkflowInstance,
)
from app.services.admin.auth import actor_of
from app.services.claims import records as claims
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from tests.helpers import password_hash

TODAY = date(2026, 11, 27)

# name: (unit, roles, full name, heads the unit)
PEOPLE: dict[str, tuple[str, tuple[Role, ...], str, bool]] = {
    "claimant": ("综合股", (), "张报销", False),
    "colleague": ("综合股", (), "刘同事", False),
    "head": ("综合股", (), "李股长", True),
    "other_head": ("督查股", (), "陈股长", True),
    "finance": ("办公室", (Role.FINANCE,), "王会计", False),
    "cashier": ("办公室", (Role.CASHIER,), "孙出纳", False),
    "deputy": ("办公室", (Role.DEPUTY_DIRECTOR,), "赵副主任", False),
    "director": ("办公室", (Role.DIRECTOR,), "钱主任", False),
    "county": ("县政府", (Role.COUNTY_LEADER,), "周副县长", False),
    "admin": ("办公室", (Role.ADMIN,), "吴管理员", False),
    "secretary": ("综合股", (Role.SECRETARY,), "郑文秘", False),
}
EVERYONE = tuple(PEOPLE)
# Who sees a claim of 综合股 filed by the claimant: the claimant, the unit's head, finance and the leaders.
VIEWERS = {"claimant", "head", "finance", "cashier", "deputy", "director"}


@dataclass(frozen=True)
class Office:
    ctx: AppContext
    units: dict[str, int]
    people: dict[str, Actor]

    def run(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self.ctx.uow() as uow:
            return call(uow, *args, **kwargs)


def build_office(ctx: AppContext) -> Office:
    """Units and people in one unit of work."""
    with ctx.uow() as uow:
        units = {name: Unit(name=name, kind="section", sort_order=i)
                 for i, name in enumerate(("综合股", "督查股", "办公室", "县政府"))}
        uow.session.add_all(units.values())
        uow.flush()
        users = {
            key: User(username=key, full_name=name, password_hash=password_hash(), unit_id=units[unit].id,
                      is_principal=key == "director", role_links=[UserRole(role_code=r.value) for r in roles])
            for key, (unit, roles, name, _) in PEOPLE.items()
        }
        uow.session.add_all(users.values())
        uow.flush()
        for key, (unit, _, _, heads) in PEOPLE.items():
            if heads:
                units[unit].head_user_id = users[key].id
        people = {key: actor_of(user) for key, user in users.items()}
        unit_ids = {name: unit.id for name, unit in units.items()}
        uow.commit()
    return Office(ctx, unit_ids, people)


def claim_input(office: Office, unit: str = "综合股", amount: str = "8000.00") -> claims.ClaimInput:
    return claims.ClaimInput(office.units[unit], TODAY, [LineInput("赴省参加业务培训的差旅费", "差旅费", amount)], 3)


def new_claim(office: Office, who: str = "claimant", unit: str = "综合股", submit: bool = True) -> int:
    info = office.run(claims.create_claim, office.people[who], claim_input(office, unit), submit=submit, today=TODAY)
    return int(info.id)


def snapshot(office: Office, claim_id: int) -> tuple[Any, ...]:
    """What a refused act must leave as it was: the claim, where it stands, its history, audit and feed."""
    with office.ctx.uow() as uow:
        s = uow.session
        claim = s.get(Claim, claim_id)
        assert claim is not None
        instance = s.get(WorkflowInstance, claim.instance_id)
        assert instance is not None

        def count(model: Any) -> int:
            return int(s.execute(select(func.count()).select_from(model)).scalar_one())

        return (claim.version, claim.total, claim.submitted, claim.withdrawn, claim.paid_on, claim.voucher_number,
                instance.state, instance.version, instance.closed, count(WorkflowHistory), count(AuditEntry),
                count(ChangeFeedEntry), count(Attachment), count(Budget), count(FlowDefinition))


@dataclass(frozen=True)
class Subject:
    """The claim the acts below are tried on: its id, a receipt already attached, and its data to edit."""

    id: int
    receipt: int
    data: claims.ClaimInput


Act = Callable[[UnitOfWork, Actor, Subject], Any]


ACTS: dict[str, Act] = {
    "submit": lambda uow, a, c: claims.submit(uow, a, c.id, today=TODAY),
    "withdraw": lambda uow, a, c: claims.withdraw(uow, a, c.id, "重复填报", today=TODAY),
    "edit": lambda uow, a, c: claims.update_claim(uow, a, c.id, c.data, today=TODAY),
    "approve": lambda uow, a, c: claims.decide(uow, a, c.id, "approve", "同意。", today=TODAY),
    "return": lambda uow, a, c: claims.decide(uow, a, c.id, "return", "住宿发票抬头不符，请更换", today=TODAY),
    "pay": lambda uow, a, c: claims.pay(uow, a, c.id, paid_on=TODAY, method="银行转账", today=TODAY),
    "book": lambda uow, a, c: claims.book(uow, a, c.id, voucher_number="记-2026-11-031", booked_on=TODAY,
                                          today=TODAY),
    "add_receipt": lambda uow, a, c: claims.add_receipt(uow, a, c.id, filename="住宿发票.pdf", data=b"%PDF-1.4 a"),
    "remove_receipt": lambda uow, a, c: claims.remove_receipt(uow, a, c.id, c.receipt),
}
# How the claim is moved on after each step has been tried.
NEXT: dict[str, tuple[str, str]] = {
    "fill": ("claimant", "submit"),
    "dept_review": ("head", "approve"),
    "finance_review": ("finance", "approve"),
    "leader_approval": ("deputy", "approve"),
    "principal_approval": ("director", "approve"),
    "payment": ("cashier", "pay"),
    "bookkeeping": ("finance", "book"),
}
