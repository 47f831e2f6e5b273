"""What the 公文 forms print of one document (发文稿纸, 收文处理笺), read on plain tables.

A cold `govdesk print outgoing-draft` is a process that prints one sheet. Read through
app.services.documents.records.get_document, its few rows cost SQLAlchemy's ORM, the mapped classes and the
configuring of every mapper: some 0.18 s of a 0.62 s print, more than reading and drawing the rest. Here
they are read on light table clauses (app.services.kernel.light_tables) with `uow.execute`, as the 工作台 reads
them, so a print needs no ORM. A test holds what is read here to what get_document hands the document
window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, exists, literal, or_, select

from app.core.documents import OUTGOING
from app.core.errors import NotFound, PermissionDenied
from app.db.tables import units, workflow_instances
from app.services.documents import work_items
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.light_tables import (
    attachments,
    document_co_handlers,
    document_replies,
    documents,
)
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.detail import HistoryEntry, flow_history
from app.services.workflow.moves import UNIT_SCOPED_ROLES, flow_for

# What app.services.documents.records calls the documents' attachments' owner type (documents.ENTITY).
ENTITY = "document"



@dataclass(frozen=True)
class PrintedCosign:
    """A 会签 unit's opinion; given_by and basis are set when the office recorded it for the unit."""

    unit_name: str
    opinion: str
    by_name: str
    at: datetime | None
    given_by: str
    basis: str


@dataclass(frozen=True)
class PrintedReply:
    replied_at: datetime
    replied_by_name: str
    method: str
    recipient: str
    content: str


@dataclass(frozen=True)
class PrintedReading:
    """A 传阅 copy that was not recalled."""

    reader_name: str
    sent_at: datetime
    read_at: datetime | None
    remark: str


@dataclass(frozen=True)
class PrintedDocument:
    """The document's fields a form prints, its flow's history, and the child records of its direction."""

    id: int
    direction: str
    title: str
    doc_type: str
    urgency: str
    disclosure: str
    disclosure_reason: str
    doc_date: date
    created_at: datetime
    main_recipients: str
    copy_recipients: str
    drafting_unit_name: str
    drafter_name: str
    doc_number: str | None
    copies: int | None
    proofreader: str
    receipt_number: str | None
    received_at: datetime | None
    source_unit: str
    source_number: str
    copies_received: int | None
    handling_unit_name: str
    handling_deadline: date | None
    handling_provisional: bool
    result: str
    history: list[HistoryEntry]
    # 发文
    cosigners: tuple[PrintedCosign, ...] = ()
    attachment_names: tuple[str, ...] = ()  # 附件 and 扫描件, not the 正文
    # 收文
    co_unit_names: tuple[str, ...] = ()
    replies: tuple[PrintedReply, ...] = ()
    readings: tuple[PrintedReading, ...] = ()


def _linked_to_unit(uow: UnitOfWork, doc: Row[Any], unit_id: int | None) -> bool:
    """app.services.documents.records.can_see's links of a document to a liaison's unit: drafted or led by it,
    or co-handled, co-signed or received by it."""
    if unit_id is None:
        return False
    if unit_id in (doc.drafting_unit_id, doc.handling_unit_id):
        return True
    co_handled = exists().where(document_co_handlers.c.document_id == doc.id, document_co_handlers.c.unit_id == unit_id)
    items = work_items.unit_linked(literal(doc.instance_id), unit_id)
    return bool(uow.execute(select(or_(co_handled, items))).scalar())


_DRAFTING_UNIT = units.alias("drafting_unit")
_HANDLING_UNIT = units.alias("handling_unit")
_WI = workflow_instances.c


