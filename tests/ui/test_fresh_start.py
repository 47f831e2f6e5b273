"""The program's own start in a fresh process, as `govdesk` runs it: what no test inside this process can
see, since here every module was loaded long ago. The login dialog is answered as its preloading thread
starts loading the ORM; the main window must come up signed in, with its 工作台 filled, and open the
公文 list, which needs the ORM. (A login committed while the ORM was half-imported once failed.)"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import PASSWORD
from tests.helpers.ui import Office

DRIVER = r"""
import faulthandler
import sys

# Should anything hang, every thread's stack, instead of a bare timeout.
faulthandler.dump_traceback_later(60, exit=True)
from app.bootstrap import load_database_layer, pause_gc_for_start

# As app.cli does before the GUI.
pause_gc_for_start()
load_database_layer()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui import application

url, username, password = sys.argv[1:4]
app = application.create_application()
seen = {}


def widgets(kind):
    return [w for w in QApplication.topLevelWidgets() if type(w).__name__ == kind and w.isVisible()]


def answer_login():
    dialogs = widgets("LoginDialog")
    if not dialogs:
        QTimer.singleShot(5, answer_login)
        return
    seen["orm at login"] = "sqlalchemy.orm" in sys.modules
    dialog = dialogs[0]
    dialog.username.setText(username)
    dialog.password.setText(password)
    # The dialog starts loading the ORM a moment after it shows; a quick user logs in meanwhile.
    sys.modules["app.ui.login"].start_preloading()
    dialog.attempt()
    QTimer.singleShot(5, lambda: watch(dialog))


def watch(dialog):
    windows = widgets("MainWindow")
    if not windows:
        if dialog.isVisible() and dialog.login_button.isEnabled() and dialog.actor is None:
            print("LOGIN FAILED", dialog.status.text(), flush=True)
            dialog.reject()
            return
        QTimer.singleShot(5, lambda: watch(dialog))
        return
    wait_for_todo(windows[0], 0)


def wait_for_todo(window, tries):
    # Polled, not a signal: the 工作台 may have loaded before this sees the window.
    workbench = window.current_page
    if workbench.model.rowCount() == 0 and tries < 400:
        QTimer.singleShot(10, lambda: wait_for_todo(window, tries + 1))
        return
    seen["todo"] = workbench.model.rowCount()
    window.show_area("documents")
    wait_for_list(window, 0)


def wait_for_list(window, tries):
    model = window.current_page.outgoing.model
    if model.rowCount() == 0 and tries < 400:
        QTimer.singleShot(10, lambda: wait_for_list(window, tries + 1))
        return
    print("OK", window.actor.full_name, seen["orm at login"], seen["todo"], model.rowCount(), flush=True)
    window.close()


QTimer.singleShot(0, answer_login)
sys.exit(application.run_gui(url))
"""


def test_a_fresh_start_logs_in_while_the_orm_loads_and_opens_the_documents(office: Office) -> None:
    from app.services.documents import outgoing

    # A draft of the clerk's own: a to-do on the 工作台 and a row in the 公文 list.
    with office.ctx.uow() as uow:
        outgoing.create_draft(uow, office.clerk, title="关于开展安全生产大检查的通知", doc_type="通知", disclosure="主动公开")
    url = office.ctx.url.render_as_string(hide_password=False)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, url, "clerk", PASSWORD],
        capture_output=True, text=True, env=env, timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(("OK", "LOGIN FAILED"))]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    status, name, orm_at_login, todo_rows, documents = lines[-1].split()
    # The ORM was not loaded before the login dialog, and the login did not wait for it.
    assert (status, name, orm_at_login) == ("OK", "张文秘", "False")
    assert int(todo_rows) >= 1 and int(documents) >= 1


def test_the_preloading_thread_finds_the_keyring_backend_before_the_login_needs_it() -> None:
    """The login's commit may need the office key (an audit anchor is due); finding the keyring's backend
    then cost the password check some 0.1 s. The preloading thread finds it while the user types."""
    probe = (
        "import sys\n"
        "import app.ui.login as login\n"
        "assert 'keyring' not in sys.modules\n"
        "login.prepare_keyring()\n"
        "import keyring.core\n"
        "print('BACKEND', keyring.core._keyring_backend is not None)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "BACKEND True" in done.stdout, done.stdout + done.stderr
