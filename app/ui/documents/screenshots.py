"""正式公文's pictures for `govdesk screenshots`: the 生成正式公文 dialog of a demo 通知 being printed, and its typeset
first page in the print preview, at text size 中."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication


def official_screenshots(ctx: Any, login: Callable[[str], Any], shoot: Callable[..., None], app: QApplication,
                         pause: Callable[[QApplication, float], None]) -> None:
    from app.core.official_document import TYPESET_STATES
    from app.printing.documents.official.render import render_official_document
    from app.services.documents import records as documents
    from app.ui.documents.official_dialog import open_official_dialog
    from app.ui.widgets.print_preview import PrintPreviewDialog

    clerk = login("文秘人员")
    with ctx.uow() as uow:
        found = [row for state in TYPESET_STATES for row in documents.list_documents(
            uow, clerk, direction="out", state=state, doc_type="通知", limit=5).rows]
    if not found:
        return
    dialog = open_official_dialog(ctx, clerk, found[0].id, None)
    if dialog is None:
        return
    shoot("official-dialog", dialog)
    data = dialog.chosen()
    dialog.close()
    if data is not None:
        preview = PrintPreviewDialog("正式公文", render_official_document(data), copies=dialog.copies.value())
        shoot("print-official-document", preview, lambda: pause(app, 1.5), close=True)
