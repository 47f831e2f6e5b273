"""新建/修改报销单: the department, date, line items, receipts and advance, with the totals in figures and
in capitals, 应退/应补, and what each budget has left, worked out as the user types."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.claims import (
    CATEGORIES,
    CLAIM_TOO_LARGE,
    OTHER_CATEGORY,
    LineInput,
    check_claim_date,
    claim_problems,
    line_field,
    totals_by_category,
)
from app.core.errors import GovDeskError, ServerUnavailable, ValidationError, WorkCancelled
from app.core.money import amount_in_words, format_amount
from app.services.claims import budgets
from app.services.claims import records as claims
from app.services.kernel.actor import Actor
from app.ui.claims.actions import ask_scans
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.theme import MUTED, URGENT
from app.ui.widgets.connection_monitor import connection_monitor
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import finish_save
from app.ui.widgets.forms import FormGrid, reveal
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import date_edit, to_date
from app.ui.widgets.screen import fit_to_screen
from app.ui.widgets.units import read_units

SUMMARY, CATEGORY, AMOUNT = 0, 1, 2
BLANK_ROWS = 3
RECALC_DELAY_MS = 250
INVALID_CELL = QColor("#FDECEA")
# Set on a cell the user has typed in: its problems show from then on, not before (see forms.py).
TOUCHED_ROLE = Qt.ItemDataRole.UserRole + 7
TOUCHED_PROPERTY = "touched"
CELL_FIELDS = ((SUMMARY, "summary"), (CATEGORY, "category"), (AMOUNT, "amount"))
# The lines' problems listed under the grid: a few in words, the rest counted (each cell is marked and
# carries its own message), so that a long list never squeezes the grid itself out of sight.
LISTED_PROBLEMS = 3
MIN_VISIBLE_ROWS = 4


@dataclass(frozen=True)
class PendingReceipt:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


class ClaimEditor(QDialog):
    """New when ``claim`` is None; otherwise the claimant edits a draft or a returned claim."""

    def __init__(
        self, ctx: AppContext, actor: Actor, claim: claims.ClaimDetail | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.claim = ctx, actor, claim
        self.saved: claims.ClaimInfo | None = None
        self.pending: list[PendingReceipt] = []
        # Until the first save every problem waits for its field to be touched; after it, all show.
        self.attempted = False
        self._filling = False
        self.setWindowTitle(tr("新建报销单") if claim is None else tr("修改报销单 {0}").format(claim.info.number))
        fit_to_screen(self, (960, 720), (860, 600))

        self.unit = QComboBox()

        # Not shown yet: the wait, if any, is shown over the window that opens the editor.
        for unit in read_units(parent, ctx, actor):
            self.unit.addItem(unit.name, unit.id)
        self.claim_date = date_edit(QDate.currentDate())
        self.receipts = QSpinBox()
        self.receipts.setRange(0, 999)
        self.receipts.setSuffix(tr(" 张"))
        self.advance = QLineEdit()
        self.advance.setPlaceholderText(tr("没有借款可不填"))
        # Four short fields, two a row: the line items below get the height.
        self.form = FormGrid(pairs=True)
        self.form.add("unit_id", tr("报销部门"), self.unit, required=True)
        self.form.add("receipts_count", tr("附单据"), self.receipts, hint=tr("所附发票、收据等原始单据的张数"))
        self.form.add("claim_date", tr("报销日期"), self.claim_date, required=True)
        self.form.add("advance", tr("原借款（元）"), self.advance)
        self.form.set_check("claim_date", lambda: check_claim_date(to_date(self.claim_date.date()), date.today()))
        self.form.set_check("receipts_count", lambda: self._raise_problem("receipts_count"))
        self.form.set_check("advance", lambda: self._raise_problem("advance"))

        self.lines = QTableWidget(0, 3)
        self.lines.setHorizontalHeaderLabels([tr("摘要（费用用途）"), tr("费用类别"), tr("金额（元）")])
        self.lines.verticalHeader().setDefaultSectionSize(34)
        self.lines.setMinimumHeight(34 * (MIN_VISIBLE_ROWS + 1) + 4)
        head = self.lines.horizontalHeader()
        head.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(CATEGORY, QHeaderView.ResizeMode.Fixed)
        head.setSectionResizeMode(AMOUNT, QHeaderView.ResizeMode.Fixed)
        self.lines.setColumnWidth(CATEGORY, 190)
        self.lines.setColumnWidth(AMOUNT, 140)
        self.lines.itemChanged.connect(self._cell_changed)
        add_row = QPushButton(action_icon("new"), tr("添加一行"))
        add_row.clicked.connect(lambda: self.add_line())
        remove_row = QPushButton(action_icon("delete"), tr("删除选中行"))
        remove_row.clicked.connect(self.remove_selected_line)
        for button in (add_row, remove_row):
            button.setAutoDefault(False)
        self.lines_error = QLabel()
        self.lines_error.setObjectName("fieldError")
        self.lines_error.setWordWrap(True)
        self.lines_error.hide()
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(add_row)
        line_buttons.addWidget(remove_row)
        line_buttons.addStretch(1)
        lines_box = QGroupBox(tr("费用明细"))
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.addWidget(self.lines, 1)
        lines_layout.addWidget(self.lines_error)
        lines_layout.addLayout(line_buttons)

        self.total_label = QLabel()
        self.total_label.setObjectName("totalLine")
        self.words_label = QLabel()
        self.words_label.setWordWrap(True)
        self.settle_label = QLabel()
        self.budget_label = QLabel()
        self.budget_label.setWordWrap(True)
        totals = QVBoxLayout()
        for label in (self.total_label, self.words_label, self.settle_label, self.budget_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            totals.addWidget(label)

        self.receipt_list = QListWidget()
        self.receipt_list.setMaximumHeight(84)
        attach = QPushButton(action_icon("pdf"), tr("添加票据扫描件…"))
        attach.setAutoDefault(False)
        attach.clicked.connect(self.choose_receipts)
        drop = QPushButton(tr("移除"))
        drop.setAutoDefault(False)
        drop.clicked.connect(self.remove_pending_receipt)
        receipts_box = QGroupBox(tr("票据扫描件（可选，打印报销单时可一并打印）"))
        receipts_layout = QHBoxLayout(receipts_box)
        receipts_layout.addWidget(self.receipt_list, 1)
        receipt_buttons = QVBoxLayout()
        receipt_buttons.addWidget(attach)
        receipt_buttons.addWidget(drop)
        receipt_buttons.addStretch(1)
        receipts_layout.addLayout(receipt_buttons)
        if claim is not None:
            existing = tr("、").join(r.filename for r in claim.receipts)
            if existing:
                self.receipt_list.addItem(tr("已有：{0}").format(existing))

        self.save_button = QPushButton(action_icon("save"), tr("保存草稿"))
        self.save_button.clicked.connect(lambda: self.save(submit=False))
        self.submit_button = QPushButton(tr("保存并提交审批"))
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(lambda: self.save(submit=True))
        cancel = QPushButton(tr("取消"))
        cancel.clicked.connect(self.reject)
        for button in (self.save_button, self.submit_button, cancel):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(cancel)

        # Everything but the buttons scrolls: when the messages need more height than the screen has (text
        # size 大 on 1366×768), nothing is squeezed over anything else, and the first problem is scrolled to.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(self.form)
        body_layout.addWidget(lines_box, 1)
        body_layout.addLayout(totals)
        body_layout.addWidget(receipts_box)
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_scroll, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(RECALC_DELAY_MS)
        self.timer.timeout.connect(self.recalc)
        self.unit.currentIndexChanged.connect(lambda _i: self.recalc_soon())
        self.claim_date.dateChanged.connect(lambda _d: self.recalc_soon())
        self.advance.textChanged.connect(lambda _t: self.recalc_soon())
        self._fill()
        self.recalc()

    # ----- the form's content -----------------------------------------------------------------------------
    def _fill(self) -> None:
        claim = self.claim
        if claim is None:
            index = self.unit.findData(self.actor.unit_id)
            if index >= 0:
                self.unit.setCurrentIndex(index)
            for _ in range(BLANK_ROWS):
                self.add_line()
            return
        info = claim.info
        index = self.unit.findData(info.unit_id)
        if index >= 0:
            self.unit.setCurrentIndex(index)
        self.claim_date.setDate(QDate(info.claim_date.year, info.claim_date.month, info.claim_date.day))
        self.receipts.setValue(info.receipts_count)
        if info.advance:
            self.advance.setText(format_amount(info.advance))
        for line in claim.lines:
            self.add_line(line.summary, line.category, format_amount(line.amount))
        self.add_line()

    def add_line(self, summary: str = "", category: str = "", amount: str = "") -> None:
        self._filling = True
        try:
            self._add_line(summary, category, amount)
        finally:
            self._filling = False

    def _add_line(self, summary: str, category: str, amount: str) -> None:
        row = self.lines.rowCount()
        self.lines.insertRow(row)
        self.lines.setItem(row, SUMMARY, QTableWidgetItem(summary))
        combo = QComboBox()
        combo.addItem(tr("（请选择）"), "")
        for name in CATEGORIES:
            combo.addItem(tr(name), name)
        # A new row takes the category of the row above: claims are mostly of one kind.
        previous = self.line_category(row - 1) if row > 0 else ""
        chosen = combo.findData(category or previous)
        combo.setCurrentIndex(max(chosen, 0))
        combo.currentIndexChanged.connect(lambda _i, c=combo: self._category_changed(c))
        self.lines.setCellWidget(row, CATEGORY, combo)
        item = QTableWidgetItem(amount)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.lines.setItem(row, AMOUNT, item)

    def remove_selected_line(self) -> None:
        rows = sorted({index.row() for index in self.lines.selectedIndexes()}, reverse=True)
        if not rows and self.lines.currentRow() >= 0:
            rows = [self.lines.currentRow()]
        for row in rows:
            self.lines.removeRow(row)
        if self.lines.rowCount() == 0:
            self.add_line()
        self.recalc_soon()

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and not item.data(TOUCHED_ROLE):
            # Marking the cell changes it again: the flag keeps that from coming back here.
            self._filling = True
            item.setData(TOUCHED_ROLE, True)
            self._filling = False
        if not self._filling:
            self.recalc_soon()

    def _category_changed(self, combo: QComboBox) -> None:
        if not self._filling:
            combo.setProperty(TOUCHED_PROPERTY, True)
        self.recalc_soon()

    def _touched(self, row: int, column: int) -> bool:
        if column == CATEGORY:
            widget = self.lines.cellWidget(row, column)
            return widget is not None and bool(widget.property(TOUCHED_PROPERTY))
        item = self.lines.item(row, column)
        return item is not None and bool(item.data(TOUCHED_ROLE))

    def line_category(self, row: int) -> str:
        combo = self.lines.cellWidget(row, CATEGORY)
        return str(combo.currentData() or "") if isinstance(combo, QComboBox) else ""

    def _cell(self, row: int, column: int) -> str:
        item = self.lines.item(row, column)
        return item.text() if item is not None else ""

    def line_inputs(self) -> list[LineInput]:
        return [
            LineInput(self._cell(row, SUMMARY), self.line_category(row), self._cell(row, AMOUNT))
            for row in range(self.lines.rowCount())
        ]

    def _advance_text(self) -> str:
        return self.advance.text()

    def claim_input(self) -> claims.ClaimInput:
        return claims.ClaimInput(
            unit_id=self.unit.currentData(), claim_date=to_date(self.claim_date.date()), lines=self.line_inputs(),
            receipts_count=self.receipts.value(), advance=self._advance_text(),
        )

    # ----- live totals and checks ---------------------------------------------------------------------------
    def recalc_soon(self) -> None:
        self.timer.start()

    def recalc(self) -> None:
        """Totals, capitals, 应退/应补 and budgets from what is typed, and the problems of what was touched."""
        self.timer.stop()
        self._show_live_problems()
        # An amount counts as soon as it reads as one, whatever else its row still lacks.
        counted: list[tuple[str, Decimal]] = []
        for line in self.line_inputs():
            checked, _ = claim_problems([LineInput("x", line.category or OTHER_CATEGORY, line.amount)], 1, "")
            if checked is not None:
                counted.append((line.category, checked.total))
        total = sum((amount for _, amount in counted), Decimal("0.00"))
        by_category = totals_by_category((category, amount) for category, amount in counted if category)
        self.total_label.setText(tr("<b>合计：</b>{0} 元").format(format_amount(total)))
        self.words_label.setText(tr("<b>合计人民币（大写）：</b>{0}").format(amount_in_words(total)))
        # The advance is checked the same way the claim will be, through a stand-in line.
        probe, _ = claim_problems([LineInput("x", OTHER_CATEGORY, "1")], 1, self._advance_text())
        if probe is None:
            self.settle_label.setText("")
        else:
            advance = probe.advance
            if advance == 0:
                self.settle_label.setText(tr("没有原借款，应付报销人 {0} 元").format(format_amount(total)))
            elif advance >= total:
                self.settle_label.setText(tr("原借款 {0} 元，报销人应退回 {1} 元").format(
                    format_amount(advance), format_amount(advance - total)))
            else:
                self.settle_label.setText(tr("原借款 {0} 元，应补付报销人 {1} 元").format(
                    format_amount(advance), format_amount(total - advance)))
        self._show_budget(by_category)
        # An empty line would leave a gap the grid needs more.
        for label in (self.settle_label, self.budget_label):
            label.setVisible(bool(label.text()))

    def _show_budget(self, by_category: dict[str, Decimal]) -> None:
        unit_id = self.unit.currentData()
        if unit_id is None or not by_category:
            self.budget_label.setText("")
            return
        exclude = self.claim.info.id if self.claim is not None else None
        year = self.claim_date.date().year()
        unreadable = f'<span style="color:{MUTED}">' + tr("暂时连不上数据库服务器，看不到预算情况；不影响填写和保存。") + "</span>"
        if not connection_monitor().is_up():
            # Typing goes on while the server is away; a wait on every keystroke would only get in the way.
            self.budget_label.setText(unreadable)
            return

        def load_status() -> list[budgets.BudgetLine]:
            with self.ctx.uow() as uow:
                return budgets.budget_status(uow, unit_id, year, by_category, exclude)

        try:
            status = db_call(self, load_status)
        except (ServerUnavailable, WorkCancelled):
            self.budget_label.setText(unreadable)
            return
        if not status:
            self.budget_label.setText(f'<span style="color:{MUTED}">' + tr("本部门这些费用类别没有设置预算。") + "</span>")
            return
        parts = []
        for line in status:
            text = tr("{0}：预算 {1}，已用 {2}，本单后剩余 {3}").format(
                tr(line.category), format_amount(line.budget), format_amount(line.used), format_amount(line.left))
            if line.over:
                text = f'<span style="color:{URGENT}">' + text + tr("（超出预算，将送主要领导审批）") + "</span>"
            parts.append(text)
        self.budget_label.setText("<br>".join(parts))

    def problems(self) -> dict[str, str]:
        """Every problem of the claim as typed, by field (core's claim_problems and the date rule)."""
        data = self.claim_input()
        _, found = claim_problems(data.lines, data.receipts_count, data.advance)
        date_problem = self.form.problem("claim_date")
        if date_problem:
            found["claim_date"] = date_problem
        return found

    def _raise_problem(self, name: str) -> None:
        message = self.problems().get(name)
        if message:
            raise ValidationError(message, field=name)

    def _show_live_problems(self) -> None:
        """As the user types: each touched cell's problem beside it, each cleared once fixed. The header
        fields follow the forms' own rule; the receipts count depends on the lines, so it is checked again."""
        found = self.problems()
        self.form.recheck("receipts_count")
        self.form.recheck("advance")
        self._show_line_problems(found, everything=self.attempted)

    def _show_line_problems(self, problems: dict[str, str], everything: bool) -> tuple[int, int] | None:
        """Marks the cells and lists the lines' problems under the table; returns the first cell with one."""
        messages = []
        first: tuple[int, int] | None = None
        for row in range(self.lines.rowCount()):
            for column, name in CELL_FIELDS:
                message = problems.get(line_field(row, name))
                if message and not (everything or self._touched(row, column)):
                    message = None
                self._mark_cell(row, column, message)
                if message:
                    messages.append(tr("第{0}行：{1}").format(row + 1, message))
                    first = first or (row, column)
        general = problems.get("lines")
        # "At least one line" waits for a save; a total beyond the maximum shows as soon as it is typed.
        if general and (everything or general == CLAIM_TOO_LARGE):
            messages.insert(0, general)
        if len(messages) > LISTED_PROBLEMS:
            rest = len(messages) - LISTED_PROBLEMS + 1
            messages = messages[: LISTED_PROBLEMS - 1] + [
                tr("……另有{0}处，见标红的单元格（鼠标停在单元格上可看说明）").format(rest)]
        self.lines_error.setText("\n".join(messages))
        self.lines_error.setVisible(bool(messages))
        return first

    def show_problems(self, problems: dict[str, str]) -> None:
        """Every problem at once, each beside its field: header fields in the form, line problems on their
        cells; the first is scrolled into view (the header's, else the table's)."""
        header = {k: v for k, v in problems.items() if not k.startswith("line")}
        # The form scrolls its first problem into view; the table's first is shown when the form has none.
        self.form.show_errors(header)
        first = self._show_line_problems(problems, everything=True)
        if not header and first is not None:
            item = self.lines.item(*first)
            if item is not None:
                self.lines.scrollToItem(item)
            self.lines.setCurrentCell(*first)
            reveal(self.lines)
        elif problems.get("lines"):
            self.lines.setFocus()

    def _mark_cell(self, row: int, column: int, message: str | None) -> None:
        # Colouring a cell changes its item, which is no edit of the user's.
        filling, self._filling = self._filling, True
        try:
            self._paint_cell(row, column, message)
        finally:
            self._filling = filling

    def _paint_cell(self, row: int, column: int, message: str | None) -> None:
        if column == CATEGORY:
            widget = self.lines.cellWidget(row, column)
            if widget is not None:
                widget.setStyleSheet(f"border: 1px solid {URGENT};" if message else "")
                widget.setToolTip(message or "")
            return
        item = self.lines.item(row, column)
        if item is None:
            item = QTableWidgetItem("")
            self.lines.setItem(row, column, item)
        item.setBackground(QBrush(INVALID_CELL) if message else QBrush())
        item.setToolTip(message or "")

    # ----- receipts -----------------------------------------------------------------------------------------
    def choose_receipts(self) -> None:
        for path in ask_scans(self, tr("选择票据扫描件")):
            self.add_pending_receipt(path)

    def add_pending_receipt(self, path: Path) -> None:
        self.pending.append(PendingReceipt(path))
        self.receipt_list.addItem(tr("待上传：{0}").format(path.name))

    def remove_pending_receipt(self) -> None:
        row = self.receipt_list.currentRow()
        offset = self.receipt_list.count() - len(self.pending)
        if row >= offset:
            del self.pending[row - offset]
            self.receipt_list.takeItem(row)

    # ----- saving -------------------------------------------------------------------------------------------
    def save(self, submit: bool) -> bool:
        self.attempted = True
        self.timer.stop()
        data = self.claim_input()
        problems = self.problems()
        if problems:
            self.show_problems(problems)
            return False
        self.show_problems({})
        # A claim stored by an earlier try whose submit then failed (a lost server, a refusal) is updated, at
        # the version that try left, not created a second time.
        stored = self.saved if self.saved is not None else self.claim.info if self.claim is not None else None

        def store() -> claims.ClaimInfo:
            with self.ctx.uow() as uow:
                if stored is None:
                    return claims.create_claim(uow, self.actor, data)
                return claims.update_claim(uow, self.actor, stored.id, data, expected_version=stored.version)

        def work() -> None:
            # Receipts go up before the claim is submitted: once submitted, only finance may add them.
            self.saved = db_call(self, store, saving=True)
            # A receipt that did not go up keeps the claim unsubmitted: the dialog closes on the saved draft.
            uploaded = self._upload_receipts(self.saved.id, submit)
            if uploaded and submit:
                claim_id = self.saved.id

                def send() -> claims.ClaimInfo:
                    with self.ctx.uow() as uow:
                        return claims.submit(uow, self.actor, claim_id)

                self.saved = db_call(self, send, saving=True)

        return finish_save(self, work, lambda error: self.show_problems({error.field or "": error.message}))

    def _add_receipt(self, claim_id: int, name: str, data: bytes, mime: str | None) -> None:
        with self.ctx.uow() as uow:
            claims.add_receipt(uow, self.actor, claim_id, filename=name, data=data, mime_type=mime)

    def _upload_receipts(self, claim_id: int, submitting: bool) -> bool:
        """Each scan is its own step after the claim is saved, so one too large does not lose the claim.
        Returns whether all went up; if not, the claim stays a draft and the user is told which failed."""
        failed = []
        for index, receipt in enumerate(self.pending):
            try:
                data = receipt.path.read_bytes()
                mime = mimetypes.guess_type(receipt.name)[0]
                db_call(self, partial(self._add_receipt, claim_id, receipt.name, data, mime))
            except OSError as error:
                failed.append(tr("“{0}”无法读取：{1}").format(receipt.name, error.strerror))
            except (ServerUnavailable, WorkCancelled) as error:
                # The rest would each wait for the server in vain; the scans stay on disk to add later.
                failed.append(error.message)
                failed += [tr("“{0}”没有上传").format(rest.name) for rest in self.pending[index:]]
                break
            except GovDeskError as error:
                failed.append(error.message)
        self.pending = []
        if failed:
            then = tr("报销单已保存为草稿，还没有提交。") if submitting else tr("报销单已保存。")
            show_error(self, GovDeskError(then + tr("以下票据没有添加，请在报销单窗口中重新添加：\n{0}").format(
                "\n".join(failed))), tr("票据未全部添加"))
        return not failed
