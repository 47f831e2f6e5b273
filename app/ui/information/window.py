"""The window of one 政务信息 item or research article, on the shared record window: the header (its title, where
it stands, 类型, 信息组, 作者, 报送日期, 编入期号, 得分); the tabs 正文, 采用与批示 (the higher levels' adoptions with
their points, and the leaders' 批示, each with 登记…/删除 for the editors), 办理记录, 流程图 and 附件; and the acts
this user may take now, as app.services.information.items.item_detail computes them: the flow's moves (报送, 存档,
退回修改 with the opinion it needs) and 修改… while the user may correct it. 编入期刊 is the issue's own act (the
《政务信息》 tab), not a button here."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.information.flow import COMPILED, ENTITY, FILED
from app.services.information import adoptions, groups, items, records
from app.services.information.items import ItemDetail
from app.services.information.records import ItemInfo
from app.services.kernel import attachments
from app.services.kernel.actor import Actor
from app.services.kernel.attachments import AttachmentInfo
from app.services.workflow.detail import ActionChoice
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.information.dialogs import AdoptionDialog, CommentDialog
from app.ui.information.lists import STATE_COLOURS
from app.ui.theme import ACCENT
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.qt_helpers import icon_button
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact
from app.ui.widgets.record_window import RecordWindow
from app.ui.widgets.step_dialog import StepDialog

# The service layer's refusal for a file gone meanwhile (said by the services, marked for extraction here).
FILES = attachments.RecordFiles(ENTITY, QT_TRANSLATE_NOOP("GovDesk", "找不到该文件，可能已被删除"))

# The flow's moves this window takes, each by its service; 编入期刊 belongs to the issue.
MOVES: dict[str, Callable[..., ItemInfo]] = {"submit": items.submit_item, "file": items.file_item,
                                              "return": items.return_item}
HIDDEN_MOVES = frozenset({"compile"})


@dataclass(frozen=True)
class ItemView:
    """What the window shows, read in one unit of work: the detail, its files and the points table in force."""

    detail: ItemDetail
    files: list[AttachmentInfo]
    points: dict[str, int]


def read_item(ctx: AppContext, actor: Actor, item_id: int) -> ItemView:
    with ctx.uow() as uow:
        # item_detail refuses whoever may not see the item, before its files are listed.
        detail = items.item_detail(uow, actor, item_id)
        return ItemView(detail, attachments.list_attachments(uow, ENTITY, item_id), groups.points_table(uow))


class BodyTab(QWidget):
    """正文: the text as written, read-only, in a size that reads easily."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold")
        self.heading.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)

    def show_item(self, info: ItemInfo) -> None:
        self.heading.setText(info.title)
        self.text.setPlainText(info.body or tr("（还没有正文）"))


