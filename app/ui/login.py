"""The login dialog: remembers the last user name, shows a locked account plainly, counts down this
machine's wait after repeated failures, and has a password reset by the administrator changed first."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE
from app.bootstrap import AppContext, leave_unread_by_pyside
from app.core.errors import AccountLocked, AuthenticationError, GovDeskError, ValidationError
from app.services.admin import auth, login_delay
from app.services.admin.login_delay import LoginDelay, LoginDelayed
from app.services.kernel.actor import Actor
from app.ui.change_password import fit_height
from app.ui.i18n import tr
from app.ui.icons import action_icon, app_icon
from app.ui.prefs import Prefs
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import describe_error
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.worker import run_in_background

log = logging.getLogger(__name__)

PRELOAD_DELAY_MS = 150
_preload_started = threading.Event()
_main_window_loaded = threading.Event()


def preload_main_window() -> None:
    """The modules of the main window and its 工作台, loaded while the password is checked. Only
    imports: no Qt object is created, so this may run on any thread. Importing is thread-safe; a
    module that is half-loaded here is simply waited for by whoever imports it next."""
    import app.ui.main_window  # noqa: F401
    import app.ui.workbench.page  # noqa: F401


def prepare_orm() -> None:
    """SQLAlchemy's ORM, the mapped classes of the start's tables and their mappers, loaded ahead of
    the first screen that edits a record. Nothing before the first window needs them: the login and
    the 工作台 run on the tables of app.db.tables."""
    import linecache
    import sys

    before = set(sys.modules)
    leave_unread_by_pyside("sqlalchemy", "app.models")
    from sqlalchemy.orm import configure_mappers

    import app.models  # noqa: F401

    configure_mappers()
    # Imported after Qt, a new module's source is read by PySide's import hook (see
    # app.bootstrap.load_database_layer) and kept in linecache, of no use until a traceback, which
    # reads the file again. SQLAlchemy's and the models' are left unread (leave_unread_by_pyside);
    # what else came with them is dropped here. Only these modules' own files are dropped, so that an
    # import running meanwhile on the GUI thread finds its entries where it left them.
    for name in set(sys.modules) - before:
        filename = getattr(sys.modules.get(name), "__file__", None)
        if filename:
            linecache.cache.pop(filename, None)


def prepare_keyring() -> None:
    """The system keyring's backend, found once per process: the login's own commit may need the office
    key (when an audit anchor is due, app.services.kernel.audit_anchors), and finding the backend loads
    its plug-ins, some 0.1 s that the password check would otherwise wait for. Only the backend is
    found: nothing is read from the keyring, so a locked one asks nothing here."""
    from app.db.profile import keyring_available

    keyring_available()


def start_preloading() -> None:
    """Runs preload_main_window(), prepare_orm() and prepare_keyring() once per process on a background
    thread, while the user types. A failure is left for the real import to report, on the GUI thread, where it can be
    shown."""
    if _preload_started.is_set():
        return
    _preload_started.set()
    # PySide6 builds its Qt namespace (all its enums, some 30-40 ms) the first time any code names it,
    # which the login dialog avoids, so that it shows sooner. It is built here, on the GUI thread while
    # the user types: not on the preloading thread, whose main window modules name it, since the GUI
    # thread may name it at the same moment and PySide6 does not guard that build against two threads.
    from PySide6.QtCore import Qt  # noqa: F401

    def run() -> None:
        with contextlib.suppress(Exception):
            try:
                preload_main_window()
            finally:
                _main_window_loaded.set()
            prepare_orm()
            prepare_keyring()

    threading.Thread(target=run, name="govdesk-preload", daemon=True).start()


class LoginDialog(QDialog):
    changeConnectionRequested = Signal()

    def __init__(
        self,
        ctx: AppContext,
        prefs: Prefs,
        parent: QWidget | None = None,
        prepare: Callable[[], None] | None = None,
        delay: LoginDelay | None = None,
        prefetch: Callable[[Actor], object] | None = None,
    ) -> None:
        """prepare, if given, runs on the GUI thread while the password is checked: what the first
        window needs that does not depend on who logs in (the main window's shell). prefetch, if
        given, runs in the login's worker once the password is right, while the GUI thread finishes
        the shell: what the first window reads for this user (its 工作台); its outcome is kept in
        ``prefetched``, None if it failed (the window then reads for itself). delay: this machine's wait
        between attempts (the one in the user's data folder unless given)."""
        super().__init__(parent)
        self.ctx = ctx
        self.prefs = prefs
        self.prepare = prepare
        self.prefetch = prefetch
        self.prefetched: object | None = None
        self.delay = delay if delay is not None else login_delay.this_machine()
        self.actor: Actor | None = None
        # The forced change of a password reset by the administrator, while it is open.
        self.change_dialog: QDialog | None = None
        self._message = ""
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.setWindowTitle(tr('登录 — {0}').format(APP_TITLE))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)
        fit_when_shown(self)

        # Alignments are set by name, through Qt's property system: naming PySide6's Qt namespace builds
        # all its enums (some 30-40 ms), which the preloading does once the dialog is on screen instead.
        title = QLabel(APP_TITLE)
        title.setObjectName("pageTitle")
        title.setProperty("alignment", "AlignCenter")
        where = QLabel(tr('数据位置：{0}').format(ctx.location))
        where.setObjectName("hint")
        where.setProperty("alignment", "AlignCenter")
        where.setWordWrap(True)

        self.username = QLineEdit(prefs.last_username)
        self.username.setPlaceholderText(tr('用户名'))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr('密码'))
        self.form = FormGrid()
        self.form.add("username", tr('用户名'), self.username)
        self.form.add("password", tr('密码'), self.password)

        self.status = QLabel()
        self.status.setObjectName("fieldError")
        self.status.setWordWrap(True)
        self.status.hide()
        self.lock_icon = QLabel()
        self.lock_icon.setPixmap(action_icon("lock", "#C0392B").pixmap(22, 22))
        self.lock_icon.setProperty("alignment", "AlignLeft|AlignTop")  # beside the first line of a long message
        self.lock_icon.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.lock_icon, 0)
        status_row.addWidget(self.status, 1)

        self.login_button = QPushButton(tr('登录'))
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.attempt)
        self.connection_button = QPushButton(tr('更改连接…'))
        self.connection_button.setIcon(action_icon("database"))
        self.connection_button.clicked.connect(self._change_connection)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connection_button)
        buttons.addStretch(1)
        cancel = QPushButton(tr('退出'))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        buttons.addWidget(self.login_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addLayout(status_row)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        (self.password if self.username.text() else self.username).setFocus()
        self._wait_if_needed()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # The user takes a few seconds to type; the main window gets ready meanwhile. It starts once the
        # dialog has been painted, so that the dialog itself does not wait for the GIL. The password is
        # checked on a worker thread too (argon2 releases the GIL), so the two overlap on a fast typist.
        QTimer.singleShot(PRELOAD_DELAY_MS, start_preloading)
        fit_height(self)

    def _change_connection(self) -> None:
        self.changeConnectionRequested.emit()
        self.done(2)

    def _show(self, message: str, locked: bool = False) -> None:
        self._message = message
        self.status.setText(message)
        self.status.show()
        self.lock_icon.setVisible(locked)
        fit_height(self)

    def _wait_if_needed(self) -> None:
        """After repeated failures from this PC the next attempt must wait: the 登录 button counts the
        seconds down, and what was typed stays. The service refuses an early attempt all the same."""
        if self.delay.seconds_left() > 0:
            self.login_button.setEnabled(False)
            self._countdown.start()
        self._tick()

    def _tick(self) -> None:
        left = self.delay.seconds_left()
        wait = tr('请等待{0}秒后再试').format(left)
        if left > 0:
            self.status.setText(f"{self._message}\n{wait}" if self._message else wait)
            self.status.show()
            fit_height(self)
            self.login_button.setText(tr('登录（{0}）').format(left))
            return
        self._countdown.stop()
        self.login_button.setText(tr('登录'))
        self.login_button.setEnabled(True)
        if self._message:
            self.status.setText(self._message)
        else:
            self.status.hide()

    def attempt(self) -> None:
        if self._countdown.isActive() or self.change_dialog is not None:
            return
        username = self.username.text()
        password = self.password.text()
        self._message = ""
        self.form.clear_errors()
        self.status.hide()
        self.lock_icon.hide()
        self.login_button.setEnabled(False)
        self.login_button.setText(tr('正在登录…'))

        delay = self.delay

        prefetch = self.prefetch

        def work(_progress: object) -> tuple[Actor, object | None]:
            with self.ctx.uow() as uow:
                actor = auth.login(uow, username, password, delay)
            if prefetch is None or actor.must_change_password:
                return actor, None
            try:
                return actor, prefetch(actor)
            except Exception:  # noqa: BLE001 - the window reads again, and says what fails then
                log.warning("the first workbench reading failed; the page reads it again", exc_info=True)
                return actor, None

        def done(outcome: tuple[Actor, object | None]) -> None:
            actor, self.prefetched = outcome
            self._logged_in(actor, password)

        run_in_background(work, done, self._failed)
        # Checking the password takes the worker some 50 ms (argon2 releases the GIL), which leaves
        # this thread free; the outcome is handed over at the next turn of the event loop.
        if self.prepare is not None:
            # PySide6 makes each of its classes at its first use, and not safely from two threads at
            # once: the shell is built after the preloading thread has imported the main window's
            # modules, which it does within a moment of the dialog appearing, long before anyone has
            # typed a password. (Built meanwhile, a qtpy import once lost names that the other thread
            # was making.) The ORM, which it loads next, makes no PySide6 class.
            if _preload_started.is_set():
                _main_window_loaded.wait(timeout=30)
            self.prepare()

    def _logged_in(self, actor: Actor, password: str) -> None:
        self.prefs.last_username = actor.username
        if actor.must_change_password:
            self._change_password_first(actor, password)
            return
        self.actor = actor
        self.accept()

    def _change_password_first(self, actor: Actor, password: str) -> None:
        """The administrator reset this password: no window opens until the user has chosen their own."""
        from app.ui.change_password import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx, actor, old_password=password, parent=self)
        self.change_dialog = dialog

        def changed() -> None:
            self.change_dialog = None
            self.actor = replace(actor, must_change_password=False)
            self.accept()

        def declined() -> None:
            self.change_dialog = None
            self.login_button.setEnabled(True)
            self.login_button.setText(tr('登录'))
            self.password.clear()
            self._show(tr('密码已被系统管理员重置，必须先设置新密码才能登录'))

        dialog.accepted.connect(changed)
        dialog.rejected.connect(declined)
        dialog.open()

    def _failed(self, error: BaseException) -> None:
        self.login_button.setEnabled(True)
        self.login_button.setText(tr('登录'))
        if isinstance(error, ValidationError) and error.field:
            self.form.show_error(error)
            fit_height(self)
            return
        if isinstance(error, LoginDelayed):
            self._message = ""  # the countdown says it, and keeps the earlier answer's place free
        elif isinstance(error, AccountLocked):
            self._show(error.message, locked=True)
        elif isinstance(error, (AuthenticationError, GovDeskError)):
            self._show(error.message)
            self.password.selectAll()
            self.password.setFocus()
        else:
            self._show(describe_error(error))
        self._wait_if_needed()
