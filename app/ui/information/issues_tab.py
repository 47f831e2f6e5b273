"""The 《政务信息》 tab of the 信息调研 page: a year's issues (第N期, the date, how many items, 已印发 or 编辑中),
编辑新一期 for the editors (文秘人员, 办公室主任, 副主任), and a double-click that opens an issue's window
(IssueWindow). The editors see the issues being edited too; everyone else the issued ones."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.information import issues, records
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.information.issue_window import IssueWindow
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, OK
from app.ui.widgets.db_call import db_call, db_read
from app.ui.widgets.display import cn_date
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import empty_state_label

HEADERS = (QT_TRANSLATE_NOOP("GovDesk", "期号"), QT_TRANSLATE_NOOP("GovDesk", "日期"),
           QT_TRANSLATE_NOOP("GovDesk", "稿件数"), QT_TRANSLATE_NOOP("GovDesk", "状态"),
           QT_TRANSLATE_NOOP("GovDesk", "印发人"))


class IssuesTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.may_edit = records.is_editor(actor)
        self.rows: list[issues.IssueRow] = []
        # The windows open now, so that they stay open while the tab lives.
        self.windows: list[IssueWindow] = []

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(tr("年"))
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.new_button = QPushButton(action_icon("new", "white"), tr("编辑新一期"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(lambda _c=False: self.new_issue())
        self.new_button.setVisible(self.may_edit)
        self.open_button = QPushButton(tr("打开…"))
        self.open_button.clicked.connect(lambda _c=False: self.open_selected())
        self.refresh_button = QPushButton(action_icon("refresh"), tr("刷新"))
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("年度：")))
        row.addWidget(self.year)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.open_button)
        row.addWidget(self.new_button)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip(tr("双击打开这一期"))
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_row(r))
        self.table.itemSelectionChanged.connect(self._enable)
        self.empty = empty_state_label()
        self.count = QLabel()
        self.count.setObjectName("hint")

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.count)
        self._enable()

    def refresh(self) -> None:
        ctx, actor, year = self.ctx, self.actor, self.year.value()

        def work() -> list[issues.IssueRow]:
            with ctx.uow() as uow:
                return issues.list_issues(uow, actor, year)

        rows = db_read(self, work)
        self.rows = rows if rows is not None else []
        self.table.setRowCount(len(self.rows))
        for r, issue in enumerate(self.rows):
            state = QTableWidgetItem(tr(issue.state_label))
            state.setForeground(QColor(OK if issue.issued else ACCENT))
            cells = (QTableWidgetItem(tr("第{0}期").format(issue.seq)), QTableWidgetItem(cn_date(issue.issue_date)),
                     QTableWidgetItem(tr("{0}篇").format(issue.items)), state,
                     QTableWidgetItem(issue.issued_by_name or "—"))
            for c, cell in enumerate(cells):
                if c in (0, 2):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, cell)
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == len(HEADERS) - 1
                                        else QHeaderView.ResizeMode.ResizeToContents)
        has = bool(self.rows)
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        if self.may_edit:
            self.empty.setText(tr("这里列出{0}年的《政务信息》，最新的一期在前。\n这一年还没有，点“编辑新一期”开始编辑。")
                               .format(year))
        else:
            self.empty.setText(tr("这里列出{0}年已印发的《政务信息》，最新的一期在前。\n这一年还没有印发。").format(year))
        issued = sum(1 for r in self.rows if r.issued)
        self.count.setText(tr("{0}年共{1}期，已印发{2}期").format(year, len(self.rows), issued))
        self._enable()

    def _enable(self) -> None:
        self.open_button.setEnabled(0 <= self.table.currentRow() < len(self.rows)
                                    and bool(self.table.selectionModel().selectedRows()))

    def new_issue(self) -> IssueWindow | None:
        """Begins the next issue of today's year and opens it."""
        ctx, actor = self.ctx, self.actor

        def work() -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.create_issue(uow, actor)

        try:
            info = db_call(self, work)
        except GovDeskError as error:
            show_error(self, error)
            return None
        if self.year.value() != info.year:
            self.year.setValue(info.year)
        self.refresh()
        return self.open_issue(info.id)

    def open_selected(self) -> IssueWindow | None:
        return self.open_row(self.table.currentRow())

    def open_row(self, row: int) -> IssueWindow | None:
        if not 0 <= row < len(self.rows):
            return None
        return self.open_issue(self.rows[row].id)

    def open_issue(self, issue_id: int) -> IssueWindow:
        window = IssueWindow(self.ctx, self.actor, issue_id, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.changed.connect(self.refresh)
        window.destroyed.connect(lambda _o=None, w=window: self.windows.remove(w) if w in self.windows else None)
        self.windows.append(window)
        window.show()
        return window
