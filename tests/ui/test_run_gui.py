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


@pytest.mark.parametrize("prefetch_fails", [False, True], ids=["read at the login", "read again by the page"])
def test_the_first_workbench_is_read_by_the_login_worker_once(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch, prefetch_fails: bool
) -> None:
    """The login's worker reads the 工作台 right after the password, while the GUI thread finishes the shell;
    the page shows that reading instead of asking again. If that reading fails, the page reads for itself."""
    import threading

    from app.services.workflow import todo

    real_todo = todo.todo
    readers: list[str] = []

    def counting_todo(*args: object, **kwargs: object) -> todo.TodoList:
        readers.append(threading.current_thread().name)
        if prefetch_fails and len(readers) == 1:
            raise OSError("network cable unplugged")
        return real_todo(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(todo, "todo", counting_todo)

    def log_in(dialog: LoginDialog) -> int:
        dialog.username.setText("clerk")
        dialog.password.setText(PASSWORD)
        dialog.attempt()
        qtbot.waitUntil(lambda: dialog.actor is not None, timeout=10_000)
        read_by_login.append(len(readers))
        return int(QDialog.DialogCode.Accepted)

    read_by_login: list[int] = []
    shown: list[MainWindow] = []

    class Loop:
        def exec(self) -> int:
            window = next(w for w in main_windows() if w.isVisible())
            shown.append(window)
            qtbot.waitUntil(lambda: window.workbench.result is not None, timeout=10_000)
            window.close()
            return 0

    monkeypatch.setattr(LoginDialog, "exec", log_in)
    monkeypatch.setattr(application, "create_application", Loop)
    monkeypatch.setattr(application, "Prefs", lambda: prefs)

    assert application.run_gui(office.ctx.url.render_as_string(hide_password=False)) == 0
    qtbot.addWidget(shown[0])
    main_thread = threading.main_thread().name
    assert main_thread not in readers, "the 工作台 is never read on the GUI thread"
    assert read_by_login == [1], "the login's worker read the 工作台 before the dialog closed"
    assert len(readers) == (2 if prefetch_fails else 1), readers
    assert shown[0].workbench.first_reading is None, "the first reading is shown once, not kept"
