"""Connecting at start to the saved database (app.ui.connecting): the probe runs off the GUI thread with 取消
and gives up by itself on a silent server; a wrong password can be typed again (a few times, then the box);
a wrong stored one can be replaced; a locked keyring is said to be locked and can be read again once
unlocked. The dialogs are real and answered as the user would, while they are open."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from app.bootstrap import DATABASE_ENV
from app.db import profile as profiles
from app.ui import application
from app.ui.connecting import MAX_PASSWORD_TRIES, ConnectingDialog, PasswordDialog, open_saved
from app.ui.widgets import worker
from tests.helpers.databases import server_urls, skip_reason
from tests.helpers.keyrings import MemoryKeyring, using_keyring
from tests.helpers.silent_server import SilentServer, silent_server

# The real one: tests/ui/conftest.py makes every message box fail, and these tests answer theirs.
REAL_MESSAGE_BOX_EXEC = QMessageBox.exec
RIGHT = "Right-pass-1"
WRONG = "wrong-pass"

Step = Callable[[QWidget], None]


class Answers:
    """Answers the modal dialogs in the order they come up, the way a user would, and keeps what each said.
    A dialog nobody expected is closed and reported, so a test never hangs on it."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.seen: list[QWidget] = []
        self.said: list[str] = []
        self.unexpected: list[str] = []
        self.failures: list[BaseException] = []
        self.busy = False
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        widget = QApplication.activeModalWidget()
        if self.busy or widget is None or any(widget is seen for seen in self.seen):
            return
        self.seen.append(widget)
        self.said.append(said(widget))
        if not self.steps:
            self.unexpected.append(said(widget))
            widget.close()
            return
        self.busy = True
        try:
            self.steps.pop(0)(widget)
        except BaseException as error:  # noqa: BLE001 - a dialog left open would hang the test: close it, report it
            self.failures.append(error)
            self.steps.clear()
            widget.close()
        finally:
            self.busy = False

    def finish(self) -> None:
        self.timer.stop()
        if self.failures:
            raise self.failures[0]
        assert not self.unexpected, f"unexpected dialogs: {self.unexpected}"
        assert not self.steps, f"{len(self.steps)} expected dialog(s) never came"


def said(widget: QWidget) -> str:
    if isinstance(widget, QMessageBox):
        return widget.text()
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def button(widget: QWidget, caption: str) -> QPushButton:
    found = [b for b in widget.findChildren(QPushButton) if b.text() == caption and b.isVisible()]
    assert found, f"no visible button {caption!r} in {said(widget)!r}"
    return found[0]


def type_password(password: str, *, expect: str = "") -> Step:
    def step(widget: QWidget) -> None:
        assert isinstance(widget, PasswordDialog), said(widget)
        assert expect in widget.why.text()
        widget.password.setText(password)
        widget.connect_button.click()

    return step


def click(caption: str, *, expect: str = "", absent: str = "", present: str = "") -> Step:
    def step(widget: QWidget) -> None:
        assert expect in said(widget)
        if present:
            button(widget, present)
        if absent:
            assert not [b for b in widget.findChildren(QPushButton) if b.text() == absent and b.isVisible()]
        button(widget, caption).click()

    return step


@pytest.fixture(autouse=True)
def _real_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", REAL_MESSAGE_BOX_EXEC)
    monkeypatch.delenv(DATABASE_ENV, raising=False)


@pytest.fixture
def answers() -> Iterator[list[Answers]]:
    made: list[Answers] = []
    yield made
    for answer in made:
        answer.timer.stop()


def answering(made: list[Answers], *steps: Step) -> Answers:
    answer = Answers(*steps)
    made.append(answer)
    return answer


@dataclass(frozen=True)
class Login:
    profile: profiles.ConnectionProfile


