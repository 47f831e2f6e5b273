"""The desktop program's own loop (run_gui): login dialog, the shell built during the password check, the
main window signed in for the user, and a wrong password that keeps the shell for the next try."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.ui import application
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from tests.helpers import PASSWORD
from tests.helpers.ui import Office


def main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def test_run_gui_builds_the_shell_during_the_login_and_signs_it_in(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = [("clerk", "wrong-password1"), ("clerk", PASSWORD)]
    shells_seen: list[list[MainWindow]] = []

    def type_and_submit(dialog: LoginDialog) -> int:
        for username, password in attempts:
            dialog.username.setText(username)
            dialog.password.setText(password)
            dialog.attempt()
            # prepare() has run by now, before the password's outcome came back.
            shells_seen.append([w for w in main_windows() if w.actor is None])
            qtbot.waitUntil(lambda: dialog.login_button.isEnabled() or dialog.actor is not None, timeout=10_000)
        return int(QDialog.DialogCode.Accepted)

    shown: list[MainWindow] = []

    class Loop:
        def exec(self) -> int:
            windows = [w for w in main_windows() if w.isVisible()]
            shown.extend(windows)
            for window in windows:
                window.close()
            return 0

    monkeypatch.setattr(LoginDialog, "exec", type_and_submit)
    monkeypatch.setattr(application, "create_application", Loop)
    monkeypatch.setattr(application, "Prefs", lambda: prefs)

    assert application.run_gui(office.ctx.url.render_as_string(hide_password=False)) == 0

    # One shell, built at the first try and kept for the second.
    assert len(shells_seen) == 2 and len(shells_seen[0]) == 1 and shells_seen[1] == shells_seen[0]
    assert len(shown) == 1 and shown[0] is shells_seen[0][0]
    window = shown[0]
    assert window.actor is not None and window.actor.username == "clerk"
    assert "张文秘" in window.windowTitle() and "张文秘" in window.user_label.text()
    assert not window.nav_items["documents"].isHidden() and window.nav_items["admin"].isHidden()
    qtbot.addWidget(window)
