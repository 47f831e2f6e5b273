"""测试连接 and 下一步 in the first-run wizard run the probe off the GUI thread: the window stays live, 取消
works at once, a cancelled test's late verdict is dropped, and 下一步 goes on by itself once the test passes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.db.probe import ProbeResult
from app.ui import wizard as wizard_module
from app.ui.widgets import worker
from app.ui.wizard import ConnectionPage, FirstRunWizard
from tests.helpers.silent_server import SilentServer, silent_server


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    with silent_server() as server:
        yield server


@pytest.fixture
def wizard(qtbot: QtBot) -> FirstRunWizard:
    shown = FirstRunWizard()
    qtbot.addWidget(shown)
    shown.show()
    return shown


def point_at(page: ConnectionPage, port: int) -> None:
    page.server.setChecked(True)
    page.host.setText("127.0.0.1")
    page.port.setValue(port)
    page.user.setText("govdesk")
    page.password.setText("s3cret")


class Ticks:
    """A 20 ms timer on the GUI thread: it ticks only while the thread is free."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def test_a_silent_server_leaves_the_window_live_and_cancel_works_at_once(
    qtbot: QtBot, wizard: FirstRunWizard, silent: SilentServer
) -> None:
    page = wizard.connection
    point_at(page, silent.port)
    ticks = Ticks()
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert page.testing
    assert page.cancel_button.isVisible() and page.busy.isVisible() and not page.test_button.isVisible()
    assert "正在连接" in page.verdict.text()
    assert not page.server_box.isEnabled()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # The probe is at the server, waiting for an answer that never comes, while the GUI thread runs on.
    qtbot.waitUntil(lambda: silent.accepted >= 1, timeout=5_000)
    qtbot.waitUntil(lambda: ticks.count >= 10, timeout=5_000)
    assert page.testing

    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert not page.testing
    assert page.test_button.isVisible() and not page.cancel_button.isVisible() and not page.busy.isVisible()
    assert "已取消" in page.verdict.text()
    assert page.server_box.isEnabled()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    # The server hangs up: the cancelled probe fails now, and its verdict must not show.
    silent.hang_up()
    qtbot.waitUntil(lambda: worker._get_dispatcher().pending == 0, timeout=20_000)
    assert "已取消" in page.verdict.text()
    assert page.result is None
    ticks.timer.stop()


def test_next_waits_for_the_test_and_goes_on_by_itself(
    qtbot: QtBot, wizard: FirstRunWizard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gate = threading.Event()
    real_probe = wizard_module.probe

    def slow_probe(url: object) -> ProbeResult:
        gate.wait(20)
        return real_probe(url)  # type: ignore[arg-type]

    monkeypatch.setattr(wizard_module, "probe", slow_probe)
    page = wizard.connection
    page.path.setText(f"{tmp_path}/office/govdesk.sqlite3")
    wizard.next()
    assert wizard.currentId() == wizard.connection_id
    assert page.testing and "正在连接" in page.verdict.text()
    wizard.next()  # a second click while it tests starts no second test
    assert page.testing
    gate.set()
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.setup_id, timeout=20_000)
    assert "数据库是空的" in page.verdict.text()


def test_next_stays_when_the_test_fails_or_is_cancelled(
    qtbot: QtBot, wizard: FirstRunWizard, silent: SilentServer
) -> None:
    page = wizard.connection
    point_at(page, silent.port)
    wizard.next()
    assert page.testing
    qtbot.waitUntil(lambda: silent.accepted >= 1, timeout=5_000)
    page.cancel_button.click()
    with qtbot.waitSignal(page.tested, timeout=20_000) as tested:
        page.test_connection()  # 测试连接 again; the server now hangs up at once
        qtbot.waitUntil(lambda: silent.accepted >= 2, timeout=5_000)
        silent.hang_up()
    assert tested.args == [False]
    qtbot.waitUntil(lambda: worker._get_dispatcher().pending == 0, timeout=20_000)
    assert wizard.currentId() == wizard.connection_id
    assert page.result is not None and not page.result.usable_after_init


def test_a_verdict_counts_only_for_the_fields_it_was_about(
    qtbot: QtBot, wizard: FirstRunWizard, tmp_path: Path
) -> None:
    page = wizard.connection
    page.path.setText(f"{tmp_path}/a.sqlite3")
    with qtbot.waitSignal(page.tested):
        page.test_connection()
    assert page.validatePage()
    page.path.setText(f"{tmp_path}/b.sqlite3")
    assert page.verdict.text() == ""
    assert not page.validatePage()  # a new test starts, for the new file
    assert page.testing
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.setup_id, timeout=20_000)
