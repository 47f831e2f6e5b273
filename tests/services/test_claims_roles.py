"""Who may do what with a 报销单, on the real database: every step of the default flow tried by everyone.

What each person may do is written out here by hand (DOMAIN.md §5 and what a county office expects),
not read from the flow, so the test holds the services to the rules rather than to themselves. An
allowed act runs in full in a dry run (its unit of work rolls back); a refused act runs for real and
must leave nothing behind. The claim is then moved on by the usual person.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.core.claims import LineInput
from app.core.errors import ConflictError, GovDeskError, PermissionDenied, WorkflowError
from app.core.workflow.approval_chain import DEFAULT_CHAIN, without
from app.services.claims import budgets
from app.services.claims import flow as claim_flow
from app.services.claims import lists as claim_lists
from app.services.claims import records as claims
from app.services.claims import reports as claim_reports
from tests.helpers.claims_office import (
    ACTS,
    EVERYONE,
    NEXT,
    TODAY,
    VIEWERS,
    Office,
    Subject,
    claim_input,
    new_claim,
    snapshot,
)
from tests.helpers.dry_run import dry_run

YEAR_START = date(2026, 1, 1)

# ----- the matrix ------------------------------------------------------------------------------------------

OWNER_ACTS = {"submit", "withdraw", "edit"}
RECEIPTS_BY_FINANCE = {"add_receipt": {"finance"}, "remove_receipt": {"finance"}}

# At each step of an 8,000 元 claim (so it needs the 主要领导): who may do each act that exists there,
# and where a workflow act takes the claim. Acts not listed do not exist at that step.
MATRIX: dict[str, dict[str, set[str]]] = {
    # Never submitted yet: the draft is the claimant's alone.
    "fill": {"submit": {"claimant"}, "withdraw": {"claimant"}, "edit": {"claimant"},
             "add_receipt": {"claimant"}, "remove_receipt": {"claimant"}},
    "dept_review": {"approve": {"head"}, "return": {"head"}, **RECEIPTS_BY_FINANCE},
    "finance_review": {"approve": {"finance"}, "return": {"finance"}, **RECEIPTS_BY_FINANCE},
    "leader_approval": {"approve": {"deputy"}, "return": {"deputy"}, **RECEIPTS_BY_FINANCE},
    "principal_approval": {"approve": {"director"}, "return": {"director"}, **RECEIPTS_BY_FINANCE},
    "payment": {"pay": {"cashier"}, **RECEIPTS_BY_FINANCE},
    "bookkeeping": {"book": {"finance"}, **RECEIPTS_BY_FINANCE},
    "closed": {},
}
LANDS_AT: dict[tuple[str, str], str] = {
    ("fill", "submit"): "dept_review",
    ("fill", "withdraw"): "withdrawn",
    ("fill", "edit"): "fill",
    ("dept_review", "approve"): "finance_review",
    ("finance_review", "approve"): "leader_approval",
    ("leader_approval", "approve"): "principal_approval",
    ("principal_approval", "approve"): "payment",
    ("payment", "pay"): "bookkeeping",
    ("bookkeeping", "book"): "closed",
}
def refusal(state: str, act: str, person: str) -> type[Exception]:
    """The error a person gets for an act they may not do."""
    if person not in VIEWERS or (state == "fill" and person != "claimant"):
        return PermissionDenied  # they may not even open it (a draft never submitted is the claimant's alone)
    if act in MATRIX[state]:
        return PermissionDenied  # the act exists here, for somebody else
    if act in OWNER_ACTS and person != "claimant":
        return PermissionDenied  # not their claim, at any step
    return WorkflowError  # the act does not exist at this step (or the claim is closed)


def test_every_act_at_every_step_by_everyone(office: Office) -> None:
    claim_id = new_claim(office, submit=False)
    receipt = office.run(claims.add_receipt, office.people["claimant"], claim_id, filename="车票.jpg",
                         data=b"\xff\xd8\xff scan")
    claim = Subject(claim_id, receipt.id, claim_input(office))
    wrong: list[str] = []
    tried = 0
    for state, acts in MATRIX.items():
        assert office.run(claims.get_claim, office.people["claimant"], claim_id).info.state == state
        before = snapshot(office, claim_id)
        for act, call in ACTS.items():
            allowed = acts.get(act, set())
            for person in EVERYONE:
                who = office.people[person]
                tried += 1
                if person in allowed:
                    with dry_run(office.ctx) as uow:
                        result = call(uow, who, claim)
                        assert uow.committed, f"{act} returned without committing"
                    want = LANDS_AT.get((state, act), "fill" if act == "return" else None)
                    if want is not None and result.state != want:
                        wrong.append(f"{state} {act} by {person}: went to {result.state}, not {want}")
                    continue
                expected = refusal(state, act, person)
                try:
                    office.run(call, who, claim)
                except GovDeskError as error:
                    if type(error) is not expected:
                        wrong.append(f"{state} {act} by {person}: {type(error).__name__}（{error}）, "
                                     f"not {expected.__name__}")
                else:
                    # It was done for real, so the rest of the walk would mean nothing.
                    pytest.fail("\n".join([*wrong, f"{state} {act} by {person}: allowed, should be refused"]))
                if snapshot(office, claim_id) != before:
                    wrong.append(f"{state} {act} by {person}: the refusal left something behind")
                    before = snapshot(office, claim_id)
        if state in NEXT:
            person, act = NEXT[state]
            office.run(ACTS[act], office.people[person], claim)
    assert not wrong, "\n".join(wrong)
    assert tried == len(MATRIX) * len(ACTS) * len(EVERYONE)
    assert office.run(claims.get_claim, office.people["claimant"], claim_id).info.closed


def test_a_withdrawn_claim_is_closed_to_everyone(office: Office) -> None:
    claim_id = new_claim(office, submit=False)
    office.run(claims.withdraw, office.people["claimant"], claim_id, "重复填报", today=TODAY)
    claim = Subject(claim_id, 0, claim_input(office))
    before = snapshot(office, claim_id)
    for act in ("submit", "withdraw", "edit", "add_receipt", "approve"):
        with pytest.raises(WorkflowError):
            office.run(ACTS[act], office.people["claimant"], claim)
        # Never submitted, so nobody else may even open it.
        with pytest.raises(PermissionDenied):
            office.run(ACTS[act], office.people["finance"], claim)
    assert snapshot(office, claim_id) == before
    assert office.run(claims.get_claim, office.people["claimant"], claim_id).info.state_label == "已撤销"


def test_after_a_return_only_the_claimant_edits_and_resubmits(office: Office) -> None:
    claim_id = new_claim(office)
    office.run(claims.decide, office.people["head"], claim_id, "return", "请附会议通知", today=TODAY)
    for person in EVERYONE:
        detail = office.run(claims.get_claim, office.people[person], claim_id) if person in VIEWERS else None
        if detail is not None:
            assert detail.can_edit == (person == "claimant"), person
            assert detail.can_add_receipts == (person in {"claimant", "finance"}), person
    more = replace(claim_input(office), lines=[LineInput("差旅费", "差旅费", "8000"),
                                                  LineInput("会议通知复印", "印刷费", "2.50")])
    before = snapshot(office, claim_id)
    for person in EVERYONE:
        if person != "claimant":
            with pytest.raises(PermissionDenied):
                office.run(claims.update_claim, office.people[person], claim_id, more, today=TODAY)
    assert snapshot(office, claim_id) == before
    info = office.run(claims.update_claim, office.people["claimant"], claim_id, more, submit=True, today=TODAY)
    assert (info.total, info.state) == (Decimal("8002.50"), "dept_review")


# ----- seeing claims --------------------------------------------------------------------------------------


def test_who_sees_which_claim(office: Office) -> None:
    mine = new_claim(office, "claimant")
    colleagues = new_claim(office, "colleague")
    other_unit = new_claim(office, "other_head", unit="督查股")
    everything = {mine, colleagues, other_unit}
    sees: dict[str, set[int]] = {
        "claimant": {mine},
        "colleague": {colleagues},
        "head": {mine, colleagues},
        "other_head": {other_unit},
        "finance": everything, "cashier": everything, "deputy": everything, "director": everything,
        "county": set(), "admin": set(), "secretary": set(),
    }
    assert set(sees) == set(EVERYONE)
    for person, expected in sees.items():
        who = office.people[person]
        for claim_id in everything:
            if claim_id in expected:
                assert office.run(claims.get_claim, who, claim_id).info.id == claim_id
            else:
                with pytest.raises(PermissionDenied):
                    office.run(claims.get_claim, who, claim_id)
        page = office.run(claim_lists.list_claims, who, box="all", today=TODAY)
        assert {row.id for row in page.rows} == expected, person
        assert page.total == len(expected), person
    assert {r.id for r in office.run(claim_lists.list_claims, office.people["head"], box="mine").rows} == set()
    assert {r.id for r in office.run(claim_lists.list_claims, office.people["head"], box="waiting").rows} == {
        mine, colleagues}


def test_reports_are_for_finance_and_the_office_leaders(office: Office) -> None:
    new_claim(office)
    for person in EVERYONE:
        who = office.people[person]
        if person in {"finance", "cashier", "deputy", "director"}:
            (row,) = office.run(claim_reports.totals_by_unit, who, YEAR_START, TODAY)
            assert (row.unit_name, row.total) == ("综合股", Decimal("8000.00"))
            (category,) = office.run(claim_reports.totals_by_category, who, YEAR_START, TODAY)
            assert (category.category, category.total) == ("差旅费", Decimal("8000.00"))
            continue
        with pytest.raises(PermissionDenied, match="查看报账统计"):
            office.run(claim_reports.totals_by_unit, who, YEAR_START, TODAY)
        with pytest.raises(PermissionDenied):
            office.run(claim_reports.totals_by_category, who, YEAR_START, TODAY)


# ----- budgets and the flow ----------------------------------------------------------------------------------


def test_budgets_are_set_and_removed_by_finance_and_the_administrator(office: Office) -> None:
    unit = office.units["综合股"]
    row = office.run(budgets.set_budget, office.people["finance"], year=2026, unit_id=unit, category="差旅费",
                     amount="20000")
    claim_id = new_claim(office)
    before = snapshot(office, claim_id)
    for person in EVERYONE:
        who = office.people[person]
        if person in {"finance", "admin"}:
            with dry_run(office.ctx) as uow:
                changed = budgets.set_budget(uow, who, year=2026, unit_id=unit, category="差旅费", amount="30000")
                assert (changed.amount, changed.used, changed.left) == (
                    Decimal("30000.00"), Decimal("8000.00"), Decimal("22000.00"))
            with dry_run(office.ctx) as uow:
                budgets.remove_budget(uow, who, row.id)
                assert uow.committed
            continue
        with pytest.raises(PermissionDenied, match="设置预算"):
            office.run(budgets.set_budget, who, year=2026, unit_id=unit, category="办公费", amount="5000")
        with pytest.raises(PermissionDenied, match="删除预算"):
            office.run(budgets.remove_budget, who, row.id)
        assert snapshot(office, claim_id) == before, person
    listed = {"finance", "admin", "director", "deputy"}
    for person in EVERYONE:
        if person in listed:
            (line,) = office.run(budgets.list_budgets, office.people[person], 2026)
            assert (line.amount, line.used) == (Decimal("20000.00"), Decimal("8000.00"))
        else:
            with pytest.raises(PermissionDenied):
                office.run(budgets.list_budgets, office.people[person], 2026)


def test_only_the_administrator_changes_the_flow_and_a_stale_editor_is_refused(office: Office) -> None:
    chain = replace(DEFAULT_CHAIN, fill_time_limit=3)
    claim_id = new_claim(office)
    before = snapshot(office, claim_id)
    for person in EVERYONE:
        if person == "admin":
            continue
        with pytest.raises(PermissionDenied, match="修改报账流程"):
            office.run(claim_flow.save_chain, office.people[person], chain, 1)
        with pytest.raises(PermissionDenied):
            office.run(claim_flow.versions, office.people[person])
    assert snapshot(office, claim_id) == before
    admin = office.people["admin"]
    assert office.run(claim_flow.save_chain, admin, chain, 1).version == 2
    # A second administrator who opened the editor on version 1 saves over it: refused.
    after = snapshot(office, claim_id)
    with pytest.raises(ConflictError, match="第2版"):
        office.run(claim_flow.save_chain, admin, without(chain, 3), 1)
    assert snapshot(office, claim_id) == after
    assert office.run(claim_flow.chain_for) == (chain, 2)
    assert [(v.version, v.current, v.open_claims) for v in office.run(claim_flow.versions, admin)] == [
        (2, True, 0), (1, False, 1)]


# ----- acting on what one saw -----------------------------------------------------------------------------------


def test_acting_on_a_stale_claim_is_refused(office: Office) -> None:
    claim_id = new_claim(office)
    seen = office.run(claims.get_claim, office.people["head"], claim_id).info.version
    # Meanwhile finance adds a receipt the claimant brought in.
    office.run(claims.add_receipt, office.people["finance"], claim_id, filename="发票.pdf", data=b"%PDF-1.4 b")
    before = snapshot(office, claim_id)
    for action, opinion in (("approve", "同意。"), ("return", "请补充")):
        with pytest.raises(ConflictError, match="已被其他人修改或办理"):
            office.run(claims.decide, office.people["head"], claim_id, action, opinion, expected_version=seen,
                       today=TODAY)
    assert snapshot(office, claim_id) == before
    fresh = office.run(claims.get_claim, office.people["head"], claim_id).info.version
    assert fresh != seen
    info = office.run(claims.decide, office.people["head"], claim_id, "approve", "同意。", expected_version=fresh,
                      today=TODAY)
    assert info.state == "finance_review"
    # The approval moved it on: the version the head had is now stale for the next approver too.
    with pytest.raises(ConflictError):
        office.run(claims.decide, office.people["finance"], claim_id, "approve", "同意。", expected_version=fresh,
                   today=TODAY)
