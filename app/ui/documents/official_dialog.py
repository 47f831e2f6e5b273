"""生成正式公文: the signed document typeset to GB/T 9704-2012 from 印制 on.

The dialog shows what the typesetter will use (the 发文机关标志, the layout, 签发人, 附注, a 纪要's 出席/请假/列席),
lets the clerk change those, or type the 正文 when its file cannot be read, and says before anything is printed
what the typeset document cannot hold. 预览打印 typesets, keeps the PDF with the document as its 正式公文 and opens
the print preview with the 印制份数 as copies; 另存为Word saves the same document as .docx for touching up in WPS.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.documents import DEFAULT_COPIES, MAX_COPIES, check_copies
from app.core.errors import GovDeskError, ValidationError
from app.core.official_document import check_copy_number, names_text, note_text, signer_names
from app.forms import PrintContext
from app.forms.documents import load_official_source, official_data, official_warnings
from app.printing.documents.official.data import MinutesPeople, OfficialDocumentData
from app.services.documents import official
from app.services.documents.official import OfficialSource
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error
from app.ui.widgets.screen import fit_to_screen

LAYOUTS: tuple[tuple[str, str], ...] = (
    ("down", QT_TRANSLATE_NOOP("GovDesk", "下行文、平行文（发文字号居中）")),
    ("up", QT_TRANSLATE_NOOP("GovDesk", "上行文（发文字号居左，签发人居右）")),
    ("minutes", QT_TRANSLATE_NOOP("GovDesk", "纪要（纪要格式）")),
    ("letter", QT_TRANSLATE_NOOP("GovDesk", "信函格式（函）")),
)


class OfficialDialog(QDialog):
    """The typesetting of one outgoing document; ``source`` as the services read it for this user."""

    def __init__(self, ctx: AppContext, actor: Actor, source: OfficialSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.source = ctx, actor, source
        self.kept: bytes | None = None
        self.setWindowTitle(tr("生成正式公文 — {0}").format(source.doc_number))
        fit_to_screen(self, (860, 720), (640, 520))

        self.layout_choice = QComboBox()
        for key, label in LAYOUTS:
            self.layout_choice.addItem(tr(label), key)
        self.mark = QLineEdit()
        self.mark.setMaxLength(40)
        self.signers = QLineEdit()
        self.signers.setPlaceholderText(tr("上行文写签发人姓名，联合行文用顿号分隔"))
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(tr("如：此件公开发布；请示写联系人及电话"))
        self.copies = QSpinBox()
        # From 0, so that a 0 typed stays 0 and is refused beside the field.
        self.copies.setRange(0, MAX_COPIES)
        self.copies.setValue(source.copies or DEFAULT_COPIES)
        self.copy_number = QLineEdit()
        self.copy_number.setMaxLength(6)
        self.copy_number.setPlaceholderText(tr("不编份号可不填"))
        self.present, self.absent, self.attending = QLineEdit(), QLineEdit(), QLineEdit()
        self.body_text = QPlainTextEdit()
        self.body_text.setPlaceholderText(tr("正文文件不能读取时，在这里输入或粘贴正文，每段一行"))
        self.body_text.setMinimumHeight(90)
        self.body_hint = QLabel()
        self.body_hint.setObjectName("hint")
        self.body_hint.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("fieldError")
        self.warnings.setWordWrap(True)

        self.form = FormGrid(pairs=True)
        self.form.add("layout", tr("版式"), self.layout_choice, required=True)
        self.form.add("copies", tr("印制份数"), self.copies, required=True,
                      check=lambda: check_copies(self.copies.value()))
        self.form.add("copy_number", tr("份号"), self.copy_number, check=self._check_copy_number)
        self.form.add("issuer_mark", tr("发文机关标志"), self.mark, required=True, wide=True,
                      hint=tr("红色居中套印在版头，如“青山县人民政府办公室文件”"))
        self.form.add("signers", tr("签发人"), self.signers, wide=True, check=self._check_signers)
        self.form.add("note", tr("附注"), self.note, wide=True)
        self.form.add("present", tr("出席"), self.present, wide=True)
        self.form.add("absent", tr("请假"), self.absent, wide=True)
        self.form.add("attending", tr("列席"), self.attending, wide=True)
        self.form.add("body", tr("正文"), self.body_text, wide=True,
                      hint=tr("以“一、”“（一）”“1.”“（1）”开头的段落按四级标题排版"))

        facts = QLabel(tr("发文字号：{0}　　成文日期：{1}　　签发人：{2}").format(
            source.doc_number, cn_date(source.signed_on), source.signer_name))
        facts.setWordWrap(True)
        self.preview_button = QPushButton(action_icon("print", "white"), tr("预览打印…"))
        self.preview_button.setObjectName("primary")
        self.preview_button.clicked.connect(self.preview)
        self.word_button = QPushButton(action_icon("save"), tr("另存为Word…"))
        self.word_button.clicked.connect(self.save_word)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.word_button, self.preview_button, close):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.preview_button.setDefault(True)
        layout = QVBoxLayout(self)
        title = QLabel(source.title)
        title.setObjectName("pageTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(facts)
        layout.addLayout(self.form)
        layout.addWidget(self.body_hint)
        layout.addWidget(self.warnings)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._fill_defaults()
        self.layout_choice.currentIndexChanged.connect(lambda _i: self._show_layout())

    # ----- the defaults and what changes with the layout -------------------------------------------------------
    def _fill_defaults(self) -> None:
        try:
            data = official_data(self.source)
        except ValidationError as error:
            # No 正文 file, or one that cannot be read (.doc, .wps): typed text takes its place.
            data = None
            self.body_hint.setText(error.message)
            self.body_hint.setObjectName("fieldError")
        self.defaults = data
        if data is not None:
            self.layout_choice.setCurrentIndex(max(0, self.layout_choice.findData(data.layout)))
            self.mark.setText(data.issuer_mark)
            self.signers.setText(names_text(data.signers))
            self.note.setText(data.note)
            name = self.source.body.filename if self.source.body else ""
            self.body_hint.setText(tr("正文取自正文文件“{0}”；如需改用输入的正文，在上面“正文”中输入即可。").format(name))
            self._show_warnings(data)
        else:
            from app.core.official_document import issuer_mark, layout_of, minutes_mark

            layout = layout_of(self.source.doc_type)
            self.layout_choice.setCurrentIndex(max(0, self.layout_choice.findData(layout)))
            self.mark.setText(minutes_mark(self.source.title, self.source.organ) if layout == "minutes"
                              else issuer_mark(self.source.organ, self.source.doc_type, self.source.prefix))
            self.signers.setText(self.source.signer_name if layout == "up" else "")
        self._show_layout()

    def _show_layout(self) -> None:
        layout = self.layout_choice.currentData()
        self.form.set_field_visible("signers", layout == "up")
        for name in ("present", "absent", "attending"):
            self.form.set_field_visible(name, layout == "minutes")
        if layout == "up" and not self.signers.text().strip():
            self.signers.setText(self.source.signer_name)

    def _show_warnings(self, data: OfficialDocumentData) -> None:
        said = official_warnings(data)
        self.warnings.setText(tr("以下内容不能排入正式公文，请核对：\n") + "\n".join(f"· {line}" for line in said)
                              if said else "")
        self.warnings.setVisible(bool(said))

    # ----- checks -------------------------------------------------------------------------------------------
    def _check_copy_number(self) -> None:
        check_copy_number(self.copy_number.text())

    def _check_signers(self) -> None:
        if self.layout_choice.currentData() == "up" and not self.signers.text().strip():
            raise ValidationError(tr("上行文应标注签发人，请填写签发人姓名"), field="signers")

    # ----- the document as chosen ---------------------------------------------------------------------------
    def chosen(self) -> OfficialDocumentData | None:
        """The data as the dialog says it, or None with every problem shown beside its field."""
        if not self.form.check_all():
            return None
        typed = self.body_text.toPlainText()
        try:
            data = official_data(self.source, typed if typed.strip() else None)
        except GovDeskError as error:
            if isinstance(error, ValidationError) and error.field == "body":
                self.form.set_error("body", error.message)
            else:
                show_error(self, error)
            return None
        layout = self.layout_choice.currentData()
        signers = signer_names(self.signers.text()) if layout == "up" else ()
        data = dataclasses.replace(
            data, layout=layout, issuer_mark=self.mark.text().strip(), signers=signers,
            note=note_text(self.note.text()), copy_number=check_copy_number(self.copy_number.text()),
            main_recipients="" if layout == "minutes" else data.main_recipients or self.source.main_recipients,
            sealed=layout != "minutes",
            minutes_people=MinutesPeople(self.present.text().strip(), self.absent.text().strip(),
                                         self.attending.text().strip()),
        )
        self._show_warnings(data)
        return data

    def typeset(self) -> tuple[OfficialDocumentData, bytes] | None:
        from app.printing.documents.official.render import render_official_document

        data = self.chosen()
        if data is None:
            return None
        try:
            return data, render_official_document(data)
        except GovDeskError as error:
            show_error(self, error)
            return None

    def preview(self) -> None:
        """Typesets, keeps the PDF with the document (its 正式公文), and shows it for printing."""
        from app.ui.widgets.print_preview import PrintPreviewDialog

        made = self.typeset()
        if made is None:
            return
        data, pdf = made
        ctx, actor, document_id = self.ctx, self.actor, self.source.document_id

        def keep() -> None:
            with ctx.uow() as uow:
                official.keep_typeset(uow, actor, document_id, pdf)

        try:
            db_call(self, keep, saving=True)
        except GovDeskError as error:
            show_error(self, error, tr("正式公文未能保存到公文中"))
            return
        self.kept = pdf
        name = official.typeset_filename(data.doc_number, "pdf")
        dialog = PrintPreviewDialog(tr("正式公文"), pdf, name, self, copies=self.copies.value())
        word = QPushButton(action_icon("save"), tr("另存为Word…"))
        word.setAutoDefault(False)
        word.clicked.connect(lambda _c=False, d=data: self.save_word(d))
        dialog.bar.insertWidget(dialog.bar.indexOf(dialog.save_button), word)
        dialog.exec()

    def save_word(self, data: OfficialDocumentData | None = None) -> Path | None:
        from app.printing.documents.official.docx_export import official_docx

        data = data or self.chosen()
        if data is None:
            return None
        name = official.typeset_filename(data.doc_number, "docx")
        chosen, _ = QFileDialog.getSaveFileName(self, tr("另存为Word"), str(Path.home() / name),
                                                tr("Word 文档 (*.docx)"))
        if not chosen:
            return None
        path = Path(chosen if chosen.lower().endswith(".docx") else f"{chosen}.docx")
        try:
            path.write_bytes(official_docx(data))
        except OSError as error:
            show_error(self, OSError(tr("无法保存到 {0}：{1}").format(path, error.strerror)))
            return None
        return path


def open_official_dialog(ctx: AppContext, actor: Actor, document_id: int, parent: QWidget | None) -> OfficialDialog | None:
    """Reads the document for this user and opens the dialog; None, with the refusal shown, when it cannot."""
    try:
        source = db_call(parent, lambda: load_official_source(PrintContext(ctx, actor), document_id))
    except GovDeskError as error:
        show_error(parent, error)
        return None
    return OfficialDialog(ctx, actor, source, parent)
