"""The loaders of 报账's forms: the 报销单 (with or without its scanned receipts) and the claim's 流程图."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.forms.context import Source, actor_of, record_print
from app.services.kernel.settings import get_setting

if TYPE_CHECKING:
    from app.printing.claims.form import ClaimFormData
    from app.printing.kit.flowchart import FlowchartData


def _claim_form(ctx: Source, claim_id: int, with_receipts: bool) -> ClaimFormData:
    from app.printing.claims.form import ClaimFormData, ClaimFormLine, Receipt, Signature
    from app.services.claims import printed as claim_print

    with ctx.uow() as uow:
        facts = claim_print.claim_print_facts(uow, actor_of(ctx), claim_id, with_receipts=with_receipts)
        form = "claim-form-receipts" if with_receipts else "claim-form"
        record_print(uow, ctx, form, "claim", facts.info.id)
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
        detail = claims.get_claim(uow, actor_of(ctx), claim_id)
        office = str(get_setting(uow, "office_name"))
        record_print(uow, ctx, "claim-flowchart", "claim", detail.info.id)
    info = detail.info
    return FlowchartData(
        flow=detail.flow, trail=detail.workflow.trail, title=f"报账流程图：报销单{info.number} {info.title}",
        office_name=office,
    )


def load_claim_form(ctx: Source, claim_id: int) -> ClaimFormData:
    return _claim_form(ctx, claim_id, with_receipts=False)


def load_claim_form_with_receipts(ctx: Source, claim_id: int) -> ClaimFormData:
    return _claim_form(ctx, claim_id, with_receipts=True)

