"""Official documents (公文): what 发文 and 收文 share — loading with visibility, the facts the flows read,
the document window, the paged list, files, recorded errors and 催办.

The steps of each flow are in app.services.documents.outgoing and app.services.documents.incoming, archiving in
app.services.documents.archives, and the registers and the quarterly notice in app.services.documents.reports.
Every public function takes (uow, actor, ...), checks permission, validates, changes the records,
appends workflow history, audit and change feed, and commits once; a refusal leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, false, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from app.core.documents import (
    DIRECTIONS,
    INCOMING,
    OUTGOING,
    SIGNED_FILES_MESSAGE,
    check_error_kind,
    is_upward,
    signed_files_frozen,
)
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.official_document import TYPESET_STATES
from app.core.printable import check_printable
from app.core.roles import Role, describe_roles
from app.core.workflow import DEFAULT_FLOWS, Flow, Transition
from app.core.workflow.flows import builtin_flow
from app.models import (
    Document,
    DocumentArchive,
    DocumentCoHandler,
    DocumentError,
    Unit,
    User,
    WorkflowHistory,
    WorkflowInstance,
)
from app.models.base import utcnow
from app.services.documents import work_items
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.clock import local_date
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import acts as workflow_acts
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.services.workflow import urges, visibility
from app.services.workflow.moves import unit_name
from app.services.workflow.worklist import Page, check_page, date_range, escape_like, search_text, sort_order

ENTITY = "document"
# A document's files: its 正文, 附件 and scans.
FILES = attachments.RecordFiles(ENTITY, "找不到该文件，可能已被删除", single=frozenset({"body", "typeset"}))
FLOW_KEYS: dict[str, str] = {OUTGOING: "outgoing_document", INCOMING: "incoming_document"}

OFFICE_ROLES: tuple[Role, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY)
# Who may record an error against a document: those who review, sign or screen it.
ERROR_RECORDERS: tuple[Role, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.COUNTY_LEADER)
FILE_PURPOSES: dict[str, str] = {"body": "正文", "attachment": "附件", "scan": "扫描件", "typeset": "正式公文"}
# The 正式公文: typeset by the office from 印制 on (app.services.documents.official), or replaced by the office
# with a PDF it touched up; nobody else adds or removes it.
TYPESET_PURPOSE = "typeset"


# ----- what the services hand back ----------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    direction: str
    direction_label: str
    title: str
    doc_type: str
    urgency: str
    secrecy: str
    disclosure: str
    disclosure_reason: str
    important: bool
    upward: bool
    doc_date: date
    remark: str
    # 发文
    main_recipients: str
    copy_recipients: str
    drafting_unit_id: int | None
    drafting_unit_name: str
    drafter_id: int | None
    drafter_name: str
    prefix: str
    doc_year: int | None
    doc_seq: int | None
    doc_number: str | None
    signer_name: str
    signed_at: datetime | None
    copies: int | None
    proofreader: str
    # 收文
    receipt_number: str | None
    received_at: datetime | None
    source_unit: str
    source_number: str
    source_date: date | None
    copies_received: int | None
    needs_handling: bool
    needs_circulation: bool
    handling_unit_id: int | None
    handling_unit_name: str
    co_units: tuple[tuple[int, str], ...]
    handling_deadline: date | None
    handling_provisional: bool
    result: str
    # where it stands
    instance_id: int
    state: str
    state_label: str
    closed: bool
    due_date: date | None
    due_provisional: bool
    created_at: datetime  # 拟稿 (发文) or 登记 (收文) time; doc_date later becomes the 成文日期
    version: int

    @property
    def number(self) -> str:
        """发文字号 of an outgoing document, 收文编号 of an incoming one ('' before either is given)."""
        return (self.doc_number if self.direction == OUTGOING else self.receipt_number) or ""


@dataclass(frozen=True)
class CosignInfo:
    id: int
    unit_id: int
    unit_name: str
    agreed: bool | None
    opinion: str
    by_name: str
    at: datetime | None
    # Set when the office recorded the opinion for the unit: who at the unit gave it, and on what basis.
    given_by: str = ""
    basis: str = ""

    @property
    def on_behalf(self) -> bool:
        return bool(self.basis)


@dataclass(frozen=True)
class ReplyInfo:
    """A 答复 to the 来文单位: who answered, when, how and what."""

    id: int
    method: str
    recipient: str
    content: str
    replied_at: datetime
    replied_by_name: str
    recorded_by_name: str


@dataclass(frozen=True)
class DistributionInfo:
    id: int
    unit_id: int
    unit_name: str
    copies: int
    sent_at: datetime
    sent_by_name: str
    received_by_name: str
    received_at: datetime | None

    @property
    def received(self) -> bool:
        return self.received_at is not None


@dataclass(frozen=True)
class CirculationInfo:
    id: int
    reader_id: int | None
    reader_name: str
    sent_by_name: str
    sent_at: datetime
    read_at: datetime | None
    remark: str
    recalled: bool
    recalled_at: datetime | None

    @property
    def status(self) -> str:
        return "已收回" if self.recalled else "已阅" if self.read_at else "未阅"

    @property
    def holding(self) -> bool:
        """The reader has the document now: sent, not yet read, not recalled."""
        return not self.recalled and self.read_at is None


@dataclass(frozen=True)
class ErrorInfo:
    id: int
    kind: str
    note: str
    person_name: str
    unit_name: str
    recorded_by_name: str
    at: datetime


@dataclass(frozen=True)
class ArchiveInfo:
    id: int
    year: int
    retention: str
    retention_label: str
    item_no: int
    archive_code: str
    fonds: str
    org_code: str
    pages: int
    remark: str
    archived_at: datetime
    archived_by_name: str


@dataclass(frozen=True)
class ErrorInput:
    """An error a reviewer records: kind (格式/文字/文种/程序), what it was, and against whom.

    person_id and unit_id default to the drafter and the drafting unit of an outgoing document and to
    the 来文单位 (by name) of an incoming one.
    """

    kind: str
    note: str = ""
    person_id: int | None = None
    unit_id: int | None = None


@dataclass(frozen=True)
class DocumentDetail:
    """Everything the document window shows, and what this user may do with it now."""

    document: DocumentInfo
    instance: workflow_detail.InstanceDetail
    cosigners: list[CosignInfo]
    distributions: list[DistributionInfo]
    circulations: list[CirculationInfo]
    errors: list[ErrorInfo]
    archive: ArchiveInfo | None
    files: list[attachments.AttachmentInfo]
    # The actor's own parts, so the window can offer them: the cosigning unit the actor may answer
    # for, the circulation entry the actor holds, the distribution the actor's unit may sign for.
    my_cosign_unit_id: int | None = None
    my_circulation_id: int | None = None
    my_receipt_unit_id: int | None = None
    # Co-issuing units still to answer, whose opinion the actor (the office, at 会签) may record for them.
    proxy_cosign_unit_ids: tuple[int, ...] = ()
    replies: tuple[ReplyInfo, ...] = ()
    # The actor may record a 答复 to the 来文单位 now (app.services.documents.incoming.reply).
    may_reply: bool = False
    # The 催办 of the document's flow record, oldest first.
    urges: tuple[urges.UrgeInfo, ...] = ()

    @property
    def holders(self) -> list[str]:
        """Who has the document in circulation now (传阅: several readers at once)."""
        return [c.reader_name for c in self.circulations if c.holding]

    @property
    def circulating(self) -> bool:
        return bool(self.holders)


@dataclass(frozen=True)
class DocumentRow:
    """One line of the 公文 list."""

    id: int
    direction: str
    title: str
    doc_type: str
    urgency: str
    important: bool
    disclosure: str
    doc_date: date
    doc_number: str | None
    receipt_number: str | None
    source_unit: str
    source_number: str
    unit_name: str
    instance_id: int
    state: str
    state_label: str
    closed: bool
    due_date: date | None
    due_provisional: bool
    overdue: bool
    circulating: bool

    @property
    def number(self) -> str:
        return (self.doc_number if self.direction == OUTGOING else self.receipt_number) or ""

    @property
    def status_label(self) -> str:
        """The state, or 传阅中 while readers hold it (承办（传阅中） when it is read while being handled)."""
        if not self.circulating or self.closed:
            return self.state_label
        return "传阅中" if self.state == "circulate" else f"{self.state_label}（传阅中）"


# ----- loading and permission -----------------------------------------------------------------------


def unit_scoped(actor: Actor) -> bool:
    """A liaison with no office role acts for, and sees, one unit only."""
    return not actor.roles - workflow.UNIT_SCOPED_ROLES


def _unit_linked(uow: UnitOfWork, doc: Document, unit_id: int | None) -> bool:
    if unit_id is None:
        return False
    if unit_id in (doc.drafting_unit_id, doc.handling_unit_id):
        return True
    co_handled = uow.session.execute(
        select(DocumentCoHandler.id)
        .where(DocumentCoHandler.document_id == doc.id, DocumentCoHandler.unit_id == unit_id).limit(1)
    ).first()
    if co_handled is not None:
        return True
    if doc.workflow_instance_id is None:
        return False
    return bool(uow.execute(select(work_items.unit_linked(literal(doc.workflow_instance_id), unit_id))).scalar())


@acting
def can_see(uow: UnitOfWork, actor: Actor, doc: Document) -> bool:
    """Everyone with an office role sees every document; a liaison those linked to their unit (the same
    links as the list's scope: drafted, led, assisted, co-signed or received)."""
    return not unit_scoped(actor) or _unit_linked(uow, doc, actor.unit_id)


@acting
def load(
    uow: UnitOfWork, actor: Actor, document_id: int, *, expected_version: int | None = None
) -> tuple[Document, WorkflowInstance]:
    doc = uow.session.get(Document, document_id)
    if doc is None or doc.workflow_instance_id is None:
        raise NotFound("找不到这份公文，可能已被删除")
    instance = workflow.get_instance(uow, doc.workflow_instance_id)
    if not can_see(uow, actor, doc):
        raise PermissionDenied("这份公文不属于您所在的单位，不能查看或办理")
    if expected_version is not None and doc.version != expected_version:
        raise ConflictError(f"“{doc.title}”已被其他人办理或修改，请刷新后再操作")
    return doc, instance


def require_direction(doc: Document, direction: str, doing: str) -> None:
    if doc.direction != direction:
        raise ValidationError(f"{DIRECTIONS[doc.direction]}不能{doing}", field="direction")


def require_state(
    uow: UnitOfWork, doc: Document, instance: WorkflowInstance, states: Iterable[str], doing: str
) -> None:
    """Refuses a document at none of these steps (the steps of the flow's move: workflow_acts.open_act)."""
    workflow_acts.require_step(
        flow_of(uow, instance), instance, tuple(states), doing, name=f"“{doc.title}”", noun=DocumentArea.noun
    )


class DocumentArea:
    """公文 of one direction, as app.services.workflow.acts opens them for a step's service: load() with its
    visibility and version check, then the direction the step belongs to."""

    noun = "这份公文"

    def __init__(self, direction: str) -> None:
        self.direction = direction

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str
    ) -> tuple[Document, WorkflowInstance]:
        doc, instance = load(uow, actor, record_id, expected_version=expected_version)
        require_direction(doc, self.direction, doing)
        return doc, instance

    def name(self, doc: Document) -> str:
        return f"“{doc.title}”"

    def facts(self, uow: UnitOfWork, doc: Document) -> dict[str, Any]:
        return facts(uow, doc)

    def decide(
        self,
        uow: UnitOfWork,
        actor: Actor,
        doc: Document,
        instance: WorkflowInstance,
        decision: str,
        opinion: str,
        errors: Sequence[ErrorInput],
        *,
        returning: str,
        today: date | None,
        send_to: int | None = None,
    ) -> None:
        """Takes a checking step's decision (收文 初审, 发文 核稿): errors (差错) found go with a return only
        (``returning`` names it: "退文"), each tied to the return's own history row. The move and the errors
        it writes check the actor."""
        if errors and decision != "return":
            raise ValidationError(f"差错在{returning}时登记", field="errors")
        move(uow, actor, doc, instance, decision, opinion, today=today, send_to=send_to)
        if errors:
            last = uow.session.execute(
                select(WorkflowHistory).where(WorkflowHistory.instance_id == instance.id)
                .order_by(WorkflowHistory.id.desc()).limit(1)
            ).scalar_one()
            add_errors(uow, actor, doc, errors, last)


