"""The window of one 信访件 (or of its 复查 or 复核): the shared record window with the case's header (where it stands,
its 受理 and 办理 clocks with 延期), 登记信息 (修改登记… while at 登记), its history, flowchart, material, 催办,
责任与进展 (首问负责 and 移交, the unit's task) and links; the area's own tabs 交办与办理, 处理意见书, 回访 and 信访历史
(app.ui.petitions.tabs); and the flow's moves as buttons — 受理, 交办…, 转送…, 不予受理…, 报送审核, 审核通过, 退回修改,
办结 — with 申请复查…/申请复核… once answered. Each act is one call of app.services.petitions.lifecycle."""

from __future__ import annotations

import dataclasses
import mimetypes
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.petitions.flow import CONCLUDED, HANDLE, REGISTER, REPLIED
from app.core.petitions.terms import NEXT_STAGE, STAGE_LABELS
from app.services.kernel.actor import Actor
from app.services.petitions import lifecycle, records, visits
from app.services.petitions.records import FILE_PURPOSES, FILES, PetitionInfo
from app.services.workflow import clocks, parallel, urges
from app.services.workflow.detail import ActionChoice
from app.ui.i18n import tr
from app.ui.petitions.dialogs import AnswerDialog, AssignDialog, ForwardDialog, ReasonDialog, ReviewDialog, VisitDialog
from app.ui.petitions.reading import CaseView, read_case
from app.ui.petitions.tabs import AssignmentTab, HistoryTab, ReplyTab, VisitsTab
from app.ui.theme import ACCENT, MUTED, OK, URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.record_features import attach_record_features
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact
from app.ui.widgets.record_window import ExtraAction, RecordWindow
from app.ui.widgets.step_dialog import StepDialog
from app.ui.widgets.units import read_units

# The moves taken with the opinion box's text alone, each by its lifecycle service.
PLAIN_MOVES: dict[str, Callable[..., PetitionInfo]] = {
    "accept": lifecycle.accept, "submit": lifecycle.submit, "sign": lifecycle.sign,
    "return": lifecycle.return_reply, "conclude": lifecycle.conclude,
}
# The moves that ask for more in a dialog of their own: their buttons end in …
DIALOG_MOVES = frozenset({"assign", "forward", "reject"})
# 重新办理 comes of a 不满意 回访 (记录回访…), which says why; it is no button of its own.
HIDDEN_MOVES = frozenset({"reopen"})


