"""Holiday overrides: the days an administrator declares for years the State Council has not published yet."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.calendar import WorkCalendar
from app.core.errors import GovDeskError
from app.services.kernel import settings
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_call, db_change, db_read
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import date_edit, to_date


class HolidaysTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.year = QSpinBox()
        self.year.setRange(2004, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.valueChanged.connect(self.refresh)
        self.known = QLabel()
        self.known.setWordWrap(True)
        self.known.setObjectName("hint")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr('日期'), tr('类型'), tr('说明')])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 180)
        self.table.setColumnWidth(1, 120)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.day = date_edit(display_format=tr('yyyy年M月d日'))
        self.kind = QComboBox()
        self.kind.addItem(tr('放假（休息日）'), False)
        self.kind.addItem(tr('调休上班（工作日）'), True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr('说明，如：春节、国庆节调休'))
        add = QPushButton(action_icon("new"), tr('添加'))
        add.clicked.connect(self.add)
        remove = QPushButton(action_icon("delete"), tr('删除选中'))
        remove.clicked.connect(self.remove)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr('年份：')))
        top.addWidget(self.year)
        top.addWidget(self.known, 1)
        entry = QHBoxLayout()
        entry.addWidget(self.day)
        entry.addWidget(self.kind)
        entry.addWidget(self.note, 1)
        entry.addWidget(add)
        entry.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)

    def refresh(self) -> None:
        year = self.year.value()
        self.day.setDate(QDate(year, 1, 1))
        official = WorkCalendar().is_known(date(year, 6, 1))
        self.known.setText(
            tr('{0}年的节假日已由国务院公布，系统自动使用；这里的设置会覆盖公布的安排。').format(year)
            if official
            else tr('{0}年的节假日尚未公布：在这里录入放假和调休日，期限计算会使用它们，并标注“待国务院公布”。').format(year)
        )

        def load() -> list[settings.HolidayInfo]:
            with self.ctx.uow() as uow:
                return settings.list_holidays(uow, year)

        rows = db_read(self, load)
        if rows is None:
            return
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(tr('{0}年{1}月{2}日').format(row.day.year, row.day.month, row.day.day)))
            self.table.setItem(r, 1, QTableWidgetItem(tr('调休上班') if row.is_workday else tr('放假')))
            self.table.setItem(r, 2, QTableWidgetItem(row.note))
        self.rows = rows

    def add(self) -> None:
        picked, workday, note = to_date(self.day.date()), bool(self.kind.currentData()), self.note.text()

        def store() -> None:
            with self.ctx.uow() as uow:
                settings.set_holiday(uow, self.actor, picked, workday, note)

        try:
            db_call(self, store, saving=True)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.note.clear()
        if picked.year != self.year.value():
            self.year.setValue(picked.year)
        self.refresh()

    def remove(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            inform(self, tr('请选择'), tr('请先选中要删除的日期'))
            return
        day = self.rows[selected[0].row()].day

        def remove() -> None:
            with self.ctx.uow() as uow:
                settings.remove_holiday(uow, self.actor, day)

        if db_change(self, remove):
            self.refresh()
