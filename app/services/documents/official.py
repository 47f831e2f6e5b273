"""正式公文: what the typesetter needs of an outgoing document from 印制 on, and keeping the typeset result with it.

The document's fields, its signed 正文 and 附件 files and the office's settings are read here; the forms loader
(app.forms.documents.load_official_document) reads the files' text (app.services.documents.body_reader) and
hands the typesetter its plain data. The typeset PDF is kept as the document's 正式公文 file (one, replaced when
typeset again), which the 归档 part list puts first, as the 正本 (DA/T 22-2015 §6.1.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.documents import OUTGOING
from app.core.errors import ValidationError
from app.core.numbering import issuing_organ
from app.core.official_document import TYPESET_STATES
from app.core.roles import Role
from app.models import Document, WorkflowInstance
from app.services.documents import records
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import SYSTEM_ACTOR, Actor, require_role
from app.services.kernel.clock import local_date, office_today
from app.services.kernel.settings import get_setting
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import detail as workflow_detail

TYPESET_PURPOSE = records.TYPESET_PURPOSE
# Who typesets: the office's clerks do 印制; its leaders may do it for them.
TYPESETTERS: tuple[Role, ...] = (Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
MAX_TYPESET_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    filename: str
    data: bytes


@dataclass(frozen=True)
class OfficialSource:
    """An outgoing document as the typesetter reads it, with its 正文 and 附件 files' content."""

    document_id: int
    doc_type: str
    prefix: str
    doc_number: str
    doc_seq: int | None
    title: str
    main_recipients: str
    copy_recipients: str
    urgency: str
    disclosure: str
    signer_name: str
    signed_on: date
    printed_on: date  # the day of 印制: today while it is being printed
    copies: int | None
    organ: str  # the issuing organ by the 机关代字 (app.core.numbering.issuing_organ)
    office_name: str  # the 印发机关
    body: SourceFile | None
    attachments: tuple[SourceFile, ...]
    typeset_id: int | None  # the 正式公文 kept with it, if typeset before


def _printed_on(uow: UnitOfWork, instance_id: int, today: date) -> date:
    """The day the document was printed (its 印制完成), or today while it is still at 印制."""
    for entry in reversed(workflow_detail.history(uow, instance_id)):
        if entry.action == "printed":
            return local_date(entry.at)
    return today


def _typesettable(uow: UnitOfWork, actor: Actor, document_id: int) -> tuple[Document, WorkflowInstance]:
    """The document, if this user may typeset it now: an outgoing one, signed and numbered, from 印制 on."""
    doc, instance = records.load(uow, actor, document_id)
    require_typesetter(actor)
    if doc.direction != OUTGOING:
        raise ValidationError("只有发文可以生成正式公文", field="direction")
    if instance.closed:
        raise ValidationError(f"“{doc.title}”已办结，不能再生成正式公文；已生成的正式公文在“正文和附件”中", field="state")
    if instance.state not in TYPESET_STATES:
        raise ValidationError(f"“{doc.title}”还没有到印制环节，编号后才能生成正式公文", field="state")
    if not doc.doc_number or doc.signed_at is None:
        raise ValidationError(f"“{doc.title}”还没有签发或编号，不能生成正式公文", field="doc_number")
    return doc, instance


@acting
def official_source(uow: UnitOfWork, actor: Actor, document_id: int, *, today: date | None = None) -> OfficialSource:
    """The document and its files for typesetting; refused before 印制, for a 收文, and to anyone outside the
    office (the 正式公文 is the office's product; others see it as a file once kept)."""
    doc, instance = _typesettable(uow, actor, document_id)
    assert doc.doc_number is not None and doc.signed_at is not None  # _typesettable refused them
    body: SourceFile | None = None
    attached: list[SourceFile] = []
    typeset_id: int | None = None
    for info in attachments.list_attachments(uow, records.ENTITY, doc.id):
        if info.purpose == TYPESET_PURPOSE:
            typeset_id = info.id
        elif info.purpose in ("body", "attachment"):
            _, data = attachments.attachment_data(uow, info.id)
            file = SourceFile(info.filename, data)
            if info.purpose == "body":
                body = file
            else:
                attached.append(file)
    office = str(get_setting(uow, "office_name") or "").strip()
    return OfficialSource(
        document_id=doc.id, doc_type=doc.doc_type, prefix=doc.prefix,
        doc_number=doc.doc_number, doc_seq=doc.doc_seq, title=doc.title, main_recipients=doc.main_recipients,
        copy_recipients=doc.copy_recipients, urgency=doc.urgency, disclosure=doc.disclosure,
        signer_name=doc.signer_name, signed_on=local_date(doc.signed_at),
        printed_on=_printed_on(uow, instance.id, today or office_today()), copies=doc.copies,
        organ=issuing_organ(doc.prefix, office, dict(get_setting(uow, "doc_issuers"))), office_name=office,
        body=body, attachments=tuple(attached),
        typeset_id=typeset_id,
    )


def require_typesetter(actor: Actor) -> None:
    """The office's clerks and leads; and `govdesk print` run without --as, which prints as the system: whoever can
    reach the database it runs on may read everything in it anyway."""
    if actor == SYSTEM_ACTOR:
        return
    require_role(actor, TYPESETTERS, "生成正式公文")


@acting
def keep_typeset(uow: UnitOfWork, actor: Actor, document_id: int, pdf: bytes) -> attachments.AttachmentInfo:
    """Keeps the typeset PDF with the document as its 正式公文, replacing one kept before. Commits."""
    doc, _ = _typesettable(uow, actor, document_id)
    if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_TYPESET_BYTES:
        raise ValidationError("正式公文应为不超过50 MB的PDF文件", field="typeset")
    return records.add_file(uow, actor, doc.id, filename=typeset_filename(doc.doc_number or "", "pdf"),
                            data=pdf, purpose=TYPESET_PURPOSE, mime_type="application/pdf")


def typeset_filename(doc_number: str, extension: str) -> str:
    """县政办发〔2026〕12号（正式公文）.pdf: the name it is kept and offered for saving under."""
    return f"{''.join(doc_number.split())}（正式公文）.{extension}"
