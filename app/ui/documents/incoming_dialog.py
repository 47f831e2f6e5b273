"""签收来文: the incoming document as it arrived; 登记 and what follows happen in its window."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.documents import DOC_TYPES, SECRET_MARKS, check_copies, check_title
from app.services.documents import incoming
from app.services.documents.records import DocumentInfo
from app.services.kernel.actor import Actor
from app.ui.documents.inputs import urgency_combo
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import date_edit, to_date
from app.ui.widgets.screen import fit_when_shown


class IncomingDialog(FormDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.created: DocumentInfo | None = None
        self.setWindowTitle(tr("签收来文"))
        self.setMinimumWidth(600)
        fit_when_shown(self)
        self.title_edit = QLineEdit()
        self.source_unit = QLineEdit()
        self.source_unit.setPlaceholderText(tr("例如：江州市人民政府办公室"))
        self.source_number = QLineEdit()
        self.source_number.setPlaceholderText(tr("例如：江政办发〔2026〕35号"))
        self.doc_type = QComboBox()
        self.doc_type.addItem(tr("（按标题判断）"), None)
        for kind in DOC_TYPES:
            self.doc_type.addItem(kind, kind)
        self.urgency = urgency_combo()
        self.secrecy = QComboBox()
        self.secrecy.addItem(tr("非涉密"), "")
        for mark in SECRET_MARKS:
            self.secrecy.addItem(mark, mark)
        self.copies = QSpinBox()
        # From 0, so that a 0 typed is refused with a message instead of silently put back to 1.
        self.copies.setRange(0, 999)
        self.copies.setValue(1)
        self.source_date = date_edit(QDate.currentDate())
        self.remark = QPlainTextEdit()
        self.remark.setFixedHeight(60)
        self.form = FormGrid()
        self.form.add("title", tr("标题"), self.title_edit, required=True,
                      check=lambda: check_title(self.title_edit.text()))
        self.form.add("source_unit", tr("来文单位"), self.source_unit, required=True)
        self.form.add("source_number", tr("来文字号"), self.source_number)
        self.form.add("doc_type", tr("文种"), self.doc_type)
        self.form.add("urgency", tr("缓急"), self.urgency)
        self.form.add("secrecy", tr("密级"), self.secrecy, hint=tr("涉密来文不得在本系统登记，请走涉密渠道"))
        self.form.add("copies_received", tr("份数"), self.copies,
                      check=lambda: check_copies(self.copies.value(), field="copies_received", what=tr("份数")))
        self.form.add("source_date", tr("成文日期"), self.source_date)
        self.form.add("remark", tr("备注"), self.remark)
        self.lay_out(self.form, save_text=tr('签收'))

    def _save(self) -> None:
        # Read off the widgets here: the save itself runs on another thread.
        ctx, actor = self.ctx, self.actor
        title, source_unit, source_number = self.title_edit.text(), self.source_unit.text(), self.source_number.text()
        doc_type, urgency, secrecy = self.doc_type.currentData(), self.urgency.currentData(), self.secrecy.currentData()
        copies, source_date, remark = self.copies.value(), to_date(self.source_date.date()), self.remark.toPlainText()

        def save() -> DocumentInfo:
            with ctx.uow() as uow:
                return incoming.create_incoming(
                    uow, actor, title=title, source_unit=source_unit, source_number=source_number, doc_type=doc_type,
                    urgency=urgency, secrecy=secrecy, copies_received=copies, source_date=source_date, remark=remark,
                )

        self.created = db_call(self, save, saving=True)