OUTGOING_DOCUMENTS = DocumentArea(OUTGOING)
INCOMING_DOCUMENTS = DocumentArea(INCOMING)


def require_any(actor: Actor, roles: Iterable[Role], doing: str) -> None:
    allowed = tuple(roles)
    if not actor.has(*allowed):
        raise PermissionDenied(f"只有{'、'.join(r.label for r in allowed)}可以{doing}")


@acting
def require_actor_for(
    uow: UnitOfWork, actor: Actor, doc: Document, instance: WorkflowInstance, action: str, opinion: str = "-"
) -> None:
    """Refuses, as the flow would, an actor who may not take ``action`` now; for acts that prepare a move."""
    if instance.closed:
        raise WorkflowError(f"“{doc.title}”已办结，不能再办理")
    if instance.assignee_id is not None and instance.assignee_id != actor.id:
        name = workflow.user_full_name(uow, instance.assignee_id) or "指定人员"
        raise PermissionDenied(f"此事项在当前环节由{name}办理")
    context = {**facts(uow, doc), **workflow.actor_context(uow, actor, instance)}
    flow_of(uow, instance).resolve(
        instance.state, action, workflow.effective_roles(actor, instance), context, opinion
    )


# A 答复 to the 来文单位 is made once the document is being handled, and recorded until it is concluded.
REPLY_STATES = ("handle", "circulate", "conclude")