class FactsTab(QWidget):
    """采用与批示: two tables, each with its 登记… and 删除 buttons (for the editors once the item is 报送)."""

    def __init__(self, window: ItemWindow) -> None:
        super().__init__()
        self.adoptions = plain_table()
        self.comments = plain_table()
        self.comments.setWordWrap(True)
        self.adoption_ids: list[int] = []
        self.comment_ids: list[int] = []
        self.total = QLabel()
        self.total.setObjectName("hint")
        self.add_adoption = icon_button("new", tr("登记采用…"), window.record_adoption)
        self.remove_adoption = icon_button("delete", tr("删除"), window.remove_adoption)
        self.add_comment = icon_button("new", tr("登记批示…"), window.record_comment)
        self.remove_comment = icon_button("delete", tr("删除"), window.remove_comment)
        for button in (self.add_adoption, self.remove_adoption, self.add_comment, self.remove_comment):
            button.setAutoDefault(False)
        self.remove_adoption.setToolTip(tr("删除误登记的采用记录"))
        self.remove_comment.setToolTip(tr("删除误登记的批示"))
        layout = QVBoxLayout(self)
        layout.addLayout(self._heading(tr("上级采用"), self.add_adoption, self.remove_adoption, self.total))
        layout.addWidget(self.adoptions, 1)
        layout.addLayout(self._heading(tr("领导批示"), self.add_comment, self.remove_comment))
        layout.addWidget(self.comments, 1)

    @staticmethod
    def _heading(text: str, add: QPushButton, remove: QPushButton, extra: QWidget | None = None) -> QHBoxLayout:
        title = QLabel(text)
        title.setStyleSheet("font-weight: bold")
        row = QHBoxLayout()
        row.addWidget(title)
        if extra is not None:
            row.addWidget(extra)
        row.addStretch(1)
        row.addWidget(add)
        row.addWidget(remove)
        return row

    def show_item(self, detail: ItemDetail) -> None:
        info = detail.info
        fill_table(self.adoptions, [tr("采用单位"), tr("层级"), tr("采用日期"), tr("得分"), tr("登记人")], [
            [a.body, a.level, cn_date(a.adopted_on), tr("{0}分").format(a.points), a.recorded_by_name]
            for a in info.adoptions])
        self.adoption_ids = [a.id for a in info.adoptions]
        fill_table(self.comments, [tr("批示领导"), tr("批示日期"), tr("登记人"), tr("批示内容")], [
            [c.leader, cn_date(c.commented_on), c.recorded_by_name, c.text] for c in info.comments])
        self.comment_ids = [c.id for c in info.comments]
        self.comments.resizeRowsToContents()
        self.total.setText(tr("共{0}次，{1}分").format(len(info.adoptions), info.points) if info.adoptions
                           else tr("尚未被采用"))
        for button in (self.add_adoption, self.remove_adoption, self.add_comment, self.remove_comment):
            button.setVisible(detail.may_record)
        if not detail.may_record:
            return
        self.remove_adoption.setEnabled(bool(info.adoptions))
        self.remove_comment.setEnabled(bool(info.comments))

    @staticmethod
    def selected(table: QTableWidget, ids: list[int]) -> int | None:
        rows = table.selectionModel().selectedRows()
        if not rows and table.rowCount() == 1:
            return ids[0]
        return ids[rows[0].row()] if rows else None


