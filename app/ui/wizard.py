"""First run: where the data lives (this machine, or a LAN server), then the first administrator and the
office's basic settings."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import APP_TITLE
from app.bootstrap import AppContext, bootstrap
from app.core.errors import GovDeskError, ValidationError
from app.db import profile as profiles
from app.db.migrate import upgrade
from app.db.probe import ProbeResult, probe
from app.services.admin import auth, unit_groups
from app.services.admin import users as admin
from app.services.kernel import settings
from app.ui.i18n import tr
from app.ui.icons import action_icon, app_icon
from app.ui.theme import OK, URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import describe_error
from app.ui.widgets.screen import fit_to_screen
from app.ui.widgets.worker import run_in_background


def _has_users(url: object) -> bool:
    ctx = bootstrap(url)  # type: ignore[arg-type]
    try:
        with ctx.uow() as uow:
            return auth.has_users(uow)
    finally:
        ctx.dispose()


class _Test:
    """One run of 测试连接: what it tests, and whether 下一步 waits for it."""

    def __init__(self, key: tuple[profiles.ConnectionProfile, str], then_next: bool) -> None:
        self.key = key
        self.then_next = then_next


class ConnectionPage(QWizardPage):
    """Where the data lives. 测试连接 (and 下一步, which tests first) runs the probe on a worker thread: the
    window stays live, 取消 stops waiting at once, and a cancelled test's late verdict is dropped."""

    # A test ended with a verdict (True: the database can be used); not emitted for a cancelled one.
    tested = Signal(bool)

    def __init__(self, initial: profiles.ConnectionProfile | None) -> None:
        super().__init__()
        self.setTitle(tr('数据存放在哪里？'))
        self.setSubTitle(tr('只有这一台电脑使用时选“本机数据库”；办公室多台电脑共用时选“局域网数据库”。'))
        self.result: ProbeResult | None = None
        # What the last verdict was about: a verdict counts for 下一步 only while the fields still say that.
        self.tested_key: tuple[profiles.ConnectionProfile, str] | None = None
        self.pending: _Test | None = None
        # An existing GovDesk database with users: nothing more to set up, the wizard can finish here.
        self.existing = False
        self.local = QRadioButton(tr('本机数据库（数据保存在这台电脑的一个文件里）'))
        self.server = QRadioButton(tr('局域网数据库（PostgreSQL 或 MariaDB/MySQL 服务器）'))
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)

        self.path = QLineEdit(str(profiles.default_sqlite_path()))
        browse = QPushButton(tr('浏览…'))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.local_box = QWidget()
        local_layout = QVBoxLayout(self.local_box)
        local_layout.setContentsMargins(24, 0, 0, 0)
        local_layout.addWidget(QLabel(tr('数据文件：')))
        local_layout.addLayout(path_row)

        self.backend = QComboBox()
        for key, label in profiles.BACKEND_LABELS.items():
            self.backend.addItem(label, key)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        self.host = QLineEdit()
        self.host.setPlaceholderText(tr('例如 192.168.1.10'))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("govdesk")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_form = FormGrid()
        self.server_form.add("backend", tr('服务器类型'), self.backend)
        self.server_form.add("host", tr('服务器地址'), self.host, required=True)
        self.server_form.add("port", tr('端口'), self.port)
        self.server_form.add("database", tr('数据库名'), self.database, required=True)
        self.server_form.add("user", tr('用户名'), self.user, required=True)
        self.server_form.add("password", tr('密码'), self.password)
        self.server_box = QWidget()
        server_layout = QVBoxLayout(self.server_box)
        server_layout.setContentsMargins(24, 0, 0, 0)
        server_layout.addLayout(self.server_form)

        self.test_button = QPushButton(action_icon("verify"), tr('测试连接'))
        self.test_button.clicked.connect(self.test_connection)
        self.cancel_button = QPushButton(tr('取消测试'))
        self.cancel_button.clicked.connect(self.cancel_test)
        self.cancel_button.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.cancel_button)
        test_row.addWidget(self.busy)
        test_row.addWidget(self.verdict, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.local_box)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addLayout(test_row)
        layout.addStretch(1)
        self.local.toggled.connect(self._kind_changed)
        for line in (self.path, self.host, self.database, self.user, self.password):
            line.textChanged.connect(self._forget_verdict)
        self.port.valueChanged.connect(self._forget_verdict)
        self.backend.currentIndexChanged.connect(self._forget_verdict)
        if initial is not None and initial.kind == "server":
            self.server.setChecked(True)
            self.backend.setCurrentIndex(max(0, self.backend.findData(initial.backend)))
            self.host.setText(initial.host)
            self.port.setValue(initial.port)
            self.database.setText(initial.database)
            self.user.setText(initial.user)
        else:
            self.local.setChecked(True)
            if initial is not None:
                self.path.setText(initial.path)
        self._kind_changed()

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, tr('数据文件保存到'), self.path.text(), tr('数据文件 (*.sqlite3)'))
        if chosen:
            self.path.setText(chosen)

    def _backend_changed(self) -> None:
        if self.port.value() in profiles.DEFAULT_PORTS.values():
            self.port.setValue(profiles.DEFAULT_PORTS[self.backend.currentData()])

    def _kind_changed(self) -> None:
        self._enable_chosen_box()
        self._forget_verdict()

    def _enable_chosen_box(self) -> None:
        self.local_box.setEnabled(self.local.isChecked())
        self.server_box.setEnabled(self.server.isChecked())

    def _forget_verdict(self) -> None:
        """The fields changed: the last verdict was about something else."""
        if self.pending is not None:
            return
        self.result = None
        self.tested_key = None
        self._set_existing(False)
        self.verdict.clear()

    def _set_existing(self, existing: bool) -> None:
        self.existing = existing
        self.setFinalPage(existing)
        self.completeChanged.emit()

    def profile(self) -> profiles.ConnectionProfile:
        if self.local.isChecked():
            return profiles.ConnectionProfile.local(self.path.text().strip())
        return profiles.ConnectionProfile(
            kind="server", backend=self.backend.currentData(), host=self.host.text().strip(),
            port=self.port.value(), database=self.database.text().strip(), user=self.user.text().strip(),
        )

    def _key(self) -> tuple[profiles.ConnectionProfile, str]:
        return self.profile(), self.password.text()

    @property
    def testing(self) -> bool:
        return self.pending is not None

    def test_connection(self, then_next: bool = False) -> bool:
        """Starts a test; False when the fields are wrong (marked at once) and nothing was started. With
        then_next the wizard goes on by itself once the database proves usable."""
        if self.pending is not None:
            self.pending.then_next = self.pending.then_next or then_next
            return True
        self.server_form.clear_errors()
        try:
            chosen = self.profile().validate()
        except ValidationError as error:
            if self.server.isChecked():
                self.server_form.show_error(error)
            self._say(error.message, False)
            return False
        url = chosen.url(self.password.text())

        def work(_progress: object) -> tuple[ProbeResult, bool]:
            if chosen.kind == "local":
                Path(chosen.path).parent.mkdir(parents=True, exist_ok=True)
            result = probe(url)
            return result, result.ok and _has_users(url)

        test = _Test(self._key(), then_next)
        self.pending = test
        self.result = None
        self.tested_key = None
        self._set_existing(False)
        self._show_testing(True)
        self.verdict.setText(tr('正在连接…'))
        run_in_background(
            work, lambda outcome: self._tested(test, *outcome), lambda error: self._test_failed(test, error)
        )
        return True

    def cancel_test(self) -> None:
        if self.pending is None:
            return
        self.pending = None
        self._show_testing(False)
        self._say(tr('已取消测试。检查服务器地址和网络后，可以再点“测试连接”。'), False)

    def _show_testing(self, testing: bool) -> None:
        for widget in (self.local, self.server, self.local_box, self.server_box):
            widget.setEnabled(not testing)
        if not testing:
            self._enable_chosen_box()
        self.test_button.setVisible(not testing)
        self.cancel_button.setVisible(testing)
        self.busy.setVisible(testing)
        self.completeChanged.emit()
        if testing:
            self.cancel_button.setFocus()

    def _tested(self, test: _Test, result: ProbeResult, existing: bool) -> None:
        if test is not self.pending or not shiboken6.isValid(self):
            return  # cancelled, or the wizard closed: the user has moved on
        self.pending = None
        self._show_testing(False)
        self.result = result
        self.tested_key = test.key
        self._set_existing(existing)
        message = result.message
        if existing:
            message += tr('；库中已有用户，点“完成”后直接登录')
        self._say(message, result.usable_after_init)
        self.tested.emit(result.usable_after_init)
        wizard = self.wizard()
        # An existing database ends the wizard: that is the user's choice to make (完成), not a side effect
        # of 下一步.
        if test.then_next and result.usable_after_init and not existing and wizard is not None:
            wizard.next()

    def _test_failed(self, test: _Test, error: BaseException) -> None:
        if test is not self.pending or not shiboken6.isValid(self):
            return
        self.pending = None
        self._show_testing(False)
        self._say(describe_error(error), False)
        self.tested.emit(False)

    def _say(self, text: str, good: bool) -> None:
        colour = OK if good else URGENT
        self.verdict.setText(f'<span style="color:{colour}">{text}</span>')

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.pending is None and super().isComplete()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        """Qt asks synchronously; the test is not. A fresh good verdict passes; otherwise 下一步 starts a
        test and the page moves on by itself when it succeeds."""
        if self.pending is None and self.result is not None and self.tested_key == self._key():
            return self.result.usable_after_init
        self.test_connection(then_next=True)
        return False


class SetupPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr('单位信息和系统管理员'))
        self.setSubTitle(tr('这些信息以后可以在“系统管理”中修改。管理员用来添加其他同事的账户。'))
        self.office = QLineEdit()
        self.office.setPlaceholderText(tr('例如：青山县人民政府办公室'))
        self.prefixes = QLineEdit(tr('县政办发、县政办函'))
        self.fonds = QLineEdit()
        self.fonds.setPlaceholderText(tr('由档案馆分配，例如 J012'))
        self.username = QLineEdit("admin")
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = FormGrid()
        self.form.add("office_name", tr('单位名称'), self.office, required=True)
        self.form.add("doc_prefixes", tr('机关代字'), self.prefixes, required=True, hint=tr('多个代字用顿号隔开'))
        self.form.add("fonds_number", tr('全宗号'), self.fonds)
        self.form.add("username", tr('管理员用户名'), self.username, required=True)
        self.form.add("full_name", tr('管理员姓名'), self.full_name, required=True)
        self.form.add("password", tr('密码'), self.password, required=True, hint=tr('至少8位，含字母和数字'))
        self.form.add("password2", tr('再输入一次'), self.password2, required=True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)


class FirstRunWizard(QWizard):
    """Ends with a profile saved, the database initialised, and (for a new database) the first admin."""

    def __init__(self, initial: profiles.ConnectionProfile | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr('{0} — 首次设置').format(APP_TITLE))
        self.setWindowIcon(app_icon())
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        fit_to_screen(self, (760, 660), (720, 600))
        self.setButtonText(QWizard.WizardButton.NextButton, tr('下一步'))
        self.setButtonText(QWizard.WizardButton.BackButton, tr('上一步'))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr('完成'))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr('取消'))
        self.connection = ConnectionPage(initial)
        self.setup = SetupPage()
        self.connection_id = self.addPage(self.connection)
        self.setup_id = self.addPage(self.setup)
        self.ctx: AppContext | None = None
        self.password_note = ""

    def done(self, result: int) -> None:
        if result != QWizard.DialogCode.Accepted:
            self.connection.cancel_test()
        super().done(result)

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        if self.currentId() == self.connection_id and not self.connection.existing:
            return self.setup_id
        return -1

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt's name
        if not super().validateCurrentPage():
            return False
        if self.nextId() == -1:
            return self._finish()
        return True

    def _finish(self) -> bool:
        chosen = self.connection.profile()
        password = self.connection.password.text()
        ctx = bootstrap(chosen.url(password))
        try:
            if self.currentId() == self.setup_id:
                if not self._create_office(ctx):
                    ctx.dispose()
                    return False
        except GovDeskError as error:
            self.setup.form.show_error(ValidationError(error.message))
            ctx.dispose()
            return False
        profiles.save_profile(chosen)
        if chosen.kind == "server":
            try:
                profiles.store_password(chosen, password)
            except profiles.KeyringUnavailable as error:
                self.password_note = str(error)
        self.ctx = ctx
        return True

    def _create_office(self, ctx: AppContext) -> bool:
        page = self.setup
        page.form.clear_errors()
        if page.password.text() != page.password2.text():
            page.form.show_error(ValidationError(tr('两次输入的密码不一致'), field="password2"))
            return False
        values = {"office_name": page.office.text(), "doc_prefixes": page.prefixes.text(),
                  "fonds_number": page.fonds.text()}
        username, full_name, password = page.username.text(), page.full_name.text(), page.password.text()

        def set_up() -> None:
            from app.db.migrate import check_schema

            if check_schema(ctx.engine).state == "empty":
                upgrade(ctx.engine)
            with ctx.uow() as uow:
                # Check the settings first: both are written only if both are right.
                for key, value in values.items():
                    try:
                        settings.SETTINGS[key].check(value)
                    except ValidationError as error:
                        raise ValidationError(error.message, field=key) from None
                admin.create_first_admin(uow, username=username, full_name=full_name, password=password)
            with ctx.uow() as uow:
                settings.update_settings(uow, None, values)
            with ctx.uow() as uow:
                # 全部乡镇 and 全部县直部门, ready for the units the administrator adds next.
                unit_groups.make_default_groups(uow, None)

        try:
            # Off the GUI thread: on a LAN server, creating the tables takes a while.
            db_call(self, set_up)
        except ValidationError as error:
            page.form.show_error(error)
            return False
        return True