@pytest.fixture
def mariadb_login() -> Iterator[Login]:
    """A database and a user with a password on the shared MariaDB, both this test's own."""
    admin_url = server_urls().get("mysql")
    if admin_url is None:
        pytest.skip(skip_reason("mysql"))
    name = f"govdesk_a2_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    hosts = ("%", "localhost", "127.0.0.1")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        for host in hosts:
            conn.execute(text(f"CREATE USER '{name}'@'{host}' IDENTIFIED BY '{RIGHT}'"))
            conn.execute(text(f"GRANT ALL ON `{name}`.* TO '{name}'@'{host}'"))
    try:
        yield Login(
            profiles.ConnectionProfile(
                kind="server", backend="mysql", host=admin_url.host or "127.0.0.1", port=admin_url.port or 3306,
                database=name, user=name,
            )
        )
    finally:
        with admin.connect() as conn:
            for host in hosts:
                conn.execute(text(f"DROP USER IF EXISTS '{name}'@'{host}'"))
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    with silent_server() as server:
        yield server


def silent_profile(server: SilentServer) -> profiles.ConnectionProfile:
    return profiles.ConnectionProfile(
        kind="server", backend="postgresql", host="127.0.0.1", port=server.port, database="govdesk", user="clerk"
    )


# ----- the password -------------------------------------------------------------------------------------


def test_a_wrong_stored_password_is_typed_again_and_replaces_the_stored_one(
    qtbot: QtBot, answers: list[Answers], mariadb_login: Login
) -> None:
    profile = mariadb_login.profile
    with using_keyring(MemoryKeyring()) as keyring:
        profiles.store_password(profile, WRONG)
        answer = answering(
            answers,
            type_password(RIGHT, expect="系统密钥环中保存的密码不对"),
            click("替换", expect="替换"),
        )
        url = open_saved(profile)
        answer.finish()
        assert keyring.get_password(profiles.KEYRING_SERVICE, profile.keyring_account) == RIGHT
    assert url is not None and url != "change" and url.password == RIGHT
    assert isinstance(answer.seen[0], PasswordDialog) and not answer.seen[0].change_button.isHidden()


def test_wrong_passwords_are_asked_again_a_few_times_then_the_box(
    qtbot: QtBot, answers: list[Answers], mariadb_login: Login
) -> None:
    profiles.save_profile(mariadb_login.profile)
    with using_keyring(MemoryKeyring()) as keyring:
        answer = answering(
            answers,
            type_password(WRONG, expect="没有保存"),
            type_password(WRONG, expect="请重新输入密码"),
            *(type_password(WRONG, expect=f"还可以再试 {left} 次") for left in range(MAX_PASSWORD_TRIES - 1, 0, -1)),
            click("退出", expect=f"已经试了 {MAX_PASSWORD_TRIES} 次", absent="重试", present="更改连接…"),
        )
        assert application.connect(None) is None
        answer.finish()
        assert not keyring.passwords
    assert isinstance(answer.seen[-1], QMessageBox)


def test_a_password_typed_because_none_was_stored_can_be_stored(
    qtbot: QtBot, answers: list[Answers], mariadb_login: Login
) -> None:
    profile = mariadb_login.profile
    with using_keyring(MemoryKeyring()) as keyring:
        answer = answering(
            answers,
            type_password(RIGHT, expect="系统密钥环中没有保存这个数据库的密码"),
            click("保存", expect="保存到系统密钥环"),
        )
        url = open_saved(profile)
        answer.finish()
        assert keyring.get_password(profiles.KEYRING_SERVICE, profile.keyring_account) == RIGHT
    assert url is not None and url != "change"


def test_no_keyring_asks_every_time_and_offers_another_connection(qtbot: QtBot, answers: list[Answers]) -> None:
    profile = profiles.ConnectionProfile(
        kind="server", backend="postgresql", host="192.0.2.1", port=5432, database="govdesk", user="clerk"
    )
    with using_keyring(fail.Keyring()):
        answer = answering(answers, click("更改连接…", expect="本机没有可用的系统密钥环"))
        assert open_saved(profile) == "change"
        answer.finish()


