"""The login dialog under attack: repeated wrong passwords make it count down this machine's wait (what
was typed stays), and a password reset by the administrator must be replaced before any window opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import AuditEntry
from app.services.admin import auth
from app.services.admin import users as admin
from app.services.admin.login_delay import LoginDelay
from app.services.kernel.actor import SYSTEM_ACTOR
from app.ui.change_password import ChangePasswordDialog
from app.ui.login import LoginDialog
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers import PASSWORD
from tests.helpers.ui import Office

SHOTS = Path("/tmp/govdesk_login_shots")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def machine(tmp_path: Path, clock: Clock) -> LoginDelay:
    return LoginDelay(tmp_path / "login_delay.json", clock=clock)


@pytest.fixture(params=["medium", "large"])
def text_size(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "medium")


def type_and_login(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def audit_rows(office: Office) -> int:
    with office.ctx.uow() as uow:
        return uow.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def assert_nothing_clipped(widget: QWidget) -> None:
    """Every label shows its whole text: wrapped labels are as tall as their text needs."""
    for label in widget.findChildren(QLabel):
        if label.isVisible() and label.text():
            needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
            assert label.height() >= needed - 1, f"{label.text()!r} cut: {label.height()} < {needed}"
            assert label.width() >= (label.minimumSizeHint().width() if label.wordWrap() else
                                     label.sizeHint().width()) - 1, f"{label.text()!r} cut across"
    assert widget.width() <= 1366 and widget.height() <= 768


def test_repeated_failures_count_down_a_wait_keeping_what_was_typed(
    qtbot: QtBot, office: Office, prefs: Prefs, machine: LoginDelay, clock: Clock, text_size: str
) -> None:
    dialog = LoginDialog(office.ctx, prefs, delay=machine)
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(2):
        type_and_login(qtbot, dialog, "admin", f"guess-number{attempt}")
        qtbot.waitUntil(lambda: not dialog.status.isHidden(), timeout=10_000)
        if attempt == 0:
            assert dialog.login_button.isEnabled()  # anyone mistypes once
            dialog.status.hide()
    qtbot.waitUntil(lambda: "请等待1秒后再试" in dialog.status.text(), timeout=10_000)
    assert dialog.status.text().startswith(auth.WRONG_NAME_OR_PASSWORD)
    assert not dialog.login_button.isEnabled() and dialog.login_button.text() == "登录（1）"
    assert dialog.username.text() == "admin" and dialog.password.text() == "guess-number1"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / f"login_wait_{text_size}.png"))
    assert_nothing_clipped(dialog)

    # Enter while it counts down does nothing: no attempt reaches the database.
    before = audit_rows(office)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    dialog.attempt()
    qtbot.wait(200)
    assert audit_rows(office) == before

    clock.now += 1
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=3_000)
    assert dialog.status.text() == auth.WRONG_NAME_OR_PASSWORD and dialog.login_button.text() == "登录"

    # A new dialog (the program started again) waits all the same after the next failure.
    type_and_login(qtbot, dialog, "admin", "guess-number2")
    qtbot.waitUntil(lambda: "请等待2秒后再试" in dialog.status.text(), timeout=10_000)
    again = LoginDialog(office.ctx, prefs, delay=LoginDelay(machine.path, clock=clock))
    qtbot.addWidget(again)
    assert not again.login_button.isEnabled() and "请等待2秒后再试" in again.status.text()


def test_a_reset_password_must_be_replaced_before_the_login_succeeds(
    qtbot: QtBot, office: Office, prefs: Prefs, machine: LoginDelay, text_size: str
) -> None:
    with office.ctx.uow() as uow:
        admin.reset_password(uow, SYSTEM_ACTOR, office.clerk.id or 0, "Temp7wq2x")
    dialog = LoginDialog(office.ctx, prefs, delay=machine)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_login(qtbot, dialog, "clerk", "Temp7wq2x")
    qtbot.waitUntil(lambda: dialog.change_dialog is not None and dialog.change_dialog.isVisible(), timeout=10_000)
    change = dialog.change_dialog
    assert isinstance(change, ChangePasswordDialog) and change.forced
    assert dialog.result() == 0 and dialog.actor is None, "no window may open yet"
    SHOTS.mkdir(exist_ok=True)
    change.new_password.setText("Mine5kz8p")
    change.new_password2.setText("Mine5kz9p")
    change.save()
    assert change.form.error_text("password2") == "两次输入的新密码不一致，请重新输入"
    change.grab().save(str(SHOTS / f"forced_change_{text_size}.png"))
    assert_nothing_clipped(change)

    change.new_password.setText("Qwer1234")
    change.new_password2.setText("Qwer1234")
    change.save()
    qtbot.waitUntil(lambda: change.form.error_text("password") != "", timeout=10_000)
    assert "太常见" in change.form.error_text("password")
    assert dialog.actor is None

    change.new_password.setText("Mine5kz8p")
    change.new_password2.setText("Mine5kz8p")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.actor is not None and not dialog.actor.must_change_password
    with office.ctx.uow() as uow:
        assert not auth.login(uow, "clerk", "Mine5kz8p", machine).must_change_password


def test_declining_the_new_password_does_not_log_in(
    qtbot: QtBot, office: Office, prefs: Prefs, machine: LoginDelay
) -> None:
    with office.ctx.uow() as uow:
        admin.reset_password(uow, SYSTEM_ACTOR, office.clerk.id or 0, "Temp7wq2x")
    dialog = LoginDialog(office.ctx, prefs, delay=machine)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_login(qtbot, dialog, "clerk", "Temp7wq2x")
    qtbot.waitUntil(lambda: dialog.change_dialog is not None and dialog.change_dialog.isVisible(), timeout=10_000)
    assert dialog.change_dialog is not None
    dialog.change_dialog.reject()
    assert dialog.actor is None and dialog.isVisible() and dialog.result() == 0
    assert "必须先设置新密码" in dialog.status.text()
    # Next time, the same: the reset password still cannot be used as it is.
    type_and_login(qtbot, dialog, "clerk", "Temp7wq2x")
    qtbot.waitUntil(lambda: dialog.change_dialog is not None, timeout=10_000)
    assert dialog.actor is None


def test_the_plain_change_asks_for_the_old_password(qtbot: QtBot, office: Office) -> None:
    change = ChangePasswordDialog(office.ctx, office.clerk)
    qtbot.addWidget(change)
    change.show()
    change.old_password.setText("not-mine1")
    change.new_password.setText("Mine5kz8p")
    change.new_password2.setText("Mine5kz8p")
    change.save()
    qtbot.waitUntil(lambda: change.form.error_text("old_password") != "", timeout=10_000)
    assert change.form.error_text("old_password") == "原密码不正确"
    change.old_password.setText(PASSWORD)
    with qtbot.waitSignal(change.accepted, timeout=10_000):
        change.save()
