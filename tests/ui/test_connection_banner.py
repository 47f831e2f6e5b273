"""The main window says when the database server is gone, tries it by itself, and says when it is back."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from app.core.errors import ServerUnavailable
from app.services.kernel import changes
from app.ui import main_window as main_window_module
from app.ui.main_window import ChangePoller, MainWindow
from app.ui.prefs import Prefs
from app.ui.widgets.connection_monitor import connection_monitor
from tests.helpers.ui import Office


def test_a_lost_server_shows_the_banner_until_the_server_answers(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = MainWindow(office.ctx, office.clerk, prefs)
    qtbot.addWidget(window)
    window.show()
    assert window.connection_banner.isHidden()
    # The SQLite file is there all along: the monitor's first try finds it, as a server that came back.
    connection_monitor().report_lost(ServerUnavailable("连不上数据库服务器：网络断了", kind="unreachable"))
    assert window.connection_banner.isVisible()
    assert "连不上数据库服务器：网络断了" in window.connection_banner.text()
    assert "自动重试" in window.connection_banner.text() and "自动刷新" in window.connection_banner.text()
    qtbot.waitUntil(lambda: window.connection_banner.isHidden(), timeout=5000)
    assert window.statusBar().currentMessage() == "已重新连上数据库服务器"
    window.close()


def test_a_poll_that_hangs_makes_the_monitor_look_and_is_left_behind(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_latest = changes.latest_position

    def frozen_server(uow: object) -> int:
        release.wait(10)
        return real_latest(uow)  # type: ignore[arg-type]

    suspected: list[bool] = []
    monkeypatch.setattr(main_window_module, "SILENT_SERVER_AFTER_S", 0.2)
    monkeypatch.setattr(type(connection_monitor()), "suspect", lambda self: suspected.append(True))
    monkeypatch.setattr(changes, "latest_position", frozen_server)
    found: list[set[str]] = []
    poller = ChangePoller(office.ctx, found.append)
    poller.timer.setInterval(100)
    try:
        poller.start()
        qtbot.waitUntil(lambda: bool(suspected), timeout=3000)
        assert poller.busy
        poller.restart()
        assert not poller.busy
        stale_generation = poller.generation - 1
        # A late answer of the poll that hung changes nothing.
        poller._started(stale_generation, 999)
        assert poller.position is None
    finally:
        release.set()
        poller.stop()
