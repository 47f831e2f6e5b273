"""The login dialog: right password, wrong password, locked account, remembered user name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.admin import auth
from app.services.admin import users as admin
from app.services.kernel.actor import SYSTEM_ACTOR
from app.ui.login import LoginDialog
from app.ui.prefs import Prefs
from tests.helpers import PASSWORD
from tests.helpers.ui import Office


def type_and_login(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_right_password_logs_in_and_is_remembered(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    dialog = LoginDialog(office.ctx, prefs)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        type_and_login(qtbot, dialog, "clerk", PASSWORD)
    assert dialog.actor is not None and dialog.actor.full_name == "张文秘"
    assert prefs.last_username == "clerk"
    again = LoginDialog(office.ctx, prefs)
    qtbot.addWidget(again)
    assert again.username.text() == "clerk"


def test_the_main_window_shell_is_built_while_the_password_is_checked(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    calls: list[bool] = []
    dialog = LoginDialog(office.ctx, prefs, prepare=lambda: calls.append(dialog.actor is None))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        type_and_login(qtbot, dialog, "clerk", PASSWORD)
    assert calls == [True], "prepare ran once, before the login's outcome arrived"


def test_wrong_password_says_so_and_keeps_the_dialog(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    dialog = LoginDialog(office.ctx, prefs)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_login(qtbot, dialog, "clerk", "wrong-pass1")
    qtbot.waitUntil(lambda: not dialog.status.isHidden(), timeout=10_000)
    assert dialog.status.text() == auth.WRONG_NAME_OR_PASSWORD
    assert dialog.lock_icon.isHidden()
    assert dialog.actor is None and dialog.isVisible()
    assert dialog.username.text() == "clerk"


def test_a_locked_account_is_shown_clearly(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    with office.ctx.uow() as uow:
        admin.lock_user(uow, SYSTEM_ACTOR, office.clerk.id or 0)
    dialog = LoginDialog(office.ctx, prefs)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_login(qtbot, dialog, "clerk", PASSWORD)
    qtbot.waitUntil(lambda: not dialog.status.isHidden(), timeout=10_000)
    assert "系统管理员锁定" in dialog.status.text()
    assert not dialog.lock_icon.isHidden()


def test_an_empty_user_name_is_marked_beside_the_field(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    dialog = LoginDialog(office.ctx, prefs)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_login(qtbot, dialog, "", PASSWORD)
    qtbot.waitUntil(lambda: dialog.form.error_text("username") != "", timeout=10_000)
    assert dialog.form.error_text("username") == "请输入用户名"
