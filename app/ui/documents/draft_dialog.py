"""拟稿: a new outgoing draft, or changes to one at 拟稿 (also after it was returned)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.documents import DISCLOSURES, DOC_TYPES, NOT_DISCLOSED, SECRET_MARKS, check_disclosure, check_title
from app.core.errors import ValidationError
from app.services.admin import unit_groups
from app.services.documents import outgoing
from app.services.documents.records import DocumentInfo
from app.services.kernel import settings
from app.services.kernel.actor import Actor
from app.ui.documents.inputs import urgency_combo
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import FormDialog, save_cancel_buttons
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import ask_open_file, checkable_item
from app.ui.widgets.screen import fit_to_screen
from app.ui.widgets.units import GroupPicker


class DraftDialog(FormDialog):
    def __init__(
        self, ctx: AppContext, actor: Actor, existing: DocumentInfo | None = None,
        cosigner_ids: tuple[int, ...] = (), parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.existing = ctx, actor, existing
        self.created: DocumentInfo | None = None
        self.body: tuple[str, bytes] | None = None
        self.setWindowTitle(tr("修改文稿") if existing else tr("新建发文"))
        fit_to_screen(self, (700, 720), (640, 600))
        def read_choices() -> tuple[list[str], list[outgoing.CosignCandidate], list[unit_groups.UnitGroupInfo]]:
            with ctx.uow() as uow:
                # Co-issuing units only (not the office's own 股室), each saying whether it has a 联络员.
                return (list(settings.get_setting(uow, "doc_prefixes")), outgoing.cosign_candidates(uow, actor),
                        unit_groups.list_unit_groups(uow, actor))

        prefixes, candidates, groups = db_call(self, read_choices)

        self.title_edit = QLineEdit(existing.title if existing else "")
        self.title_edit.setPlaceholderText(tr("例如：关于做好2027年元旦春节期间安全生产工作的通知"))
        self.doc_type = QComboBox()
        self.doc_type.addItems(list(DOC_TYPES))
        # 通知 is the kind most drafts are; DOC_TYPES follows the regulation's fixed order (条例 Art. 8).
        self.doc_type.setCurrentText(existing.doc_type if existing else DOC_TYPES[7])
        self.urgency = urgency_combo(existing.urgency if existing else "")
        self.secrecy = QComboBox()
        self.secrecy.addItem(tr("非涉密"), "")
        for mark in SECRET_MARKS:
            self.secrecy.addItem(mark, mark)
        self.disclosure = QComboBox()
        for value in DISCLOSURES:
            self.disclosure.addItem(value, value)
        self.disclosure.setCurrentIndex(max(0, self.disclosure.findData(existing.disclosure if existing else DISCLOSURES[0])))
        self.disclosure_reason = QLineEdit(existing.disclosure_reason if existing else "")
        self.disclosure_reason.setPlaceholderText(tr("选择“不予公开”时必须填写理由"))
        self.disclosure.currentIndexChanged.connect(self._disclosure_changed)
        self.important = QCheckBox(tr("重要文件（须由主要领导签发）"))
        self.important.setChecked(bool(existing and existing.important))
        self.main_recipients = QLineEdit(existing.main_recipients if existing else "")
        self.main_recipients.setPlaceholderText(tr("例如：各乡镇人民政府，县政府各部门"))
        self.copy_recipients = QLineEdit(existing.copy_recipients if existing else "")
        self.prefix = QComboBox()
        self.prefix.addItems(prefixes)
        if existing and existing.prefix:
            self.prefix.setCurrentText(existing.prefix)
        self.cosigners = QListWidget()
        self.cosigners.setFixedHeight(120)
        for unit in candidates:
            item = checkable_item(
                unit.name if unit.has_liaison else tr("{0}（无联络员，由办公室代录会签意见）").format(unit.name),
                unit.id, unit.id in cosigner_ids,
            )
            if not unit.has_liaison:
                item.setToolTip(tr("该单位没有部门联络员，无法在系统中填写会签意见；会签时由办公室根据其电话、书面意见或会议意见代为登记。"))
            self.cosigners.addItem(item)
        self.remark = QPlainTextEdit(existing.remark if existing else "")
        self.remark.setFixedHeight(60)
        self.body_label = QLabel(tr("未选择"))
        self.body_label.setObjectName("hint")
        pick = QPushButton(tr("选择正文文件…"))
        pick.clicked.connect(self._pick_body)
        body_row = QWidget()
        body_layout = QHBoxLayout(body_row)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(pick)
        body_layout.addWidget(self.body_label, 1)

        self.form = FormGrid()
        self.form.add("title", tr("标题"), self.title_edit, required=True,
                      check=lambda: check_title(self.title_edit.text()))
        self.form.add("doc_type", tr("文种"), self.doc_type, required=True, hint=tr("“请示”“报告”为上行文，须由主要领导签发"))
        self.form.add("urgency", tr("缓急"), self.urgency)
        self.form.add("secrecy", tr("密级"), self.secrecy, hint=tr("本系统为非涉密系统，涉密公文不得在此办理"))
        self.form.add("disclosure", tr("公开属性"), self.disclosure, required=True)
        self.form.add("disclosure_reason", tr("不予公开理由"), self.disclosure_reason,
                      check=lambda: check_disclosure(self.disclosure.currentData(), self.disclosure_reason.text()))
        self.form.add("important", "", self.important)
        self.form.add("main_recipients", tr("主送"), self.main_recipients)
        self.form.add("copy_recipients", tr("抄送"), self.copy_recipients)
        self.form.add("prefix", tr("机关代字"), self.prefix, hint=tr("签发后按此代字编号，如 县政办发〔2026〕12号"))
        self.form.add("cosigner_unit_ids", tr("会签单位"), self.cosigners, hint=tr("勾选联合行文的单位，核稿通过后先送这些单位会签；办公室内设股室的意见请在核稿时提出"))
        self.cosign_groups = GroupPicker(self.cosigners, groups)
        if self.cosign_groups.offers_groups:
            self.form.add("cosigner_groups", "", self.cosign_groups)
        if existing is None:
            self.form.add("body", tr("正文"), body_row)
        self.form.add("remark", tr("备注"), self.remark)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self._disclosure_changed()

    def _disclosure_changed(self) -> None:
        self.disclosure_reason.setEnabled(self.disclosure.currentData() == NOT_DISCLOSED)
        self.form.recheck("disclosure_reason")

    def _pick_body(self) -> None:
        path = ask_open_file(self, tr("选择正文"), tr("公文正文 (*.doc *.docx *.wps *.pdf *.ofd);;所有文件 (*)"))
        if path:
            self.set_body(path)

    def set_body(self, path: Path) -> None:
        try:
            self.body = (path.name, path.read_bytes())
        except OSError as error:
            self.form.show_error(ValidationError(tr("无法读取文件：{0}").format(error.strerror), field="body"))
            return
        self.body_label.setText(tr("{0}（{1} KB）").format(path.name, len(self.body[1]) // 1024 + 1))

    def cosigner_ids(self) -> list[int]:
        return [
            int(self.cosigners.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.cosigners.count())
            if self.cosigners.item(row).checkState() == Qt.CheckState.Checked
        ]

    def values(self) -> dict[str, object]:
        return {
            "title": self.title_edit.text(),
            "doc_type": self.doc_type.currentText(),
            "urgency": self.urgency.currentData(),
            "secrecy": self.secrecy.currentData(),
            "disclosure": self.disclosure.currentData(),
            "disclosure_reason": self.disclosure_reason.text() if self.disclosure_reason.isEnabled() else "",
            "important": self.important.isChecked(),
            "main_recipients": self.main_recipients.text(),
            "copy_recipients": self.copy_recipients.text(),
            "prefix": self.prefix.currentText(),
            "cosigner_unit_ids": self.cosigner_ids(),
            "remark": self.remark.toPlainText(),
        }

    def _save(self) -> None:
        # Read off the widgets here: the save itself runs on another thread.
        ctx, actor, existing, body, values = self.ctx, self.actor, self.existing, self.body, self.values()

        def save() -> DocumentInfo:
            with ctx.uow() as uow:
                if existing is None:
                    return outgoing.create_draft(uow, actor, body=body, **values)  # type: ignore[arg-type]
                return outgoing.update_draft(
                    uow, actor, existing.id, expected_version=existing.version, **values
                )

        self.created = db_call(self, save, saving=True)
