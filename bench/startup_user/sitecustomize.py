"""The user at the keyboard, for `python -m bench.startup`: the real `govdesk` command starts with this
folder on PYTHONPATH, and Python runs this file before the program's first line.

With GOVDESK_BENCH_LOGIN=username:password set, it waits for the program's own login dialog, lets it
finish what it does while a person types (its preloading thread), enters the name and password and
presses 登录, then reports when the main window's 工作台 shows what it read from the database, and
closes the window. It prints one line at each point, which the parent times: DIALOG, LOGIN, ROWS n.
Nothing of the program is replaced: it only watches for the login module to be imported, so that it
can schedule itself on the program's event loop, and it imports nothing (Qt included) before the
program does. Without the variable it does nothing (the baseline child runs with it too).
"""

from __future__ import annotations

import os
import sys
from typing import Any

POLL_MS = 2


def _widgets(kind: str) -> list[Any]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if type(w).__name__ == kind and w.isVisible()]


def _later(ms: int, step: Any) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(ms, step)


def _say(word: str) -> None:
    print(word, flush=True)


def _wait_for_dialog(username: str, password: str) -> None:
    dialogs = _widgets("LoginDialog")
    if not dialogs:
        _later(POLL_MS, lambda: _wait_for_dialog(username, password))
        return
    # One turn of the event loop after it became visible: the dialog is painted, as the baseline's window.
    _later(0, lambda: (_say("DIALOG"), _wait_while_typing(dialogs[0], username, password)))


def _wait_while_typing(dialog: Any, username: str, password: str) -> None:
    """A person takes seconds to type; the dialog's preloading thread finishes meanwhile."""
    import threading

    login = sys.modules["app.ui.login"]
    busy = not login._preload_started.is_set() or any(
        t.name == "govdesk-preload" and t.is_alive() for t in threading.enumerate()
    )
    if busy:
        _later(20, lambda: _wait_while_typing(dialog, username, password))
        return
    dialog.username.setText(username)
    dialog.password.setText(password)
    _say("LOGIN")
    dialog.login_button.click()
    _wait_for_workbench(dialog, 0)


def _wait_for_workbench(dialog: Any, tries: int) -> None:
    windows = _widgets("MainWindow")
    page = getattr(windows[0], "current_page", None) if windows else None
    model = getattr(page, "model", None)
    if model is None or model.rowCount() == 0:
        if not windows and dialog.isVisible() and dialog.login_button.isEnabled():
            _say(f"LOGIN FAILED {dialog.status.text()}")
            dialog.reject()
            return
        if tries > 30_000 // POLL_MS:
            _say("NO ROWS")
            windows[0].close() if windows else dialog.reject()
            return
        _later(POLL_MS, lambda: _wait_for_workbench(dialog, tries + 1))
        return
    _say(f"ROWS {model.rowCount()}")
    windows[0].close()


class _WatchLoginModule:
    """A meta path finder that finds nothing itself: it hooks the execution of app.ui.login, which
    the program imports on its GUI thread once the application exists, just before the login dialog."""

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "app.ui.login":
            return None
        sys.meta_path.remove(self)
        from importlib.util import find_spec

        spec = find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module
        username, password = self.username, self.password

        def exec_module(module: Any) -> None:
            run(module)
            _later(0, lambda: _wait_for_dialog(username, password))

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_login = os.environ.get("GOVDESK_BENCH_LOGIN")
if _login:
    _name, _, _secret = _login.partition(":")
    sys.meta_path.insert(0, _WatchLoginModule(_name, _secret))
