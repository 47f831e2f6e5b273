"""Acts the office records for others: a co-issuing unit's 会签 opinion given by telephone, in writing or at a
meeting, and the 答复 to the body that sent an incoming document. Each dialog calls its service itself, so a
refusal is shown beside its field and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.documents import COSIGN_BASES, REPLY_METHODS
from app.services.documents import incoming, outgoing
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid


def _editable_choice(options: Sequence[str]) -> QComboBox:
    """The usual answers offered first; anything else may be typed."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(list(options))
    return combo


class ProxyCosignDialog(FormDialog):
    """代录会签意见: the office records a co-issuing unit's opinion, saying who there gave it and how."""

    def __init__(
        self, ctx: AppContext, actor: Actor, document_id: int, units: Sequence[tuple[str, int]], opinion: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.document_id = ctx, actor, document_id
        self.setWindowTitle(tr("代录会签意见"))
        self.setMinimumWidth(600)
        self.unit = QComboBox()
        for name, unit_id in units:
            self.unit.addItem(name, unit_id)
        self.decision = QComboBox()
        self.decision.addItem(tr("同意"), True)
        self.decision.addItem(tr("不同意"), False)
        self.opinion = QPlainTextEdit(opinion)
        self.opinion.setFixedHeight(70)
        self.opinion.setPlaceholderText(tr("单位的会签意见；同意且无修改意见时可不填"))
        self.given_by = QLineEdit()
        self.given_by.setPlaceholderText(tr("例如：县财政局 张局长"))
        self.basis = _editable_choice(COSIGN_BASES)
        note = QLabel(tr("单位未在系统中填写时，由办公室根据其电话、书面意见或会议意见代为登记，记入办理记录。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.form = FormGrid()
        self.form.add("unit_id", tr("会签单位"), self.unit, required=True)
        self.form.add("agree", tr("会签结论"), self.decision, required=True)
        self.form.add("opinion", tr("会签意见"), self.opinion)
        self.form.add("given_by", tr("提出意见的人员"), self.given_by, required=True)
        self.form.add("basis", tr("依据"), self.basis, required=True, hint=tr("电话、书面意见、会议等"))
        self.lay_out(note, self.form, save_text=tr("登记"))

    def _save(self) -> None:
        # Read off the widgets here: the save itself runs on another thread.
        ctx, actor, document_id = self.ctx, self.actor, self.document_id
        opinion, agree, unit_id = self.opinion.toPlainText(), bool(self.decision.currentData()), self.unit.currentData()
        given_by, basis = self.given_by.text(), self.basis.currentText()

        def save() -> None:
            with ctx.uow() as uow:
                outgoing.cosign(uow, actor, document_id, opinion=opinion, agree=agree, unit_id=unit_id,
                                given_by=given_by, basis=basis)

        db_call(self, save, saving=True)


class ReplyDialog(FormDialog):
    """答复来文单位: how the sending body was answered, when, by whom and what was said."""

    def __init__(
        self, ctx: AppContext, actor: Actor, document_id: int, recipient: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.document_id = ctx, actor, document_id
        self.setWindowTitle(tr("答复来文单位"))
        self.setMinimumWidth(520)
        self.recipient = QLabel(recipient or tr("（未登记来文单位）"))
        self.method = _editable_choice(REPLY_METHODS)
        self.replied_by = QLineEdit(actor.full_name)
        self.replied_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.replied_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.replied_at.setCalendarPopup(True)
        self.content = QPlainTextEdit()
        self.content.setFixedHeight(90)
        self.content.setPlaceholderText(tr("答复的内容，或函复的文号和标题"))
        self.form = FormGrid()
        self.form.add("recipient", tr("答复对象"), self.recipient)
        self.form.add("method", tr("答复方式"), self.method, required=True)
        self.form.add("replied_by", tr("答复人"), self.replied_by, required=True)
        self.form.add("replied_at", tr("答复时间"), self.replied_at, required=True)
        self.form.add("content", tr("答复内容"), self.content, required=True)
        self.lay_out(self.form, save_text=tr("登记答复"))

    def when(self) -> datetime:
        # The office's clock as the user set it, made aware so the service stores it in UTC.
        moment: datetime = self.replied_at.dateTime().toPython()  # type: ignore[assignment]
        return moment.astimezone()

    def _save(self) -> None:
        # Read off the widgets here: the save itself runs on another thread.
        ctx, actor, document_id = self.ctx, self.actor, self.document_id
        method, content, replied_at, replied_by = (
            self.method.currentText(), self.content.toPlainText(), self.when(), self.replied_by.text()
        )

        def save() -> None:
            with ctx.uow() as uow:
                incoming.reply(uow, actor, document_id, method=method, content=content, replied_at=replied_at,
                               replied_by=replied_by)

        db_call(self, save, saving=True)
