"""督查通报: pick a month, a quarter or a year; the notice shows its text, the office's figures, the units ranked,
the items by source, the items still overdue and the 责任追究 records — every heading from the figures defined
once (app.core.supervision.notice) — and prints or exports to Excel."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.supervision.notice import (
    NOTICE_FIGURES,
    Period,
    Tally,
    month_period,
    quarter_period,
    year_period,
)
from app.services.kernel.actor import Actor
from app.services.supervision.notice import SupervisionNotice, supervision_notice
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.excel import ExcelSheet, export_workbook, new_workbook
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import ask_excel_file

FIGURE_HEADERS = [tr("{0}（{1}）").format(f.name, f.unit) for f in NOTICE_FIGURES]


def tally_values(tally: Tally) -> list[object]:
    """One tally's figures, in NOTICE_FIGURES' order (numbers as numbers, for Excel)."""
    return [tally.due, tally.closed_on_time, tally.rate_text, tally.closed, tally.closed_late, tally.in_progress,
            tally.overdue]


def tally_cells(tally: Tally) -> list[str]:
    return [str(value) for value in tally_values(tally)]


class NoticeTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.notice: SupervisionNotice | None = None
        self.printable: Any = None
        today = date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setSuffix(tr("年"))
        self.kind = QComboBox()
        self.kind.addItem(tr("月度"), "month")
        self.kind.addItem(tr("季度"), "quarter")
        self.kind.addItem(tr("全年"), "year")
        self.number = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_numbers())
        self._fill_numbers()
        self.number.setCurrentIndex(today.month - 1)
        show = QPushButton(action_icon("refresh"), tr("统计"))
        show.setObjectName("primary")
        show.clicked.connect(self.refresh)
        self.print_button = QPushButton(action_icon("print"), tr("打印通报…"))
        self.print_button.clicked.connect(self.print_notice)
        self.print_button.setEnabled(False)
        self.export_button = QPushButton(action_icon("save"), tr("导出Excel…"))
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)
        controls = QHBoxLayout()
        for widget in (QLabel(tr("统计期：")), self.year, self.kind, self.number, show):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.print_button)
        controls.addWidget(self.export_button)

        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.heading.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        from app.ui.supervision.notice_chart import NoticeChartPanel

        self.chart = NoticeChartPanel()
        self.office = plain_table()
        self.units = plain_table()
        self.sources = plain_table()
        self.overdue = plain_table()
        self.accountability = plain_table()
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.heading)
        column.addWidget(self.text)
        for caption, table in ((tr("全县汇总"), self.office), (tr("各单位按期办结率"), self.chart),
                               (tr("按牵头单位（排名）"), self.units),
                               (tr("按事项来源"), self.sources), (tr("逾期未办结事项"), self.overdue),
                               (tr("责任追究记录"), self.accountability)):
            label = QLabel(caption)
            label.setObjectName("sectionTitle")
            column.addWidget(label)
            column.addWidget(table)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(scroll, 1)

    def _fill_numbers(self) -> None:
        self.number.clear()
        kind = self.kind.currentData()
        if kind == "month":
            for month in range(1, 13):
                self.number.addItem(tr("{0}月").format(month), month)
        elif kind == "quarter":
            for quarter in range(1, 5):
                self.number.addItem(tr("第{0}季度").format("一二三四"[quarter - 1]), quarter)
        self.number.setVisible(kind != "year")

    def period(self) -> Period:
        year, kind, number = self.year.value(), self.kind.currentData(), self.number.currentData()
        if kind == "month":
            return month_period(year, int(number))
        if kind == "quarter":
            return quarter_period(year, int(number))
        return year_period(year)

    def refresh(self) -> None:
        try:
            period = self.period()
            ctx, actor = self.ctx, self.actor

            def read() -> SupervisionNotice:
                with ctx.uow() as uow:
                    return supervision_notice(uow, actor, period)

            self.notice = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.show_notice(self.notice)

    def show_notice(self, notice: SupervisionNotice) -> None:
        figures = notice.figures
        self.heading.setText(notice.title)
        self.text.setText("\n".join(tr("　　{0}").format(p) for p in notice.paragraphs))
        fill_table(self.office, FIGURE_HEADERS, [tally_cells(figures.office)])
        fill_table(self.units, [tr("名次"), tr("牵头单位"), *FIGURE_HEADERS],
                   [[str(place), t.name, *tally_cells(t)] for place, t in enumerate(figures.by_unit, start=1)])
        fill_table(self.sources, [tr("事项来源"), *FIGURE_HEADERS], [[t.name, *tally_cells(t)] for t in figures.by_source])
        fill_table(self.overdue, [tr("牵头单位"), tr("事项名称"), tr("办结时限"), tr("逾期天数")], [
            [i.unit, i.title, cn_date(i.deadline), str((figures.period.end - i.deadline).days)] for i in figures.overdue_items
        ])
        fill_table(self.accountability, [tr("日期"), tr("类型"), tr("责任人"), tr("责任单位"), tr("事项"), tr("情况")], [
            [cn_date(r.occurred_on), r.kind_label, r.person_name, r.unit_name, r.title, r.reason]
            for r in notice.accountability
        ])
        for table, text_column in ((self.office, None), (self.units, 1), (self.sources, 0), (self.overdue, 1),
                                   (self.accountability, 5)):
            _fit(table, text_column)
        from app.forms.supervision import printable_notice

        self.printable = printable_notice(notice)
        self.chart.show_notice(self.printable)
        self.chart.setVisible(bool(figures.by_unit))
        self.export_button.setEnabled(True)
        self.print_button.setEnabled(True)

    def print_notice(self) -> None:
        from app.printing.supervision.notice import render_notice
        from app.ui.widgets.print_preview import PrintPreviewDialog

        if self.notice is None:
            return
        printable = self.printable
        try:
            pdf = db_call(self, lambda: render_notice(printable))
        except GovDeskError as error:
            show_error(self, error)
            return
        PrintPreviewDialog(tr("督查通报"), pdf, tr("{0}.pdf").format(self.notice.title), self).exec()

    def export(self) -> None:
        notice = self.notice
        if notice is None:
            return
        target = ask_excel_file(self, tr("{0}.xlsx").format(notice.title))
        if target is None:
            return
        figures = notice.figures
        book = new_workbook()
        caption = notice.title
        summary = ExcelSheet(book, tr("汇总"), [tr("项目"), *FIGURE_HEADERS], caption)
        summary.append([tr("全县"), *tally_values(figures.office)])
        units = ExcelSheet(book, tr("按单位排名"), [tr("名次"), tr("牵头单位"), *FIGURE_HEADERS], caption)
        units.extend([place, t.name, *tally_values(t)] for place, t in enumerate(figures.by_unit, start=1))
        sources = ExcelSheet(book, tr("按来源"), [tr("事项来源"), *FIGURE_HEADERS], caption)
        sources.extend([t.name, *tally_values(t)] for t in figures.by_source)
        overdue = ExcelSheet(book, tr("逾期未办结"), [tr("牵头单位"), tr("事项名称"), tr("办结时限")], caption)
        overdue.extend([i.unit, i.title, i.deadline] for i in figures.overdue_items)
        records = ExcelSheet(book, tr("责任追究"), [tr("日期"), tr("责任人"), tr("责任单位"), tr("事项"), tr("情况")], caption)
        records.extend([r.occurred_on, r.person_name, r.unit_name, r.title, r.reason] for r in notice.accountability)
        if export_workbook(self, book, [summary, units, sources, overdue, records], target):
            inform(self, tr("导出完成"), tr("通报已导出到“{0}”。").format(target))


def _fit(table: QTableWidget, text_column: int | None) -> None:
    """Every column as wide as its contents and heading, the text column taking what is left; the table as
    tall as its rows (the page scrolls, not each table)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(text_column is None)
    for column in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column == text_column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.resizeRowsToContents()
    height = header.sizeHint().height() + table.verticalHeader().length() + 2 * table.frameWidth() + 2
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setFixedHeight(max(height, header.sizeHint().height() + 30))
