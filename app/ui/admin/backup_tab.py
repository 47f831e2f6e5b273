"""Backup and restore, with progress, off the GUI thread, and the office key that signs the backups.

Before a restore the tab shows who made the backup, when, and whether its signature holds; a backup whose
signature does not hold needs a second, deliberate confirmation, which the audit log records."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.db import office_key
from app.db.backup_signature import BackupOrigin
from app.services.admin import maintenance
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.messages import confirm, inform, show_error
from app.ui.widgets.qt_helpers import ask_open_file
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

        key_box = QGroupBox(tr('办公室密钥'))
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        self.create_key_button = QPushButton(tr('生成密钥'))
        self.create_key_button.clicked.connect(self.create_key)
        self.export_key_button = QPushButton(tr('导出密钥…'))
        self.export_key_button.clicked.connect(self.choose_export_file)
        self.import_key_button = QPushButton(tr('导入密钥…'))
        self.import_key_button.clicked.connect(self.choose_import_file)
        key_buttons = QHBoxLayout()
        for button in (self.create_key_button, self.export_key_button, self.import_key_button):
            key_buttons.addWidget(button)
        key_buttons.addStretch(1)
        key_layout = QVBoxLayout(key_box)
        key_layout.addWidget(self.key_status)
        key_layout.addLayout(key_buttons)

        self.last_result = QLabel()
        self.last_result.setObjectName("hint")
        self.last_result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(backup_box)
        layout.addWidget(restore_box)
        layout.addWidget(key_box)
        layout.addWidget(self.last_result)
        layout.addStretch(1)
        self.refresh_key()

    def refresh(self) -> None:
        self.refresh_key()

    # ----- the office key -------------------------------------------------------------------------------

    def refresh_key(self) -> office_key.OfficeKey | None:
        try:
            key = office_key.load_office_key()
        except GovDeskError as error:
            self.key_status.setText(str(error))
            key = None
        else:
            if key is None:
                self.key_status.setText(tr(
                    '本机没有办公室密钥：备份无法签名，恢复时也无法核对备份是否被改动。'
                    '第一台电脑请“生成密钥”，再“导出密钥”带到其他电脑上“导入密钥”。'
                ))
            else:
                self.key_status.setText(tr(
                    '本机办公室密钥指纹：{0}。各电脑的指纹应相同。导出的密钥文件能为备份签名，请妥善保管。'
                ).format(key.fingerprint))
        self.create_key_button.setVisible(key is None)
        self.export_key_button.setEnabled(key is not None)
        return key

    def create_key(self) -> None:
        try:
            key = office_key.create_office_key()
        except GovDeskError as error:
            show_error(self, error, tr('无法生成密钥'))
            return
        self.refresh_key()
        inform(self, tr('已生成密钥'), tr(
            '已生成办公室密钥，指纹 {0}。\n请“导出密钥”，把文件带到办公室的其他电脑上导入，并妥善保管。'
        ).format(key.fingerprint))

    def choose_export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr('导出办公室密钥'), str(Path.home() / tr('办公室密钥.govdesk-key')),
                                              tr('密钥文件 (*.govdesk-key)'))
        if path:
            self.export_key(Path(path))

    def export_key(self, target: Path) -> None:
        try:
            office_key.export_office_key(target)
        except GovDeskError as error:
            show_error(self, error, tr('无法导出密钥'))
            return
        self.last_result.setText(tr('办公室密钥已导出到：{0}').format(target))

    def choose_import_file(self) -> None:
        path = ask_open_file(self, tr('导入办公室密钥'), tr('密钥文件 (*.govdesk-key);;所有文件 (*)'))
        if path:
            self.import_key(path)

    def import_key(self, source: Path) -> None:
        try:
            key = office_key.import_office_key(source)
        except GovDeskError as error:
            show_error(self, error, tr('无法导入密钥'))
            return
        self.refresh_key()
        self.last_result.setText(tr('已导入办公室密钥，指纹 {0}').format(key.fingerprint))

    # ----- backup and restore ---------------------------------------------------------------------------

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
            message = tr('已备份到：\n{0}').format(written)
            if self.refresh_key() is None:
                message += tr(
                    '\n\n注意：本机没有办公室密钥，这个备份没有签名，恢复时需要管理员额外确认。'
                    '请在本页“办公室密钥”处生成或导入密钥。'
                )
            self.last_result.setText(message.replace('\n\n', '\n'))
            inform(self, tr('备份完成'), message)

        run_with_progress(self, tr('正在备份…'), work, done, lambda e: show_error(self, e, tr('备份失败')))

    def choose_restore_file(self) -> None:
        path = ask_open_file(self, tr('选择备份文件'), tr('备份文件 (*.govdesk-backup *.sqlite3);;所有文件 (*)'))
        if path:
            self.check_then_restore(path)

    def check_then_restore(self, source: Path) -> None:
        """Reads the backup's signature (a .sqlite3 file is read whole for it), then asks."""
        def work(_progress: ProgressFn) -> BackupOrigin:
            with self.ctx.uow() as uow:
                return maintenance.inspect_backup(uow, self.actor, source)

        run_with_progress(self, tr('正在核对备份的签名…'), work, lambda origin: self.confirm_restore(source, origin),
                          lambda e: show_error(self, e, tr('无法恢复，数据没有改动')))

    def confirm_restore(self, source: Path, origin: BackupOrigin) -> None:
        question = tr('将用\n{0}\n替换当前的全部数据。\n\n{1}').format(source, origin.describe())
        if origin.good:
            if confirm(self, tr('确认恢复'), question + tr('\n\n确定恢复吗？'), tr('恢复')):
                self.restore_from(source)
            return
        warning = question + tr('\n\n被改动的备份可能给他人加上权限。除非确知这个备份可信，请不要恢复。')
        if not confirm(self, tr('备份的签名无法核对'), warning, tr('仍要继续…')):
            return
        if confirm(self, tr('确认仍然恢复'), tr(
            '确定仍然用这个签名无法核对的备份替换全部数据吗？\n此操作将以您的名义记入审计日志。'
        ), tr('仍然恢复')):
            self.restore_from(source, accept_unsigned=True)

    def restore_from(self, source: Path, accept_unsigned: bool = False) -> None:
        def work(progress: ProgressFn) -> BackupOrigin:
            with self.ctx.uow() as uow:
                return maintenance.restore_database(uow, self.actor, source, progress, accept_unsigned=accept_unsigned)

        def done(_result: object) -> None:
            self.last_result.setText(tr('已从 {0} 恢复').format(source))
            inform(self, tr('恢复完成'), tr('数据已恢复。请重新登录以确保看到的是恢复后的数据。'))

        run_with_progress(self, tr('正在恢复…'), work, done, lambda e: show_error(self, e, tr('恢复失败，数据没有改动')))
