"""The window of one 报销单: its fields, line items, totals and budget, the history of opinions, the flowchart
with the path taken, the scanned receipts, and the actions this user may take at its current step."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ConflictError, GovDeskError, ValidationError
from app.core.money import format_amount
from app.services.claims import records as claims
from app.services.kernel import attachments
from app.services.kernel.actor import Actor
from app.services.workflow import urges
from app.services.workflow.detail import ActionChoice
from app.ui.claims.actions import BookDialog, PayDialog
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.theme import ACCENT, MUTED, SOON, URGENT
from app.ui.widgets.action_bar import ActionBar
from app.ui.widgets.conflict import ConflictDialog
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, fill_table, plain_table, when
from app.ui.widgets.flowchart_view import FlowchartView
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.qt_helpers import add_button, clear_layout, open_in_viewer, save_copy, to_date
from app.ui.widgets.screen import fit_to_screen

PHRASES = (
    QT_TRANSLATE_NOOP("GovDesk", "同意。"),
    QT_TRANSLATE_NOOP("GovDesk", "情况属实，同意报销。"),
    QT_TRANSLATE_NOOP("GovDesk", "同意，请按规定标准报销。"),
    QT_TRANSLATE_NOOP("GovDesk", "票据不全，请补齐后重新提交。"),
    QT_TRANSLATE_NOOP("GovDesk", "请说明超出开支标准的原因。"),
)


class ClaimWindow(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, claim_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.claim_id = ctx, actor, claim_id
        self.detail: claims.ClaimDetail | None = None
        self.changed = False
        fit_to_screen(self, (1100, 760), (900, 600))

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setWordWrap(True)
        self.state_label = QLabel()
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)
        self.lines = plain_table()
        self.history = plain_table()
        self.flowchart = FlowchartView()
        self.receipts = plain_table()
        self.urges_table = plain_table()
        flow_tab = QWidget()
        flow_layout = QVBoxLayout(flow_tab)
        flow_layout.setContentsMargins(0, 0, 0, 0)
        flow_buttons = QHBoxLayout()
        for icon, text, slot in (("zoom_in", tr("放大"), lambda: self.flowchart.zoom(1.25)),
                                 ("zoom_out", tr("缩小"), lambda: self.flowchart.zoom(0.8)),
                                 ("fit", tr("适合窗口"), self.flowchart.fit),
                                 ("flow", tr("在流程图窗口中打开…"), self.open_flowchart_window)):
            button = QPushButton(action_icon(icon), text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            flow_buttons.addWidget(button)
        flow_buttons.addStretch(1)
        flow_layout.addLayout(flow_buttons)
        flow_layout.addWidget(self.flowchart, 1)
        receipts_tab = QWidget()
        receipts_layout = QVBoxLayout(receipts_tab)
        receipt_buttons = QHBoxLayout()
        self.add_receipt_button = QPushButton(action_icon("new"), tr("添加票据扫描件…"))
        self.add_receipt_button.clicked.connect(self.choose_receipts)
        self.remove_receipt_button = QPushButton(action_icon("delete"), tr("删除选中"))
        self.remove_receipt_button.clicked.connect(self.remove_selected_receipt)
        open_button = QPushButton(tr("打开"))
        open_button.clicked.connect(self.open_selected_receipt)
        export_button = QPushButton(tr("另存为…"))
        export_button.clicked.connect(self.export_selected_receipt)
        for button in (self.add_receipt_button, self.remove_receipt_button, open_button, export_button):
            button.setAutoDefault(False)
            receipt_buttons.addWidget(button)
        receipt_buttons.addStretch(1)
        receipts_layout.addLayout(receipt_buttons)
        receipts_layout.addWidget(self.receipts)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.lines, action_icon("edit"), tr("费用明细"))
        self.tabs.addTab(self.history, action_icon("history"), tr("审批记录"))
        self.flow_index = self.tabs.addTab(flow_tab, action_icon("flow"), tr("流程图"))
        # Fitted when shown: while hidden the view has no size to fit into.
        self.tabs.currentChanged.connect(lambda i: self.flowchart.fit() if i == self.flow_index else None)
        self.receipts_index = self.tabs.addTab(receipts_tab, action_icon("pdf"), tr("票据"))
        self.tabs.addTab(self.urges_table, action_icon("urge"), tr("催办"))

        self.opinion_box = OpinionBox(
            tr("审批意见："), tr("审批意见（同意时写“同意。”即可；退回时写明退回理由）"), PHRASES, height=72)
        self.opinion, self.opinion_error = self.opinion_box.edit, self.opinion_box.error
        # Acts once per click; the next step's buttons ignore the second click of a double-click.
        self.actions_row = ActionBar()
        self.urge_method = QComboBox()
        self.urge_method.addItems(list(urges.URGE_METHODS))
        self.urge_button = QPushButton(action_icon("urge"), tr("催办"))
        self.urge_button.clicked.connect(self.urge)
        self.with_receipts = QCheckBox(tr("附票据扫描件"))
        self.with_receipts.setToolTip(tr("把票据扫描件接在报销单后面，打印成一份"))
        self.print_button = QPushButton(action_icon("print"), tr("打印报销单…"))
        self.print_button.clicked.connect(self.print_form)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        for widget in (self.urge_method, self.urge_button, self.print_button, self.with_receipts):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addLayout(self.actions_row)
        bottom.addWidget(close)
        for button in (self.urge_button, self.print_button, close):
            button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.state_label)
        layout.addLayout(self.facts)
        layout.addWidget(self.tabs, 1)
        self.opinion_box.add_to(layout)
        layout.addLayout(bottom)
        self.load()

    # ----- showing --------------------------------------------------------------------------------------------
    @property
    def info(self) -> claims.ClaimInfo:
        assert self.detail is not None
        return self.detail.info

    def load(self) -> None:
        ctx, actor, claim_id = self.ctx, self.actor, self.claim_id
        try:
            self.detail = db_call(self, lambda: _read_claim(ctx, actor, claim_id))
        except GovDeskError as error:
            show_error(self, error)
            return
        detail, info = self.detail, self.detail.info
        self.setWindowTitle(tr("报销单 {0} — {1}").format(info.number, info.title))
        self.title_label.setText(tr("报销单 {0}　{1}").format(info.number, info.title))
        overdue = info.due_date is not None and info.due_date < date.today() and not info.closed
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
        self.state_label.setText(f'<span style="color:{colour}; font-weight:bold">{state}</span>')
        self._show_facts(detail)
        self._show_lines(detail)
        fill_table(self.history, [tr("时间"), tr("办理人"), tr("操作"), tr("环节"), tr("意见")], [
            [when(h.at), h.actor_name, h.action_label, f"{h.from_label} → {h.to_label}" if h.from_label else h.to_label,
             h.opinion] for h in detail.workflow.history
        ])
        self.flowchart.show_flow(detail.flow, detail.workflow.trail)
        fill_table(self.receipts, [tr("文件名"), tr("类型"), tr("大小")], [
            [r.filename, r.mime_type, f"{r.size // 1024 + 1} KB"] for r in detail.receipts
        ])
        self.tabs.setTabText(self.receipts_index, tr("票据（{0}）").format(len(detail.receipts)))
        fill_table(self.urges_table, [tr("时间"), tr("催办人"), tr("方式"), tr("说明")], [
            [when(u.at), u.by_name, u.method, u.note] for u in detail.urges
        ])
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

    def _show_facts(self, detail: claims.ClaimDetail) -> None:
        info = detail.info
        clear_layout(self.facts)
        settlement = "—"
        if info.advance:
            settlement = tr("原借款 {0}，应退 {1}，应补 {2}").format(
                format_amount(info.advance), format_amount(info.refund), format_amount(info.top_up))
        pairs = [
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
        for i, (label, value) in enumerate(pairs):
            text = QLabel(tr("<b>{0}：</b>{1}").format(label, value))
            text.setWordWrap(True)
            self.facts.addWidget(text, i // 2, i % 2)

    def _build_actions(self) -> None:
        assert self.detail is not None
        clear_layout(self.actions_row)
        for choice in self.detail.workflow.actions:
            add_button(self.actions_row, choice.label, lambda _=False, c=choice: self.act(c), choice.kind == "forward")
        if self.detail.can_edit:
            add_button(self.actions_row, tr("修改报销单…"), self.edit)
        reviewing = any(c.action in ("approve", "return") for c in self.detail.workflow.actions)
        self.opinion_box.set_enabled(reviewing)
        if reviewing:
            # The 待批 case: the window opens with the cursor where the opinion goes.
            self.opinion.setFocus()
        info = self.info
        may_urge = not info.closed and self.actor.has(*urges.URGING_ROLES) and (
            info.due_date is not None and info.due_date < date.today())
        self.urge_button.setEnabled(may_urge)
        self.urge_method.setEnabled(may_urge)

    # ----- acting ---------------------------------------------------------------------------------------------
    def _opinion(self) -> str:
        return self.opinion_box.text()

    def _run(self, work: Callable[[Any], object]) -> bool:
        """One service call in its own unit of work; refusals are shown, nothing typed is lost."""
        self.opinion_box.hide_problem()
        try:
            db_call(self, lambda: _in_unit_of_work(self.ctx, work), saving=True)
        except ConflictError as error:
            ConflictDialog.ask(self, error.message)
            self.load()
            return False
        except ValidationError as error:
            if error.field == "opinion":
                self._opinion_problem(error.message)
            else:
                show_error(self, error)
            return False
        except GovDeskError as error:
            if error.field == "opinion":
                self._opinion_problem(error.message)
            else:
                show_error(self, error)
            return False
        self.changed = True
        self.opinion.clear()
        self.load()
        return True

    def _opinion_problem(self, message: str) -> None:
        self.opinion_box.show_problem(message)

    def act(self, choice: ActionChoice) -> None:
        ident, actor, version, opinion = self.claim_id, self.actor, self.info.version, self._opinion()
        if choice.action == "submit":
            self._run(lambda u: claims.submit(u, actor, ident, expected_version=version))
        elif choice.action == "withdraw":
            if confirm(self, tr("撤销报销单"), tr("撤销后这张报销单不再办理，也不能恢复。确定撤销吗？"), tr("撤销"), tr("不撤销")):
                self._run(lambda u: claims.withdraw(u, actor, ident, opinion, expected_version=version))
        elif choice.action in ("approve", "return"):
            if choice.action == "return" and not opinion:
                self._opinion_problem(tr("退回时请在“审批意见”中写明理由，报销人按理由修改"))
                return
            self._run(lambda u: claims.decide(u, actor, ident, choice.action, opinion, expected_version=version))
        elif choice.action == "pay":
            pay = PayDialog(self.info, self)
            pay.work = lambda: self._service(lambda u: claims.pay(
                u, actor, ident, paid_on=to_date(pay.paid_on.date()), method=pay.method.currentData(),
                note=pay.note.text(), expected_version=version))
            if pay.exec() == QDialog.DialogCode.Accepted:
                self._after_change()
        elif choice.action == "book":
            book = BookDialog(self.info, self)
            book.work = lambda: self._service(lambda u: claims.book(
                u, actor, ident, voucher_number=book.voucher.text(), booked_on=to_date(book.booked_on.date()),
                expected_version=version))
            if book.exec() == QDialog.DialogCode.Accepted:
                self._after_change()
        else:
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))

    def _service(self, work: Callable[[Any], object]) -> object:
        """For a step dialog: runs the call and lets its refusals reach the dialog's form."""
        return db_call(self, lambda: _in_unit_of_work(self.ctx, work), saving=True)

    def _after_change(self) -> None:
        self.changed = True
        self.load()

    def edit(self) -> None:
        from app.ui.claims.editor import ClaimEditor

        try:
            # The editor reads the units and the budget as it opens: the server may be away.
            editor = ClaimEditor(self.ctx, self.actor, self.detail, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        if editor.exec() == QDialog.DialogCode.Accepted:
            self._after_change()

    def urge(self) -> None:
        method, note = self.urge_method.currentText(), self._opinion()
        self._run(lambda u: claims.hasten(u, self.actor, self.claim_id, method, note))
        self.tabs.setCurrentWidget(self.urges_table)

    def open_flowchart_window(self) -> None:
        from app.ui.claims.flowchart_window import FlowchartWindow

        FlowchartWindow(self.ctx, self.actor, self.claim_id, self).exec()

    # ----- receipts ---------------------------------------------------------------------------------------------
    def choose_receipts(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, tr("添加票据扫描件"), str(Path.home()), tr("扫描件 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)"))
        for path in paths:
            self.add_receipt(Path(path))

    def add_receipt(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            show_error(self, GovDeskError(tr("无法读取文件：{0}").format(error.strerror)))
            return
        mime = mimetypes.guess_type(path.name)[0]
        self._run(lambda u: claims.add_receipt(u, self.actor, self.claim_id, filename=path.name, data=data,
                                               mime_type=mime))

    def _selected_receipt(self) -> int | None:
        assert self.detail is not None
        rows = self.receipts.selectionModel().selectedRows()
        if not rows:
            show_error(self, GovDeskError(tr("请先选中一张票据")))
            return None
        return self.detail.receipts[rows[0].row()].id

    def remove_selected_receipt(self) -> None:
        chosen = self._selected_receipt()
        if chosen is not None and confirm(self, tr("删除票据"), tr("确定删除选中的票据扫描件吗？"), tr("删除"), tr("取消")):
            self._run(lambda u: claims.remove_receipt(u, self.actor, self.claim_id, chosen))

    def _receipt(self) -> tuple[str, bytes] | None:
        chosen = self._selected_receipt()
        if chosen is None:
            return None
        ctx, actor = self.ctx, self.actor

        def read() -> tuple[attachments.AttachmentInfo, bytes]:
            with ctx.uow() as uow:
                return claims.receipt_data(uow, actor, chosen)

        try:
            info, data = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return None
        return info.filename, data

    def open_selected_receipt(self) -> None:
        found = self._receipt()
        if found is not None:
            open_in_viewer(self, *found)

    def export_selected_receipt(self) -> None:
        found = self._receipt()
        if found is not None:
            save_copy(self, *found)

    # ----- printing -----------------------------------------------------------------------------------------------
    def form_name(self) -> str:
        return "claim-form-receipts" if self.with_receipts.isChecked() and self.with_receipts.isEnabled() else "claim-form"

    def print_form(self) -> None:
        from app.forms import PrintContext, build_registry
        from app.ui.widgets.print_preview import PrintPreviewDialog

        registry = build_registry()
        name = self.form_name()
        # As this user: a claim they may no longer see is refused by the services, not printed.
        source = PrintContext(self.ctx, self.actor)
        try:
            pdf = db_call(self, lambda: registry.load_and_render(name, source, self.claim_id))
        except GovDeskError as error:
            show_error(self, error)
            return
        PrintPreviewDialog(tr("报销单"), pdf, tr("报销单-{0}.pdf").format(self.info.number), self).exec()


def _read_claim(ctx: AppContext, actor: Actor, claim_id: int) -> claims.ClaimDetail:
    """What the window shows, in a unit of work of its own (run off the GUI thread by db_call)."""
    with ctx.uow() as uow:
        return claims.get_claim(uow, actor, claim_id)


def _in_unit_of_work(ctx: AppContext, work: Callable[[Any], object]) -> object:
    with ctx.uow() as uow:
        return work(uow)