@acting
def may_reply(uow: UnitOfWork, actor: Actor, doc: Document, instance: WorkflowInstance) -> bool:
    """Who records a 答复: the office (whoever may conclude the document) or the 主办 unit's liaison."""
    office = flow_of(uow, instance).step("conclude").roles
    lead_liaison = actor.has(Role.LIAISON) and actor.unit_id is not None and actor.unit_id == doc.handling_unit_id
    return bool(office & actor.roles) or lead_liaison


def require_starter(flow: Flow, actor: Actor, doing: str) -> None:
    """Only those who may act at a flow's first step may create its records."""
    moves = flow.transitions_from(flow.start)
    if any(t.role_matches(flow, actor.roles) for t in moves):
        return
    allowed: set[str] = set()
    for t in moves:
        allowed |= t.allowed_roles(flow)
    raise PermissionDenied(f"只有{describe_roles(allowed)}可以{doing}")


def today_or(today: date | None) -> date:
    return today if today is not None else local_date(utcnow())


def flow_of(uow: UnitOfWork, instance: WorkflowInstance) -> Flow:
    return flow_version(uow, instance.flow_key, instance.flow_version)


def flow_version(uow: UnitOfWork, key: str, version: int) -> Flow:
    """A flow version. The built-in versions are used as they are, without asking the database: versions an
    administrator saves are numbered after them, so a built-in one is never replaced."""
    builtin = builtin_flow(key, version)
    if builtin is not None:
        return builtin
    return workflow.flow_for(uow, key, version)


