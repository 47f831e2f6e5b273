"""报账统计: claims by department over a period, and totals by expense category, each exportable to Excel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ServerUnavailable, WorkCancelled
from app.core.money import format_amount
from app.services.claims import reports as claim_reports
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.excel import ExcelSheet, export_workbook, new_workbook
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import ask_excel_file, date_edit, fill_row, icon_button, to_date
from app.ui.widgets.units import read_units


class ClaimReportsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.by_unit: list[claim_reports.UnitTotal] = []
        self.by_category: list[claim_reports.CategoryTotal] = []
        today = QDate.currentDate()
        self.date_from = date_edit(QDate(today.year(), 1, 1))
        self.date_to = date_edit(today)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.unit = QComboBox()
        self.unit.addItem(tr("全部部门"), None)

        try:
            units = read_units(self, ctx, actor)
        except (ServerUnavailable, WorkCancelled):
            units = []  # without a server the tab still opens; its 统计 says the server cannot be reached
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        self.unit.currentIndexChanged.connect(lambda _i: self.refresh())
        top = fill_row(QHBoxLayout(), tr("报销日期"), self.date_from, tr("至"), self.date_to, None,
                       icon_button("save", tr("导出Excel…"), self.choose_export_file))
        note = QLabel(tr("统计已提交的报销单（不含草稿和已撤销的）；“已办结”指已付款并记账。"))
        note.setObjectName("hint")

        self.unit_table = plain_table()
        self.unit_total = QLabel()
        unit_box = QGroupBox(tr("按部门"))
        unit_layout = QVBoxLayout(unit_box)
        unit_layout.addWidget(self.unit_table, 1)
        unit_layout.addWidget(self.unit_total)
        self.category_table = plain_table()
        self.category_total = QLabel()
        category_box = QGroupBox(tr("按费用类别"))
        category_layout = QVBoxLayout(category_box)
        category_head = QHBoxLayout()
        category_head.addWidget(QLabel(tr("部门")))
        category_head.addWidget(self.unit, 1)
        category_layout.addLayout(category_head)
        category_layout.addWidget(self.category_table, 1)
        category_layout.addWidget(self.category_total)
        tables = QHBoxLayout()
        tables.addWidget(unit_box, 3)
        tables.addWidget(category_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addLayout(tables, 1)

    def period(self) -> tuple[date, date]:
        return to_date(self.date_from.date()), to_date(self.date_to.date())

    def refresh(self) -> None:
        date_from, date_to = self.period()
        unit_id = self.unit.currentData()

        def totals() -> tuple[list[claim_reports.UnitTotal], list[claim_reports.CategoryTotal]]:
            with self.ctx.uow() as uow:
                return (claim_reports.totals_by_unit(uow, self.actor, date_from, date_to),
                        claim_reports.totals_by_category(uow, self.actor, date_from, date_to, unit_id))

        try:
            self.by_unit, self.by_category = db_call(self, totals)
        except GovDeskError as error:
            show_error(self, error, tr("无法统计"))
            return
        fill_table(self.unit_table, [tr("部门"), tr("报销单（张）"), tr("金额（元）"), tr("已办结（元）"), tr("审批中（元）")], [
            [row.unit_name, str(row.claims), format_amount(row.total), format_amount(row.closed_total),
             format_amount(row.open_total)] for row in self.by_unit
        ])
        total = sum((row.total for row in self.by_unit), Decimal("0.00"))
        count = sum(row.claims for row in self.by_unit)
        self.unit_total.setText(tr("合计：{0} 张，{1} 元").format(count, format_amount(total)))
        fill_table(self.category_table, [tr("费用类别"), tr("明细（行）"), tr("金额（元）")], [
            [tr(row.category), str(row.lines), format_amount(row.total)] for row in self.by_category
        ])
        self.category_total.setText(tr("合计：{0} 元").format(
            format_amount(sum((row.total for row in self.by_category), Decimal("0.00")))))

    def choose_export_file(self) -> None:
        name = tr("报账统计-{0}.xlsx").format(f"{date.today():%Y%m%d}")
        path = ask_excel_file(self, name)
        if path:
            self.export_to(path)

    def export_to(self, target: Path) -> None:
        """Both tables, one sheet each, with the period in the first row."""
        date_from, date_to = self.period()
        book = new_workbook()
        by_unit = ExcelSheet(
            book, tr("按部门"), [tr("部门"), tr("报销单（张）"), tr("金额（元）"), tr("已办结（元）"), tr("审批中（元）")],
            caption=tr("报销日期 {0} 至 {1}").format(date_from, date_to),
        )
        by_unit.extend([row.unit_name, row.claims, row.total, row.closed_total, row.open_total] for row in self.by_unit)
        by_category = ExcelSheet(
            book, tr("按费用类别"), [tr("费用类别"), tr("明细（行）"), tr("金额（元）")],
            caption=tr("报销日期 {0} 至 {1}，{2}").format(date_from, date_to, self.unit.currentText()),
        )
        by_category.extend([item.category, item.lines, item.total] for item in self.by_category)
        if export_workbook(self, book, [by_unit, by_category], target):
            inform(self, tr("导出完成"), tr("已导出到：\n{0}").format(target))
