"""One way to act on a record in a flow (app.services.workflow.acts.open_act), attacked.

The steps at which an act may be done are read from the flow version the record runs on, not typed in the
step's service: an act a flow an administrator edited does not allow where the record stands is refused
and leaves no history, audit or change-feed row; a record begun on an older version follows that version;
a record changed since the caller read it is refused with ConflictError. On the real databases.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select, update

from app.bootstrap import AppContext
from app.core.areas.claims import REIMBURSEMENT
from app.core.areas.documents import INCOMING_DOCUMENT, OUTGOING_DOCUMENT, OUTGOING_DOCUMENT_V1
from app.core.errors import ConflictError, PermissionDenied, WorkflowError
from app.core.workflow import Flow, Transition, flow_to_dict
from app.core.workflow.approval_chain import DEFAULT_CHAIN, without
from app.models import Document, FlowDefinition, WorkflowInstance
from app.services.claims import flow as claim_flow
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.documents.records import OUTGOING_DOCUMENTS, get_document
from app.services.workflow.acts import open_act, steps_taking
from tests.helpers import claims_office as claim_office
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_outgoing,
    build_office,
    counts,
    new_draft,
)

REASON = "附件二数据有误，需更换后重新签发"


# ----- the steps come from the flow ---------------------------------------------------------------------

# What the services typed before the steps were read from the flow, act by act: the built-in flows give
# exactly these, so nothing a user may do there changed.
BUILT_IN: dict[str, Flow] = {flow.key: flow for flow in (OUTGOING_DOCUMENT, INCOMING_DOCUMENT, REIMBURSEMENT)}
TYPED_BEFORE: dict[tuple[str, str], tuple[str, ...]] = {
    ("outgoing_document", "submit"): ("draft",),
    ("outgoing_document", "approve"): ("review", "cosign"),
    ("outgoing_document", "return"): ("review", "cosign", "sign"),
    ("outgoing_document", "sign"): ("sign",),
    ("outgoing_document", "recheck"): ("recheck",),
    ("outgoing_document", "return_to_signer"): ("recheck", "number", "print"),
    ("outgoing_document", "assign_number"): ("number",),
    ("outgoing_document", "printed"): ("print",),
    ("outgoing_document", "sealed"): ("seal",),
    ("outgoing_document", "distributed"): ("distribute",),
    ("incoming_document", "sign_for"): ("receive",),
    ("incoming_document", "register"): ("register",),
    ("incoming_document", "accept"): ("screen",),
    ("incoming_document", "return"): ("screen",),
    ("incoming_document", "propose"): ("propose",),
    ("incoming_document", "instruct"): ("instruct",),
    ("incoming_document", "handled"): ("handle",),
    ("incoming_document", "circulated"): ("circulate",),
    ("incoming_document", "conclude"): ("conclude",),
    ("reimbursement", "submit"): ("fill",),
    ("reimbursement", "withdraw"): ("fill",),
    ("reimbursement", "approve"): ("dept_review", "finance_review", "leader_approval", "principal_approval"),
    ("reimbursement", "pay"): ("payment",),
    ("reimbursement", "book"): ("bookkeeping",),
}


@pytest.mark.parametrize(("flow_key", "move"), list(TYPED_BEFORE), ids=[f"{f}-{m}" for f, m in TYPED_BEFORE])
def test_the_built_in_flows_give_the_steps_the_services_typed(flow_key: str, move: str) -> None:
    assert steps_taking(BUILT_IN[flow_key], [move]) == TYPED_BEFORE[(flow_key, move)]


def test_each_flow_version_gives_its_own_steps() -> None:
    # The first outgoing version had no 复核: a signed document went straight to 编号.
    assert steps_taking(OUTGOING_DOCUMENT_V1, ["recheck"]) == ()
    assert steps_taking(OUTGOING_DOCUMENT_V1, ["return_to_signer"]) == ("number", "print")
    assert steps_taking(OUTGOING_DOCUMENT, ["no_such_move"]) == ()


# ----- an administrator's edit of the outgoing flow -------------------------------------------------------


def _edited_outgoing() -> Flow:
    """Version 3: a change found while printing is no longer sent back to the signer, but one found at 用印
    (before the seal goes on) is, which the services never typed."""
    moves = tuple(t for t in OUTGOING_DOCUMENT.transitions if (t.source, t.action) != ("print", "return_to_signer"))
    at_seal = Transition("seal", "return_to_signer", "sign", "退回签发人", kind="return", requires_opinion=True)
    return replace(OUTGOING_DOCUMENT, version=3, transitions=(*moves, at_seal))


def _save_flow(o: Office, flow: Flow) -> None:
    with o.ctx.uow() as uow:
        uow.session.add(FlowDefinition(
            flow_key=flow.key, flow_version=flow.version, created_by=o.admin.id,
            definition=json.dumps(flow_to_dict(flow), ensure_ascii=False),
        ))
        uow.commit()


def _where(o: Office, doc: int) -> tuple[str, int, int]:
    """Where a document stands: its step, its flow version and its own version."""
    detail = o.run(get_document, o.clerk, doc)
    return detail.document.state, detail.instance.info.flow_version, detail.document.version


def _refused_without_trace(o: Office, doc: int, error: type[Exception], match: str, call: object, *args: object,
                           **kwargs: object) -> None:
    before, where = counts(o.ctx), _where(o, doc)
    with pytest.raises(error, match=match):
        o.run(call, *args, **kwargs)  # type: ignore[arg-type]
    assert counts(o.ctx) == before, "the refusal left history, audit or change-feed rows behind"
    assert _where(o, doc) == where, "the refusal changed the document"


def test_an_act_the_edited_flow_does_not_allow_is_refused_and_leaves_no_trace(ctx: AppContext) -> None:
    o = build_office(ctx)
    older = new_draft(o)
    advance_outgoing(o, older, "print")
    _save_flow(o, _edited_outgoing())
    doc = new_draft(o)
    advance_outgoing(o, doc, "print")
    assert _where(o, doc)[:2] == ("print", 3)
    # At 印制 the edited flow has no return to the signer: refused, naming where it may be done, and nothing
    # is written (the signature stays, so the signed files stay frozen).
    _refused_without_trace(
        o, doc, WorkflowError, "退回签发人须在“复核、编号、用印”环节办理，这份公文现在在“印制”环节",
        outgoing.return_to_signer, o.clerk, doc, REASON, today=TODAY,
    )
    assert o.run(get_document, o.clerk, doc).document.signed_at is not None
    # At 用印, where only the edited flow allows it, the same act is done.
    advance_outgoing(o, doc, "seal")
    assert o.run(outgoing.return_to_signer, o.clerk, doc, REASON, today=TODAY).state == "sign"
    # The document begun before the edit still runs on version 2, where 印制 may return it.
    assert _where(o, older)[:2] == ("print", 2)
    assert o.run(outgoing.return_to_signer, o.clerk, older, REASON, today=TODAY).state == "sign"


def test_a_document_on_an_older_version_is_refused_what_only_the_new_one_allows(ctx: AppContext) -> None:
    o = build_office(ctx)
    older = new_draft(o)
    _save_flow(o, _edited_outgoing())
    advance_outgoing(o, older, "seal")
    assert _where(o, older)[:2] == ("seal", 2)
    _refused_without_trace(
        o, older, WorkflowError, "退回签发人须在“复核、编号、印制”环节办理，这份公文现在在“用印”环节",
        outgoing.return_to_signer, o.clerk, older, REASON, today=TODAY,
    )


def test_a_document_signed_under_the_first_version_has_no_recheck(ctx: AppContext) -> None:
    """Documents signed before 复核 was added run on version 1 to the end (migration 0004)."""
    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "sign")
    with ctx.uow() as uow:
        instance_id = uow.session.execute(select(Document.workflow_instance_id).where(Document.id == doc)).scalar_one()
        uow.session.execute(update(WorkflowInstance).where(WorkflowInstance.id == instance_id).values(flow_version=1))
        uow.commit()
    assert o.run(outgoing.sign, o.mayor, doc, "同意印发", today=TODAY).state == "number"
    _refused_without_trace(
        o, doc, WorkflowError, "按发文办理流程第1版办理，这一版流程中没有可以复核的环节",
        outgoing.recheck, o.clerk, doc, "approve", "手续完备", today=TODAY,
    )
    # Its own version goes on from 编号, and sends it back to the signer from there.
    assert o.run(outgoing.return_to_signer, o.clerk, doc, REASON, today=TODAY).state == "sign"


# ----- who, and which version of the record ---------------------------------------------------------------


def test_open_act_refuses_who_may_not_take_the_move_before_judging_what_they_wrote(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "recheck")
    # A 县政府领导 may not 复核: told so, not asked to write the reason of a return first.
    _refused_without_trace(o, doc, PermissionDenied, "复核", outgoing.recheck, o.vice, doc, "return", "", today=TODAY)
    with ctx.uow() as uow:
        found, instance = open_act(uow, o.clerk, OUTGOING_DOCUMENTS, doc, "复核", move="recheck")
        assert (found.id, instance.state) == (doc, "recheck")


def test_a_stale_document_version_is_refused_with_conflict_and_leaves_no_trace(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "review")
    seen = _where(o, doc)[2]
    # The deputy approves what both saw; the director, acting on the same sight, is too late.
    o.run(outgoing.review, o.deputy, doc, "approve", "同意", expected_version=seen, today=TODAY)
    _refused_without_trace(
        o, doc, ConflictError, "已被其他人办理或修改", outgoing.review, o.director, doc, "return", "请修改",
        expected_version=seen, today=TODAY,
    )
    with ctx.uow() as uow, pytest.raises(ConflictError):
        open_act(uow, o.mayor, OUTGOING_DOCUMENTS, doc, "签发", move="sign", expected_version=seen)


# ----- claims: the flow an administrator edits in the 报账 flow editor --------------------------------------


def _claim_state(o: claim_office.Office, claim_id: int) -> tuple[str, int]:
    info = o.run(claims.get_claim, o.people["claimant"], claim_id).info
    return info.state, info.flow_version


def test_a_claim_follows_its_own_flow_version_and_the_edited_one_refuses_without_trace(
    office: claim_office.Office,
) -> None:
    people = office.people
    older = claim_office.new_claim(office)
    office.run(claims.decide, people["head"], older, "approve", "同意。", today=TODAY)
    office.run(claims.decide, people["finance"], older, "approve", "同意。", today=TODAY)
    assert _claim_state(office, older) == ("leader_approval", 1)
    # The administrator drops 分管领导审批 from the list: version 2.
    office.run(claim_flow.save_chain, people["admin"], without(DEFAULT_CHAIN, 2), 1)
    newer = claim_office.new_claim(office)
    office.run(claims.decide, people["head"], newer, "approve", "同意。", today=TODAY)
    office.run(claims.decide, people["finance"], newer, "approve", "同意。", today=TODAY)
    assert _claim_state(office, newer) == ("principal_approval", 2)
    # The 分管领导 has no step in version 2: refused on the new claim, and nothing is written.
    before = claim_office.snapshot(office, newer)
    with pytest.raises(PermissionDenied):
        office.run(claims.decide, people["deputy"], newer, "approve", "同意。", today=TODAY)
    with pytest.raises(WorkflowError, match="记账须在“记账归档”环节办理，这张报销单现在在“主要领导审批”环节"):
        office.run(claims.book, people["finance"], newer, voucher_number="记-2026-11-031", booked_on=TODAY,
                   today=TODAY)
    assert claim_office.snapshot(office, newer) == before
    # The older claim still runs on version 1, whose 分管领导审批 is where it stands.
    info = office.run(claims.decide, people["deputy"], older, "approve", "同意。", today=TODAY)
    assert (info.state, info.flow_version) == ("principal_approval", 1)


def test_a_stale_claim_version_is_refused_with_conflict_and_leaves_no_trace(
    office: claim_office.Office,
) -> None:
    people = office.people
    claim_id = claim_office.new_claim(office)
    seen = office.run(claims.get_claim, people["head"], claim_id).info.version
    office.run(claims.decide, people["head"], claim_id, "return", "请附会议通知", expected_version=seen, today=TODAY)
    before = claim_office.snapshot(office, claim_id)
    with pytest.raises(ConflictError, match="已被其他人修改或办理"):
        office.run(claims.decide, people["head"], claim_id, "approve", "同意。", expected_version=seen, today=TODAY)
    with pytest.raises(ConflictError):
        office.run(claims.submit, people["claimant"], claim_id, expected_version=seen, today=TODAY)
    assert claim_office.snapshot(office, claim_id) == before


def test_a_withdrawn_claim_says_so(office: claim_office.Office) -> None:
    claim_id = claim_office.new_claim(office, submit=False)
    office.run(claims.withdraw, office.people["claimant"], claim_id, "重复填报", today=TODAY)
    before = claim_office.snapshot(office, claim_id)
    # Not “已经提交审批” (it never was), and not “已已撤销”.
    with pytest.raises(WorkflowError, match=r"^报销单\S+已撤销，不能再提交$"):
        office.run(claims.submit, office.people["claimant"], claim_id, today=TODAY)
    assert claim_office.snapshot(office, claim_id) == before
