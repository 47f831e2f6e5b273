"""文件 → 修改密码…: a signed-in user changes their own password from the main window."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.core.errors import AuthenticationError
from app.services.admin import auth
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from tests.helpers import PASSWORD
from tests.helpers.ui import Office


def test_the_file_menu_changes_the_users_own_password(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = MainWindow(office.ctx, office.clerk, prefs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.change_password_action.trigger()
    dialog = window.change_password_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    dialog.grab().save("/tmp/change-password.png")

    # A mistake first: the two new passwords differ, and nothing typed is lost.
    dialog.old_password.setText(PASSWORD)
    dialog.new_password.setText("Qingshan#2027")
    dialog.new_password2.setText("Qingshan#2028")
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.new_password.text() == "Qingshan#2027"
    assert "不一致" in dialog.form.error_text("password2")

    dialog.new_password2.setText("Qingshan#2027")
    dialog.ok_button.click()
    # The dialog closes (and is deleted) and the status bar says so.
    qtbot.waitUntil(lambda: "密码已修改" in window.statusBar().currentMessage(), timeout=5000)
    with office.ctx.uow() as uow:
        auth.login(uow, office.clerk.username, "Qingshan#2027")
    with office.ctx.uow() as uow, pytest.raises(AuthenticationError):
        auth.login(uow, office.clerk.username, PASSWORD)
