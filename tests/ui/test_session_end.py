"""An open window whose user was locked, disabled or given other roles says so and goes back to the login."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.errors import SessionEnded
from app.services.admin import users as admin
from app.services.documents import records as documents
from app.services.kernel import access
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from app.ui.widgets.db_call import db_call
from tests.helpers.ui import Office


def _signed_in_window(qtbot: QtBot, office: Office, prefs: Prefs) -> MainWindow:
    window = MainWindow(office.ctx, office.clerk, prefs)
    qtbot.addWidget(window)
    window.show()
    return window


def _ended_box(window: MainWindow) -> QMessageBox:
    box = window.session_end_box
    assert box is not None and box.isVisible()
    return box


def test_the_poller_sees_the_lock_and_the_window_returns_to_the_login(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    window = _signed_in_window(qtbot, office, prefs)
    qtbot.waitUntil(lambda: window.poller.position is not None, timeout=5000)
    with office.ctx.uow() as uow:
        admin.lock_user(uow, office.admin, office.clerk.id or 0)
    # As after a lock made on another PC: nothing in this process remembers the change.
    access.confirm(office.ctx.engine, office.clerk)
    window.poller.poll()
    qtbot.waitUntil(lambda: window.session_end_box is not None, timeout=5000)
    box = _ended_box(window)
    assert "锁定" in box.text() and "登录窗口" in box.text()
    box.grab().save("/tmp/session-ended.png")
    with qtbot.waitSignal(window.logoutRequested, timeout=3000):
        box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)


def test_a_refused_call_ends_the_session_once(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = _signed_in_window(qtbot, office, prefs)
    with office.ctx.uow() as uow:
        admin.update_user(
            uow, office.admin, office.clerk.id or 0,
            expected_version=admin.get_user(uow, office.admin, office.clerk.id or 0).version, active=False,
        )

    def read() -> object:
        with office.ctx.uow() as uow:
            return documents.list_documents(uow, office.clerk)

    for _ in range(2):
        with pytest.raises(SessionEnded):
            db_call(window, read)
    qtbot.waitUntil(lambda: window.session_end_box is not None, timeout=3000)
    box = _ended_box(window)
    assert "停用" in box.text()
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes == [box]
    with qtbot.waitSignal(window.logoutRequested, timeout=3000):
        box.button(QMessageBox.StandardButton.Ok).click()
