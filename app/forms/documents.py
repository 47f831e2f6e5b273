"""The loaders of 公文's forms: 发文稿纸 and 收文处理笺 for one document, and for a period the 收文登记簿, the
归档章 and 归档文件目录 and the quarterly 通报. Each imports its form's module and services when it runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from app.bootstrap import AppContext
from app.core.documents import OUTGOING
from app.core.errors import ValidationError
from app.forms.context import PrintPeriod, Source, actor_of, record_print, required
from app.services.kernel.actor import Actor
from app.services.kernel.settings import get_setting

if TYPE_CHECKING:
    from app.printing.documents.archive_forms import ArchiveCatalogueData, ArchiveStampSheet
    from app.printing.documents.incoming_slip import IncomingSlipData
    from app.printing.documents.notice import DocumentNoticeData
    from app.printing.documents.official.data import OfficialAttachment, OfficialDocumentData
    from app.printing.documents.outgoing_draft import OutgoingDraftData
    from app.printing.documents.receipt_register import ReceiptRegisterData
    from app.printing.kit.table_form import OpinionEntry
    from app.services.documents.official import OfficialSource
    from app.services.kernel.uow import UnitOfWork
    from app.services.workflow import detail as workflow_detail

# The data a report reads, and what its reader takes besides the unit of work and the actor.
_Sheet = TypeVar("_Sheet")
_Args = ParamSpec("_Args")


def _opinion(entries: list[workflow_detail.HistoryEntry], actions: set[str]) -> OpinionEntry:
    """The latest opinion given with one of these actions, with its name and date (the form prints both)."""
    from app.printing.kit.table_form import OpinionEntry

    for entry in reversed(entries):
        if entry.action in actions:
            return OpinionEntry(entry.opinion, entry.actor_name, entry.at.astimezone().date())
    return OpinionEntry()


def _recheck(entries: list[workflow_detail.HistoryEntry]) -> OpinionEntry:
    """复核's latest word: its check, or the reason it sent the draft back to the signer for 复审."""
    from app.printing.kit.table_form import OpinionEntry

    for entry in reversed(entries):
        if entry.action in ("recheck", "return_to_signer"):
            # A return from 编号 or 印制 (退回签发人) is said as such: it was not 复核's word.
            said = "退回复审" if entry.from_state == "recheck" else entry.action_label
            text = entry.opinion if entry.action == "recheck" else f"{said}：{entry.opinion}"
            return OpinionEntry(text, entry.actor_name, entry.at.astimezone().date())
    return OpinionEntry()


def load_outgoing_draft(ctx: Source, document_id: int) -> OutgoingDraftData:
    from app.printing.documents.outgoing_draft import CosignOpinion, OutgoingDraftData, TrailEntry
    from app.services.documents.printed import printed_document

    with ctx.uow() as uow:
        doc = printed_document(uow, actor_of(ctx), document_id)
        office = str(get_setting(uow, "office_name"))
        if doc.direction != OUTGOING:
            raise ValidationError("这是一件收文，请打印收文处理笺")
        record_print(uow, ctx, "outgoing-draft", "document", doc.id)
    history = doc.history
    return OutgoingDraftData(
        office_name=office,
        title=doc.title,
        doc_type=doc.doc_type,
        drafting_unit=doc.drafting_unit_name,
        drafter=doc.drafter_name,
        # doc_date becomes the 成文日期 at 签发; the 稿纸's 拟稿日期 is the day the draft was made.
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
            for c in doc.cosigners
        ),
        copies=doc.copies,
        proofreader=doc.proofreader,
        attachments=doc.attachment_names,
        trail=tuple(
            TrailEntry(h.at, h.from_label or h.to_label, h.actor_name, h.action_label, h.opinion) for h in history
        ),
    )


def load_incoming_slip(ctx: Source, document_id: int) -> IncomingSlipData:
    from app.printing.documents.incoming_slip import CirculationRecord, IncomingSlipData, ReplyRecord
    from app.printing.kit.table_form import OpinionEntry
    from app.services.documents.printed import printed_document

    with ctx.uow() as uow:
        doc = printed_document(uow, actor_of(ctx), document_id)
        office = str(get_setting(uow, "office_name"))
        if doc.direction == OUTGOING:
            raise ValidationError("这是一件发文，请打印发文稿纸")
        record_print(uow, ctx, "incoming-slip", "document", doc.id)
    history = doc.history
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
        assisting_units=doc.co_unit_names,
        due_date=doc.handling_deadline,
        due_provisional=doc.handling_provisional,
        result=doc.result,
        replies=tuple(
            ReplyRecord(r.replied_at, r.replied_by_name, r.method, r.recipient, r.content) for r in doc.replies
        ),
        circulation=tuple(CirculationRecord(c.reader_name, c.sent_at, c.read_at, c.remark) for c in doc.readings),
    )