class PetitionWindow(RecordWindow):
    opinion_fields = ("opinion",)

    def __init__(self, ctx: AppContext, actor: Actor, petition_id: int, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        opinion = OpinionBox(tr("办理意见："), tr("办理意见（退回修改时写明理由）"), height=56,
                             area="petitions", ctx=ctx, actor=actor)
        material = AttachmentsPanel(tr("添加材料…"), removable=False)
        super().__init__(ctx, actor, opinion, parent, attachments=material)
        self.petition_id = petition_id
        self.today = today
        self.reader = partial(read_case, ctx, actor, petition_id, today)
        self.detail: CaseView | None = None
        self.material = material
        material.wire(self.choose_files, self.open_selected_file, self.export_selected_file)
        self.tabs.setTabText(self.info_index, tr("登记信息"))
        self.tabs.setTabText(self.files_index, tr("材料"))
        self.record_features: Any = None
        self.assignment_tab = AssignmentTab(self)
        self.reply_tab = ReplyTab(self)
        self.visits_tab = VisitsTab(self)
        self.history_tab: HistoryTab | None = HistoryTab(self) if records.sees_all(actor) else None
        self.assignment_index = self.add_area_tab(self.assignment_tab, "units", tr("交办与办理"))
        self.reply_index = self.add_area_tab(self.reply_tab, "edit", tr("处理意见书"))
        self.visits_index = self.add_area_tab(self.visits_tab, "done", tr("回访"))
        if self.history_tab is not None:
            self.add_area_tab(self.history_tab, "history", tr("信访历史"))
        self.tabs.setCurrentIndex(self.info_index)
        self.load()
        # A case has eleven tabs: without their icons every title shows whole on a 1366-pixel screen at 大.
        for index in range(self.tabs.count()):
            self.tabs.setTabIcon(index, QIcon())

    @property
    def view(self) -> CaseView:
        assert self.detail is not None
        return self.detail

    @property
    def info(self) -> PetitionInfo:
        return self.view.info

    def _today(self) -> date:
        return self.today or date.today()

    # ----- showing -------------------------------------------------------------------------------------------
    def show_record(self, view: CaseView) -> None:
        if self.record_features is None:
            self.record_features = attach_record_features(self, view.info.instance_id)
        info = view.info
        overdue = any(c.reading.overdue for c in view.clocks)
        if info.closed:
            state = tr("{0}（{1}）").format(info.state_label, cn_date(info.concluded_on)) if info.concluded_on \
                else info.state_label
            colour = OK if info.state == CONCLUDED else MUTED
        else:
            state, colour = tr("当前环节：{0}").format(info.state_label), URGENT if overdue else ACCENT
            if overdue:
                state += tr("（已超过时限）")
        if info.is_repeat:
            state += tr("　重复信访")
        title = tr("{0} {1} — {2}").format(info.stage_label, info.number, info.name)
        self.show_header(title, tr("{0}　{1}").format(info.number, _first_line(info.request)), state, colour,
                         _facts(info))
        self.show_clocks(info.instance_id, view.workflow.info.version, view.clocks)
        self.info_sheet.set_facts(_sheet(info))
        self.show_history(view.workflow.history)
        self.show_flow(view.workflow.flow, clocks.trail_with_clocks(view.workflow.trail, view.clocks))
        self.show_files(view.files, lambda f: FILE_PURPOSES.get(f.purpose, f.purpose))
        self.tabs.setTabText(self.files_index, tr("材料（{0}）").format(len(view.files)))
        self.material.add_button.setEnabled(records.may_handle(self.actor) and not info.closed)
        self.show_urges(view.urges)
        self.record_features.refresh()
        self.assignment_tab.show_case(view, self.actor)
        self.reply_tab.show_case(view)
        self.visits_tab.show_case(view)
        if self.history_tab is not None:
            self.history_tab.show_case(view)
        self.tabs.setTabText(self.visits_index, tr("回访（{0}）").format(len(view.visits)) if view.visits
                             else tr("回访"))
        choices = [c for c in view.workflow.actions if c.action not in HIDDEN_MOVES]
        choices = [dataclasses.replace(c, label=c.label + "…") if c.action in DIALOG_MOVES else c for c in choices]
        self.show_actions(choices, self._extras(view), instance=view.workflow)
        self.opinion_box.set_enabled(bool(choices))
        may_urge = not info.closed and overdue and self.actor.has(*urges.URGING_ROLES)
        self.set_urging(may_urge, tr("只有超过受理或办理时限的信访件可以催办"))

    def _extras(self, view: CaseView) -> list[ExtraAction]:
        info = view.info
        extras: list[ExtraAction] = []
        task = view.assignment
        offered = {c.action for c in view.workflow.actions}
        if ("submit" not in offered and task is not None and task.state == "reported" and view.responsible
                and info.state == HANDLE and not info.closed):
            # The flow waits until the unit's task is finished; 报送审核 accepts the unit's report in the same act
            # (lifecycle.submit), so the person who answers for the case is offered it once the unit has reported.
            extras.append((tr("报送审核"), self.submit_with_report, True))
        if info.state == REGISTER and not info.closed and (view.responsible or self.actor.has(*records.LEADERS)):
            extras.append((tr("修改登记…"), self.edit, False))
        next_stage = NEXT_STAGE.get(info.stage)
        if (next_stage is not None and info.state in (REPLIED, CONCLUDED) and info.replied_on is not None
                and records.may_handle(self.actor)):
            extras.append((tr("申请{0}…").format(STAGE_LABELS[next_stage]), self.open_review, False))
        return extras

    def open_other(self, petition_id: int) -> None:
        """Another case of the petitioner's, in a window of its own over this one."""
        try:
            window = PetitionWindow(self.ctx, self.actor, petition_id, self, today=self.today)
        except GovDeskError as error:
            show_error(self, error)
            return
        window.exec()
        if window.changed:
            self.after_change()

    # ----- the flow's moves ---------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        if choice.action == "assign":
            self.assign()
            return
        if choice.action == "forward":
            self.forward()
            return
        if choice.action == "reject":
            self.reject_case()
            return
        call = PLAIN_MOVES.get(choice.action)
        if call is None:
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))
            return
        ident, actor, version, opinion, today = (self.petition_id, self.actor, self.info.version,
                                                 self.opinion_text(), self.today)
        if choice.requires_opinion and not opinion:
            self.opinion_box.show_problem(tr("{0}时请在“办理意见”中写明理由").format(choice.label))
            return
        if choice.action == "conclude" and not confirm(
            self, tr("办结"), tr("办结后本件不再办理；信访人仍可在期限内请求复查。确定办结吗？"), tr("办结"), tr("暂不办结")
        ):
            return
        self.run_service(lambda u: call(u, actor, ident, opinion=opinion, expected_version=version, today=today))

    def submit_with_report(self) -> None:
        ident, actor, version, opinion, today = (self.petition_id, self.actor, self.info.version,
                                                 self.opinion_text(), self.today)
        self.run_service(lambda u: lifecycle.submit(u, actor, ident, opinion=opinion, expected_version=version,
                                                    today=today))

    def run_dialog(self, dialog: StepDialog) -> bool:
        """Shows one of the acts' dialogs; whether it was saved (the tests answer it themselves)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _after_dialog(self, dialog: StepDialog) -> None:
        if self.run_dialog(dialog):
            self.opinion.clear()
            self.after_change()

    def _units(self) -> list[tuple[str, int]]:
        try:
            return [(unit.name, unit.id) for unit in read_units(self, self.ctx, self.actor)]
        except GovDeskError as error:
            show_error(self, error)
            return []

    def _summary(self) -> str:
        info = self.info
        return tr("{0}　{1}：{2}").format(info.number, info.name, _first_line(info.request))

    def assign(self) -> None:
        dialog = AssignDialog(self._summary(), self._units(), self._today(), self)
        ident, actor, version, opinion, today = (self.petition_id, self.actor, self.info.version,
                                                 self.opinion_text(), self.today)
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.assign(
            u, actor, ident, unit_id=dialog.unit_id() or 0, due=dialog.due_date(), task=dialog.task_text(),
            opinion=opinion, expected_version=version, today=today))
        self._after_dialog(dialog)

    def forward(self) -> None:
        dialog = ForwardDialog(self._summary(), self)
        dialog.reason.setPlainText(self.opinion_text())
        ident, actor, version, today = self.petition_id, self.actor, self.info.version, self.today
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.forward(
            u, actor, ident, to=dialog.to.text(), reason=dialog.reason.toPlainText(), expected_version=version,
            today=today))
        self._after_dialog(dialog)

    def reject_case(self) -> None:
        """不予受理 (named apart from QDialog.reject, which closing the window calls)."""
        dialog = ReasonDialog(tr("不予受理"), self._summary(), tr("不予受理"), tr("不予受理的理由"),
                              tr("如：该诉求已经复核终结，依法不再受理"), "reason", self)
        dialog.reason.setPlainText(self.opinion_text())
        ident, actor, version, today = self.petition_id, self.actor, self.info.version, self.today
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.reject(
            u, actor, ident, reason=dialog.text(), expected_version=version, today=today))
        self._after_dialog(dialog)

    # ----- the area's own acts --------------------------------------------------------------------------------
    def edit(self) -> None:
        from app.ui.petitions.editor import PetitionEditor

        try:
            editor = PetitionEditor(self.ctx, self.actor, self.info, self, today=self.today)
        except GovDeskError as error:
            show_error(self, error)
            return
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def open_review(self) -> None:
        stage = STAGE_LABELS[NEXT_STAGE[self.info.stage]]
        dialog = ReviewDialog(tr("申请{0}").format(stage), self._summary(), self._today(), self)
        ident, actor, today = self.petition_id, self.actor, self.today
        opened: list[object] = []
        dialog.work = lambda: opened.append(self.in_dialog(lambda u: lifecycle.open_review(
            u, actor, ident, requested_on=dialog.requested_on(), request=dialog.request.toPlainText(), today=today)))
        if self.run_dialog(dialog):
            self.after_change()
            if opened and isinstance(opened[0], PetitionInfo):
                self.open_other(opened[0].id)

    def save_reply(self) -> None:
        findings, decision, basis = self.reply_tab.texts()
        if not self.reply_tab.form.check_all():
            return
        ident, actor, version, today = self.petition_id, self.actor, self.info.version, self.today
        self.reply_tab.shown_version = None
        try:
            db_call(self, lambda: self._in_uow(lambda u: lifecycle.write_reply(
                u, actor, ident, findings=findings, decision=decision, basis=basis, expected_version=version,
                today=today)), saving=True)
        except GovDeskError as error:
            if error.field in ("findings", "decision", "basis"):
                self.reply_tab.form.show_error(error)  # type: ignore[arg-type]
            else:
                self.refused(error)
            self.reply_tab.shown_version = version
            return
        self.after_change()

    def _in_uow(self, work: Callable[[Any], object]) -> object:
        with self.ctx.uow() as uow:
            return work(uow)

    def report_handling(self) -> None:
        item = AssignmentTab.unit_item(self.view, self.actor)
        if item is None:
            return
        dialog = ReasonDialog(tr("报送办理情况"), tr("{0}\n交办任务：{1}").format(self._summary(), item.task),
                              tr("报送"), tr("办理情况"), tr("调查核实的情况、处理结果和向信访人答复的情况"), "feedback", self)
        if item.feedback:
            dialog.reason.setPlainText(item.feedback)
        actor = self.actor
        dialog.work = lambda: self.in_dialog(lambda u: parallel.report_work_item(u, actor, item.id, dialog.text()))
        self._after_dialog(dialog)

    def object_assignment(self) -> None:
        dialog = ReasonDialog(tr("对交办提出异议"), self._summary(), tr("提出异议"), tr("异议理由"),
                              tr("如：该事项属于县住建局职责，不属于本单位职责范围"), "reason", self)
        ident, actor, today = self.petition_id, self.actor, self.today
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.object_to_assignment(
            u, actor, ident, reason=dialog.text(), today=today))
        self._after_dialog(dialog)

    def answer_objection(self) -> None:
        objection = self.view.open_objection()
        if objection is None:
            return
        summary = tr("{0}\n{1}的异议：{2}").format(self._summary(), objection.unit_name, objection.reason)
        dialog = AnswerDialog(summary, [u for u in self._units() if u[1] != objection.unit_id], self._today(), self)
        actor, today = self.actor, self.today
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.answer_objection(
            u, actor, objection.id, uphold=dialog.uphold(), answer=dialog.answer.toPlainText(),
            new_unit_id=dialog.new_unit_id(), due=dialog.due_date(), today=today))
        self._after_dialog(dialog)

    def urge_unit(self) -> None:
        dialog = ReasonDialog(tr("催办承办单位"), self._summary(), tr("催办"), tr("催办说明"),
                              tr("如：请于本周内报送办理情况"), "note", self, required=False)
        ident, actor, today = self.petition_id, self.actor, self.today
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.urge_unit(u, actor, ident, note=dialog.text(),
                                                                            today=today))
        self._after_dialog(dialog)

    def record_visit(self) -> None:
        dialog = VisitDialog(self._summary(), self._leaders(), self._today(), self)
        ident, actor, today = self.petition_id, self.actor, self.today
        dialog.work = lambda: self.in_dialog(lambda u: lifecycle.record_visit(
            u, actor, ident, visited_on=dialog.visited_on(), method=str(dialog.method.currentData()),
            satisfaction=str(dialog.satisfaction.currentData()), note=dialog.note.toPlainText(),
            action=dialog.chosen_action(), reason=dialog.reason_text(), leader_id=dialog.leader_id(), today=today))
        self._after_dialog(dialog)

    def _leaders(self) -> list[tuple[str, int]]:
        """Whom 提级办理 may raise the case to: the office's 主任 and 副主任."""
        actor, petition_id = self.actor, self.info.id

        def read() -> list[tuple[int, str]]:
            with self.ctx.uow() as uow:
                return visits.leader_choices(uow, actor, petition_id)

        try:
            people = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return []
        return [(name, person_id) for person_id, name in people]

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return urges.urge(uow, self.actor, self.info.instance_id, method, note)

    def print_form(self) -> None:
        """The 信访 forms are printed from the page's lists (helper pet-forms); the window has none yet."""

    # ----- material -----------------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        from app.ui.widgets.qt_helpers import ask_open_file

        purposes = [(label, key) for key, label in FILE_PURPOSES.items()]
        chosen, ok = QInputDialog.getItem(self, tr("添加材料"), tr("材料用途："), [p[0] for p in purposes], 0, False)
        if not ok:
            return
        path = ask_open_file(self, tr("选择材料文件"))
        if path is not None:
            self.add_file(path, dict(purposes)[chosen])

    def add_file(self, path: Path, purpose: str) -> None:
        data = self.read_chosen_file(path)
        if data is None:
            return
        actor, ident = self.actor, self.petition_id
        mime = mimetypes.guess_type(path.name)[0]

        def work(uow: Any) -> object:
            petition, _instance = records.load(uow, actor, ident)
            return FILES.add(uow, actor, petition, filename=path.name, data=data, purpose=purpose, mime_type=mime)

        self.run_service(work)

    def selected_file(self) -> tuple[str, bytes] | None:
        actor = self.actor
        return self.chosen_file(tr("请先选中一个文件"), lambda u, chosen: FILES.download(
            u, actor, chosen, lambda owner: records.load(u, actor, owner)))


