"""What the document window shows (app.services.documents.records.get_document), read in two statements.

At 50 ms a round trip, the window's sixteen statements, one per kind of row and one per unit's name, cost
about a second. Here the document, its flow record, the names of its units and owner and the head of the
responsible unit are one statement (with, for a liaison, whether the document is linked to their unit);
after the visibility check, every child row (会签, 分发, 传阅, 协办, 答复, 差错, 归档, files, history, 催办)
is one more (app.services.kernel.child_rows). With the transaction's BEGIN and ROLLBACK that is four round trips
on PostgreSQL. The checks and the figures are those of app.services.documents.records.load and its helpers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, literal, select

from app.core.documents import DIRECTIONS, INCOMING, NOT_DISCLOSED, OUTGOING, is_upward
from app.core.errors import NotFound, PermissionDenied
from app.core.roles import Role
from app.db.tables import units, users, workflow_history, workflow_instances
from app.models import (
    Attachment,
    Document,
    DocumentArchive,
    DocumentCoHandler,
    DocumentError,
    DocumentReply,
    Urge,
)
from app.services.documents import work_items
from app.services.documents.records import (
    ENTITY,
    REPLY_STATES,
    ArchiveInfo,
    CirculationInfo,
    CosignInfo,
    DistributionInfo,
    DocumentDetail,
    DocumentInfo,
    ErrorInfo,
    ReplyInfo,
    flow_version,
    may_reply,
    unit_scoped,
)
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.child_rows import Branch, ChildRow, read_children
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import detail as workflow_detail
from app.services.workflow import urges
from app.services.workflow.moves import WINDOW_COLUMNS, info_from_row

_drafting = units.alias("drafting_unit")
_handling = units.alias("handling_unit")
_responsible = units.alias("responsible_unit")
_owner = users.alias("owner")


def _linked(document: Any, unit_id: int | None) -> ColumnElement[bool]:
    """documents.can_see's links of a document to a liaison's unit, as one condition."""
    if unit_id is None:
        return false()
    return (
        (document.drafting_unit_id == unit_id)
        | (document.handling_unit_id == unit_id)
        | work_items.unit_linked(document.workflow_instance_id, unit_id)
        | exists().where(DocumentCoHandler.document_id == document.id, DocumentCoHandler.unit_id == unit_id)
    )


def _header(uow: UnitOfWork, actor: Actor, document_id: int) -> Any:
    table = Document.__table__
    scoped = unit_scoped(actor)
    statement = (
        select(
            *table.c,
            *(column.label(f"wi_{column.key}") for column in WINDOW_COLUMNS),
            (workflow_instances.c.id.is_not(None)).label("has_instance"),
            _drafting.c.name.label("drafting_unit_name"),
            _handling.c.name.label("handling_unit_name"),
            _responsible.c.name.label("responsible_unit_name"),
            _responsible.c.head_user_id.label("responsible_head_id"),
            _owner.c.full_name.label("owner_name"),
            (_linked(table.c, actor.unit_id) if scoped else literal(True)).label("visible"),
            workflow_detail.delegated_to(actor).label("delegated"),
        )
        .select_from(table)
        .outerjoin(workflow_instances, workflow_instances.c.id == table.c.workflow_instance_id)
        .outerjoin(_drafting, _drafting.c.id == table.c.drafting_unit_id)
        .outerjoin(_handling, _handling.c.id == table.c.handling_unit_id)
        .outerjoin(_responsible, _responsible.c.id == workflow_instances.c.unit_id)
        .outerjoin(_owner, _owner.c.id == workflow_instances.c.owner_id)
        .where(table.c.id == document_id)
    )
    return uow.execute(statement).one_or_none()


def _branches(document_id: int, instance_id: int, direction: str) -> list[Branch]:
    moves = workflow_history.c
    co_unit = units.alias("co_unit")
    branches = [
        Branch("history", workflow_history, {
            "id": moves.id, "at": moves.at, "from_state": moves.from_state, "to_state": moves.to_state,
            "action": moves.action, "action_label": moves.action_label, "actor_name": moves.actor_name,
            "opinion": moves.opinion, "on_behalf_of_name": moves.on_behalf_of_name,
        }, moves.instance_id == instance_id),
        Branch("file", Attachment.__table__, {
            "id": Attachment.id, "owner_type": Attachment.owner_type, "owner_id": Attachment.owner_id,
            "purpose": Attachment.purpose, "filename": Attachment.filename, "mime_type": Attachment.mime_type,
            "size": Attachment.size, "sha256": Attachment.sha256, "sort_order": Attachment.sort_order,
        }, (Attachment.owner_type == ENTITY) & (Attachment.owner_id == document_id), ("sort_order", "id")),
        Branch("urge", Urge.__table__, {
            "id": Urge.id, "instance_id": Urge.instance_id, "by_name": Urge.by_name, "method": Urge.method,
            "note": Urge.note, "at": Urge.at, "reply_due": Urge.reply_due,
            "reply_due_provisional": Urge.reply_due_provisional,
        }, Urge.instance_id == instance_id),
        # The 公文's parallel work, on the engine's work items (app.services.documents.work_items).
        Branch("cosign", work_items.COSIGN_FROM, work_items.COSIGN_COLUMNS,
               work_items.of_kind(instance_id, work_items.COSIGN)),
        Branch("distribution", work_items.DISTRIBUTION_FROM, work_items.DISTRIBUTION_COLUMNS,
               work_items.of_kind(instance_id, work_items.RECEIPT)),
        Branch("circulation", work_items.CIRCULATION_FROM, work_items.CIRCULATION_COLUMNS,
               work_items.of_kind(instance_id, work_items.READ)),
        Branch("error", DocumentError.__table__, {
            "id": DocumentError.id, "kind": DocumentError.kind, "note": DocumentError.note,
            "person_name": DocumentError.person_name, "unit_name": DocumentError.unit_name,
            "recorded_by_name": DocumentError.recorded_by_name, "at": DocumentError.at,
        }, DocumentError.document_id == document_id),
        Branch("archive", DocumentArchive.__table__, {
            "id": DocumentArchive.id, "year": DocumentArchive.year, "retention": DocumentArchive.retention,
            "item_no": DocumentArchive.item_no, "archive_code": DocumentArchive.archive_code,
            "fonds": DocumentArchive.fonds, "org_code": DocumentArchive.org_code, "pages": DocumentArchive.pages,
            "remark": DocumentArchive.remark, "archived_at": DocumentArchive.archived_at,
            "archived_by_name": DocumentArchive.archived_by_name,
        }, DocumentArchive.document_id == document_id),
    ]
    if direction == INCOMING:
        branches += [
            Branch("co_handler", DocumentCoHandler.__table__.join(co_unit, co_unit.c.id == DocumentCoHandler.unit_id), {
                "id": DocumentCoHandler.id, "unit_id": DocumentCoHandler.unit_id, "unit_name": co_unit.c.name,
            }, DocumentCoHandler.document_id == document_id),
            Branch("reply", DocumentReply.__table__, {
                "id": DocumentReply.id, "method": DocumentReply.method, "recipient": DocumentReply.recipient,
                "content": DocumentReply.content, "replied_at": DocumentReply.replied_at,
                "replied_by_name": DocumentReply.replied_by_name,
                "recorded_by_name": DocumentReply.recorded_by_name,
            }, DocumentReply.document_id == document_id, ("replied_at", "id")),
        ]
    return branches


def _archive_info(row: ChildRow) -> ArchiveInfo:
    from app.core.archives import RETENTIONS

    return ArchiveInfo(
        id=row.id, year=row.year, retention=row.retention, retention_label=RETENTIONS[row.retention],
        item_no=row.item_no, archive_code=row.archive_code, fonds=row.fonds, org_code=row.org_code,
        pages=row.pages, remark=row.remark, archived_at=row.archived_at, archived_by_name=row.archived_by_name,
    )


@acting
def read_document_detail(uow: UnitOfWork, actor: Actor, document_id: int) -> DocumentDetail:
    doc = _header(uow, actor, document_id)
    if doc is None or doc.workflow_instance_id is None:
        raise NotFound("找不到这份公文，可能已被删除")
    if not doc.has_instance:
        raise NotFound("找不到该办理事项，可能已被删除")
    if not doc.visible:
        raise PermissionDenied("这份公文不属于您所在的单位，不能查看或办理")
    info_row = [getattr(doc, f"wi_{column.key}") for column in WINDOW_COLUMNS]
    flow = flow_version(uow, doc.wi_flow_key, doc.wi_flow_version)
    instance = info_from_row(info_row, flow)
    children = read_children(uow, _branches(doc.id, instance.id, doc.direction))

    cosigners = [
        CosignInfo(c.id, c.unit_id, c.unit_name or "", c.agreed, c.opinion, c.by_name, c.at, c.given_by, c.basis)
        for c in children["cosign"]
    ]
    distributions = [
        DistributionInfo(d.id, d.unit_id, d.unit_name or "", d.copies, d.sent_at, d.sent_by_name,
                         d.received_by_name, d.received_at)
        for d in children["distribution"]
    ]
    circulations = [
        CirculationInfo(c.id, c.reader_id, c.reader_name, c.sent_by_name, c.sent_at, c.read_at, c.remark,
                        bool(c.recalled), c.recalled_at)
        for c in children["circulation"]
    ]
    # The facts the flow's guards read (documents.facts), from the rows just read.
    if doc.direction == OUTGOING:
        answers = [c.agreed for c in cosigners]
        facts: dict[str, Any] = {
            "has_cosigners": bool(answers),
            "cosign_complete": bool(answers) and all(a is True for a in answers),
            "important": bool(doc.important),
            "upward": is_upward(doc.doc_type),
        }
    else:
        facts = {
            "needs_handling": bool(doc.needs_handling),
            "needs_circulation": bool(doc.needs_circulation),
            "circulation_complete": not any(c.holding for c in circulations),
        }
    detail = workflow_detail.assembled_detail(
        actor, instance, flow, workflow_detail.labelled_history(children["history"], flow), facts,
        actor_heads_unit=actor.id is not None and doc.responsible_head_id == actor.id,
        owner_name=doc.owner_name or "", unit_name=doc.responsible_unit_name or "",
        principals=workflow_detail.acting_for(uow, actor, instance) if doc.delegated else (),
    )
    # Opened by someone who may act at the step: its mover can no longer withdraw it (撤回).
    workflow_detail.opened(uow, actor, detail)
    state, closed = instance.state, instance.closed
    my_cosign = next(
        (c.unit_id for c in cosigners if state == "cosign" and c.agreed is not True and c.unit_id == actor.unit_id
         and actor.has(Role.LIAISON)),
        None,
    )
    my_circulation = next(
        (c.id for c in circulations if c.holding and c.reader_id == actor.id and actor.id is not None), None
    )
    proxy_cosign: tuple[int, ...] = ()
    if state == "cosign" and not closed and flow.step("cosign").roles & actor.roles:
        proxy_cosign = tuple(c.unit_id for c in cosigners if c.agreed is not True)
    my_receipt = next(
        (d.unit_id for d in distributions if not d.received and d.unit_id == actor.unit_id
         and actor.has(Role.LIAISON)),
        None,
    )
    archived = children["archive"]
    result = DocumentDetail(
        document=_document_info(doc, instance, children["co_handler"] if doc.direction == INCOMING else []),
        instance=detail,
        cosigners=cosigners,
        distributions=distributions,
        circulations=circulations,
        errors=[
            ErrorInfo(e.id, e.kind, e.note, e.person_name, e.unit_name, e.recorded_by_name, e.at)
            for e in children["error"]
        ],
        archive=_archive_info(archived[0]) if archived else None,
        files=[
            attachments.AttachmentInfo(a.id, a.owner_type, a.owner_id, a.purpose, a.filename, a.mime_type, a.size,
                                       a.sha256)
            for a in children["file"]
        ],
        my_cosign_unit_id=my_cosign,
        my_circulation_id=my_circulation,
        my_receipt_unit_id=my_receipt,
        proxy_cosign_unit_ids=proxy_cosign,
        replies=tuple(
            ReplyInfo(r.id, r.method, r.recipient, r.content, r.replied_at, r.replied_by_name, r.recorded_by_name)
            for r in children.get("reply", [])
        ),
        may_reply=doc.direction == INCOMING and not closed and state in REPLY_STATES
        and may_reply(uow, actor, doc, instance),  # type: ignore[arg-type]
        urges=tuple(
            urges.UrgeInfo(u.id, u.instance_id, u.by_name, u.method, u.note, u.at, u.reply_due,
                           bool(u.reply_due_provisional))
            for u in children["urge"]
        ),
    )
    if doc.disclosure == NOT_DISCLOSED:
        # Who read a document withheld from disclosure is worth a trace: one audit entry and one commit more
        # (audit only, no change for open clients). An open document's view stays a single read.
        uow.record(actor.id, actor.username, "view_restricted", "document", doc.id, {"title": doc.title})
        uow.commit()
    return result


def _document_info(doc: Any, instance: Any, co_handlers: list[ChildRow]) -> DocumentInfo:
    return DocumentInfo(
        id=doc.id, direction=doc.direction, direction_label=DIRECTIONS[doc.direction], title=doc.title,
        doc_type=doc.doc_type, urgency=doc.urgency, secrecy=doc.secrecy, disclosure=doc.disclosure,
        disclosure_reason=doc.disclosure_reason, important=doc.important, upward=is_upward(doc.doc_type),
        doc_date=doc.doc_date, remark=doc.remark, main_recipients=doc.main_recipients,
        copy_recipients=doc.copy_recipients, drafting_unit_id=doc.drafting_unit_id,
        drafting_unit_name=doc.drafting_unit_name or "", drafter_id=doc.drafter_id,
        drafter_name=doc.drafter_name, prefix=doc.prefix, doc_year=doc.doc_year, doc_seq=doc.doc_seq,
        doc_number=doc.doc_number, signer_name=doc.signer_name, signed_at=doc.signed_at, copies=doc.copies,
        proofreader=doc.proofreader, receipt_number=doc.receipt_number, received_at=doc.received_at,
        source_unit=doc.source_unit, source_number=doc.source_number, source_date=doc.source_date,
        copies_received=doc.copies_received, needs_handling=doc.needs_handling,
        needs_circulation=doc.needs_circulation, handling_unit_id=doc.handling_unit_id,
        handling_unit_name=doc.handling_unit_name or "", co_units=tuple((c.unit_id, c.unit_name) for c in co_handlers),
        handling_deadline=doc.handling_deadline, handling_provisional=doc.handling_provisional, result=doc.result,
        instance_id=instance.id, state=instance.state, state_label=instance.state_label,
        closed=instance.closed, due_date=instance.due_date, due_provisional=instance.due_provisional,
        created_at=doc.created_at, version=doc.version,
    )
