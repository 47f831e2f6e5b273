"""Writing or correcting a 政务信息 item or a research article: 类型, 标题, 信息组 (an editor picks any group, a
member writes for their own), 作者 (an editor may type another's name, for a piece entered from paper) and the
正文 in a roomy editor. 保存草稿 keeps it at 撰写; 保存并报送 sends it to the editors at once.

Mistakes show beside their fields and nothing typed is lost on a refusal; a stale version offers to reload
(app.ui.widgets.editing)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.core.information.flow import DRAFT
from app.services.information import items, records
from app.services.information.items import ItemInput
from app.services.information.records import ItemInfo
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import finish_save
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.screen import fit_to_screen


def _check_title(edit: QLineEdit) -> None:
    if len(" ".join(edit.text().split())) > items.MAX_TITLE:
        raise ValidationError(tr("标题不能超过{0}个字").format(items.MAX_TITLE))


class ItemEditor(QDialog):
    """A new item (info None) of ``kind``, or the changes to one. ``saved`` holds the item once stored."""

    def __init__(self, ctx: AppContext, actor: Actor, info: ItemInfo | None = None, parent: QWidget | None = None,
                 *, kind: str = "item") -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.info = ctx, actor, info
        self.saved: ItemInfo | None = None
        self.editor = records.is_editor(actor)
        kind = info.kind if info is not None else kind
        noun = tr(records.KINDS[kind]) if kind in records.KINDS else tr("稿件")
        self.setWindowTitle(tr("修改{0}").format(noun) if info else tr("写{0}").format(noun))
        fit_to_screen(self, (900, 700), (640, 480))
        groups = db_call(parent, self._groups)

        self.kind = QComboBox()
        for key, label in records.KINDS.items():
            self.kind.addItem(tr(label), key)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(items.MAX_TITLE)
        self.title_edit.setPlaceholderText(tr("如：我县农村公路提质改造取得新进展"))
        self.group = QComboBox()
        if len(groups) != 1:
            # "" (not None) marks the prompt as no choice, so the form asks for one (forms.is_blank).
            self.group.addItem(tr("请选择信息组"), "")
        for group_id, name in groups:
            self.group.addItem(name, group_id)
        self.author = QLineEdit()
        self.author.setMaxLength(items.MAX_AUTHOR)
        self.author.setText(info.author_name if info else actor.full_name)
        self.author.setReadOnly(not self.editor)
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(tr("正文：写清楚时间、地点、做法、成效和数据，一段一个意思"))
        self.body.setMinimumHeight(240)
        body_font = QFont(self.body.font())
        body_font.setPointSizeF(body_font.pointSizeF() * 1.1)
        self.body.setFont(body_font)
        self.count = QLabel()
        self.count.setObjectName("hint")
        self.body.textChanged.connect(self._count)

        self.form = FormGrid(pairs=True)
        self.form.add("kind", tr("类型"), self.kind, required=True)
        self.form.add("group_id", tr("信息组"), self.group, required=True,
                      hint="" if self.editor else tr("稿件计入您所在信息组的任务"))
        self.form.add("title", tr("标题"), self.title_edit, required=True, wide=True,
                      check=lambda: _check_title(self.title_edit))
        self.form.add("author_name", tr("作者"), self.author, wide=True,
                      hint=tr("代录纸质稿件时可填写原作者姓名") if self.editor else "")
        self.form.add("body", tr("正文"), self.body, wide=True)
        self.form.add_note(self.count)
        self.form.setRowStretch(self.form.rowCount() - 3, 1)

        # 保存草稿 and 保存并报送 while it is a draft (a new one is); an item being edited (编审) is saved only.
        self.draft_button = QPushButton(tr("保存草稿"))
        self.draft_button.setToolTip(tr("先保存，以后再改；还不报送"))
        self.draft_button.clicked.connect(lambda: self.save(submit=False))
        self.submit_button = QPushButton(tr("保存并报送"))
        self.submit_button.setObjectName("primary")
        self.submit_button.setToolTip(tr("保存并报送给文秘人员编审；报送后作者不能再修改，除非被退回"))
        self.submit_button.clicked.connect(lambda: self.save(submit=True))
        cancel = QPushButton(tr("取消"))
        cancel.clicked.connect(self.reject)
        for button in (self.draft_button, self.submit_button, cancel):
            # Enter in the title saves nothing by surprise; only the primary button is blue.
            button.setAutoDefault(False)
        drafting = info is None or (info.state == DRAFT and info.owner_id == actor.id)
        if info is not None and not drafting:
            self.draft_button.setText(tr("保存"))
            self.draft_button.setObjectName("primary")
            self.submit_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form, 1)
        layout.addLayout(buttons)
        # Once the form is in the dialog, its labels are the dialog's.
        for caption in self.findChildren(QLabel):
            if caption.buddy() is self.body:
                # The 正文's name at its first line, not in the middle of a tall box.
                self.form.setAlignment(caption, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                caption.setContentsMargins(0, 6, 0, 0)
        if info is not None:
            self._show(info)
        self._count()

    def _groups(self) -> list[tuple[int, str]]:
        with self.ctx.uow() as uow:
            return items.group_choices(uow, self.actor)

    def _show(self, info: ItemInfo) -> None:
        self.title_edit.setText(info.title)
        index = self.group.findData(info.group_id)
        if index < 0:
            # A group since stopped: still shown, so the item keeps it unless another is chosen.
            self.group.addItem(info.group_name, info.group_id)
            index = self.group.count() - 1
        self.group.setCurrentIndex(index)
        self.body.setPlainText(info.body)

    def _count(self) -> None:
        length = len(self.body.toPlainText().strip())
        self.count.setText(tr("正文 {0} 字").format(length))

    def data(self) -> ItemInput:
        group = self.group.currentData()
        author = self.author.text().strip() if self.editor else ""
        if self.info is not None and author == self.info.author_name:
            # Unchanged: the item keeps its author (and the author keeps it among 我的稿件).
            author = ""
        return ItemInput(kind=str(self.kind.currentData()), title=self.title_edit.text(),
                         body=self.body.toPlainText(), group_id=int(group) if group not in (None, "") else None,
                         author_name=author)

    def save(self, *, submit: bool) -> bool:
        """Checks every field, then stores it (and 报送s it when asked); a refusal shows beside its field and
        the dialog stays open with everything typed."""
        if not self.form.check_all():
            return False
        if submit and not self.body.toPlainText().strip():
            self.form.show_errors({"body": tr("请先写好正文再报送")})
            return False
        return finish_save(self, lambda: self._store(submit), self.form.show_error)

    def _store(self, submit: bool) -> None:
        data, ctx, actor, info = self.data(), self.ctx, self.actor, self.info

        def create() -> ItemInfo:
            with ctx.uow() as uow:
                return items.create_item(uow, actor, data, submit=submit)

        if info is None:
            self.saved = db_call(self, create, saving=True)
            return

        def update() -> ItemInfo:
            with ctx.uow() as uow:
                return items.update_item(uow, actor, info.id, data, expected_version=info.version)

        # Once stored, a later refusal of 报送 leaves the correction kept: the next try saves over it.
        self.saved = self.info = db_call(self, update, saving=True)
        if submit:
            stored = self.info

            def send() -> ItemInfo:
                with ctx.uow() as uow:
                    return items.submit_item(uow, actor, stored.id, expected_version=stored.version)

            self.saved = self.info = db_call(self, send, saving=True)
