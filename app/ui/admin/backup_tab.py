"""Backup and restore, with progress, off the GUI thread."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.services import maintenance
from app.services.actor import Actor
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.messages import confirm, inform, show_error
from app.ui.widgets.worker import ProgressFn, run_with_progress


class BackupTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        local = ctx.backend == "sqlite"
        self.suffix = ".sqlite3" if local else ".govdesk-backup"
        where = QLabel(tr('当前数据：{0}').format(ctx.location))
        where.setWordWrap(True)

        backup_box = QGroupBox(tr('备份'))
        explain = QLabel(
            tr('把全部数据（含附件和审计日志）保存到一个文件。建议每周备份一次，并把文件另存到移动硬盘。')
            + (tr('本机数据库在使用中也可以安全备份。') if local else tr('服务器数据库导出为一个备份文件。'))
        )
        explain.setWordWrap(True)
        self.backup_button = QPushButton(action_icon("backup", "white"), tr('立即备份…'))
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(self.choose_backup_file)
        box_layout = QVBoxLayout(backup_box)
        box_layout.addWidget(explain)
        box_layout.addWidget(self.backup_button)

        restore_box = QGroupBox(tr('恢复'))
        warn = QLabel(tr('用备份文件替换当前的全部数据。恢复后，备份之后新录入的内容将不复存在。'))
        warn.setWordWrap(True)
        self.restore_button = QPushButton(action_icon("backup"), tr('从备份恢复…'))
        self.restore_button.clicked.connect(self.choose_restore_file)
        restore_layout = QVBoxLayout(restore_box)
        restore_layout.addWidget(warn)
        restore_layout.addWidget(self.restore_button)

        self.last_result = QLabel()
        self.last_result.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(backup_box)
        layout.addWidget(restore_box)
        layout.addWidget(self.last_result)
        layout.addStretch(1)

    def refresh(self) -> None:
        pass

    def default_name(self) -> str:
        return tr('GovDesk备份-{0:%Y%m%d-%H%M}{1}').format(datetime.now(), self.suffix)

    def choose_backup_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr('备份到'), str(Path.home() / self.default_name()),
                                              tr('备份文件 (*{0})').format(self.suffix))
        if path:
            self.backup_to(Path(path))

    def backup_to(self, target: Path) -> None:
        def work(progress: ProgressFn) -> Path:
            with self.ctx.uow() as uow:
                return maintenance.backup_database(uow, self.actor, target, progress)

        def done(written: Path) -> None:
            self.last_result.setText(tr('已备份到：{0}').format(written))
            inform(self, tr('备份完成'), tr('已备份到：\n{0}').format(written))

        run_with_progress(self, tr('正在备份…'), work, done, lambda e: show_error(self, e, tr('备份失败')))

    def choose_restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr('选择备份文件'), str(Path.home()), tr('备份文件 (*.govdesk-backup *.sqlite3);;所有文件 (*)')
        )
        if path and confirm(self, tr('确认恢复'), tr('将用\n{0}\n替换当前的全部数据，确定吗？').format(path), tr('恢复')):
            self.restore_from(Path(path))

    def restore_from(self, source: Path) -> None:
        def work(progress: ProgressFn) -> None:
            with self.ctx.uow() as uow:
                maintenance.restore_database(uow, self.actor, source, progress)

        def done(_result: object) -> None:
            self.last_result.setText(tr('已从 {0} 恢复').format(source))
            inform(self, tr('恢复完成'), tr('数据已恢复。请重新登录以确保看到的是恢复后的数据。'))

        run_with_progress(self, tr('正在恢复…'), work, done, lambda e: show_error(self, e, tr('恢复失败，数据没有改动')))