# ----- reports: printed for a period or a year, not for one record ------------------------------------------


# Each report is read by a function on a unit of work: the print's loader reads and records the print in one
# unit of work; catalogue_data and the others read only (the Excel export and the tests use them).


def load_receipt_register(ctx: Source, period: PrintPeriod) -> ReceiptRegisterData:
    date_from = required(period.date_from, "收文登记簿", "起始日期（--from）")
    date_to = required(period.date_to, "收文登记簿", "截止日期（--to）")
    with ctx.uow() as uow:
        data = _register(uow, actor_of(ctx), date_from, date_to)
        record_print(uow, ctx, "receipt-register", "document", None, date_from=date_from.isoformat(),
                      date_to=date_to.isoformat(), count=len(data.rows))
    return data


def load_archive_catalogue(ctx: Source, period: PrintPeriod) -> ArchiveCatalogueData:
    return _load_archive_form(ctx, period, "archive-catalogue", "归档文件目录", _catalogue, lambda d: len(d.entries))


def load_archive_stamps(ctx: Source, period: PrintPeriod) -> ArchiveStampSheet:
    return _load_archive_form(ctx, period, "archive-stamps", "归档章", _stamps, lambda d: len(d.stamps))


def _load_archive_form(
    ctx: Source,
    period: PrintPeriod,
    form: str,
    title: str,
    read: Callable[[UnitOfWork, Actor, int, str], _Sheet],
    count: Callable[[_Sheet], int],
) -> _Sheet:
    """A form printed for one 年度 and 保管期限 (the 归档文件目录, the 归档章): read as the user who prints, and
    logged with the period and how many documents it lists."""
    from app.core.archives import retention_code

    year = required(period.year, title, "年度（--year）")
    retention = required(period.retention, title, "保管期限（--retention）")
    with ctx.uow() as uow:
        data = read(uow, actor_of(ctx), year, retention)
        record_print(uow, ctx, form, "document", None, year=year, retention=retention_code(retention),
                      count=count(data))
    return data


def load_document_notice(ctx: Source, period: PrintPeriod) -> DocumentNoticeData:
    year = required(period.year, "公文运转及差错情况通报", "年度（--year）")
    quarter = required(period.quarter, "公文运转及差错情况通报", "季度（--quarter）")
    with ctx.uow() as uow:
        data = _notice(uow, actor_of(ctx), year, quarter, None)
        record_print(uow, ctx, "document-notice", "document", None, year=year, quarter=quarter)
    return data


def _catalogue(uow: UnitOfWork, actor: Actor, year: int, retention: str) -> ArchiveCatalogueData:
    from app.printing.documents.archive_forms import ArchiveCatalogueData, CatalogueEntry
    from app.services.documents import archives

    rows = archives.archive_catalogue(uow, actor, year=year, retention=retention)
    fonds = str(get_setting(uow, "fonds_number"))
    org = str(get_setting(uow, "org_code")) or None
    # The office keeps the archive: its fonds is named after it.
    fonds_name = str(get_setting(uow, "office_name"))
    return ArchiveCatalogueData(
        fonds=fonds, year=year, retention=retention, org_code=org, fonds_name=fonds_name,
        entries=tuple(
            CatalogueEntry(
                item=r.item_no, responsible=r.responsible, title=r.title,
                doc_date=datetime.strptime(r.date, "%Y%m%d").date(), doc_number=r.doc_number or None,
                pages=r.pages, remark=r.remark, secrecy=r.secrecy, archived_by=r.archived_by,
                archived_on=r.archived_on,
            )
            for r in rows
        ),
    )


def _stamps(uow: UnitOfWork, actor: Actor, year: int, retention: str) -> ArchiveStampSheet:
    from app.printing.documents.archive_forms import ArchiveStamp, ArchiveStampSheet
    from app.services.documents import archives

    rows = archives.archive_catalogue(uow, actor, year=year, retention=retention)
    stamps = [archives.archive_stamp(uow, actor, r.document_id) for r in rows]
    office = str(get_setting(uow, "office_name"))
    return ArchiveStampSheet(
        stamps=tuple(
            ArchiveStamp(fonds=s.fonds, year=s.year, retention=s.retention, item=int(s.item_no), pages=s.pages,
                         org=s.org_code, caption=r.doc_number or r.title[:20])
            for s, r in zip(stamps, rows, strict=True)
        ),
        office_name=office,
    )


