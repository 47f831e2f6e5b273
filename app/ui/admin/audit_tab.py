"""The audit-log viewer: filters, paging from SQL, and verifying the hash chain."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.services import audit, audit_text
from app.services.actor import Actor
from app.services.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.theme import OK, URGENT
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.db_call import db_call
from app.ui.widgets.lazy_table import Column, LazyTableModel
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import to_date

AUDIT_COLUMNS: list[Column[audit.AuditRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", '序号'), lambda r: str(r.seq), width=70, align_right=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '时间'), lambda r: r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), width=160, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '用户'), lambda r: r.who, width=150, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", '操作'), lambda r: r.action_label, width=110),
    Column(QT_TRANSLATE_NOOP("GovDesk", '对象'), lambda r: r.subject, width=260, tooltip=lambda r: r.subject),
    # The whole of it, one change a line, where the cell is too narrow.
    Column(QT_TRANSLATE_NOOP("GovDesk", '内容'), lambda r: r.description, width=360,
           tooltip=lambda r: r.description.replace(audit_text.SEPARATOR, "\n")),
]


class AuditTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.username = QLineEdit()
        self.username.setPlaceholderText(tr('用户名'))
        self.action = QComboBox()
        self.action.addItem(tr('全部操作'), None)
        for key, label in audit.ACTION_LABELS.items():
            self.action.addItem(label, key)
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        search = QPushButton(action_icon("find"), tr('查询'))
        search.clicked.connect(self.refresh)
        self.username.returnPressed.connect(self.refresh)
        verify = QPushButton(action_icon("verify"), tr('核验完整性'))
        verify.clicked.connect(self.verify)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.hide()
        filters = QHBoxLayout()
        filters.addWidget(self.username)
        filters.addWidget(self.action)
        filters.addWidget(QLabel(tr('从')))
        filters.addWidget(self.since)
        filters.addWidget(QLabel(tr('到')))
        filters.addWidget(self.until)
        filters.addWidget(search)
        filters.addStretch(1)
        filters.addWidget(verify)
        self.model = LazyTableModel(AUDIT_COLUMNS)
        self.table = DataTable(self.model, prefs, "admin/audit", tr('没有符合条件的审计记录。'))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)

    def fetch_for_filters(self) -> Callable[[int, int, str | None, bool], DataPage[audit.AuditRow]]:
        """The page query for the filters as they are now. The list may fetch off the GUI thread, so the
        widgets are read here, once, and never by the fetch itself."""
        since = datetime.combine(to_date(self.since.date()), time.min).astimezone(UTC)
        until = datetime.combine(to_date(self.until.date()), time.max).astimezone(UTC)
        username, action = self.username.text().strip() or None, self.action.currentData()

        def fetch(offset: int, limit: int, _key: str | None, _desc: bool) -> DataPage[audit.AuditRow]:
            with self.ctx.uow() as uow:
                rows, total = audit.list_entries(uow, self.actor, username=username, action=action,
                                                 since=since, until=until, offset=offset, limit=limit)
            return DataPage(rows, total, offset)

        return fetch

    def refresh(self) -> None:
        self.model.set_fetch(self.fetch_for_filters())

    def verify(self) -> None:
        def check() -> audit.ChainReport:
            with self.ctx.uow() as uow:
                return audit.verify(uow, self.actor)

        try:
            report = db_call(self, check)
        except Exception as error:  # noqa: BLE001 - shown to the user
            show_error(self, error)
            return
        colour = OK if report.ok else URGENT
        self.verdict.setText(f'<span style="color:{colour}">{report.summary().replace(chr(10), "<br>")}</span>')
        self.verdict.show()