def _first_line(text: str, length: int = 40) -> str:
    first = " ".join(text.split())
    return first if len(first) <= length else first[: length - 1] + "…"


def _petitioner(info: PetitionInfo) -> str:
    who = info.name if info.people_count <= 1 else tr("{0}等{1}人").format(info.name, info.people_count)
    return who


def _facts(info: PetitionInfo) -> list[Fact]:
    return [
        (tr("信访方式"), info.channel_text), (tr("登记日期"), cn_date(info.received_on)),
        (tr("信访人"), _petitioner(info)), (tr("联系电话"), info.phone or "—"),
        (tr("问题类别"), tr("{0}（{1}）").format(info.category, info.place)),
        (tr("承办单位"), info.handling_unit_name or info.forwarded_to or "—"),
        (tr("首问责任人"), info.responsible_name or "—"),
    ] + ([(tr("复查（复核）的"), info.reviews_number)] if info.reviews_number else [])


def _sheet(info: PetitionInfo) -> list[Fact]:
    representatives = tr("；").join(
        tr("{0}　{1}　{2}").format(r.name, r.id_number or "—", r.phone or "—") for r in info.representatives)
    facts: list[Fact] = [
        (tr("编号"), info.number), (tr("类型"), info.stage_label),
        (tr("信访方式"), info.channel_text), (tr("登记日期"), cn_date(info.received_on)),
    ]
    if info.reception_leader:
        facts.append((tr("接访领导"), info.reception_leader))
    facts += [
        (tr("信访人"), info.name), (tr("身份证号"), info.id_number or "—"),
        (tr("联系电话"), info.phone or "—"), (tr("住址"), info.address or "—"),
        (tr("人数"), tr("{0}人").format(info.people_count)), (tr("其他代表"), representatives or "—"),
        (tr("信访诉求"), info.request), (tr("事实和理由"), info.facts or "—"),
        (tr("问题类别"), info.category), (tr("问题属地"), info.place),
        (tr("登记人"), info.registered_by_name), (tr("重复信访"), tr("是") if info.is_repeat else tr("否")),
    ]
    if info.reviews_number:
        facts.append((tr("复查（复核）的"), info.reviews_number))
    if info.masked:
        facts.append((tr("说明"), tr("身份证号、联系电话和住址已按规定隐去部分内容")))
    return facts


__all__ = ["PetitionWindow"]
