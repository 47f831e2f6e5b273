"""Who may add and remove a claim's receipts (issue 13, Low: finance staff added receipts to their own submitted
claims). While a claim is filled in (or returned), its claimant; once submitted, finance, and never on a claim of
their own, whatever roles they hold. Everyone else is refused at every step."""

from __future__ import annotations

import pytest

from app.core.errors import PermissionDenied, WorkflowError
from app.core.roles import Role
from app.services.claims import records as claims
from tests.helpers import add_user
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
)

RECEIPT = b"%PDF-1.4 receipt"


def may_add(o: Office, person: str, claim_id: int) -> bool:
    """Tries to add a receipt, then takes it away again (as the same person) when it was allowed."""
    try:
        info = o.run(claims.add_receipt, o.people[person], claim_id, filename="补充发票.pdf", data=RECEIPT)
    except PermissionDenied:
        return False
    o.run(claims.remove_receipt, o.people[person], claim_id, info.id)
    return True


def may_remove(o: Office, person: str, claim_id: int, receipt_id: int) -> bool:
    try:
        o.run(claims.remove_receipt, o.people[person], claim_id, receipt_id)
    except PermissionDenied:
        return False
    return True


@pytest.fixture
def finance_claimant(office: Office) -> str:
    """A 综合股 member who also holds the 财务 role, filing a claim of their own."""
    office.people["fin_claimant"] = add_user(office.ctx, "fin_claimant", [Role.FINANCE], office.units["综合股"], "冯会计")
    return "fin_claimant"


def test_finance_staff_cannot_alter_their_own_submitted_claim(office: Office, finance_claimant: str) -> None:
    claim_id = new_claim(office, who=finance_claimant, submit=False)
    # Their own draft: theirs to fill in, receipts included.
    kept = office.run(claims.add_receipt, office.people[finance_claimant], claim_id, filename="发票.pdf", data=RECEIPT)
    office.run(claims.submit, office.people[finance_claimant], claim_id, today=TODAY)
    steps = 0
    while True:
        detail = office.run(claims.get_claim, office.people[finance_claimant], claim_id)
        if detail.info.closed:
            break
        steps += 1
        assert not detail.can_add_receipts, detail.info.state
        with pytest.raises(PermissionDenied, match="报销人本人不能再更改票据"):
            office.run(claims.add_receipt, office.people[finance_claimant], claim_id, filename="x.pdf", data=RECEIPT)
        with pytest.raises(PermissionDenied, match="报销人本人不能再更改票据"):
            office.run(claims.remove_receipt, office.people[finance_claimant], claim_id, kept.id)
        # Another finance member still may, at every step after submission.
        assert office.run(claims.get_claim, office.people["finance"], claim_id).can_add_receipts
        assert may_add(office, "finance", claim_id)
        person, act = NEXT[detail.info.state]
        if person == "claimant":
            person = finance_claimant
        office.run(ACTS[act], office.people[person], Subject(claim_id, kept.id, claim_input(office)))
    assert steps >= 5
    assert [r.id for r in office.run(claims.get_claim, office.people["finance"], claim_id).receipts] == [kept.id]


def test_at_each_step_only_the_claimant_filling_or_finance_after_submission(office: Office) -> None:
    claim_id = new_claim(office, submit=False)
    receipt = office.run(claims.add_receipt, office.people["claimant"], claim_id, filename="发票.pdf", data=RECEIPT)
    state = "fill"
    while state != "closed":
        allowed = {person for person in EVERYONE if may_add(office, person, claim_id)}
        assert allowed == ({"claimant"} if state == "fill" else {"finance"}), state
        removers = {p for p in EVERYONE if p not in allowed and may_remove(office, p, claim_id, receipt.id)}
        assert removers == set(), state
        person, act = NEXT[state]
        office.run(ACTS[act], office.people[person], Subject(claim_id, receipt.id, claim_input(office)))
        state = office.run(claims.get_claim, office.people["claimant"], claim_id).info.state
    for person in VIEWERS:
        with pytest.raises((PermissionDenied, WorkflowError)):
            office.run(claims.add_receipt, office.people[person], claim_id, filename="x.pdf", data=RECEIPT)


def test_a_returned_claim_is_the_claimants_again_and_finance_may_still_add(office: Office) -> None:
    claim_id = new_claim(office)
    office.run(claims.decide, office.people["head"], claim_id, "return", "请附会议通知", today=TODAY)
    assert may_add(office, "claimant", claim_id) and may_add(office, "finance", claim_id)
    for person in set(EVERYONE) - {"claimant", "finance"}:
        assert not may_add(office, person, claim_id), person
