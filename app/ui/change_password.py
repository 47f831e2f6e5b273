"""修改密码: a user sets their own password. After an administrator's reset it is shown by the login
itself (forced), before any window opens, with the password just typed as the old one."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ValidationError
from app.services.admin import auth
from app.services.admin.passwords import MIN_PASSWORD_LENGTH
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.icons import app_icon
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import describe_error
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.worker import run_in_background


def fit_height(dialog: QWidget) -> None:
    """Taller, if a wrapped line (a message, an error under a field) now needs more room than the
    dialog has: a shown dialog does not grow by itself, and Qt's first size ignores wrapping."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.totalMinimumSize().height()
    if layout.hasHeightForWidth():
        needed = max(needed, layout.totalHeightForWidth(dialog.width()))
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ChangePasswordDialog(QDialog):
    def __init__(
        self, ctx: AppContext, actor: Actor, old_password: str | None = None, parent: QWidget | None = None
    ) -> None:
        """old_password given: the forced change at login, which asks only for the new password twice."""
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.forced = old_password is not None
        self._known_old = old_password
        self.setWindowTitle(tr('设置新密码') if self.forced else tr('修改密码'))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(480)
        fit_when_shown(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        if self.forced:
            why = QLabel(tr('{0}，系统管理员重置了您的密码。请设置一个只有您自己知道的新密码，设置后才能进入系统。')
                         .format(actor.full_name))
            why.setWordWrap(True)
            layout.addWidget(why)

        self.old_password = _password_field()
        self.new_password = _password_field()
        self.new_password2 = _password_field()
        self.form = FormGrid()
        if not self.forced:
            self.form.add("old_password", tr('原密码'), self.old_password, required=True)
        self.form.add(
            "password", tr('新密码'), self.new_password, required=True,
            hint=tr('至少{0}位，同时包含字母和数字；不能与用户名相同，也不能是 password1、qwer1234 这类常见密码')
            .format(MIN_PASSWORD_LENGTH),
        )
        self.form.add("password2", tr('再次输入'), self.new_password2, required=True)
        layout.addLayout(self.form)

        self.status = QLabel()
        self.status.setObjectName("fieldError")
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)

        self.ok_button = QPushButton(tr('确定'))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.save)
        cancel = QPushButton(tr('不登录，退回') if self.forced else tr('取消'))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        (self.new_password if self.forced else self.old_password).setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        fit_height(self)

    def save(self) -> None:
        self.form.clear_errors()
        self.status.hide()
        old = self._known_old if self._known_old is not None else self.old_password.text()
        new, again = self.new_password.text(), self.new_password2.text()
        problems: dict[str, str] = {}
        if not self.forced and not old:
            problems["old_password"] = tr('请输入原密码')
        if not new:
            problems["password"] = tr('请输入新密码')
        elif new != again:
            problems["password2"] = tr('两次输入的新密码不一致，请重新输入')
        if problems:
            self.form.show_errors(problems)
            fit_height(self)
            return
        self.ok_button.setEnabled(False)
        actor = self.actor

        def work(_progress: object) -> None:
            with self.ctx.uow() as uow:
                auth.change_own_password(uow, actor, old, new)

        run_in_background(work, lambda _none: self.accept(), self._failed)

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, ValidationError) and error.field in ("old_password", "password"):
            if error.field == "old_password" and self.forced:
                self._show(error.message)  # no such field: the password typed at login changed meanwhile
            else:
                self.form.show_error(error)
        elif isinstance(error, GovDeskError):
            self._show(error.message)
        else:
            self._show(describe_error(error))
        fit_height(self)

    def _show(self, message: str) -> None:
        self.status.setText(message)
        self.status.show()
