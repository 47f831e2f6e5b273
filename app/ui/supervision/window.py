"""The window of one 督办事项: the shared record window with the item's facts, its history, its flowchart, its
material (来源材料, 进展材料, 办结佐证材料), 责任与进展 (the responsible person, the progress reports on their
rhythm, each unit's task) and its links; and the acts this user may take now."""

from __future__ import annotations

import mimetypes
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.services.supervision import detail as supervision_detail
from app.services.supervision import items, lifecycle
from app.services.supervision.items import FILE_PURPOSES, FILES
from app.services.workflow import urges
from app.services.workflow.detail import ActionChoice
from app.ui.i18n import tr
from app.ui.theme import ACCENT, MUTED, OK, URGENT
from app.ui.widgets.display import cn_date
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.record_features import attach_record_features
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact
from app.ui.widgets.record_window import ExtraAction, RecordWindow


class ItemWindow(RecordWindow):
    def __init__(self, ctx: AppContext, actor: Actor, item_id: int, parent: QWidget | None = None) -> None:
        opinion = OpinionBox(tr("办理意见："), tr("办理意见（退回、撤销时写明理由）"), height=64,
                             area="supervision", ctx=ctx, actor=actor)
        material = AttachmentsPanel(tr("添加材料…"), removable=True)
        super().__init__(ctx, actor, opinion, parent, attachments=material)
        self.item_id = item_id
        self.reader = partial(_read_item, ctx, actor, item_id)
        self.detail: supervision_detail.ItemDetail | None = None
        self.material = material
        material.wire(self.choose_files, self.open_selected_file, self.export_selected_file,
                      remove=self.remove_selected_file)
        self.tabs.setTabText(self.files_index, tr("材料"))
        self.record_features: Any = None
        self.add_print_button(tr("打印督办通知单…"))
        self.tabs.setCurrentIndex(self.info_index)
        self.load()

    @property
    def info(self) -> items.ItemInfo:
        assert self.detail is not None
        return self.detail.info

    # ----- showing -------------------------------------------------------------------------------------------
    def show_record(self, detail: supervision_detail.ItemDetail) -> None:
        if self.record_features is None:
            # 责任与进展 reads by the item's flow instance, known once the item is read.
            self.record_features = attach_record_features(self, detail.info.instance_id)
        info = detail.info
        overdue = info.overdue(_today())
        if info.cancelled:
            state, colour = tr("已撤销"), MUTED
        elif info.closed:
            state = tr("已销号（{0}）").format(cn_date(info.closed_on)) if info.closed_on else tr("已销号")
            colour = URGENT if info.closed_late() else OK
            if info.closed_late():
                state += tr("，逾期办结")
        else:
            state, colour = tr("当前环节：{0}").format(info.state_label), URGENT if overdue else ACCENT
            if overdue:
                state += tr("（已超过办结时限）")
        self.show_header(tr("督办事项 {0} — {1}").format(info.number, info.title),
                         tr("{0}　{1}").format(info.number, info.title), state, colour, _facts(detail))
        self.info_sheet.set_facts([
            (tr("督办编号"), info.number), (tr("事项来源"), info.source), (tr("事项名称"), info.title),
            (tr("工作要求"), info.requirement or "—"), (tr("牵头单位"), info.lead_unit_name),
            (tr("协办单位"), info.co_unit_names or "—"), (tr("责任人"), info.responsible_name or "—"),
            (tr("督办类别"), info.priority), (tr("办结时限"), cn_date(info.deadline)),
            (tr("进展报告"), _rhythm(detail)), (tr("登记人"), info.created_by_name),
        ])
        self.show_history(detail.workflow.history)
        self.show_flow(detail.workflow.flow, detail.workflow.trail)
        self.show_files(detail.files, lambda f: FILE_PURPOSES.get(f.purpose, f.purpose))
        self.tabs.setTabText(self.files_index, tr("材料（{0}）").format(len(detail.files)))
        self.material.add_button.setEnabled(detail.may_add_files)
        if self.material.remove_button is not None:
            self.material.remove_button.setEnabled(detail.may_add_files)
        self.show_urges(detail.urges)
        self.record_features.refresh()
        extras: list[ExtraAction] = []
        if detail.may_request_close:
            extras.append((tr("报请销号"), self.request_close, True))
        if detail.may_report_progress:
            extras.append((tr("报送进展…"), self.report_progress, True))
        if detail.may_report_completion:
            extras.append((tr("报送办结报告…"), lambda: self.report_task(completion=True), True))
        if detail.may_report_task:
            extras.append((tr("反馈协办情况…"), lambda: self.report_task(completion=False), False))
        if detail.may_edit:
            extras.append((tr("修改事项…"), self.edit, False))
        if detail.may_reopen:
            extras.append((tr("重新打开…"), self.reopen, False))
        self.show_actions(detail.workflow.actions, extras, instance=detail.workflow)
        self.opinion_box.set_enabled(bool(detail.workflow.actions))
        may_urge = not info.closed and self.actor.has(*urges.URGING_ROLES) and (overdue or detail.report_overdue)
        self.set_urging(may_urge, tr("只有超过办结时限或逾期未报送进展的事项可以催办"))

    # ----- acting ----------------------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        ident, actor, version, opinion = self.item_id, self.actor, self.info.version, self.opinion_text()
        calls = {
            "assign": lifecycle.assign_item, "request_close": lifecycle.request_close, "close": lifecycle.close_item,
            "return": lifecycle.return_item, "cancel": lifecycle.cancel_item,
        }
        call = calls.get(choice.action)
        if call is None:
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))
            return
        if choice.requires_opinion and not opinion:
            self.opinion_box.show_problem(tr("{0}时请在“办理意见”中写明理由").format(choice.label))
            return
        if choice.action == "cancel" and not confirm(
            self, tr("撤销督办事项"), tr("撤销后该事项不再督办，也不计入通报。确定撤销吗？"), tr("撤销"), tr("不撤销")
        ):
            return
        self.run_service(lambda u: call(u, actor, ident, opinion, expected_version=version))

    def request_close(self) -> None:
        """报请销号, accepting the lead unit's 办结报告 in the same act."""
        ident, actor, version, opinion = self.item_id, self.actor, self.info.version, self.opinion_text()
        self.run_service(lambda u: lifecycle.request_close(u, actor, ident, opinion, expected_version=version))

    def report_progress(self) -> None:
        from app.ui.supervision.report_dialog import ReportDialog

        dialog = ReportDialog(self, tr("报送进展"), tr("本期工作进展、存在问题和下步打算"), self.info.title)
        actor, ident = self.actor, self.item_id
        dialog.work = lambda: self.in_dialog(
            lambda u: lifecycle.report_progress(u, actor, ident, dialog.text(), dialog.files()))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def report_task(self, *, completion: bool) -> None:
        from app.ui.supervision.report_dialog import ReportDialog

        if completion:
            dialog = ReportDialog(self, tr("报送办结报告"), tr("完成情况、取得的成效；请附上佐证材料（文件、照片、验收资料）"),
                                  self.info.title, files_required=not any(
                                      f.purpose == "evidence" for f in (self.detail.files if self.detail else [])))
        else:
            dialog = ReportDialog(self, tr("反馈协办情况"), tr("本单位承担任务的完成情况"), self.info.title)
        actor, ident = self.actor, self.item_id
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.report_task(
            u, actor, ident, dialog.text(), dialog.files(), completion=completion))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def edit(self) -> None:
        from app.ui.supervision.editor import ItemEditor

        try:
            editor = ItemEditor(self.ctx, self.actor, self.info, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def reopen(self) -> None:
        from app.ui.supervision.report_dialog import ReopenDialog

        dialog = ReopenDialog(self, self.info)
        actor, ident, version = self.actor, self.item_id, self.info.version
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.reopen_item(
            u, actor, ident, dialog.reason(), dialog.new_deadline(), expected_version=version))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def print_form(self) -> None:
        self.print_record("supervision-slip", self.item_id, tr("督办通知单"),
                          lambda _title: tr("督办通知单-{0}.pdf").format(self.info.number))

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return urges.urge(uow, self.actor, self.info.instance_id, method, note)

    # ----- material -----------------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        from app.ui.widgets.qt_helpers import ask_open_file

        purposes = [(label, key) for key, label in FILE_PURPOSES.items()]
        labels = [label for label, _key in purposes]
        chosen, ok = QInputDialog.getItem(self, tr("添加材料"), tr("材料用途："), labels, 1, False)
        if not ok:
            return
        purpose = dict(purposes)[chosen]
        path = ask_open_file(self, tr("选择材料文件"))
        if path is not None:
            self.add_file(path, purpose)

    def add_file(self, path: Path, purpose: str) -> None:
        data = self.read_chosen_file(path)
        if data is None:
            return
        actor, ident = self.actor, self.item_id
        mime = mimetypes.guess_type(path.name)[0]

        def work(uow: Any) -> object:
            item, _instance = items.load(uow, actor, ident)
            return FILES.add(uow, actor, item, filename=path.name, data=data, purpose=purpose, mime_type=mime)

        self.run_service(work)

    def remove_selected_file(self) -> None:
        chosen = self.selected_attachment(tr("请先选中一个文件"))
        if chosen is None or not confirm(self, tr("删除材料"), tr("确定删除选中的材料吗？"), tr("删除"), tr("取消")):
            return
        actor, ident = self.actor, self.item_id

        def work(uow: Any) -> object:
            item, _instance = items.load(uow, actor, ident)
            FILES.remove(uow, actor, item, chosen)
            return None

        self.run_service(work)

    def selected_file(self) -> tuple[str, bytes] | None:
        actor = self.actor
        return self.chosen_file(tr("请先选中一个文件"), lambda u, chosen: FILES.download(
            u, actor, chosen, lambda owner: items.load(u, actor, owner)))


def _today() -> Any:
    from datetime import date

    return date.today()


def _rhythm(detail: supervision_detail.ItemDetail) -> str:
    if not detail.rhythm_text:
        return "—"
    if detail.next_report_due is None:
        return tr("{0}报送一次（交办后开始）").format(detail.rhythm_text)
    late = tr("，已逾期") if detail.report_overdue else ""
    return tr("{0}报送一次，下次应于{1}前报送{2}").format(detail.rhythm_text, cn_date(detail.next_report_due), late)


def _facts(detail: supervision_detail.ItemDetail) -> list[Fact]:
    info = detail.info
    return [
        (tr("事项来源"), info.source), (tr("督办类别"), info.priority),
        (tr("牵头单位"), info.lead_unit_name), (tr("责任人"), info.responsible_name or "—"),
        (tr("办结时限"), cn_date(info.deadline)), (tr("进展报告"), _rhythm(detail)),
    ]


def _read_item(ctx: AppContext, actor: Actor, item_id: int) -> supervision_detail.ItemDetail:
    with ctx.uow() as uow:
        return supervision_detail.item_detail(uow, actor, item_id)
