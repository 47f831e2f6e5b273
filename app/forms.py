"""The printable forms with their data sources: where the printing registry meets the services.

The CLI (`govdesk print`) and the GUI's print actions both use build_registry(), so a form prints the
same from either. Loaders turn a record id, or a period (PrintPeriod) for a register, a catalogue or a
notice, into the plain dataclass a form draws.

Every loader reads as the user who prints (PrintContext), so the services refuse what that user may not
see, and records the print in the audit log (action "print", the form's name) in the unit of work that
read it: a record's form one entry for the record, a register, catalogue or notice one entry for the
period it covers. The entry is written when the form is drawn for the print preview or the PDF file:
from then on its contents are in the user's hands, printed or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.documents import OUTGOING
from app.core.errors import ValidationError
from app.db.tables import workflow_instances
from app.printing.kit.registry import FormRegistry, default_registry
from app.services.kernel.actor import SYSTEM_ACTOR, Actor
from app.services.kernel.settings import get_setting

# Each loader imports its own form's module and services when it runs: `govdesk print` prints one form, and
# importing every form and every service cost it about half a second.
if TYPE_CHECKING:
    from app.printing.claims.form import ClaimFormData
    from app.printing.documents.archive_forms import ArchiveCatalogueData, ArchiveStampSheet
    from app.printing.documents.incoming_slip import IncomingSlipData
    from app.printing.documents.notice import DocumentNoticeData
    from app.printing.documents.outgoing_draft import OutgoingDraftData
    from app.printing.documents.receipt_register import ReceiptRegisterData
    from app.printing.kit.flowchart import FlowchartData
    from app.printing.kit.table_form import OpinionEntry
    from app.printing.kit.urge_slip import UrgeSlipData
    from app.services.kernel.uow import UnitOfWork
    from app.services.workflow import detail as workflow_detail


# PrintContext.via of a print asked for on the command line (the audit log reads it as 命令行).
VIA_COMMAND_LINE = "cli"


@dataclass(frozen=True)
class PrintContext:
    """The database and the user who prints. A loader given one loads the record as that user may see it, so
    the services refuse a record the user may not see (a window's print, a batch from a list, `govdesk print
    --as`). `govdesk print` without --as prints as the system (SYSTEM_ACTOR), who may read everything: so may
    whoever can reach the database it runs on. A bare AppContext also loads as the system (tests, screenshots).

    ``via`` and ``account`` go into the print's audit entry: "cli" and the computer's user@host for a print
    from the command line, so that the log tells a print from the command line from one in the program."""

    app: AppContext
    actor: Actor
    via: str = ""
    account: str = ""

    def uow(self) -> UnitOfWork:
        return self.app.uow()


Source = AppContext | PrintContext


@dataclass(frozen=True)
class PrintPeriod:
    """What a register, a catalogue or a notice covers; each form reads the fields it takes (its arguments)."""

    year: int | None = None
    quarter: int | None = None
    retention: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _actor(source: Source) -> Actor:
    return source.actor if isinstance(source, PrintContext) else SYSTEM_ACTOR


def _record_print(
    uow: UnitOfWork, source: Source, form: str, entity_type: str, entity_id: int | None, **detail: Any
) -> None:
    """The print in the audit log, committed with the reading that checked the user may see what it prints."""
    actor = _actor(source)
    title = default_registry().get(form).title
    facts: dict[str, Any] = {"form": form, "form_title": title, **{k: v for k, v in detail.items() if v is not None}}
    if isinstance(source, PrintContext):
        facts.update((key, value) for key, value in (("via", source.via), ("account", source.account)) if value)
    uow.record(actor.id, actor.username, "print", entity_type, entity_id, facts)
    uow.commit()


def _record_item_print(uow: UnitOfWork, source: Source, form: str, instance_id: int) -> None:
    """A print of a 工作台 item's form, filed under the record the item is (a document, a claim …)."""
    wi = workflow_instances.c
    row = uow.execute(select(wi.entity_type, wi.entity_id).where(wi.id == instance_id)).one()
    entity_id = row.entity_id if row.entity_id is not None else instance_id
    _record_print(uow, source, form, row.entity_type, entity_id, instance=instance_id)


def _required(value: Any, form: str, argument: str) -> Any:
    if value is None:
        raise ValidationError(f"打印{form}需要{argument}")
    return value


def load_urge_slip(ctx: Source, instance_id: int) -> UrgeSlipData:
    from app.printing.kit.urge_slip import PreviousUrge, UrgeSlipData
    from app.services.workflow import urges, visibility

    with ctx.uow() as uow:
        # The slip names the record and its urges: only for whoever may see the record (app.services.workflow.visibility).
        visibility.require_visible(uow, _actor(ctx), instance_id, "打印催办单")
        facts = urges.urge_slip_facts(uow, instance_id)
        _record_item_print(uow, ctx, "urge-slip", instance_id)
    latest = facts.latest
    return UrgeSlipData(
        office_name=facts.office_name,
        serial=facts.serial,
        item_title=facts.item_title,
        item_kind=facts.item_kind,
        current_step=facts.current_step,
        responsible_unit=facts.responsible_unit,
        responsible_person=facts.responsible_person,
        due_date=facts.due_date,
        due_provisional=facts.due_provisional,
        overdue_days=facts.overdue_days,
        urged_at=latest.at,
        urged_by=latest.by_name,
        method=latest.method,
        note=latest.note,
        previous_urges=tuple(PreviousUrge(u.at, u.by_name, u.method, u.note) for u in facts.previous),
        reply_deadline=facts.reply_due,
        reply_provisional=facts.reply_provisional,
    )


def load_flowchart(ctx: Source, instance_id: int) -> FlowchartData:
    from app.core.workflow.layout import FlowTrail
    from app.printing.kit.flowchart import FlowchartData
    from app.services.workflow import detail as workflow_detail

    with ctx.uow() as uow:
        detail = workflow_detail.instance_detail(uow, _actor(ctx), instance_id)
        office = str(get_setting(uow, "office_name"))
        _record_item_print(uow, ctx, "flowchart", instance_id)
    trail: FlowTrail = detail.trail
    return FlowchartData(
        flow=detail.flow, trail=trail, title=f"{detail.flow.label}：{detail.info.title}", office_name=office
    )


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
        doc = printed_document(uow, _actor(ctx), document_id)
        office = str(get_setting(uow, "office_name"))
        if doc.direction != OUTGOING:
            raise ValidationError("这是一件收文，请打印收文处理笺")
        _record_print(uow, ctx, "outgoing-draft", "document", doc.id)
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
        doc = printed_document(uow, _actor(ctx), document_id)
        office = str(get_setting(uow, "office_name"))
        if doc.direction == OUTGOING:
            raise ValidationError("这是一件发文，请打印发文稿纸")
        _record_print(uow, ctx, "incoming-slip", "document", doc.id)
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


def _claim_form(ctx: Source, claim_id: int, with_receipts: bool) -> ClaimFormData:
    from app.printing.claims.form import ClaimFormData, ClaimFormLine, Receipt, Signature
    from app.services.claims import printed as claim_print

    with ctx.uow() as uow:
        facts = claim_print.claim_print_facts(uow, _actor(ctx), claim_id, with_receipts=with_receipts)
        form = "claim-form-receipts" if with_receipts else "claim-form"
        _record_print(uow, ctx, form, "claim", facts.info.id)
    info = facts.info
    return ClaimFormData(
        office_name=facts.office_name,
        number=info.number,
        unit_name=info.unit_name,
        claimant_name=info.claimant_name,
        claim_date=info.claim_date,
        receipts_count=info.receipts_count,
        lines=tuple(ClaimFormLine(line.summary, line.category, line.amount) for line in facts.lines),
        total=info.total,
        advance=info.advance,
        refund=info.refund,
        top_up=info.top_up,
        signatures=tuple(Signature(s.caption, s.name, s.on) for s in facts.signatures),
        state_label=("已撤销" if info.withdrawn else "已办结") if info.closed else info.state_label,
        payment_method=info.payment_method,
        paid_on=info.paid_on,
        voucher_number=info.voucher_number,
        receipts=tuple(Receipt(r.filename, r.mime_type, r.data) for r in facts.receipts),
    )


def load_claim_flowchart(ctx: Source, claim_id: int) -> FlowchartData:
    """The 报账流程图 of one claim, by the claim's own id: its flow version, current step and path taken."""
    from app.printing.kit.flowchart import FlowchartData
    from app.services.claims import records as claims

    with ctx.uow() as uow:
        detail = claims.get_claim(uow, _actor(ctx), claim_id)
        office = str(get_setting(uow, "office_name"))
        _record_print(uow, ctx, "claim-flowchart", "claim", detail.info.id)
    info = detail.info
    return FlowchartData(
        flow=detail.flow, trail=detail.workflow.trail, title=f"报账流程图：报销单{info.number} {info.title}",
        office_name=office,
    )


def load_claim_form(ctx: Source, claim_id: int) -> ClaimFormData:
    return _claim_form(ctx, claim_id, with_receipts=False)


def load_claim_form_with_receipts(ctx: Source, claim_id: int) -> ClaimFormData:
    return _claim_form(ctx, claim_id, with_receipts=True)


def build_registry() -> FormRegistry:
    registry = default_registry()
    registry.attach_loader("urge-slip", load_urge_slip)
    registry.attach_loader("flowchart", load_flowchart)
    registry.attach_loader("outgoing-draft", load_outgoing_draft)
    registry.attach_loader("incoming-slip", load_incoming_slip)
    registry.attach_loader("claim-form", load_claim_form)
    registry.attach_loader("claim-form-receipts", load_claim_form_with_receipts)
    registry.attach_loader("claim-flowchart", load_claim_flowchart)
    registry.attach_loader("receipt-register", load_receipt_register)
    registry.attach_loader("archive-catalogue", load_archive_catalogue)
    registry.attach_loader("archive-stamps", load_archive_stamps)
    registry.attach_loader("document-notice", load_document_notice)
    return registry


__all__ = ["VIA_COMMAND_LINE", "PrintContext", "PrintPeriod", "build_registry"]


# ----- reports: printed for a period or a year, not for one record ------------------------------------------


# Each report is read by a function on a unit of work: the print's loader reads and records the print in one
# unit of work; catalogue_data and the others read only (the Excel export and the tests use them).


def load_receipt_register(ctx: Source, period: PrintPeriod) -> ReceiptRegisterData:
    date_from = _required(period.date_from, "收文登记簿", "起始日期（--from）")
    date_to = _required(period.date_to, "收文登记簿", "截止日期（--to）")
    with ctx.uow() as uow:
        data = _register(uow, _actor(ctx), date_from, date_to)
        _record_print(uow, ctx, "receipt-register", "document", None, date_from=date_from.isoformat(),
                      date_to=date_to.isoformat(), count=len(data.rows))
    return data


def load_archive_catalogue(ctx: Source, period: PrintPeriod) -> ArchiveCatalogueData:
    from app.core.archives import retention_code

    year = _required(period.year, "归档文件目录", "年度（--year）")
    retention = _required(period.retention, "归档文件目录", "保管期限（--retention）")
    with ctx.uow() as uow:
        data = _catalogue(uow, _actor(ctx), year, retention)
        _record_print(uow, ctx, "archive-catalogue", "document", None, year=year, retention=retention_code(retention),
                      count=len(data.entries))
    return data


def load_archive_stamps(ctx: Source, period: PrintPeriod) -> ArchiveStampSheet:
    from app.core.archives import retention_code

    year = _required(period.year, "归档章", "年度（--year）")
    retention = _required(period.retention, "归档章", "保管期限（--retention）")
    with ctx.uow() as uow:
        data = _stamps(uow, _actor(ctx), year, retention)
        _record_print(uow, ctx, "archive-stamps", "document", None, year=year, retention=retention_code(retention),
                      count=len(data.stamps))
    return data


def load_document_notice(ctx: Source, period: PrintPeriod) -> DocumentNoticeData:
    year = _required(period.year, "公文运转及差错情况通报", "年度（--year）")
    quarter = _required(period.quarter, "公文运转及差错情况通报", "季度（--quarter）")
    with ctx.uow() as uow:
        data = _notice(uow, _actor(ctx), year, quarter, None)
        _record_print(uow, ctx, "document-notice", "document", None, year=year, quarter=quarter)
    return data


def catalogue_data(ctx: AppContext, actor: Actor, year: int, retention: str) -> ArchiveCatalogueData:
    with ctx.uow() as uow:
        return _catalogue(uow, actor, year, retention)


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


def stamps_data(ctx: AppContext, actor: Actor, year: int, retention: str) -> ArchiveStampSheet:
    with ctx.uow() as uow:
        return _stamps(uow, actor, year, retention)


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


def register_data(ctx: AppContext, actor: Actor, date_from: date, date_to: date) -> ReceiptRegisterData:
    with ctx.uow() as uow:
        return _register(uow, actor, date_from, date_to)


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


def notice_data(
    ctx: AppContext, actor: Actor, year: int, quarter: int, today: date | None = None
) -> DocumentNoticeData:
    with ctx.uow() as uow:
        return _notice(uow, actor, year, quarter, today)


def _notice(uow: UnitOfWork, actor: Actor, year: int, quarter: int, today: date | None) -> DocumentNoticeData:
    from app.printing.documents.notice import DocumentNoticeData, LateStepItem, NoticeUnitRow, OverdueItem
    from app.services.documents import reports as document_reports

    notice = document_reports.quarterly_notice(uow, actor, year, quarter, today=today)
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
    )
