"""公文 declares itself: 发文 and 收文 in their flows, the 公文 page and the document window, its forms, its
models and its demo data."""

from app.core.areas import AreaManifest, FormEntry

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
    forms=(
        FormEntry("outgoing-draft", "发文稿纸", "app.printing.documents.outgoing_draft:render_outgoing_draft",
                  "app.forms.documents:load_outgoing_draft"),
        FormEntry("incoming-slip", "收文处理笺", "app.printing.documents.incoming_slip:render_incoming_slip",
                  "app.forms.documents:load_incoming_slip"),
        FormEntry("receipt-register", "收文登记簿", "app.printing.documents.receipt_register:render_receipt_register",
                  "app.forms.documents:load_receipt_register", ("from", "to")),
        FormEntry("archive-stamps", "归档章", "app.printing.documents.archive_forms:render_archive_stamps",
                  "app.forms.documents:load_archive_stamps", ("year", "retention")),
        FormEntry("archive-catalogue", "归档文件目录", "app.printing.documents.archive_forms:render_archive_catalogue",
                  "app.forms.documents:load_archive_catalogue", ("year", "retention")),
        FormEntry("document-notice", "公文运转及差错情况通报", "app.printing.documents.notice:render_document_notice",
                  "app.forms.documents:load_document_notice", ("year", "quarter")),
    ),
)
