"""The window of one 报销单: its fields, line items, totals and budget, the history of opinions, the flowchart
with the path taken, the scanned receipts, and the actions this user may take at its current step."""

from __future__ import annotations

import mimetypes
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QHeaderView, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.money import format_amount
from app.services.claims import records as claims
from app.services.kernel.actor import Actor
from app.services.workflow import urges
from app.services.workflow.detail import ActionChoice
from app.ui.claims.actions import BookDialog, PayDialog, ask_scans
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.theme import ACCENT, MUTED, SOON, URGENT
from app.ui.widgets.display import cn_date, fill_table, past_due, plain_table
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.opinion import OpinionBox, PhraseReader
from app.ui.widgets.qt_helpers import to_date
from app.ui.widgets.record_features import RecordFeaturesPanel, attach_record_features
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact
from app.ui.widgets.record_window import ExtraAction, RecordWindow


class ClaimWindow(RecordWindow):
    # 提交 and 审批同意 may name who acts at the next step.
    send_to_actions = frozenset({"submit", "approve"})

    def __init__(self, ctx: AppContext, actor: Actor, claim_id: int, parent: QWidget | None = None) -> None:
        opinion = OpinionBox(tr("审批意见："), tr("审批意见（同意时写“同意。”即可；退回时写明退回理由）"),
                             height=72, area="claims", ctx=ctx, actor=actor)
        # 基本信息 of a claim is its line items with the total; 附件 are the scanned receipts.
        lines = plain_table()
        receipts = AttachmentsPanel(tr("添加票据扫描件…"), removable=True)
        super().__init__(ctx, actor, opinion, parent, info=lines, attachments=receipts)
        self.lines = lines
        self.claim_id = claim_id
        self.reader = partial(_read_claim, ctx, actor, claim_id, opinion.reader)
        self.detail: claims.ClaimDetail | None = None
        self.record_features: RecordFeaturesPanel | None = None
        self.tabs.setTabIcon(self.info_index, action_icon("edit"))
        self.tabs.setTabText(self.info_index, tr("费用明细"))
        self.tabs.setTabText(self.history_index, tr("审批记录"))
        self.receipts_index = self.files_index
        self.receipts = receipts.table
        self.add_receipt_button = receipts.add_button
        assert receipts.remove_button is not None
        self.remove_receipt_button = receipts.remove_button
        receipts.wire(self.choose_receipts, self.open_selected_file, self.export_selected_file,
                      remove=self.remove_selected_receipt)
        self.add_flow_button("flow", tr("在流程图窗口中打开…"), self.open_flowchart_window)
        # The claim itself first: what was spent is what the approver weighs.
        self.tabs.setCurrentIndex(self.info_index)

        self.add_print_button(tr("打印报销单…"))
        self.with_receipts = QCheckBox(tr("附票据扫描件"))
        self.with_receipts.setToolTip(tr("把票据扫描件接在报销单后面，打印成一份"))
        self.add_tool(self.with_receipts)
        self.load()

    # ----- showing --------------------------------------------------------------------------------------------
    @property
    def info(self) -> claims.ClaimInfo:
        assert self.detail is not None
        return self.detail.info

    def show_record(self, detail: claims.ClaimDetail) -> None:
        self.opinion_box.show_phrases()
        info = detail.info
        overdue = past_due(info.due_date) and not info.closed
        colour = MUTED if info.closed else URGENT if overdue else SOON if info.state == "fill" else ACCENT
        if info.closed:
            state = tr("已撤销") if info.withdrawn else tr("已办结")
        elif info.state == "fill" and info.submitted:
            state = tr("已退回，待报销人修改后重新提交")
        else:
            state = tr("当前环节：{0}").format(info.state_label)
        if overdue:
            state += tr("（已逾期，办理时限 {0}）").format(cn_date(info.due_date))
        elif info.due_date and not info.closed:
            state += tr("（办理时限 {0}）").format(cn_date(info.due_date))
        if info.over_budget:
            state += tr("　超出预算")
        self.show_header(tr("报销单 {0} — {1}").format(info.number, info.title),
                         tr("报销单 {0}　{1}").format(info.number, info.title), state, colour, _facts(detail))
        self._show_lines(detail)
        self.show_history(detail.workflow.history)
        self.show_flow(detail.flow, detail.workflow.trail)
        self.show_files(detail.receipts, lambda r: r.mime_type, tr("类型"))
        self.tabs.setTabText(self.receipts_index, tr("票据（{0}）").format(len(detail.receipts)))
        self.show_urges(detail.urges)
        self.show_related([])
        # 责任与进展 and the records linked to the claim in 关联, read by its flow instance.
        if self.record_features is None:
            self.record_features = attach_record_features(self, info.instance_id)
        self.record_features.refresh()
        self.add_receipt_button.setEnabled(detail.can_add_receipts)
        self.remove_receipt_button.setEnabled(detail.can_add_receipts)
        self.with_receipts.setEnabled(bool(detail.receipts))
        self._build_actions()

    def _show_lines(self, detail: claims.ClaimDetail) -> None:
        fill_table(self.lines, [tr("摘要"), tr("费用类别"), tr("金额（元）")], [
            [line.summary, tr(line.category), format_amount(line.amount)] for line in detail.lines
        ] + [[tr("合计"), "", format_amount(detail.info.total)]])
        header = self.lines.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines.setColumnWidth(1, 180)
        self.lines.setColumnWidth(2, 160)
        last = self.lines.rowCount() - 1
        for row in range(self.lines.rowCount()):
            for column in range(3):
                item = self.lines.item(row, column)
                assert item is not None  # fill_table puts an item in every cell
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row == last:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)

    def _build_actions(self) -> None:
        assert self.detail is not None
        extras: list[ExtraAction] = [(tr("修改报销单…"), self.edit, False)] if self.detail.can_edit else []
        self.show_actions(self.detail.workflow.actions, extras, instance=self.detail.workflow)
        reviewing = any(c.action in ("approve", "return") for c in self.detail.workflow.actions)
        self.opinion_box.set_enabled(reviewing)
        if reviewing:
            # The 待批 case: the window opens with the cursor where the opinion goes.
            self.opinion.setFocus()
        info = self.info
        may_urge = not info.closed and self.actor.has(*urges.URGING_ROLES) and past_due(info.due_date)
        self.set_urging(may_urge)

    # ----- acting ---------------------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        ident, actor, version, opinion = self.claim_id, self.actor, self.info.version, self.opinion_text()
        to = self.sent_to(choice.action)  # read here: the service runs off the GUI thread
        if choice.action == "submit":
            self.run_service(lambda u: claims.submit(
                u, actor, ident, expected_version=version, send_to=to))
        elif choice.action == "withdraw":
            if confirm(self, tr("撤销报销单"), tr("撤销后这张报销单不再办理，也不能恢复。确定撤销吗？"), tr("撤销"), tr("不撤销")):
                self.run_service(lambda u: claims.withdraw(u, actor, ident, opinion, expected_version=version))
        elif choice.action in ("approve", "return"):
            if choice.action == "return" and not opinion:
                self.opinion_box.show_problem(tr("退回时请在“审批意见”中写明理由，报销人按理由修改"))
                return
            self.run_service(lambda u: claims.decide(
                u, actor, ident, choice.action, opinion, expected_version=version, send_to=to))
        elif choice.action == "pay":
            pay = PayDialog(self.info, self)
            pay.work = lambda: self.in_dialog(lambda u: claims.pay(
                u, actor, ident, paid_on=to_date(pay.paid_on.date()), method=pay.method.currentData(),
                note=pay.note.text(), expected_version=version))
            if pay.exec() == QDialog.DialogCode.Accepted:
                self.after_change()
        elif choice.action == "book":
            book = BookDialog(self.info, self)
            book.work = lambda: self.in_dialog(lambda u: claims.book(
                u, actor, ident, voucher_number=book.voucher.text(), booked_on=to_date(book.booked_on.date()),
                expected_version=version))
            if book.exec() == QDialog.DialogCode.Accepted:
                self.after_change()
        else:
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))

    def edit(self) -> None:
        from app.ui.claims.editor import ClaimEditor

        try:
            # The editor reads the units and the budget as it opens: the server may be away.
            editor = ClaimEditor(self.ctx, self.actor, self.detail, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return claims.hasten(uow, self.actor, self.claim_id, method, note)

    def open_flowchart_window(self) -> None:
        from app.ui.claims.flowchart_window import FlowchartWindow

        FlowchartWindow(self.ctx, self.actor, self.claim_id, self).exec()

    # ----- receipts ---------------------------------------------------------------------------------------------
    def choose_receipts(self) -> None:
        for path in ask_scans(self, tr("添加票据扫描件")):
            self.add_receipt(path)

    def add_receipt(self, path: Path) -> None:
        data = self.read_chosen_file(path)
        if data is None:
            return
        mime = mimetypes.guess_type(path.name)[0]
        self.run_service(lambda u: claims.add_receipt(u, self.actor, self.claim_id, filename=path.name, data=data,
                                               mime_type=mime))

    def remove_selected_receipt(self) -> None:
        chosen = self.selected_attachment(tr("请先选中一张票据"))
        if chosen is not None and confirm(self, tr("删除票据"), tr("确定删除选中的票据扫描件吗？"), tr("删除"), tr("取消")):
            self.run_service(lambda u: claims.remove_receipt(u, self.actor, self.claim_id, chosen))

    def selected_file(self) -> tuple[str, bytes] | None:
        return self.chosen_file(tr("请先选中一张票据"), lambda u, chosen: claims.receipt_data(u, self.actor, chosen))

    # ----- printing -----------------------------------------------------------------------------------------------
    def form_name(self) -> str:
        return "claim-form-receipts" if self.with_receipts.isChecked() and self.with_receipts.isEnabled() else "claim-form"

    def print_form(self) -> None:
        self.print_record(self.form_name(), self.claim_id, tr("报销单"),
                          lambda _title: tr("报销单-{0}.pdf").format(self.info.number))


def _read_claim(ctx: AppContext, actor: Actor, claim_id: int, phrases: PhraseReader | None = None) -> claims.ClaimDetail:
    """What the window shows, in a unit of work of its own (run off the GUI thread by db_call); the opinion
    box's phrases with it, the first time."""
    with ctx.uow() as uow:
        detail = claims.get_claim(uow, actor, claim_id)
        if phrases is not None:
            phrases.read(uow)
        return detail


def _facts(detail: claims.ClaimDetail) -> list[Fact]:
    """The header of a claim: who claims what, the total and how the advance settles, the budget left, and
    once done, the payment and the voucher."""
    info = detail.info
    settlement = "—"
    if info.advance:
        settlement = tr("原借款 {0}，应退 {1}，应补 {2}").format(
            format_amount(info.advance), format_amount(info.refund), format_amount(info.top_up))
    pairs: list[Fact] = [
        (tr("报销部门"), info.unit_name), (tr("报销人"), info.claimant_name),
        (tr("报销日期"), cn_date(info.claim_date)), (tr("附单据"), tr("{0} 张").format(info.receipts_count)),
        (tr("合计"), tr("{0} 元（{1}）").format(format_amount(info.total), info.total_in_words)),
        (tr("借款结算"), settlement),
    ]
    if detail.budget:
        pairs.append((tr("预算"), tr("；").join(
            tr("{0}本单后剩余 {1}").format(tr(b.category), format_amount(b.left)) for b in detail.budget)))
    if info.paid_on is not None:
        pairs.append((tr("付款"), tr("{0} {1}（{2}）").format(
            f"{info.paid_on:%Y-%m-%d}", info.payment_method, info.paid_by_name)))
    if info.voucher_number:
        pairs.append((tr("记账凭证"), tr("{0}（{1}）").format(
            info.voucher_number, f"{info.booked_on:%Y-%m-%d}" if info.booked_on else "")))
    return pairs