def check_unit(uow: UnitOfWork, unit_id: int, field_name: str) -> Unit:
    unit = uow.session.get(Unit, unit_id) if isinstance(unit_id, int) and not isinstance(unit_id, bool) else None
    if unit is None:
        raise ValidationError("找不到所选的单位，可能已被删除", field=field_name)
    if not unit.active:
        raise ValidationError(f"“{unit.name}”已停用，不能选择", field=field_name)
    return unit


def check_user(uow: UnitOfWork, user_id: int, field_name: str) -> User:
    user = uow.session.get(User, user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None
    if user is None or not user.active:
        raise ValidationError("找不到所选的人员，或该账户已停用", field=field_name)
    return user


# ----- the facts the flows' guards read -------------------------------------------------------------


def facts(uow: UnitOfWork, doc: Document) -> dict[str, Any]:
    instance_id = doc.workflow_instance_id or 0
    if doc.direction == OUTGOING:
        return {
            **work_items.cosign_facts(uow, instance_id),
            "important": bool(doc.important),
            "upward": is_upward(doc.doc_type),
        }
    return {
        "needs_handling": bool(doc.needs_handling),
        "needs_circulation": bool(doc.needs_circulation),
        "circulation_complete": work_items.circulation_complete(uow, instance_id),
    }


def touch(doc: Document) -> None:
    """Every act on a document bumps its version, so a second client acting on what it saw is refused."""
    doc.updated_at = utcnow()


@acting
def move(
    uow: UnitOfWork,
    actor: Actor,
    doc: Document,
    instance: WorkflowInstance,
    action: str,
    opinion: str = "",
    *,
    today: date | None = None,
    send_to: int | None = None,
) -> Transition:
    """Takes the flow's transition for this action, with the document's facts; does not commit. send_to: the
    person named to act at the step it leads to (app.services.workflow.handlers)."""
    chosen = workflow.apply_transition(uow, actor, instance, action, opinion, facts(uow, doc), today, send_to=send_to)
    touch(doc)
    return chosen


@acting
def plain_step(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    direction: str,
    action: str,
    doing: str,
    opinion: str = "",
    expected_version: int | None = None,
    today: date | None = None,
    send_to: int | None = None,
) -> DocumentInfo:
    """A step that only moves the flow on (用印完成, 传阅完毕 …): opened for its move, moved, committed."""
    area = OUTGOING_DOCUMENTS if direction == OUTGOING else INCOMING_DOCUMENTS
    doc, instance = workflow_acts.open_act(
        uow, actor, area, document_id, doing, move=action, expected_version=expected_version
    )
    move(uow, actor, doc, instance, action, opinion, today=today, send_to=send_to)
    return commit_info(uow, doc, instance)


@acting
def add_history_note(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, action: str, label: str, opinion: str
) -> WorkflowHistory:
    """An opinion given without moving the record (a 会签 unit's opinion, a reader's remark): it goes into the
    trail of opinions that forms print and the search reads, with from and to the current step."""
    check_printable(opinion, "意见", field="opinion")
    row = WorkflowHistory(
        instance_id=instance.id, from_state=instance.state, to_state=instance.state, action=action,
        action_label=label, actor_id=actor.id, actor_name=actor.full_name, opinion=opinion.strip(), at=utcnow(),
    )
    uow.session.add(row)
    return row


@acting
def audit(uow: UnitOfWork, actor: Actor, action: str, doc: Document, detail: Mapping[str, Any]) -> None:
    uow.record(actor.id, actor.username, action, ENTITY, doc.id, dict(detail), change_op="update")


# ----- building the views ------------------------------------------------------------------------------


def document_info(uow: UnitOfWork, doc: Document, instance: WorkflowInstance) -> DocumentInfo:
    flow = flow_of(uow, instance)
    co_units = tuple(
        (unit_id, name)
        for unit_id, name in uow.session.execute(
            select(Unit.id, Unit.name)
            .join(DocumentCoHandler, DocumentCoHandler.unit_id == Unit.id)
            .where(DocumentCoHandler.document_id == doc.id)
            .order_by(DocumentCoHandler.id)
        )
    ) if doc.direction == INCOMING else ()
    return DocumentInfo(
        id=doc.id, direction=doc.direction, direction_label=DIRECTIONS[doc.direction], title=doc.title,
        doc_type=doc.doc_type, urgency=doc.urgency, secrecy=doc.secrecy, disclosure=doc.disclosure,
        disclosure_reason=doc.disclosure_reason, important=doc.important, upward=is_upward(doc.doc_type),
        doc_date=doc.doc_date, remark=doc.remark, main_recipients=doc.main_recipients,
        copy_recipients=doc.copy_recipients, drafting_unit_id=doc.drafting_unit_id,
        drafting_unit_name=unit_name(uow, doc.drafting_unit_id), drafter_id=doc.drafter_id,
        drafter_name=doc.drafter_name, prefix=doc.prefix, doc_year=doc.doc_year, doc_seq=doc.doc_seq,
        doc_number=doc.doc_number, signer_name=doc.signer_name, signed_at=doc.signed_at, copies=doc.copies,
        proofreader=doc.proofreader, receipt_number=doc.receipt_number, received_at=doc.received_at,
        source_unit=doc.source_unit, source_number=doc.source_number, source_date=doc.source_date,
        copies_received=doc.copies_received, needs_handling=doc.needs_handling,
        needs_circulation=doc.needs_circulation, handling_unit_id=doc.handling_unit_id,
        handling_unit_name=unit_name(uow, doc.handling_unit_id), co_units=co_units,
        handling_deadline=doc.handling_deadline, handling_provisional=doc.handling_provisional, result=doc.result,
        instance_id=instance.id, state=instance.state, state_label=flow.step(instance.state).label,
        closed=instance.closed, due_date=instance.due_date, due_provisional=instance.due_provisional,
        created_at=doc.created_at, version=doc.version,
    )


def commit_info(uow: UnitOfWork, doc: Document, instance: WorkflowInstance) -> DocumentInfo:
    """How every act on a document ends: the document as the act leaves it, read before the commit (so the
    view is built in the act's own transaction), then committed."""
    info = document_info(uow, doc, instance)
    uow.commit()
    return info


def archive_info(row: DocumentArchive) -> ArchiveInfo:
    from app.core.archives import RETENTIONS

    return ArchiveInfo(
        id=row.id, year=row.year, retention=row.retention, retention_label=RETENTIONS[row.retention],
        item_no=row.item_no, archive_code=row.archive_code, fonds=row.fonds, org_code=row.org_code, pages=row.pages,
        remark=row.remark, archived_at=row.archived_at, archived_by_name=row.archived_by_name,
    )


def circulation_info(c: Any) -> CirculationInfo:
    """A 传阅 copy from a row of app.services.documents.work_items.CIRCULATION_COLUMNS."""
    return CirculationInfo(
        c.id, c.reader_id, c.reader_name, c.sent_by_name, c.sent_at, c.read_at, c.remark, bool(c.recalled),
        c.recalled_at,
    )


@acting
def get_document(uow: UnitOfWork, actor: Actor, document_id: int) -> DocumentDetail:
    """Everything the document window shows, with the same visibility as load(), in two statements
    (app.services.documents.detail)."""
    from app.services.documents.detail import read_document_detail

    return read_document_detail(uow, actor, document_id)


# ----- the list ------------------------------------------------------------------------------------------

# Built once: an alias made per call costs more Python time than the whole page query on SQLite.
_RESPONSIBLE_UNIT = aliased(Unit, name="responsible_unit")

SORT_KEYS = ("date", "due_date", "number", "title", "state", "id")
DATE_INDEXES = ("ix_documents_date", "ix_documents_direction_date", "ix_documents_type_date")
PSEUDO_STATES = {"open": "办理中", "closed": "已办结"}


def _scope_clause(unit_id: int | None) -> ColumnElement[bool]:
    """Documents linked to a unit: drafted or led (主办) by it, assisted (协办), co-signed or sent to it."""
    if unit_id is None:
        return false()
    return or_(
        Document.drafting_unit_id == unit_id,
        Document.handling_unit_id == unit_id,
        Document.id.in_(select(DocumentCoHandler.document_id).where(DocumentCoHandler.unit_id == unit_id)),
        Document.workflow_instance_id.in_(work_items.instances_of_unit(unit_id)),
    )


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    """can_see as SQL on the flow's instances, for the workflow's own reads (app.services.workflow.visibility)."""
    if not unit_scoped(actor):
        return None
    return WorkflowInstance.entity_id.in_(select(Document.id).where(_scope_clause(actor.unit_id)))


visibility.register(ENTITY, _visible_instances)


def _search_clause(text: str) -> ColumnElement[bool]:
    """Documents whose title, 发文字号, 收文编号, 来文单位 or 来文字号 holds the text, or any opinion in their
    history (one pass over the history, not a lookup per document)."""
    pattern = f"%{escape_like(text)}%"
    opinions = select(WorkflowHistory.instance_id).where(WorkflowHistory.opinion.like(pattern, escape="\\"))
    return or_(
        Document.title.like(pattern, escape="\\"),
        Document.doc_number.like(pattern, escape="\\"),
        Document.receipt_number.like(pattern, escape="\\"),
        Document.source_unit.like(pattern, escape="\\"),
        Document.source_number.like(pattern, escape="\\"),
        Document.workflow_instance_id.in_(opinions),
    )


@acting
def list_documents(
    uow: UnitOfWork,
    actor: Actor,
    *,
    direction: str | None = None,
    state: str | None = None,
    doc_type: str | None = None,
    unit_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    overdue_on: date | None = None,
    search: str | None = None,
    circulating: bool | None = None,
    offset: int = 0,
    limit: int = 50,
    order_by: str = "date",
    descending: bool | None = None,
    today: date | None = None,
) -> Page[DocumentRow]:
    """A page of documents and the total, in one count and one page query.

    state is a step key of the direction's flow, or 'open' / 'closed'. unit_id matches the drafting
    unit of a 发文 and the 主办 unit of a 收文. overdue_on keeps open documents whose current step was
    due before that day. search is a substring of the title, 文号, 收文编号, 来文单位, 来文字号 or any
    opinion in the document's history. The date range is on doc_date (成文日期 / 收文日期).
    """
    check_page(offset, limit)
    if order_by not in SORT_KEYS:
        raise ValidationError(f"不能按“{order_by}”排序", field="order_by")
    if direction is not None and direction not in DIRECTIONS:
        raise ValidationError("收发方向只能是发文或收文", field="direction")
    doc_conditions: list[ColumnElement[bool]] = []
    instance_conditions: list[ColumnElement[bool]] = []
    if direction:
        doc_conditions.append(Document.direction == direction)
    if doc_type:
        doc_conditions.append(Document.doc_type == doc_type)
    if unit_id is not None:
        doc_conditions.append(or_(Document.drafting_unit_id == unit_id, Document.handling_unit_id == unit_id))
    doc_conditions += date_range(Document.doc_date, date_from, date_to)
    text = search_text(search)
    if text:
        doc_conditions.append(_search_clause(text))
    # A search reads every title and every opinion, which is nearly all of its time, and must sort all
    # its matches for the page anyway: on SQLite and MariaDB the total is counted in the page's own
    # statement (a window count) instead of by a second scan. PostgreSQL scans each of two statements in
    # parallel and is quicker so. Other lists count on their own: a window count would make their page
    # read every matching row instead of the first fifty by an index.
    total_with_page = bool(text) and uow.dialect_name != "postgresql"
    # 传阅中: some reader holds the document now. As a filter, the (small) set of held documents; as
    # the row's flag, asked only for the rows of the page.
    held = work_items.held_instances()
    if circulating is not None:
        doc_conditions.append(
            Document.workflow_instance_id.in_(held) if circulating else Document.workflow_instance_id.not_in(held)
        )
    holding = exists().where(work_items.holding(Document.__table__.c.workflow_instance_id))
    if state == "open":
        instance_conditions.append(WorkflowInstance.closed == false())
    elif state == "closed":
        instance_conditions.append(WorkflowInstance.closed == true())
    elif state:
        keys = [FLOW_KEYS[direction]] if direction else list(FLOW_KEYS.values())
        with_step = [DEFAULT_FLOWS[k] for k in keys if DEFAULT_FLOWS[k].has_step(state)]
        if not with_step:
            raise ValidationError(f"没有“{state}”这个办理环节", field="state")
        instance_conditions += [
            WorkflowInstance.state == state,
            # Implied by the step, and said so that (closed, flow_key, state) can be read from its index:
            # otherwise the total walks every document of the direction to test its state.
            WorkflowInstance.flow_key.in_([flow.key for flow in with_step]),
            WorkflowInstance.closed == (true() if all(flow.step(state).final for flow in with_step) else false()),
        ]
    if overdue_on is not None:
        instance_conditions += [WorkflowInstance.closed == false(), WorkflowInstance.due_date < overdue_on]
    if unit_scoped(actor):
        doc_conditions.append(_scope_clause(actor.unit_id))

    joined = Document.workflow_instance_id == WorkflowInstance.id
    count_query = select(func.count()).select_from(Document)
    if instance_conditions:
        count_query = count_query.join(WorkflowInstance, joined)
    count_query = count_query.where(*doc_conditions, *instance_conditions)
    total = 0 if total_with_page else int(uow.session.execute(count_query).scalar_one())

    newest_first = order_by in ("date", "id") if descending is None else descending
    sorts: dict[str, list[Any]] = {
        "date": [Document.doc_date, Document.id],
        # Ties broken by the instance id, which rises with the document's: the (closed, due_date) index
        # then gives the order without a sort.
        "due_date": [WorkflowInstance.due_date, WorkflowInstance.id],
        "number": [Document.doc_year, Document.doc_seq, Document.receipt_year, Document.receipt_seq, Document.id],
        "title": [Document.title, Document.id],
        "state": [WorkflowInstance.state, WorkflowInstance.id],
        "id": [Document.id],
    }
    sort_columns = sorts[order_by]
    ordering = sort_order(sort_columns, newest_first)
    responsible = _RESPONSIBLE_UNIT
    page = (
        select(
            Document.id, Document.direction, Document.title, Document.doc_type, Document.urgency,
            Document.important, Document.disclosure, Document.doc_date, Document.doc_number,
            Document.receipt_number, Document.source_unit, Document.source_number, responsible.name,
            WorkflowInstance.id, WorkflowInstance.flow_key, WorkflowInstance.flow_version, WorkflowInstance.state,
            WorkflowInstance.closed, WorkflowInstance.due_date, WorkflowInstance.due_provisional,
            # With a window count every matching row is built, not just the page's: the flag is then
            # asked afterwards, for the page's rows alone.
            false() if total_with_page else holding,
        )
        .select_from(Document)
        .join(WorkflowInstance, joined)
        .outerjoin(responsible, responsible.id == WorkflowInstance.unit_id)
        .where(*doc_conditions, *instance_conditions)
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
    )
    if text:
        # MariaDB would walk a date index row by row to fill the page, reading every row when the text
        # is rare; scanning once and sorting the matches is cheaper whatever the text.
        page = page.with_hint(Document, f"IGNORE INDEX ({', '.join(DATE_INDEXES)})", dialect_name="mysql")
    if total_with_page:
        page = page.add_columns(func.count().over().label("total"))
    rows = uow.session.execute(page).all()
    held_on_page: set[int] = set()
    if total_with_page:
        # A page past the end has no row to carry the total.
        total = int(rows[0].total) if rows else int(uow.session.execute(count_query).scalar_one()) if offset else 0
        if rows:
            held_on_page = set(uow.execute(work_items.held_among([row[13] for row in rows])).scalars())
    today = today or date.today()
    flows: dict[tuple[str, int], Flow] = {}
    result: list[DocumentRow] = []
    for (
        doc_id, doc_direction, title, kind, urgency, important, disclosure, doc_date, doc_number, receipt_number,
        source_unit, source_number, responsible_name, instance_id, flow_key, version, step, closed, due,
        provisional, is_circulating, *_total,
    ) in rows:
        key = (flow_key, version)
        if key not in flows:
            flows[key] = flow_version(uow, flow_key, version)
        result.append(
            DocumentRow(
                id=doc_id, direction=doc_direction, title=title, doc_type=kind, urgency=urgency,
                important=bool(important), disclosure=disclosure, doc_date=doc_date, doc_number=doc_number,
                receipt_number=receipt_number, source_unit=source_unit, source_number=source_number,
                unit_name=responsible_name or "", instance_id=instance_id, state=step,
                state_label=flows[key].step(step).label if flows[key].has_step(step) else step,
                closed=bool(closed), due_date=due, due_provisional=bool(provisional),
                overdue=not closed and due is not None and due < today,
                circulating=bool(is_circulating) or instance_id in held_on_page,
            )
        )
    return Page(result, total, offset)


# ----- files ---------------------------------------------------------------------------------------------


def _require_file_rights(
    uow: UnitOfWork, actor: Actor, doc: Document, instance: WorkflowInstance, purpose: str
) -> None:
    if instance.closed:
        raise WorkflowError(f"“{doc.title}”已办结，不能再更改其文件")
    if purpose == TYPESET_PURPOSE:
        if instance.state not in TYPESET_STATES or not actor.has(*OFFICE_ROLES):
            raise PermissionDenied("正式公文只能由办公室文秘人员和主任、副主任在印制至归档环节生成或更换")
        return
    if signed_files_frozen(doc.direction, doc.signed_at is not None, instance.state, purpose):
        raise WorkflowError(SIGNED_FILES_MESSAGE, field="files")
    if actor.has(*OFFICE_ROLES):
        return
    if actor.id is not None and instance.owner_id == actor.id:
        return
    if actor.has(Role.LIAISON) and actor.unit_id is not None and actor.unit_id == instance.unit_id:
        return
    raise PermissionDenied("只有拟稿人、承办单位联络员和办公室人员可以添加或删除公文的文件")


def _guard_files(uow: UnitOfWork, actor: Actor, document_id: int, purpose: str) -> None:
    if purpose not in FILE_PURPOSES:
        raise ValidationError(f"文件用途只能是：{'、'.join(FILE_PURPOSES.values())}", field="purpose")
    doc, instance = load(uow, actor, document_id)
    _require_file_rights(uow, actor, doc, instance, purpose)


attachments.guard_owner(ENTITY, _guard_files)


@acting
def add_file(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    filename: str,
    data: bytes,
    purpose: str = "attachment",
    mime_type: str | None = None,
) -> attachments.AttachmentInfo:
    """Adds the body (正文, replacing an earlier one), an attachment (附件) or a scan (扫描件)."""
    doc, _ = load(uow, actor, document_id)
    # The guard registered below checks the purpose and the rights, before anything changes.
    return FILES.add(uow, actor, doc, filename=filename, data=data, purpose=purpose, mime_type=mime_type)


@acting
def remove_file(uow: UnitOfWork, actor: Actor, document_id: int, attachment_id: int) -> None:
    doc, _ = load(uow, actor, document_id)
    FILES.remove(uow, actor, doc, attachment_id)


@acting
def list_files(uow: UnitOfWork, actor: Actor, document_id: int) -> list[attachments.AttachmentInfo]:
    doc, _ = load(uow, actor, document_id)
    return attachments.list_attachments(uow, ENTITY, doc.id)


@acting
def file_data(uow: UnitOfWork, actor: Actor, attachment_id: int) -> tuple[attachments.AttachmentInfo, bytes]:
    """A file's content, for opening in the system viewer or exporting; only for those who may see the document.
    The download is audited, so this commits."""
    return FILES.download(uow, actor, attachment_id, lambda doc_id: load(uow, actor, doc_id))


# ----- errors (差错) and 催办 -----------------------------------------------------------------------------


@acting
def add_errors(
    uow: UnitOfWork,
    actor: Actor,
    doc: Document,
    errors: Iterable[ErrorInput],
    history: WorkflowHistory | None = None,
) -> list[DocumentError]:
    """Records errors against the document; does not commit."""
    rows: list[DocumentError] = []
    for error in errors:
        kind = check_error_kind(error.kind)
        note = error.note.strip()
        if len(note) > 1000:
            raise ValidationError("差错说明不能超过1000个字", field="error_note")
        if error.person_id is not None:
            person: User | None = check_user(uow, error.person_id, "error_person")
        elif doc.direction == OUTGOING and doc.drafter_id is not None:
            person = uow.session.get(User, doc.drafter_id)
        else:
            person = None
        unit: Unit | None
        if error.unit_id is not None:
            unit = check_unit(uow, error.unit_id, "error_unit")
        elif doc.direction == OUTGOING:
            unit = uow.session.get(Unit, doc.drafting_unit_id) if doc.drafting_unit_id else None
        else:
            unit = uow.session.execute(select(Unit).where(Unit.name == doc.source_unit)).scalar_one_or_none()
        row = DocumentError(
            document_id=doc.id, kind=kind, note=note, person_id=person.id if person else None,
            person_name=person.full_name if person else (doc.drafter_name if doc.direction == OUTGOING else ""),
            unit_id=unit.id if unit else None,
            unit_name=unit.name if unit else (doc.source_unit if doc.direction == INCOMING else ""),
            recorded_by_id=actor.id, recorded_by_name=actor.full_name,
            history_id=history.id if history is not None else None, at=utcnow(),
        )
        uow.session.add(row)
        rows.append(row)
    if rows:
        uow.flush()
        for row in rows:
            uow.record(
                actor.id, actor.username, "create", "document_error", row.id,
                {"document": doc.id, "kind": row.kind, "note": row.note, "person": row.person_name,
                 "unit": row.unit_name},
                change_op="create",
            )
        touch(doc)
    return rows


@acting
def record_error(uow: UnitOfWork, actor: Actor, document_id: int, error: ErrorInput) -> ErrorInfo:
    """Records an error found in a document without returning it (e.g. a typo the signing leader corrected)."""
    require_any(actor, ERROR_RECORDERS, "登记公文差错")
    doc, _ = load(uow, actor, document_id)
    row = add_errors(uow, actor, doc, [error])[0]
    info = ErrorInfo(row.id, row.kind, row.note, row.person_name, row.unit_name, row.recorded_by_name, row.at)
    uow.commit()
    return info


@acting
def hasten(
    uow: UnitOfWork, actor: Actor, document_id: int, method: str, note: str = "", today: date | None = None
) -> urges.UrgeInfo:
    """催办 an overdue or urgent document; recorded by app.services.workflow.urges, printable as a 催办单."""
    _, instance = load(uow, actor, document_id)
    return urges.urge(uow, actor, instance.id, method, note, today)


def sync_co_handlers(uow: UnitOfWork, doc: Document, units: Sequence[Unit]) -> None:
    """Makes the document's 协办 units exactly these: a unit no longer named loses its row."""
    model = DocumentCoHandler
    existing = {
        row.unit_id: row for row in uow.session.execute(select(model).where(model.document_id == doc.id)).scalars()
    }
    wanted = {u.id for u in units}
    for unit_id, row in existing.items():
        if unit_id not in wanted:
            uow.session.delete(row)
    for unit in units:
        if unit.id not in existing:
            uow.session.add(model(document_id=doc.id, unit_id=unit.id))


def receipt_units(uow: UnitOfWork, unit_ids: Iterable[int], field_name: str) -> list[Unit]:
    """Distinct, existing, active units in the order given."""
    seen: set[int] = set()
    units: list[Unit] = []
    for unit_id in unit_ids:
        if unit_id in seen:
            continue
        seen.add(unit_id)
        units.append(check_unit(uow, unit_id, field_name))
    return units


__all__ = [
    "ArchiveInfo",
    "CirculationInfo",
    "CosignInfo",
    "DistributionInfo",
    "DocumentDetail",
    "DocumentInfo",
    "DocumentRow",
    "ErrorInfo",
    "ErrorInput",
    "ReplyInfo",
    "add_file",
    "file_data",
    "get_document",
    "hasten",
    "list_documents",
    "list_files",
    "record_error",
    "remove_file",
]
# The document's facts for the reads that have only its flow instance (whom a move may be sent to).
workflow.register_facts(
    ENTITY, lambda uow, document_id: facts(uow, uow.found(Document, document_id, "找不到这份公文")),
    lambda uow, document_id: touch(uow.found(Document, document_id, "找不到这份公文")),
)
