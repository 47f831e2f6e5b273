"""The small dialogs of the 出纳 and the 财务人员: 付款 (date and method) and 记账 (voucher number and date)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLineEdit,
    QWidget,
)

from app.core.claims import PAYMENT_METHODS
from app.core.money import format_amount
from app.services.claims import records as claims
from app.ui.i18n import tr
from app.ui.widgets.qt_helpers import date_edit
from app.ui.widgets.step_dialog import StepDialog


def ask_scans(parent: QWidget, title: str) -> list[Path]:
    """The receipt scans the user picks (PDF or pictures, any file if they insist); empty when cancelled."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent, title, str(Path.home()), tr("扫描件 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)"))
    return [Path(path) for path in paths]


class PayDialog(StepDialog):
    def __init__(self, info: claims.ClaimInfo, parent: QWidget | None = None) -> None:
        due = info.top_up
        summary = tr("报销单 {0}，{1}，合计 {2} 元。").format(info.number, info.claimant_name, format_amount(info.total))
        if info.advance:
            summary += tr("原借款 {0} 元，应补付 {1} 元，应退回 {2} 元。").format(
                format_amount(info.advance), format_amount(due), format_amount(info.refund))
        super().__init__(tr("出纳付款"), summary, tr("确认已付款"), parent)
        self.paid_on = date_edit(QDate.currentDate())
        self.method = QComboBox()
        for method in PAYMENT_METHODS:
            self.method.addItem(tr(method), method)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("例如：转入工资卡尾号 1234"))
        self.form.add("paid_on", tr("付款日期"), self.paid_on, required=True)
        self.form.add("method", tr("付款方式"), self.method, required=True)
        self.form.add("note", tr("说明"), self.note)


class BookDialog(StepDialog):
    def __init__(self, info: claims.ClaimInfo, parent: QWidget | None = None) -> None:
        summary = tr("报销单 {0} 已于 {1} 以{2}付款。填写记账凭证号后本单办结。").format(
            info.number, f"{info.paid_on:%Y-%m-%d}" if info.paid_on else "—", info.payment_method or "—")
        super().__init__(tr("记账归档"), summary, tr("记账并办结"), parent)
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText(tr("例如：记-2026-11-031"))
        self.booked_on = date_edit(QDate.currentDate())
        self.form.add("voucher_number", tr("记账凭证号"), self.voucher, required=True)
        self.form.add("booked_on", tr("记账日期"), self.booked_on, required=True)
