"""报账 declares itself: claims in the reimbursement flow, the 报账 page and the claim window, its forms, its
models and its demo data."""

from __future__ import annotations

from app.core.areas import AreaManifest, FormEntry, SearchSpec
from app.core.workflow.approval_chain import DEFAULT_CHAIN, compile_chain

# Compiled from the list an administrator edits (app.core.workflow.approval_chain), so the built-in
# flow and every edited version are made the same way.
REIMBURSEMENT = compile_chain(DEFAULT_CHAIN)

MANIFEST = AreaManifest(
    key="claims",
    label="报账",
    order=50,
    navigation="reimbursement",
    entity_types={"claim": "报销单"},
    flows=(REIMBURSEMENT,),
    models="app.models.reimbursement",
    page="app.ui.claims.page:ClaimsPage",
    record_windows={"claim": "app.ui.claims.window:ClaimWindow"},
    demo="app.demo.claims",
    forms=(
        FormEntry("claim-form", "报销单", "app.printing.claims.form:render_claim_form", "app.forms.claims:load_claim_form"),
        FormEntry("claim-form-receipts", "报销单（附票据扫描件）", "app.printing.claims.form:render_claim_form_with_receipts",
                  "app.forms.claims:load_claim_form_with_receipts"),
        FormEntry("claim-flowchart", "报账流程图", "app.printing.kit.flowchart:render_flowchart",
                  "app.forms.claims:load_claim_flowchart"),
    ),
    searches=(SearchSpec("claim", 2, "app.services.claims.search:SOURCE"),),
)
