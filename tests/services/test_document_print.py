"""The 公文 forms read their document on plain tables (app.services.documents.printed), not through the ORM of
app.services.documents.records.get_document: the same permission checks, and every printed field the same.

The reference is the loaders as they were, reading get_document (copied here as they stood at 9b67f60):
every 发文稿纸 and 收文处理笺 of a demo office, and of an office whose records have what the demo lacks
(attachments, a 会签 recorded for a unit, 答复, a recalled 传阅 copy), must print the same data and the
same text through both paths.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.documents import OUTGOING
from app.core.errors import GovDeskError, NotFound, PermissionDenied, ValidationError
from app.core.roles import Role
from app.demo.generate import generate_demo_data
from app.forms.documents import _opinion, _recheck, load_incoming_slip, load_outgoing_draft
from app.printing.documents.incoming_slip import CirculationRecord, IncomingSlipData, ReplyRecord, render_incoming_slip
from app.printing.documents.outgoing_draft import CosignOpinion, OutgoingDraftData, TrailEntry, render_outgoing_draft
from app.printing.kit.table_form import OpinionEntry
from app.services.admin.auth import actor_of
from app.services.documents import incoming
from app.services.documents import printed as document_print
from app.services.documents import records as documents
from app.services.kernel.actor import SYSTEM_ACTOR, Actor
from app.services.kernel.settings import get_setting
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.pdfcheck import compact

# ----- the loaders as they were, on get_document ---------------------------------------------------------


def old_outgoing_draft(ctx: AppContext, document_id: int) -> OutgoingDraftData:
    with ctx.uow() as uow:
        detail = documents.get_document(uow, SYSTEM_ACTOR, document_id)
        office = str(get_setting(uow, "office_name"))
    doc, history = detail.document, detail.instance.history
    if doc.direction != OUTGOING:
        raise ValidationError("这是一件收文，请打印收文处理笺")
    return OutgoingDraftData(
        office_name=office,
        title=doc.title,
        doc_type=doc.doc_type,
        drafting_unit=doc.drafting_unit_name,
        drafter=doc.drafter_name,
        drafted_on=doc.created_at.astimezone().date(),
        doc_number=doc.doc_number,
        disclosure=doc.disclosure,
        disclosure_reason=doc.disclosure_reason,
        urgency=doc.urgency,
        main_recipients=doc.main_recipients,
        copy_recipients=doc.copy_recipients,
        signing=_opinion(history, {"sign"}),
        review=_opinion([h for h in history if h.from_state == "review"], {"approve"}),
        recheck=_recheck(history),
        cosigns=tuple(
            CosignOpinion(c.unit_name, c.opinion, c.by_name, c.at.astimezone().date() if c.at else None,
                          c.given_by, c.basis)
            for c in detail.cosigners
        ),
        copies=doc.copies,
        proofreader=doc.proofreader,
        attachments=tuple(f.filename for f in detail.files if f.purpose != "body"),
        trail=tuple(
            TrailEntry(h.at, h.from_label or h.to_label, h.actor_name, h.action_label, h.opinion) for h in history
        ),
    )


def old_incoming_slip(ctx: AppContext, document_id: int) -> IncomingSlipData:
    with ctx.uow() as uow:
        detail = documents.get_document(uow, SYSTEM_ACTOR, document_id)
        office = str(get_setting(uow, "office_name"))
    doc, history = detail.document, detail.instance.history
    if doc.direction == OUTGOING:
        raise ValidationError("这是一件发文，请打印发文稿纸")
    received = doc.received_at.astimezone().date() if doc.received_at else doc.doc_date
    return IncomingSlipData(
        office_name=office,
        title=doc.title,
        source_unit=doc.source_unit,
        source_number=doc.source_number,
        received_on=received,
        receipt_number=doc.receipt_number,
        copies=doc.copies_received,
        urgency=doc.urgency,
        proposal=_opinion(history, {"propose"}),
        instructions=tuple(
            OpinionEntry(h.opinion, h.actor_name, h.at.astimezone().date()) for h in history if h.action == "instruct"
        ),
        lead_unit=doc.handling_unit_name,
        assisting_units=tuple(name for _id, name in doc.co_units),
        due_date=doc.handling_deadline,
        due_provisional=doc.handling_provisional,
        result=doc.result,
        replies=tuple(
            ReplyRecord(r.replied_at, r.replied_by_name, r.method, r.recipient, r.content) for r in detail.replies
        ),
        circulation=tuple(
            CirculationRecord(c.reader_name, c.sent_at, c.read_at, c.remark)
            for c in detail.circulations if not c.recalled
        ),
    )


# ----- comparing ---------------------------------------------------------------------------------------


def document_ids(ctx: AppContext) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {"out": [], "in": []}
    with ctx.uow() as uow:
        docs = document_print.documents.c
        for doc_id, direction in uow.execute(select(docs.id, docs.direction).order_by(docs.id)):
            found[direction].append(doc_id)
    return found


def pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    return compact("".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


def assert_same_forms(ctx: AppContext, ids: dict[str, list[int]], *, texts: bool) -> None:
    for doc_id in ids["out"]:
        old, new = old_outgoing_draft(ctx, doc_id), load_outgoing_draft(ctx, doc_id)
        assert new == old, doc_id
        if texts:
            assert pdf_text(render_outgoing_draft(new)) == pdf_text(render_outgoing_draft(old)), doc_id
    for doc_id in ids["in"]:
        old_slip, new_slip = old_incoming_slip(ctx, doc_id), load_incoming_slip(ctx, doc_id)
        assert new_slip == old_slip, doc_id
        if texts:
            assert pdf_text(render_incoming_slip(new_slip)) == pdf_text(render_incoming_slip(old_slip)), doc_id


def refusal(call: object, *args: object) -> tuple[type[GovDeskError], str] | None:
    try:
        call(*args)  # type: ignore[operator]
    except GovDeskError as refused:
        return type(refused), str(refused)
    return None


def test_every_demo_form_prints_the_same_as_through_get_document(ctx: AppContext) -> None:
    generate_demo_data(ctx, size=60, today=TODAY)
    ids = document_ids(ctx)
    assert len(ids["out"]) >= 10 and len(ids["in"]) >= 10
    assert_same_forms(ctx, ids, texts=False)
    # The text of the printed sheets too, for a few of each.
    assert_same_forms(ctx, {"out": ids["out"][::7], "in": ids["in"][::7]}, texts=True)
    # Who may see what: every liaison, for every document, as get_document decides.
    with ctx.uow() as uow:
        from app.models import User

        liaisons = [actor_of(u) for u in uow.session.execute(select(User)).scalars() if Role.LIAISON.value in
                    {link.role_code for link in u.role_links}]
    assert liaisons
    seen = 0
    for actor in liaisons:
        for doc_id in ids["out"] + ids["in"]:
            with ctx.uow() as uow:
                old = refusal(documents.get_document, uow, actor, doc_id)
            with ctx.uow() as uow:
                new = refusal(document_print.printed_document, uow, actor, doc_id)
            assert new == old, (actor.username, doc_id)
            seen += old is None
    assert 0 < seen < len(liaisons) * (len(ids["out"]) + len(ids["in"]))


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def test_what_the_demo_lacks_prints_the_same_too(office: Office) -> None:
    """Attachments beside the body, a 会签 the office recorded for a unit, 协办 units, 答复 and a recalled
    传阅 copy; a draft just made; and the refusals: no such document, the other direction's form."""
    o = office
    fin, town = o.units["财政局"], o.units["城关镇"]
    draft = new_draft(o, cosigner_unit_ids=[fin, town], title="关于做好2026年冬春季森林防火工作的通知")
    o.run(documents.add_file, o.clerk, draft, filename="附件1 重点区域一览表.xlsx", data=b"xlsx")
    o.run(documents.add_file, o.clerk, draft, filename="扫描件.pdf", data=b"%PDF", purpose="scan")
    advance_outgoing(o, draft, "distribute")
    fresh_draft = new_draft(o)
    doc = new_incoming(o)
    advance_incoming(o, doc, "handle")
    o.run(incoming.reply, o.liaison_fin, doc, method="电话", content="已部署自查，书面报告三日内报送",
          replied_at=datetime.combine(TODAY, time(16, 0)))
    o.run(incoming.reply, o.clerk, doc, method="书面函复", content="报送自查报告", replied_by="县财政局吴联络")
    advance_incoming(o, doc, "circulate")
    sent = o.run(incoming.circulate, o.clerk, doc, [o.vice.id, o.director.id])
    o.run(incoming.recall, o.clerk, sent[0].id, reason="外出学习")
    fresh_incoming = new_incoming(o, source_number="江府办函〔2026〕7号")

    draft_data = load_outgoing_draft(o.ctx, draft)
    assert draft_data.attachments == ("附件1 重点区域一览表.xlsx", "扫描件.pdf")
    assert [(c.unit, c.given_by, c.basis) for c in draft_data.cosigns] == [
        ("县财政局", "单位负责人", "电话"), ("城关镇", "单位负责人", "电话")]
    slip = load_incoming_slip(o.ctx, doc)
    assert len(slip.replies) == 2 and len(slip.circulation) == 1 and slip.assisting_units
    assert_same_forms(o.ctx, {"out": [draft, fresh_draft], "in": [doc, fresh_incoming]}, texts=True)

    for loader, old_loader, doc_id in (
        (load_outgoing_draft, old_outgoing_draft, doc), (load_incoming_slip, old_incoming_slip, draft),
        (load_outgoing_draft, old_outgoing_draft, 99_999), (load_incoming_slip, old_incoming_slip, 99_999),
    ):
        assert refusal(loader, o.ctx, doc_id) == refusal(old_loader, o.ctx, doc_id) is not None
    assert refusal(load_outgoing_draft, o.ctx, 99_999) == (NotFound, "找不到这份公文，可能已被删除")


def test_a_liaison_sees_only_documents_linked_to_the_unit(office: Office) -> None:
    o = office
    fin, town = o.units["财政局"], o.units["城关镇"]
    cosigned = new_draft(o, cosigner_unit_ids=[fin])
    other = new_draft(o, cosigner_unit_ids=[town])
    led = new_incoming(o)
    advance_incoming(o, led, "handle")  # 主办 财政局, 协办 教育局
    liaison_edu: Actor = o.liaison_edu
    for actor, doc_id, allowed in (
        (o.liaison_fin, cosigned, True), (o.liaison_fin, other, False), (o.liaison_fin, led, True),
        (liaison_edu, led, True), (liaison_edu, cosigned, False),
    ):
        with o.ctx.uow() as uow:
            found = refusal(document_print.printed_document, uow, actor, doc_id)
        with o.ctx.uow() as uow:
            assert found == refusal(documents.get_document, uow, actor, doc_id)
        assert found == (None if allowed else (PermissionDenied, "这份公文不属于您所在的单位，不能查看或办理"))
