"""报账 declares itself: claims in the reimbursement flow, the 报账 page and the claim window, its forms, its
models and its demo data."""

from app.core.areas import AreaManifest

MANIFEST = AreaManifest(
    key="claims",
    label="报账",
    order=50,
    navigation="reimbursement",
    entity_types={"claim": "报销单"},
    flows=("reimbursement",),
    models="app.models.reimbursement",
    page="app.ui.claims.page:ClaimsPage",
    record_windows={"claim": "app.ui.claims.window:ClaimWindow"},
    demo="app.demo.claims",
)