@acting
def printed_document(uow: UnitOfWork, actor: Actor, document_id: int) -> PrintedDocument:
    """The document as its form prints it, after the checks app.services.documents.records.load makes."""
    # One statement: the document, its flow record and its units' names (a unit since deleted gives "",
    # as app.services.workflow.moves.unit_name does).
    doc = uow.execute(
        select(
            documents, _WI.id.label("instance_id"), _WI.flow_key, _WI.flow_version,
            _DRAFTING_UNIT.c.name.label("drafting_unit_name"), _HANDLING_UNIT.c.name.label("handling_unit_name"),
        )
        .select_from(
            documents.outerjoin(workflow_instances, _WI.id == documents.c.workflow_instance_id)
            .outerjoin(_DRAFTING_UNIT, _DRAFTING_UNIT.c.id == documents.c.drafting_unit_id)
            .outerjoin(_HANDLING_UNIT, _HANDLING_UNIT.c.id == documents.c.handling_unit_id)
        )
        .where(documents.c.id == document_id)
    ).one_or_none()
    if doc is None or doc.workflow_instance_id is None:
        raise NotFound("找不到这份公文，可能已被删除")
    if doc.instance_id is None:
        raise NotFound("找不到该办理事项，可能已被删除")
    scoped = not actor.roles - UNIT_SCOPED_ROLES
    if scoped and not _linked_to_unit(uow, doc, actor.unit_id):
        raise PermissionDenied("这份公文不属于您所在的单位，不能查看或办理")
    flow = flow_for(uow, doc.flow_key, doc.flow_version)
    fields = {name: getattr(doc, name) for name in (
        "id", "direction", "title", "doc_type", "urgency", "disclosure", "disclosure_reason", "doc_date",
        "created_at", "main_recipients", "copy_recipients", "drafter_name", "doc_number", "copies", "proofreader",
        "receipt_number", "received_at", "source_unit", "source_number", "copies_received", "handling_deadline",
        "handling_provisional", "result",
    )}
    common = PrintedDocument(
        **fields,
        drafting_unit_name=doc.drafting_unit_name or "",
        handling_unit_name=doc.handling_unit_name or "",
        history=flow_history(uow, doc.instance_id, flow),
    )
    if doc.direction == OUTGOING:
        return _with_outgoing_records(uow, common, doc.instance_id)
    return _with_incoming_records(uow, common, doc.instance_id)


def _with_outgoing_records(uow: UnitOfWork, doc: PrintedDocument, instance_id: int) -> PrintedDocument:
    cosigners = tuple(
        PrintedCosign(c.unit_name or "", c.opinion, c.by_name, c.at, c.given_by, c.basis)
        for c in work_items.cosign_rows(uow, instance_id)
    )
    files = attachments.c
    names = uow.execute(
        select(files.filename)
        .where(files.owner_type == ENTITY, files.owner_id == doc.id, files.purpose != "body")
        .order_by(files.sort_order, files.id)
    ).scalars()
    return replace(doc, cosigners=cosigners, attachment_names=tuple(names))


def _with_incoming_records(uow: UnitOfWork, doc: PrintedDocument, instance_id: int) -> PrintedDocument:
    co = document_co_handlers.c
    co_units = uow.execute(
        select(units.c.name).join(document_co_handlers, co.unit_id == units.c.id)
        .where(co.document_id == doc.id).order_by(co.id)
    ).scalars()
    rs = document_replies.c
    replies = tuple(
        PrintedReply(r.replied_at, r.replied_by_name, r.method, r.recipient, r.content)
        for r in uow.execute(
            select(document_replies).where(rs.document_id == doc.id).order_by(rs.replied_at, rs.id)
        )
    )
    readings = tuple(
        PrintedReading(c.reader_name, c.sent_at, c.read_at, c.remark)
        for c in work_items.circulation_rows(uow, work_items.of_kind(instance_id, work_items.READ))
        if not c.recalled
    )
    return replace(doc, co_unit_names=tuple(co_units), replies=replies, readings=readings)


__all__ = ["PrintedCosign", "PrintedDocument", "PrintedReading", "PrintedReply", "printed_document"]
