"""起草会议纪要: the 拟稿 form for a meeting's minutes, opened from the meeting's window (the documents manifest's
opened_from["meeting"]): a 纪要 named after the meeting, linked to it once saved
(app.services.documents.minutes)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.bootstrap import AppContext
from app.services.documents import minutes
from app.services.documents.records import DocumentInfo
from app.services.kernel.actor import Actor
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call


class MinutesDraftDialog(DraftDialog):
    def __init__(self, ctx: AppContext, actor: Actor, origin: tuple[str, int], title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, None, (), parent)
        self.origin = origin
        self.saved: DocumentInfo | None = None
        self.setWindowTitle(tr("起草会议纪要"))
        self.title_edit.setText(minutes.minutes_title(title))
        # The minutes are a 纪要: the kind is not the drafter's to choose here.
        self.doc_type.setCurrentText(minutes.DOC_TYPE)
        self.doc_type.setEnabled(False)

    def _save(self) -> None:
        ctx, actor, origin, body, values = self.ctx, self.actor, self.origin, self.body, self.values()
        values.pop("doc_type")
        title = str(values.pop("title"))

        def save() -> DocumentInfo:
            with ctx.uow() as uow:
                return minutes.draft_minutes(uow, actor, origin, title, body=body, **values)  # type: ignore[arg-type]

        self.created = self.saved = db_call(self, save, saving=True)