def _register(uow: UnitOfWork, actor: Actor, date_from: date, date_to: date) -> ReceiptRegisterData:
    from app.printing.documents.receipt_register import ReceiptRegisterData
    from app.printing.documents.receipt_register import RegisterRow as RegisterEntry
    from app.services.documents import reports as document_reports

    rows = document_reports.incoming_register(uow, actor, date_from=date_from, date_to=date_to)
    office = str(get_setting(uow, "office_name"))
    return ReceiptRegisterData(
        office_name=office, period_start=date_from, period_end=date_to,
        rows=tuple(
            RegisterEntry(
                receipt_number=r.receipt_number, received_on=r.received_on, source_unit=r.source_unit,
                source_number=r.source_number, title=r.title, copies=r.copies, urgency=r.urgency,
                handling_unit="、".join(u for u in (r.handling_unit, r.co_units) if u), due_date=r.deadline,
                due_provisional=r.deadline_provisional, completed_on=r.concluded_on, remark=r.remark,
            )
            for r in rows
        ),
    )


def _notice(
    uow: UnitOfWork, actor: Actor, year: int, quarter: int, today: date | None = None
) -> DocumentNoticeData:
    from app.printing.documents.notice import (
        AccountabilityLine,
        DocumentNoticeData,
        LateStepItem,
        NoticeUnitRow,
        OverdueItem,
    )
    from app.services.documents import reports as document_reports
    from app.services.workflow.accountability import READERS, accountability_records

    notice = document_reports.quarterly_notice(uow, actor, year, quarter, today=today)
    # Who reads the 公文 notice but not the 责任追究 records gets the notice without them.
    records = accountability_records(uow, actor, notice.period_start, notice.period_end) if (
        actor.id is None or actor.has(*READERS)) else []
    rows = tuple(
        NoticeUnitRow(
            unit=u.unit_name, documents=u.handled, avg_step_days=u.average_workdays, returns=u.returns,
            format_errors=u.errors.get("格式", 0), wording_errors=u.errors.get("文字", 0),
            type_errors=u.errors.get("文种", 0), procedure_errors=u.errors.get("程序", 0),
            overdue=u.overdue_documents, late_steps=u.late_steps,
        )
        for u in notice.units
    )
    return DocumentNoticeData(
        office_name=notice.office_name, year=year, quarter=quarter, issued_on=today or date.today(), rows=rows,
        overdue_items=tuple(
            OverdueItem(
                unit=o.unit_name, title=o.title, doc_number=o.number or None,
                steps=tuple(
                    LateStepItem(s.step_label, s.due_date, s.overdue_workdays, s.completed_on) for s in o.steps
                ),
            )
            for o in notice.overdue
        ),
        overall_avg_step_days=notice.totals.average_workdays, cutoff=notice.cutoff,
        accountability=tuple(
            AccountabilityLine(r.person_name, r.unit_name, r.title, r.reason) for r in records
            if r.entity_type != "document"
        ),
    )


def _reading(
    read: Callable[Concatenate[UnitOfWork, Actor, _Args], _Sheet],
) -> Callable[Concatenate[AppContext, Actor, _Args], _Sheet]:
    """A report's reader on a unit of work of its own, for the Excel export, the reports window and the tests."""

    def run(ctx: AppContext, actor: Actor, *args: _Args.args, **kwargs: _Args.kwargs) -> _Sheet:
        with ctx.uow() as uow:
            return read(uow, actor, *args, **kwargs)

    return run


catalogue_data = _reading(_catalogue)
stamps_data = _reading(_stamps)
register_data = _reading(_register)
notice_data = _reading(_notice)


def load_official_document(ctx: Source, document_id: int) -> OfficialDocumentData:
    """The 正式公文 of an outgoing document from 印制 on, typeset from its signed 正文 and 附件 files as the office's
    settings and the document's fields say (the window's 生成正式公文 lets the clerk change them first)."""
    return official_data(load_official_source(ctx, document_id))


def load_official_source(ctx: Source, document_id: int) -> OfficialSource:
    """The document and its files as the typesetter reads them, for this user; the print is audited."""
    from app.services.documents.official import official_source

    with ctx.uow() as uow:
        source = official_source(uow, actor_of(ctx), document_id)
        record_print(uow, ctx, "official-document", "document", source.document_id)
    return source


