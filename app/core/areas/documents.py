"""公文 declares itself: 发文 and 收文 in their flows, the 公文 page and the document window, its forms, its
models and its demo data."""

from app.core.areas import AreaManifest

MANIFEST = AreaManifest(
    key="documents",
    label="公文",
    order=10,
    navigation="documents",
    entity_types={"document": "公文"},
    flows=("outgoing_document", "incoming_document"),
    models="app.models.documents",
    page="app.ui.documents.page:DocumentsPage",
    record_windows={"document": "app.ui.documents.window:DocumentWindow"},
    demo="app.demo.documents",
)