class ItemWindow(RecordWindow):
    opinion_fields = ("opinion",)

    def __init__(self, ctx: AppContext, actor: Actor, item_id: int, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        opinion = OpinionBox(tr("编审意见："), tr("编审意见（退回修改时写明要改什么）"), height=56,
                             area="information", ctx=ctx, actor=actor)
        files = AttachmentsPanel(tr("添加附件…"), removable=True)
        self.body_tab = BodyTab()
        super().__init__(ctx, actor, opinion, parent, size=(1100, 740), info=self.body_tab, attachments=files)
        self.item_id = item_id
        self.today = today
        self.reader = partial(read_item, ctx, actor, item_id)
        self.detail: ItemView | None = None
        self.files = files
        files.wire(self.choose_file, self.open_selected_file, self.export_selected_file,
                   remove=self.remove_selected_file)
        self.tabs.setTabText(self.info_index, tr("正文"))
        self.facts_tab = FactsTab(self)
        self.facts_index = self.tabs.insertTab(self.info_index + 1, self.facts_tab, action_icon("done"),
                                               tr("采用与批示"))
        # The standard tabs after it moved one on.
        self.history_index, self.flow_index, self.files_index = (
            self.history_index + 1, self.flow_index + 1, self.files_index + 1)
        # No clocks to hasten and no links: the window keeps to what an item has.
        for widget in (self.urges_table, self.related):
            self.tabs.removeTab(self.tabs.indexOf(widget))
        self.urge_button.hide()
        self.urge_method.hide()
        self.tabs.setCurrentIndex(self.info_index)
        self.load()

    @property
    def view(self) -> ItemView:
        assert self.detail is not None
        return self.detail

    @property
    def info(self) -> ItemInfo:
        return self.view.detail.info

    def _today(self) -> date:
        return self.today or date.today()

    # ----- showing -------------------------------------------------------------------------------------------
    def show_record(self, view: ItemView) -> None:
        detail = view.detail
        info = detail.info
        colour = STATE_COLOURS.get(info.state, ACCENT)
        if info.closed:
            state = info.state_label
            if info.state == COMPILED and info.issue_label:
                state = tr("{0}（{1}）").format(state, info.issue_label)
        else:
            state = tr("当前环节：{0}").format(info.state_label)
        self.show_header(tr("{0} — {1}").format(info.kind_label, info.title), info.title, state, colour,
                         _facts(info))
        self.body_tab.show_item(info)
        self.facts_tab.show_item(detail)
        count = len(info.adoptions) + len(info.comments)
        self.tabs.setTabText(self.facts_index, tr("采用与批示（{0}）").format(count) if count else tr("采用与批示"))
        self.show_history(detail.workflow.history)
        self.show_flow(detail.workflow.flow, detail.workflow.trail)
        self.show_files(view.files, lambda f: tr("附件"), tr("类别"))
        self.tabs.setTabText(self.files_index, tr("附件（{0}）").format(len(view.files)) if view.files else tr("附件"))
        may_files = records.is_editor(self.actor) or (info.state == "draft" and info.owner_id == self.actor.id)
        self.files.add_button.setEnabled(may_files and info.state != FILED)
        if self.files.remove_button is not None:
            self.files.remove_button.setEnabled(may_files and bool(view.files))
        choices = [c for c in detail.workflow.actions if c.action not in HIDDEN_MOVES]
        extras = [(tr("修改…"), self.edit, False)] if detail.may_edit else []
        self.show_actions(choices, extras, instance=detail.workflow)
        self.opinion_box.set_enabled(any(c.action in ("file", "return") for c in choices))

    # ----- the flow's moves ---------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        call = MOVES.get(choice.action)
        if call is None:
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))
            return
        ident, actor, version, opinion, today = (self.item_id, self.actor, self.info.version, self.opinion_text(),
                                                 self.today)
        if choice.requires_opinion and not opinion:
            self.opinion_box.show_problem(tr("{0}时请在“编审意见”中写明要改什么").format(choice.label))
            return
        if choice.action == "submit":
            if not confirm(self, tr("报送"), tr("报送后稿件交文秘人员编审，您不能再修改，除非被退回。确定报送吗？"),
                           tr("报送"), tr("暂不报送")):
                return
            self.run_service(lambda u: call(u, actor, ident, expected_version=version, today=today))
            return
        if choice.action == "file" and not confirm(
            self, tr("存档"), tr("存档后这篇稿件不编入《政务信息》，仍计入本组任务，也仍可登记上级采用。确定存档吗？"),
            tr("存档"), tr("取消"),
        ):
            return
        self.run_service(lambda u: call(u, actor, ident, opinion, expected_version=version, today=today))

    def hasten(self, uow: Any, method: str, note: str) -> object:
        raise GovDeskError(tr("稿件没有办理时限，不需要催办"))

    def edit(self) -> None:
        from app.ui.information.editor import ItemEditor

        try:
            editor = ItemEditor(self.ctx, self.actor, self.info, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        editor.exec()
        if editor.saved is not None:
            self.changed = True
        # Saved, or someone else's change found (重新载入): the window shows the item as it is now.
        self.load()

    # ----- adoptions and 批示 ----------------------------------------------------------------------------------
    def run_dialog(self, dialog: StepDialog) -> bool:
        """Shows one of the dialogs; whether it was saved (the tests answer it themselves)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _summary(self) -> str:
        info = self.info
        return tr("{0}《{1}》（{2}，{3}）").format(info.kind_label, info.title, info.group_name, info.author_name)

    def record_adoption(self) -> None:
        dialog = AdoptionDialog(self._summary(), self.view.points, self._today(), self)
        ident, actor, today = self.item_id, self.actor, self.today
        dialog.work = lambda: self.in_dialog(lambda u: adoptions.record_adoption(
            u, actor, ident, body=dialog.adopter.text(), level=dialog.chosen_level(), adopted_on=dialog.adopted_on(),
            today=today))
        if self.run_dialog(dialog):
            self.after_change()

    def record_comment(self) -> None:
        editor = records.is_editor(self.actor)
        dialog = CommentDialog(self._summary(), self._today(), self,
                               leader="" if editor else self.actor.full_name, leader_fixed=not editor)
        ident, actor, today = self.item_id, self.actor, self.today
        dialog.work = lambda: self.in_dialog(lambda u: adoptions.record_comment(
            u, actor, ident, leader=dialog.leader.text(), text=dialog.text.toPlainText(),
            commented_on=dialog.commented_on(), today=today))
        if self.run_dialog(dialog):
            self.after_change()

    def remove_adoption(self) -> None:
        tab = self.facts_tab
        chosen = tab.selected(tab.adoptions, tab.adoption_ids)
        if chosen is None:
            show_error(self, GovDeskError(tr("请先在“上级采用”中选中要删除的一条")))
            return
        found = next(a for a in self.info.adoptions if a.id == chosen)
        if not confirm(self, tr("删除采用记录"), tr("确定删除{0}的采用记录（{1}分）吗？").format(found.body, found.points),
                       tr("删除"), tr("取消")):
            return
        actor = self.actor
        self.run_service(lambda u: adoptions.remove_adoption(u, actor, chosen))

    def remove_comment(self) -> None:
        tab = self.facts_tab
        chosen = tab.selected(tab.comments, tab.comment_ids)
        if chosen is None:
            show_error(self, GovDeskError(tr("请先在“领导批示”中选中要删除的一条")))
            return
        found = next(c for c in self.info.comments if c.id == chosen)
        if not confirm(self, tr("删除批示"), tr("确定删除{0}的批示吗？").format(found.leader), tr("删除"), tr("取消")):
            return
        actor = self.actor
        self.run_service(lambda u: adoptions.remove_comment(u, actor, chosen))

    # ----- files ----------------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        from app.ui.widgets.qt_helpers import ask_open_file

        path = ask_open_file(self, tr("选择附件（照片、上级采用通知等）"))
        if path is not None:
            self.add_file(path)

    def add_file(self, path: Path) -> None:
        data = self.read_chosen_file(path)
        if data is None:
            return
        actor, ident = self.actor, self.item_id
        mime = mimetypes.guess_type(path.name)[0]

        def work(uow: Any) -> object:
            item, _instance = records.load(uow, actor, ident)
            return FILES.add(uow, actor, item, filename=path.name, data=data, purpose="attachment", mime_type=mime)

        self.run_service(work)

    def remove_selected_file(self) -> None:
        chosen = self.selected_attachment(tr("请先选中一个文件"))
        if chosen is None or not confirm(self, tr("删除附件"), tr("确定删除选中的附件吗？"), tr("删除"), tr("取消")):
            return
        actor, ident = self.actor, self.item_id

        def work(uow: Any) -> object:
            item, _instance = records.load(uow, actor, ident)
            FILES.remove(uow, actor, item, chosen)
            return None

        self.run_service(work)

    def selected_file(self) -> tuple[str, bytes] | None:
        actor = self.actor
        return self.chosen_file(tr("请先选中一个文件"), lambda u, chosen: FILES.download(
            u, actor, chosen, lambda owner: records.load(u, actor, owner)))

    def print_form(self) -> None:
        """An item prints inside its issue of 《政务信息》 (the issue's own form); the window has none."""


def _facts(info: ItemInfo) -> list[Fact]:
    return [
        (tr("类型"), info.kind_label), (tr("信息组"), info.group_name),
        (tr("作者"), info.author_name), (tr("报送日期"), cn_date(info.submitted_on) if info.submitted_on else tr("未报送")),
        (tr("编入期号"), info.issue_label or "—"),
        (tr("得分"), tr("{0}分").format(info.points) if info.adoptions else "—"),
    ]


__all__ = ["ItemWindow"]