def official_data(source: OfficialSource, typed_body: str | None = None) -> OfficialDocumentData:
    """The typesetter's data with the document's defaults; ``typed_body``, when given, is the 正文 typed in the
    program in place of the 正文 file (a draft kept on paper, or a body file that cannot be read)."""
    from app.core.document_body import body_from_text, strip_heading
    from app.core.official_document import (
        disclosure_note,
        issuer_mark,
        layout_of,
        minutes_mark,
        minutes_number,
    )
    from app.printing.documents.official.data import OfficialDocumentData
    from app.services.documents.body_reader import read_body

    if typed_body is not None:
        body = body_from_text(typed_body)
        if not body.blocks:
            raise ValidationError("请输入正文", field="body")
    elif source.body is None:
        raise ValidationError(f"“{source.title}”没有正文文件，请先添加正文（.docx），或在下面输入正文", field="body")
    else:
        body = read_body(source.body.filename, source.body.data)
    body = strip_heading(body, source.title, source.main_recipients)
    layout = layout_of(source.doc_type)
    minutes = layout == "minutes"
    return OfficialDocumentData(
        layout=layout,
        doc_type=source.doc_type,
        issuer_mark=minutes_mark(source.title, source.organ) if minutes
        else issuer_mark(source.organ, source.doc_type, source.prefix),
        doc_number=minutes_number(source.doc_seq) if minutes else source.doc_number,
        title=source.title,
        main_recipients="" if minutes else source.main_recipients,
        body=body,
        issuer_names=(source.organ,),
        signed_on=source.signed_on,
        printer=source.office_name,
        printed_on=source.printed_on,
        attachments=tuple(official_attachment(file.filename, file.data) for file in source.attachments),
        signers=(source.signer_name,) if layout == "up" and source.signer_name else (),
        sealed=not minutes,
        note=disclosure_note(source.disclosure),
        copy_to=source.copy_recipients,
        urgency=source.urgency,
    )


def official_attachment(filename: str, data: bytes) -> OfficialAttachment:
    """An 附件 named by its file (附件1：, 附件一、 and the extension taken off); typeset when it is a .docx that
    reads, else named in the 附件说明 only (official_warnings says so)."""
    from app.core.errors import GovDeskError
    from app.printing.documents.official.data import OfficialAttachment
    from app.services.documents.body_reader import read_body

    name = attachment_title(filename)
    if not filename.lower().endswith(".docx"):
        return OfficialAttachment(name)
    try:
        return OfficialAttachment(name, read_body(filename, data))
    except GovDeskError:
        return OfficialAttachment(name)


def attachment_title(filename: str) -> str:
    import re

    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return re.sub(r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:、.．\-—_ ]*", "", stem).strip() or stem


def official_warnings(data: OfficialDocumentData) -> list[str]:
    """What the typeset document will not hold, for the clerk to see before printing."""
    said = [f"正文：{line}" for line in data.body.dropped]
    for index, attachment in enumerate(data.attachments, start=1):
        if attachment.body is None:
            said.append(f"附件{index}“{attachment.name}”不是可排版的Word文档（.docx），只在附件说明中列出，请另行打印")
        else:
            said += [f"附件{index}：{line}" for line in attachment.body.dropped]
    return said


def archive_files(ctx: Source, document_id: int) -> list[tuple[str, bytes]]:
    """The 件's files in the order DA/T 22 files them (app.services.documents.archives.archive_parts), numbered
    01-正本-…, 02-发文稿纸.pdf …: each stored file as kept (its reading audited), each form printed now."""
    from app.core.file_names import clean_name
    from app.forms import build_registry
    from app.services.documents import archives
    from app.services.documents import records as documents

    actor = actor_of(ctx)
    with ctx.uow() as uow:
        parts = archives.archive_parts(uow, actor, document_id)
    registry = build_registry()
    files: list[tuple[str, bytes]] = []
    for number, part in enumerate(parts, start=1):
        if part.attachment_id is None:
            data = registry.load_and_render(part.form, ctx, document_id)
        else:
            attachment_id = part.attachment_id
            with ctx.uow() as uow:
                _, data = documents.file_data(uow, actor, attachment_id)
        name = part.filename if part.role == part.filename.removesuffix(".pdf") else f"{part.role}-{part.filename}"
        files.append((clean_name(f"{number:02d}-{name}"), data))
    return files
