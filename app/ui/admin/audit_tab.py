"""The audit-log viewer: filters, paging from SQL, verifying the hash chain, and its anchors: made with the
office key, exported to a signed file and printed, so that a recomputed chain or a cut end shows."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, QEventLoop
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ValidationError, WorkCancelled
from app.db.office_key import OfficeKey, load_office_key
from app.printing.admin.audit_anchor import AuditAnchorSheet, render_audit_anchor
from app.services.admin import audit, audit_text
from app.services.kernel import audit_anchors, settings
from app.services.kernel.actor import Actor
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.theme import OK, URGENT
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.db_call import db_call
from app.ui.widgets.lazy_table import Column, LazyTableModel
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.print_preview import PrintPreviewDialog
from app.ui.widgets.qt_helpers import ask_open_file, date_edit, to_date
from app.ui.widgets.worker import ProgressFn, run_with_progress

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
        for key, label in audit_text.ACTION_LABELS.items():
            self.action.addItem(label, key)
        self.since = date_edit(QDate.currentDate().addMonths(-1))
        self.until = date_edit(QDate.currentDate())
        search = QPushButton(action_icon("find"), tr('查询'))
        search.clicked.connect(self.refresh)
        self.username.returnPressed.connect(self.refresh)
        verify = QPushButton(action_icon("verify"), tr('核验完整性'))
        verify.clicked.connect(lambda: self.verify())
        verify_with_file = QPushButton(tr('用锚点文件核验…'))
        verify_with_file.clicked.connect(self.verify_with_file)
        make_anchor = QPushButton(tr('生成锚点'))
        make_anchor.setToolTip(tr('用本机的办公室密钥为审计日志的当前末条记录签名，日后可发现日志被重算或截去末尾'))
        make_anchor.clicked.connect(self.make_anchor)
        export_anchor = QPushButton(tr('导出锚点…'))
        export_anchor.setToolTip(tr('把最新的有效锚点保存为签名文件，存放在数据库服务器以外的地方'))
        export_anchor.clicked.connect(self.choose_export_file)
        print_anchor = QPushButton(action_icon("print"), tr('打印锚点…'))
        print_anchor.clicked.connect(self.print_anchor)
        self.preview: PrintPreviewDialog | None = None
        # The progress dialog while 核验完整性 runs.
        self.verifying: QProgressDialog | None = None
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
        checks = QHBoxLayout()
        for button in (verify, verify_with_file, make_anchor, export_anchor, print_anchor):
            checks.addWidget(button)
        checks.addStretch(1)
        self.model = LazyTableModel(AUDIT_COLUMNS)
        self.table = DataTable(self.model, prefs, "admin/audit", tr('没有符合条件的审计记录。'))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(checks)
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

    def verify(self, anchor_file: audit_anchors.Anchor | None = None) -> None:
        """Checks the chain on a worker thread, with a progress dialog (已核验 N / 共 M 条) and 取消; the window
        stays live meanwhile, and this returns when the check is over, with its verdict shown."""
        # Translated here, in the GUI thread; the worker only fills in the numbers.
        counting = tr('已核验 {0} / 共 {1} 条')

        def work(progress: ProgressFn) -> tuple[audit.ChainReport, str]:
            # The keyring is asked off the GUI thread, with the database: a locked one may take a while.
            try:
                key, why = load_office_key(), ""
            except ValidationError as error:
                key, why = None, error.message

            def step(done: int, total: int) -> None:
                # Raises WorkCancelled once 取消 was pressed: the check stops between two batches.
                progress(done, total, counting.format(done, total))

            with self.ctx.uow() as uow:
                return audit.verify(uow, self.actor, key, anchor_file, progress=step), why

        outcome: list[tuple[audit.ChainReport, str] | BaseException] = []
        waiting = QEventLoop()

        def finished(result: object) -> None:
            outcome.append(result)  # type: ignore[arg-type]
            waiting.quit()

        self.verifying = run_with_progress(self, tr('正在核验审计日志…'), work, finished, finished, cancel_label=tr('取消'))
        # At 共 M 条 the dialog stays until the verdict is ready (the anchors are still checked then).
        self.verifying.setAutoReset(False)
        self.verifying.setAutoClose(False)
        if not outcome:
            waiting.exec()
        self.verifying = None
        result = outcome[0]
        if isinstance(result, WorkCancelled):
            # Verifying writes nothing: stopping it leaves the log and its anchors as they were.
            self.show_verdict(tr('已取消核验'), None)
            return
        if isinstance(result, BaseException):
            show_error(self, result)
            return
        report, why = result
        text = report.summary() + (f"\n{why}" if why else "")
        self.show_verdict(text, report.ok)

    def show_verdict(self, text: str, ok: bool | None) -> None:
        """The verdict in green (ok), in the warning colour (not ok) or plain (None: no verdict, as after 取消)."""
        lines = "<br>".join(html.escape(line) for line in text.splitlines())
        if ok is None:
            self.verdict.setText(lines)
        else:
            self.verdict.setText(f'<span style="color:{OK if ok else URGENT}">{lines}</span>')
        self.verdict.show()

    def verify_with_file(self) -> None:
        path = ask_open_file(self, tr('选择锚点文件'), tr('锚点文件 (*.json)'))
        if not path:
            return
        try:
            anchor = audit_anchors.read_anchor_file(path)
        except ValidationError as error:
            show_error(self, error)
            return
        self.verify(anchor)

    def _with_key(self, work: Callable[[OfficeKey | None], audit_anchors.Anchor]) -> audit_anchors.Anchor | None:
        try:
            return db_call(self, lambda: work(load_office_key()))
        except Exception as error:  # noqa: BLE001 - shown to the user
            show_error(self, error)
            return None

    def make_anchor(self) -> None:
        def work(key: OfficeKey | None) -> audit_anchors.Anchor:
            with self.ctx.uow() as uow:
                return audit_anchors.make_anchor(uow, self.actor, key)

        anchor = self._with_key(work)
        if anchor is not None:
            self.show_verdict(tr('已生成审计日志锚点：第 {0} 条，密钥指纹 {1}。请导出或打印后存放在数据库服务器以外的地方')
                              .format(anchor.seq, anchor.fingerprint), True)
            self.refresh()

    def latest_anchor(self) -> audit_anchors.Anchor | None:
        def work(key: OfficeKey | None) -> audit_anchors.Anchor:
            with self.ctx.uow() as uow:
                return audit_anchors.latest_anchor(uow, self.actor, key)

        return self._with_key(work)

    def choose_export_file(self) -> None:
        anchor = self.latest_anchor()
        if anchor is None:
            return
        name = tr('审计日志锚点-第{0}条.json').format(anchor.seq)
        path, _ = QFileDialog.getSaveFileName(self, tr('导出锚点到'), str(Path.home() / name), tr('锚点文件 (*.json)'))
        if path:
            self.export_anchor(anchor, Path(path))

    def export_anchor(self, anchor: audit_anchors.Anchor, target: Path) -> None:
        try:
            target.write_text(audit_anchors.anchor_file_text(anchor), encoding="utf-8")
        except OSError as error:
            show_error(self, ValidationError(tr('无法写入 {0}：{1}').format(target, error.strerror or error)))
            return
        inform(self, tr('锚点已导出'), tr('锚点（第 {0} 条）已保存到：\n{1}\n请存放在数据库服务器以外的地方（如 U 盘）').format(
            anchor.seq, target))

    def print_anchor(self) -> None:
        anchor = self.latest_anchor()
        if anchor is None:
            return

        def office_name() -> str:
            with self.ctx.uow() as uow:
                return str(settings.get_setting(uow, "office_name"))

        try:
            office = db_call(self, office_name)
        except Exception as error:  # noqa: BLE001 - shown to the user
            show_error(self, error)
            return
        sheet = AuditAnchorSheet(office, anchor.seq, anchor.count, anchor.head_hash, anchor.at.astimezone(),
                                 anchor.made_by, anchor.fingerprint, anchor.signature)
        self.preview = PrintPreviewDialog(tr('审计日志锚点'), render_audit_anchor(sheet),
                                          tr('审计日志锚点-第{0}条.pdf').format(anchor.seq), self)
        self.preview.open()