# ----- a locked keyring ---------------------------------------------------------------------------------


def test_a_locked_keyring_is_said_to_be_locked(qtbot: QtBot, answers: list[Answers]) -> None:
    profile = profiles.ConnectionProfile(
        kind="server", backend="postgresql", host="192.0.2.1", port=5432, database="govdesk", user="clerk"
    )
    keyring = MemoryKeyring()
    with using_keyring(keyring):
        profiles.store_password(profile, RIGHT)
        keyring.locked = True
        answer = answering(answers, click("退出", expect="系统密钥环已锁定"))
        assert open_saved(profile) is None
        answer.finish()
    assert "没有保存" not in answer.said[0]
    assert "解锁系统密钥环" in answer.said[0] and "直接输入密码" in answer.said[0]


def test_a_locked_keyring_can_be_read_again_once_unlocked(
    qtbot: QtBot, answers: list[Answers], mariadb_login: Login
) -> None:
    profile = mariadb_login.profile
    keyring = MemoryKeyring()

    def reread_twice(widget: QWidget) -> None:
        assert isinstance(widget, PasswordDialog)
        widget.reread_button.click()  # still locked: the dialog stays, and says so again
        assert widget.isVisible() and "已锁定" in widget.why.text()
        keyring.locked = False
        widget.reread_button.click()

    with using_keyring(keyring):
        profiles.store_password(profile, RIGHT)
        keyring.locked = True
        answer = answering(answers, reread_twice)
        url = open_saved(profile)
        answer.finish()  # no offer to store: the password came from the keyring
    assert url is not None and url != "change" and url.password == RIGHT


# ----- the probe at start, off the GUI thread -----------------------------------------------------------


def test_the_start_probe_leaves_the_program_live_and_can_be_cancelled(
    qtbot: QtBot, answers: list[Answers], silent: SilentServer
) -> None:
    profile = silent_profile(silent)
    ticks: list[int] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()

    probes: list[int] = []

    def cancel_when_waiting(widget: QWidget) -> None:
        assert isinstance(widget, ConnectingDialog)
        assert "正在连接" in widget.message.text()
        probes.append(1)
        # The probe is at the silent server; meanwhile the GUI thread runs on.
        qtbot.waitUntil(lambda: silent.accepted >= len(probes), timeout=5_000)
        before = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= before + 5, timeout=5_000)
        widget.cancel_button.click()

    def still_waiting_then(caption: str) -> Step:
        def step(widget: QWidget) -> None:
            # 取消 took effect at once: the cancelled probe is still waiting for the silent server.
            assert worker._get_dispatcher().pending >= 1
            click(caption, expect="已取消连接")(widget)

        return step

    with using_keyring(MemoryKeyring()):
        profiles.store_password(profile, RIGHT)
        answer = answering(
            answers,
            cancel_when_waiting,
            still_waiting_then("重试"),
            cancel_when_waiting,
            still_waiting_then("退出"),
        )
        assert open_saved(profile) is None
        answer.finish()
    ticker.stop()
    assert silent.accepted >= 2


def test_the_start_gives_up_on_a_silent_server_by_itself(
    qtbot: QtBot, answers: list[Answers], silent: SilentServer
) -> None:
    profile = silent_profile(silent)
    with using_keyring(MemoryKeyring()):
        profiles.store_password(profile, RIGHT)
        answer = answering(
            answers,
            lambda widget: None,  # the 正在连接… dialog: the user just waits
            click("退出", expect="服务器", present="重试"),
        )
        started = time.monotonic()
        assert open_saved(profile) is None
        waited = time.monotonic() - started
        answer.finish()
    assert isinstance(answer.seen[0], ConnectingDialog)
    # The issue: say within about 10 s that the server cannot be reached.
    assert waited < 15, waited
