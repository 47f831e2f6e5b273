"""归档与报表: the 归档文件目录 and 归档章 of a year, the 收文登记簿 of a period, and the quarterly
公文运转及差错情况通报.

Each prints through the form registry as the user (app.forms.PrintContext): the services check what the user
may see, and the print is recorded in the audit log, as `govdesk print` does with the same arguments."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app import forms
from app.bootstrap import AppContext
from app.core.archives import RETENTIONS
from app.core.errors import GovDeskError
from app.forms import documents as document_forms
from app.services.documents import archives
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.excel import ExcelSheet, export_workbook, new_workbook, save_workbook
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import add_icon_buttons, ask_excel_file, date_edit, fill_row, icon_button, to_date


class ReportsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.rows: list[archives.CatalogueRow] = []
        this_year = date.today().year

        self.year = QSpinBox()
        self.year.setRange(2000, 2999)
        self.year.setValue(this_year)
        self.retention = QComboBox()
        for code, label in RETENTIONS.items():
            self.retention.addItem(tr(label), code)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.retention.currentIndexChanged.connect(lambda _i: self.refresh())
        self.catalogue = plain_table()
        self.catalogue_count = QLabel()
        self.catalogue_count.setObjectName("hint")
        archive_box = QGroupBox(tr("归档文件目录"))
        top = fill_row(QHBoxLayout(), tr("年度"), self.year, tr("保管期限"), self.retention, None)
        add_icon_buttons(top, (
            (tr("打印目录…"), "print", self.print_catalogue),
            (tr("打印归档章…"), "print", self.print_stamps),
            (tr("导出Excel…"), "save", self.export_catalogue),
        ))
        archive_layout = QVBoxLayout(archive_box)
        archive_layout.addLayout(top)
        archive_layout.addWidget(self.catalogue, 1)
        archive_layout.addWidget(self.catalogue_count)

        self.register_from = date_edit(QDate(this_year, QDate.currentDate().month(), 1))
        self.register_to = date_edit(QDate.currentDate())
        register_box = QGroupBox(tr("收文登记簿"))
        fill_row(QHBoxLayout(register_box), tr("从"), self.register_from, tr("到"), self.register_to, None,
                 icon_button("print", tr("打印登记簿…"), self.print_register))

        self.notice_year = QSpinBox()
        self.notice_year.setRange(2000, 2999)
        self.notice_year.setValue(this_year)
        self.quarter = QComboBox()
        for number, label in enumerate((tr("第一季度"), tr("第二季度"), tr("第三季度"), tr("第四季度")), start=1):
            self.quarter.addItem(label, number)
        self.quarter.setCurrentIndex((date.today().month - 1) // 3)
        notice_box = QGroupBox(tr("公文运转及差错情况通报"))
        notice_row = fill_row(QHBoxLayout(notice_box), self.notice_year, self.quarter, None)
        add_icon_buttons(notice_row, (
            (tr("生成通报…"), "print", self.print_notice),
            (tr("导出Excel…"), "save", self.choose_notice_export),
        ))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(archive_box, 1)
        layout.addWidget(register_box)
        layout.addWidget(notice_box)

    def refresh(self) -> None:
        ctx, actor, year, retention = self.ctx, self.actor, self.year.value(), self.retention.currentData()

        def read() -> list[archives.CatalogueRow]:
            with ctx.uow() as uow:
                return archives.archive_catalogue(uow, actor, year=year, retention=retention)

        try:
            self.rows = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return
        headers = [tr("序号"), tr("档号"), tr("文号"), tr("责任者"), tr("题名"), tr("日期"), tr("页数"), tr("备注")]
        fill_table(self.catalogue, headers, [
            [str(r.seq), r.archive_code, r.doc_number, r.responsible, r.title, r.date, str(r.pages), r.remark]
            for r in self.rows
        ])
        self.catalogue_count.setText(
            tr("共 {0} 件").format(len(self.rows)) if self.rows else tr("这一年度和保管期限下还没有归档的文件。")
        )

    def _preview(self, form: str, period: forms.PrintPeriod, name: str) -> None:
        from app.ui.widgets.print_preview import PrintPreviewDialog

        registry = forms.build_registry()
        source = forms.PrintContext(self.ctx, self.actor)
        try:
            # The reading and the drawing both off the GUI thread: a 51-page register takes a while.
            pdf = db_call(self, lambda: registry.load_and_render(form, source, period))
        except GovDeskError as error:
            show_error(self, error)
            return
        PrintPreviewDialog(registry.get(form).title, pdf, name, self).exec()

    def _require_rows(self) -> bool:
        if not self.rows:
            inform(self, tr("没有可打印的内容"), tr("这一年度和保管期限下还没有归档的文件。"))
            return False
        return True

    def print_catalogue(self) -> None:
        if self._require_rows():
            year, retention = self.year.value(), self.retention.currentData()
            self._preview("archive-catalogue", forms.PrintPeriod(year=year, retention=retention),
                          tr("归档文件目录-{0}.pdf").format(year))

    def print_stamps(self) -> None:
        if self._require_rows():
            year, retention = self.year.value(), self.retention.currentData()
            self._preview("archive-stamps", forms.PrintPeriod(year=year, retention=retention),
                          tr("归档章-{0}.pdf").format(year))

    def print_register(self) -> None:
        start, end = to_date(self.register_from.date()), to_date(self.register_to.date())
        self._preview("receipt-register", forms.PrintPeriod(date_from=start, date_to=end),
                      tr("收文登记簿-{0:%Y%m%d}-{1:%Y%m%d}.pdf").format(start, end))

    def print_notice(self) -> None:
        year, quarter = self.notice_year.value(), self.quarter.currentData()
        self._preview("document-notice", forms.PrintPeriod(year=year, quarter=quarter),
                      tr("公文运转及差错情况通报-{0}年第{1}季度.pdf").format(year, quarter))

    def choose_notice_export(self) -> None:
        year, quarter = self.notice_year.value(), self.quarter.currentData()
        name = tr("公文运转及差错情况-{0}年第{1}季度.xlsx").format(year, quarter)
        path = ask_excel_file(self, name)
        if path:
            self.export_notice(path)

    def export_notice(self, target: Path) -> None:
        ctx, actor, year, quarter = self.ctx, self.actor, self.notice_year.value(), self.quarter.currentData()
        try:
            data = db_call(self, lambda: document_forms.notice_data(ctx, actor, year, quarter))
            book = new_workbook()
            # The headings are the notice's own (app.core.notice_figures), so the sheet counts what the paper does.
            units = ExcelSheet(book, tr("各单位情况"), [
                tr("单位"), tr("办理公文（件）"), tr("平均每环节用时（工作日）"), tr("退回（次）"), tr("格式差错"), tr("文字差错"),
                tr("文种差错"), tr("程序差错"), tr("逾期公文（件）"), tr("超时环节（环节次）"),
            ], formats={2: "0.0"})
            units.extend([r.unit, r.documents, r.avg_step_days, r.returns, r.format_errors, r.wording_errors,
                          r.type_errors, r.procedure_errors, r.overdue, r.late_steps] for r in data.rows)
            late = ExcelSheet(book, tr("逾期事项"), [
                tr("单位"), tr("标题"), tr("文号"), tr("超时环节"), tr("办理时限"), tr("完成日期"), tr("超时工作日"),
            ])
            late.extend([o.unit, o.title, str(o.doc_number or ""), s.step, s.due_date, s.completed_on,
                         s.overdue_workdays] for o in data.overdue_items for s in o.steps)
            save_workbook(book, [units, late], target)
        except GovDeskError as error:
            show_error(self, error)
            return
        inform(self, tr("导出完成"), tr("已导出到：\n{0}").format(target))

    def export_catalogue(self) -> None:
        if not self._require_rows():
            return
        path = ask_excel_file(self, tr("归档文件目录-{0}.xlsx").format(self.year.value()))
        if path:
            self.export_to(path)

    def export_to(self, target: Path) -> None:
        book = new_workbook()
        # DA/T 22-2015 writes a catalogue's dates as eight digits (20261129): a real date, shown that way.
        sheet = ExcelSheet(book, tr("归档文件目录"), [
            tr("序号"), tr("档号"), tr("文号"), tr("责任者"), tr("题名"), tr("日期"), tr("密级"), tr("页数"), tr("备注"),
        ], formats={5: "yyyymmdd"})
        sheet.extend([r.seq, r.archive_code, r.doc_number, r.responsible, r.title,
                      datetime.strptime(r.date, "%Y%m%d").date(), r.secrecy, r.pages, r.remark] for r in self.rows)
        if export_workbook(self, book, [sheet], target):
            inform(self, tr("导出完成"), tr("已导出 {0} 件到：\n{1}").format(len(self.rows), target))


__all__ = ["ReportsTab"]
