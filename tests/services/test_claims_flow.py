"""A claim from 填报 to 已办结: routing by amount and budget, return and resubmit, payment, bookkeeping,
the printed signatures, and a claim in flight keeping its flow version."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.bootstrap import AppContext
from app.core.claims import LineInput
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.workflow.approval_chain import DEFAULT_CHAIN
from app.services.claims import budgets
from app.services.claims import flow as claim_flow
from app.services.claims import lists as claim_lists
from app.services.claims import printed as claim_print
from app.services.claims import records as claims
from app.services.claims import reports as claim_reports
from app.services.kernel.actor import Actor
from tests.helpers import add_unit
from tests.helpers.claims_flow_office import TODAY, Office, build_flow_office


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_flow_office(ctx)


def claim_input(unit: int, amount: str, category: str = "差旅费", receipts: int = 2, advance: str = "") -> claims.ClaimInput:
    return claims.ClaimInput(unit, TODAY, [LineInput("赴市里参加培训的交通费", category, amount)], receipts, advance)


def new_claim(ctx: AppContext, office: Office, amount: str, **kw: object) -> int:
    with ctx.uow() as uow:
        info = claims.create_claim(uow, office.claimant, claim_input(office.unit, amount, **kw),  # type: ignore[arg-type]
                                   submit=True, today=TODAY)
    return info.id


def state(ctx: AppContext, office: Office, claim_id: int) -> str:
    with ctx.uow() as uow:
        return claims.get_claim(uow, office.claimant, claim_id).info.state


def approve(ctx: AppContext, actor: Actor, claim_id: int, opinion: str = "同意。") -> str:
    with ctx.uow() as uow:
        return claims.decide(uow, actor, claim_id, "approve", opinion, today=TODAY).state


def through_leaders(ctx: AppContext, office: Office, claim_id: int) -> str:
    approve(ctx, office.head, claim_id)
    approve(ctx, office.finance, claim_id)
    return approve(ctx, office.deputy, claim_id)


def test_below_the_threshold_the_deputy_sends_it_to_payment(ctx: AppContext, office: Office) -> None:
    claim_id = new_claim(ctx, office, "5000.00")
    assert state(ctx, office, claim_id) == "dept_review"
    assert through_leaders(ctx, office, claim_id) == "payment"


def test_above_the_threshold_the_principal_approves(ctx: AppContext, office: Office) -> None:
    claim_id = new_claim(ctx, office, "5000.01")
    assert through_leaders(ctx, office, claim_id) == "principal_approval"
    assert approve(ctx, office.director, claim_id) == "payment"


def test_over_budget_goes_to_the_principal_whatever_the_amount(ctx: AppContext, office: Office) -> None:
    with ctx.uow() as uow:
        budgets.set_budget(uow, office.finance, year=2026, unit_id=office.unit, category="差旅费", amount="1000")
    first = new_claim(ctx, office, "800.00")
    assert through_leaders(ctx, office, first) == "payment"
    second = new_claim(ctx, office, "300.00")
    with ctx.uow() as uow:
        detail = claims.get_claim(uow, office.claimant, second)
    assert detail.info.over_budget
    (line,) = detail.budget
    assert (line.budget, line.used, line.this_claim, line.left) == (
        Decimal("1000.00"), Decimal("800.00"), Decimal("300.00"), Decimal("-100.00"))
    assert through_leaders(ctx, office, second) == "principal_approval"


def test_return_edit_resubmit_pay_book_and_print(ctx: AppContext, office: Office) -> None:
    claim_id = new_claim(ctx, office, "1409.50", advance="2000")
    approve(ctx, office.head, claim_id)
    with ctx.uow() as uow, pytest.raises(WorkflowError, match="必须填写意见或理由"):
        claims.decide(uow, office.finance, claim_id, "return", "  ", today=TODAY)
    with ctx.uow() as uow:
        claims.decide(uow, office.finance, claim_id, "return", "请补齐住宿发票", today=TODAY)
    assert state(ctx, office, claim_id) == "fill"
    with ctx.uow() as uow:
        detail = claims.get_claim(uow, office.claimant, claim_id)
        assert detail.can_edit
        info = claims.update_claim(
            uow, office.claimant, claim_id,
            claims.ClaimInput(office.unit, TODAY, [LineInput("交通费", "差旅费", "1409.50"),
                                                   LineInput("伙食补助 2天", "差旅补助", "200")], 3, "2000"),
            expected_version=detail.info.version, submit=True, today=TODAY,
        )
    assert (info.total, info.refund, info.top_up, info.state) == (
        Decimal("1609.50"), Decimal("390.50"), Decimal("0.00"), "dept_review")
    assert info.total_in_words == "壹仟陆佰零玖元伍角整"
    through_leaders(ctx, office, claim_id)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="付款方式"):
        claims.pay(uow, office.cashier, claim_id, paid_on=TODAY, method="微信", today=TODAY)
    with ctx.uow() as uow:
        claims.pay(uow, office.cashier, claim_id, paid_on=TODAY, method="银行转账", today=TODAY)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="凭证号"):
        claims.book(uow, office.finance, claim_id, voucher_number=" ", booked_on=TODAY, today=TODAY)
    with ctx.uow() as uow:
        info = claims.book(uow, office.finance, claim_id, voucher_number="记-2026-11-031", booked_on=TODAY, today=TODAY)
    assert info.closed and info.state_label == "已办结"
    with ctx.uow() as uow:
        facts = claim_print.claim_print_facts(uow, office.finance, claim_id)
    signed = {s.caption: s.name for s in facts.signatures}
    # The approvals before the return were for another version of the claim: only the second round signs.
    assert signed == {"报销人": "张报销", "部门负责人": "李股长", "财务审核": "王会计", "单位领导": "赵副主任",
                      "出纳": "孙出纳", "领款人": ""}


def test_roles_refused(ctx: AppContext, office: Office) -> None:
    claim_id = new_claim(ctx, office, "100")
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        claims.get_claim(uow, office.stranger, claim_id)
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        claims.decide(uow, office.finance, claim_id, "approve", "同意", today=TODAY)  # not the unit's head yet
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        claims.decide(uow, office.claimant, claim_id, "approve", "同意", today=TODAY)


def test_a_claim_in_flight_keeps_its_flow_version(ctx: AppContext, office: Office) -> None:
    before = new_claim(ctx, office, "6000")
    # The administrator drops the principal's step and the threshold.
    chain = replace(DEFAULT_CHAIN, steps=tuple(s for s in DEFAULT_CHAIN.steps if s.key != "principal_approval"))
    with ctx.uow() as uow:
        flow = claim_flow.save_chain(uow, office.admin, chain, expected_version=1)
    assert flow.version == 2
    after = new_claim(ctx, office, "6000")
    assert through_leaders(ctx, office, before) == "principal_approval"
    assert through_leaders(ctx, office, after) == "payment"
    with ctx.uow() as uow:
        waiting = claim_lists.list_claims(uow, office.director, box="waiting")
    assert [r.id for r in waiting.rows] == [before]


def test_lists_and_reports(ctx: AppContext, office: Office) -> None:
    first = new_claim(ctx, office, "100")
    new_claim(ctx, office, "250.50", category="办公费")
    with ctx.uow() as uow:
        mine = claim_lists.list_claims(uow, office.claimant, box="mine")
        waiting = claim_lists.list_claims(uow, office.head, box="waiting")
        nothing = claim_lists.list_claims(uow, office.stranger, box="all")
        by_unit = claim_reports.totals_by_unit(uow, office.finance, date(2026, 1, 1), TODAY)
        by_category = claim_reports.totals_by_category(uow, office.finance, date(2026, 1, 1), TODAY)
    assert mine.total == 2 and waiting.total == 2 and nothing.total == 0
    assert first in [r.id for r in mine.rows]
    assert [(u.unit_name, u.claims, u.total) for u in by_unit] == [("综合股", 2, Decimal("350.50"))]
    assert {c.category: c.total for c in by_category} == {"办公费": Decimal("250.50"), "差旅费": Decimal("100.00")}
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        claim_reports.totals_by_unit(uow, office.claimant, date(2026, 1, 1), TODAY)


def test_nobody_approves_pays_or_books_their_own_claim(ctx: AppContext, office: Office) -> None:
    with ctx.uow() as uow:
        own = claims.create_claim(uow, office.finance, claims.ClaimInput(
            None, TODAY, [LineInput("财务软件年费", "办公费", "600")], 1), submit=True, today=TODAY)
    # 财务股 has no head set, so 部门负责人审核 is passed over; at 财务审核 she may not review her own claim.
    assert own.state == "finance_review"
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="自己经办的事项"):
        claims.decide(uow, office.finance, own.id, "approve", "同意。", today=TODAY)
    with ctx.uow() as uow:
        waiting = claim_lists.list_claims(uow, office.finance, box="waiting")
    assert own.id not in [r.id for r in waiting.rows]


def test_a_unit_heads_own_claim_skips_their_own_review(ctx: AppContext, office: Office) -> None:
    with ctx.uow() as uow:
        info = claims.create_claim(uow, office.head, claims.ClaimInput(
            office.unit, TODAY, [LineInput("市内交通费", "差旅费", "80")], 2), submit=True, today=TODAY)
    assert info.state == "finance_review"
    assert through_leaders_from_finance(ctx, office, info.id) == "payment"


def through_leaders_from_finance(ctx: AppContext, office: Office, claim_id: int) -> str:
    approve(ctx, office.finance, claim_id)
    return approve(ctx, office.deputy, claim_id)


def test_a_claim_is_charged_to_ones_own_department(ctx: AppContext, office: Office) -> None:
    other = add_unit(ctx, "督查股", "section")
    with ctx.uow() as uow, pytest.raises(ValidationError, match="只能以本人所在部门报销") as refused:
        claims.create_claim(uow, office.claimant, claim_input(other, "100"), today=TODAY)
    assert refused.value.field == "unit_id"
    # Finance staff fill in claims for other departments.
    with ctx.uow() as uow:
        assert claims.create_claim(uow, office.finance, claim_input(other, "100"), today=TODAY).unit_id == other


def test_a_draft_is_the_claimants_alone_until_submitted(ctx: AppContext, office: Office) -> None:
    with ctx.uow() as uow:
        draft = claims.create_claim(uow, office.claimant, claim_input(office.unit, "100"), today=TODAY)
    for who in (office.head, office.finance, office.director):
        with ctx.uow() as uow, pytest.raises(PermissionDenied):
            claims.get_claim(uow, who, draft.id)
        with ctx.uow() as uow:
            assert claim_lists.list_claims(uow, who, box="all").total == 0
    with ctx.uow() as uow:
        claims.submit(uow, office.claimant, draft.id, today=TODAY)
    with ctx.uow() as uow:
        assert claims.get_claim(uow, office.finance, draft.id).info.state == "dept_review"


def test_someone_who_may_not_act_hears_that_before_anything_about_the_opinion(ctx: AppContext, office: Office) -> None:
    claim_id = new_claim(ctx, office, "100")
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        claims.decide(uow, office.deputy, claim_id, "approve", "", today=TODAY)
