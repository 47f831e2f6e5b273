"""The opinion box of a record's window: the text, one-click common phrases, and a problem line under it.

Leaders write the same few opinions all day, so a phrase is one click away: the person's own 常用意见
first, then the office's for the area (app.services.admin.opinions). They are read with the record, in its
unit of work off the GUI thread (PhraseReader), once per window: opening the list costs no round trip.
The list ends with 管理常用意见… and 把当前意见存为常用意见. A refusal about the opinion shows right under the
box, and what was typed stays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import GovDeskError
from app.services.admin import opinions
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.screen import fit_when_shown

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

# What the list's entries past the phrases do.
_MANAGE, _SAVE = "manage", "save"


class PhraseReader:
    """Reads the box's phrases inside the record's own unit of work (on the worker thread), the first time
    only; the box shows them once the record is shown. Holds no Qt object."""

    def __init__(self, area: str, actor: Actor) -> None:
        self.area, self.actor = area, actor
        self.phrases: opinions.OpinionPhrases | None = None

    def read(self, uow: UnitOfWork) -> None:
        if self.phrases is None:
            self.phrases = opinions.opinion_phrases(uow, self.actor, self.area)


class OpinionBox:
    def __init__(
        self, heading: str, placeholder: str, phrases: Sequence[str] = (), height: int = 76, *,
        area: str = "", ctx: AppContext | None = None, actor: Actor | None = None,
    ) -> None:
        """phrases: shown until the reader's are (a flow with none shows no list). area, ctx and actor: the
        area whose office phrases are offered, and whose own phrases; with them the list can be managed."""
        self.ctx, self.actor = ctx, actor
        self.reader = PhraseReader(area, actor) if area and actor is not None else None
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setFixedHeight(height)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        self.phrases = QComboBox()
        self.phrases.setToolTip(tr("点一条常用意见，把它写进意见框"))
        self.phrases.activated.connect(self._chosen)
        # A long opinion of someone's own must not stretch the box's header: the button keeps a fixed
        # width, the list opens wider and elides what is longer still (its tooltip shows it whole).
        self.phrases.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.phrases.setMinimumContentsLength(12)
        self.phrases.view().setMinimumWidth(self.phrases.fontMetrics().averageCharWidth() * 56)
        self.phrases.view().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.own: list[str] = []
        self.office: list[str] = [tr(p) for p in phrases]
        self._fill()
        self.head = QHBoxLayout()
        self.head.addWidget(QLabel(heading))
        self.head.addStretch(1)
        self.head.addWidget(self.phrases)

    def add_to(self, layout: QVBoxLayout) -> None:
        layout.addLayout(self.head)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def set_enabled(self, enabled: bool) -> None:
        self.edit.setEnabled(enabled)
        self.phrases.setEnabled(enabled)

    def show_problem(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.edit.setFocus()

    def hide_problem(self) -> None:
        self.error.hide()

    # ----- the phrases ------------------------------------------------------------------------------------
    def show_phrases(self) -> None:
        """Shows what the reader read with the record (the window calls this as it shows the record)."""
        if self.reader is not None and self.reader.phrases is not None:
            self.own = [o.text for o in self.reader.phrases.own]
            self.office = list(self.reader.phrases.office)
            self._fill()

    def _fill(self) -> None:
        combo = self.phrases
        combo.clear()
        combo.addItem(tr("常用意见…"))
        for text in [*self.own, None, *(t for t in self.office if t not in self.own)]:
            if text is None:
                if self.own and self.office:
                    combo.insertSeparator(combo.count())
                continue
            combo.addItem(text)
            combo.setItemData(combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        managed = self.reader is not None and self.ctx is not None
        if managed:
            combo.insertSeparator(combo.count())
            combo.addItem(tr("管理我的常用意见…"), _MANAGE)
            combo.addItem(tr("把当前意见存为常用意见"), _SAVE)
        # A flow with no common phrases (the generic record window) shows no empty list of them.
        combo.setVisible(managed or bool(self.office))

    def _chosen(self, index: int) -> None:
        what = self.phrases.itemData(index)
        self.phrases.setCurrentIndex(0)
        if what == _MANAGE:
            self.manage()
        elif what == _SAVE:
            self.save_current()
        elif index > 0:
            self.edit.insertPlainText(self.phrases.itemText(index))
            self.edit.setFocus()

    def manage(self) -> None:
        if self.ctx is None or self.actor is None:
            return
        dialog = OpinionsDialog(self.ctx, self.actor, self.edit.window())
        dialog.exec()
        self._take_own(dialog.opinions)

    def save_current(self) -> None:
        ctx, actor, text = self.ctx, self.actor, self.text()
        if ctx is None or actor is None:
            return
        if not text:
            self.show_problem(tr("意见框是空的：先写下意见，再存为常用意见"))
            return

        def save() -> list[opinions.OpinionInfo]:
            with ctx.uow() as uow:
                opinions.add_opinion(uow, actor, text)
                return opinions.my_opinions(uow, actor)

        try:
            own = db_call(self.edit.window(), save, saving=True)
        except GovDeskError as error:
            self.show_problem(str(error))
            return
        self.hide_problem()
        self._take_own(own)

    def _take_own(self, own: Sequence[opinions.OpinionInfo]) -> None:
        self.own = [o.text for o in own]
        self._fill()



class OpinionsDialog(QDialog):
    """管理我的常用意见: add, remove and reorder one's own; each change is saved at once."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.opinions: list[opinions.OpinionInfo] = []
        self.setWindowTitle(tr("管理我的常用意见"))
        self.setMinimumSize(520, 420)
        fit_when_shown(self)
        note = QLabel(tr("您的常用意见排在本单位通用意见之前，只有您自己能看到。每条不超过{0}个字，最多{1}条。")
                      .format(opinions.MAX_LENGTH, opinions.MAX_PER_PERSON))
        note.setWordWrap(True)
        self.new_text = QLineEdit()
        self.new_text.setPlaceholderText(tr("输入一条新的常用意见，例如：同意，请按程序办理。"))
        self.new_text.returnPressed.connect(self.add)
        add = QPushButton(tr("添加"))
        add.setAutoDefault(False)
        add.clicked.connect(self.add)
        adding = QHBoxLayout()
        adding.addWidget(self.new_text, 1)
        adding.addWidget(add)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QHBoxLayout()
        self.up_button = self._button(buttons, tr("上移"), lambda: self.move_selected(-1))
        self.down_button = self._button(buttons, tr("下移"), lambda: self.move_selected(1))
        self.remove_button = self._button(buttons, tr("删除"), self.remove)
        buttons.addStretch(1)
        self._button(buttons, tr("关闭"), self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(adding)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self._run(lambda uow: opinions.my_opinions(uow, actor))

    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _run(self, work: Callable[[UnitOfWork], object], keep: int | None = None) -> bool:
        """One change (or the first reading), then the list as it now is; a refusal shows under the list."""
        ctx, actor = self.ctx, self.actor

        def call() -> list[opinions.OpinionInfo]:
            with ctx.uow() as uow:
                work(uow)
                return opinions.my_opinions(uow, actor)

        try:
            self.opinions = db_call(self, call, saving=True)
        except GovDeskError as error:
            self.error.setText(str(error))
            self.error.show()
            return False
        self.error.hide()
        self.list.clear()
        for opinion in self.opinions:
            item = QListWidgetItem(opinion.text)
            item.setData(Qt.ItemDataRole.UserRole, opinion.id)
            self.list.addItem(item)
        if keep is not None:
            row = next((i for i, o in enumerate(self.opinions) if o.id == keep), -1)
            self.list.setCurrentRow(row)
        self._enable()
        return True

    def _enable(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    def _selected(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def add(self) -> None:
        text, actor = self.new_text.text(), self.actor
        if self._run(lambda uow: opinions.add_opinion(uow, actor, text)):
            self.new_text.clear()
            self.list.setCurrentRow(self.list.count() - 1)

    def remove(self) -> None:
        chosen, actor = self._selected(), self.actor
        if chosen is not None:
            self._run(lambda uow: opinions.remove_opinion(uow, actor, chosen))

    def move_selected(self, steps: int) -> None:
        chosen, actor = self._selected(), self.actor
        if chosen is not None:
            self._run(lambda uow: opinions.move_opinion(uow, actor, chosen, steps), keep=chosen)
