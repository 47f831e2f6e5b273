"""撤回: the mover takes a move back until the next handler opens the record or acts on it, only for moves a
step back undoes; the withdrawal is recorded and the next person's to-do disappears."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import ConflictError, PermissionDenied, WorkflowError
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.documents.records import get_document
from app.services.workflow import detail, todo
from app.services.workflow.withdrawal import WITHDRAW_ACTION, withdraw
from tests.helpers.claims_office import build_office as build_claims_office
from tests.helpers.claims_office import claim_input
from tests.helpers.document_office import TODAY, Office, advance_outgoing, build_office, new_draft
from tests.helpers.worklist_flow import (
    audit_count,
    move,
    save_test_flow,
    snapshot,
    start_record,
    state_of,
    todo_titles,
    trail,
)

TITLE = "关于冬季防火的请示"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    o = build_office(ctx)
    save_test_flow(o)
    return o


def _withdraw(o: Office, who: object, record: int, reason: str = "") -> object:
    return o.run(withdraw, who, record, reason=reason, today=TODAY)


def test_the_mover_takes_the_move_back_and_the_next_to_do_disappears(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit", send_to=o.deputy.id)
    assert todo_titles(o, o.deputy) == [TITLE]
    audits = audit_count(o)
    _withdraw(o, o.clerk, record, "附件漏了一份")
    # Back at 拟稿, the clerk's own again; nobody at 审核 has it.
    assert state_of(o, record) == ("draft", o.clerk.id, None)
    assert todo_titles(o, o.deputy) == [] and todo_titles(o, o.director) == []
    assert todo_titles(o, o.clerk) == [TITLE] and todo_titles(o, o.clerk2) == []
    assert trail(o, record)[-1] == (WITHDRAW_ACTION, "张文秘", "")
    assert audit_count(o) == audits + 1
    with o.ctx.uow() as uow:
        entries = detail.instance_detail(uow, o.clerk, record).history
    assert (entries[-1].action_label, entries[-1].opinion) == ("撤回", "附件漏了一份")
    # Sent again, it goes on as before.
    move(o, o.clerk, record, "submit")
    assert TITLE in todo_titles(o, o.director)


def test_only_the_mover_may_withdraw(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit")
    before = snapshot(o, record)
    for who in (o.clerk2, o.deputy, o.director):
        with pytest.raises(PermissionDenied, match="只有送出它的人可以撤回"):
            _withdraw(o, who, record)
    assert snapshot(o, record) == before


def test_once_the_next_handler_opened_it_the_mover_cannot_withdraw(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit")
    with o.ctx.uow() as uow:
        assert detail.instance_detail(uow, o.clerk, record).may_withdraw
    # Someone who may not act at 审核 opening it changes nothing …
    with o.ctx.uow() as uow:
        detail.instance_detail(uow, o.clerk2, record)
    with o.ctx.uow() as uow:
        assert detail.instance_detail(uow, o.clerk, record).may_withdraw
    # … the deputy, who may, does.
    with o.ctx.uow() as uow:
        detail.instance_detail(uow, o.deputy, record)
    with o.ctx.uow() as uow:
        assert not detail.instance_detail(uow, o.clerk, record).may_withdraw
    before = snapshot(o, record)
    with pytest.raises(WorkflowError, match="对方已于.*打开此事项，不能撤回"):
        _withdraw(o, o.clerk, record)
    assert snapshot(o, record) == before


def test_once_the_next_handler_acted_the_mover_cannot_withdraw(office: Office) -> None:
    o = office
    record = start_record(o, o.clerk)
    move(o, o.clerk, record, "submit")
    move(o, o.deputy, record, "return", "请补充依据")
    with pytest.raises(PermissionDenied):
        _withdraw(o, o.clerk, record)
    # A return is not withdrawn either: the drafter has it back to act on.
    with pytest.raises(WorkflowError, match="不能撤回"):
        _withdraw(o, o.deputy, record)
    # A withdrawn move cannot be withdrawn twice.
    move(o, o.clerk, record, "submit")
    _withdraw(o, o.clerk, record)
    with pytest.raises(PermissionDenied):
        _withdraw(o, o.clerk, record)


def test_sending_an_outgoing_draft_to_sign_is_withdrawn_sending_it_to_cosign_is_not(office: Office) -> None:
    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "review")
    o.run(outgoing.review, o.deputy, doc, "approve", "同意送签", today=TODAY)
    with o.ctx.uow() as uow:
        found = get_document(uow, o.deputy, doc)
    assert found.instance.may_withdraw
    seen = found.document.version
    _withdraw(o, o.deputy, found.instance.info.id)
    with o.ctx.uow() as uow:
        assert get_document(uow, o.deputy, doc).document.state == "review"
    # A window that read the document before the withdrawal is told it changed.
    with pytest.raises(ConflictError):
        o.run(outgoing.sign, o.mayor, doc, "同意印发", expected_version=seen, today=TODAY)

    cosigned = new_draft(o, title="关于联合开展检查的通知", cosigner_unit_ids=[o.units["财政局"]])
    advance_outgoing(o, cosigned, "review")
    o.run(outgoing.review, o.deputy, cosigned, "approve", "同意会签", today=TODAY)
    with o.ctx.uow() as uow:
        found = get_document(uow, o.deputy, cosigned)
    assert not found.instance.may_withdraw
    with pytest.raises(WorkflowError, match="“核稿通过”之后不能撤回"):
        _withdraw(o, o.deputy, found.instance.info.id)


def test_a_submitted_claim_is_withdrawn_to_its_claimant(ctx: AppContext) -> None:
    o = build_claims_office(ctx)
    claimant = o.people["claimant"]
    info = o.run(claims.create_claim, claimant, claim_input(o), submit=True, today=TODAY)
    with ctx.uow() as uow:
        instance_id = claims.get_claim(uow, claimant, info.id).workflow.info.id
        assert claims.get_claim(uow, claimant, info.id).workflow.may_withdraw
    o.run(withdraw, claimant, instance_id, reason="金额填错", today=TODAY)
    with ctx.uow() as uow:
        again = claims.get_claim(uow, claimant, info.id)
        assert again.workflow.info.state == "fill"
        assert todo.todo(uow, claimant, today=TODAY).items[0].info.id == instance_id
