"""A lazy table reads its rows off the GUI thread: the window stays live, the rows shown stay until the new
page lands, a newer reload wins, a slow read says 正在读取…, and a lost server is reported, not raised."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.core.errors import ServerUnavailable
from app.services.workflow.worklist import Page
from app.ui.prefs import Prefs
from app.ui.widgets.connection_monitor import connection_monitor
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.lazy_table import Column, LazyTableModel
from tests.helpers.loading import wait_loaded

COLUMNS = [Column("标题", lambda s: s)]


class Source:
    """A fetch whose rows, delay and failure the test sets between reloads; it notes the thread it ran on."""

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        self.delay = 0.0
        self.error: BaseException | None = None
        self.threads: set[int] = set()

    def __call__(self, offset: int, limit: int, _key: str | None, _desc: bool) -> Page[str]:
        self.threads.add(threading.get_ident())
        rows, delay, error = self.rows, self.delay, self.error
        time.sleep(delay)
        if error is not None:
            raise error
        return Page(rows[offset:offset + limit], len(rows), offset)


@pytest.fixture
def monitor() -> Iterator[None]:
    watched = connection_monitor()
    watched.attach(None)
    yield
    watched._back()
    watched.attach(None)


def _table(qtbot: QtBot, prefs: Prefs, source: Source) -> DataTable:
    model = LazyTableModel(COLUMNS, source)
    table = DataTable(model, prefs, "test/off-thread", "还没有记录。")
    qtbot.addWidget(table)
    table.resize(600, 400)
    table.show()
    model.reload()
    wait_loaded(qtbot, model)
    return table


def _titles(model: LazyTableModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_a_slow_read_keeps_the_window_live_and_the_rows_shown_until_the_new_ones_land(
    qtbot: QtBot, prefs: Prefs
) -> None:
    source = Source(["旧的一号通知", "旧的二号通知"])
    table = _table(qtbot, prefs, source)
    model = table.model
    assert threading.get_ident() not in source.threads, "the rows are read off the GUI thread"
    source.rows, source.delay = ["新的通知"], 1.2
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    model.reload()
    # reload returns at once; the GUI thread goes on while the server takes its time.
    assert model.loading and _titles(model) == ["旧的一号通知", "旧的二号通知"]
    qtbot.waitUntil(lambda: table.loading_note.isVisible(), timeout=1000)
    assert table.loading_note.text() == "正在读取…"
    assert _titles(model) == ["旧的一号通知", "旧的二号通知"], "the rows shown stay while the new ones are read"
    wait_loaded(qtbot, model)
    timer.stop()
    assert _titles(model) == ["新的通知"]
    assert not table.loading_note.isVisible()
    # 1.2 s at a tick per 50 ms: a GUI thread blocked on the read would have ticked once at most.
    assert len(ticks) >= 10


def test_a_quick_read_shows_no_note(qtbot: QtBot, prefs: Prefs) -> None:
    source = Source(["一号通知"])
    table = _table(qtbot, prefs, source)
    shown: list[bool] = []
    table.model.loadingChanged.connect(lambda _loading: shown.append(table.loading_note.isVisible()))
    table.model.reload()
    wait_loaded(qtbot, table.model)
    qtbot.wait(400)
    assert not table.loading_note.isVisible() and not any(shown)


def test_a_newer_reload_wins_over_an_older_slow_one(qtbot: QtBot, prefs: Prefs) -> None:
    source = Source(["最初的通知"])
    table = _table(qtbot, prefs, source)
    model = table.model
    source.rows, source.delay = ["过时的通知"], 0.8
    model.reload()
    qtbot.wait(100)  # the slow read has taken its rows and is sleeping
    source.rows, source.delay = ["最新的通知"], 0.0
    model.reload()
    qtbot.waitUntil(lambda: _titles(model) == ["最新的通知"], timeout=5000)
    # The older read comes back afterwards, and is dropped.
    qtbot.wait(1000)
    assert _titles(model) == ["最新的通知"] and not model.loading


def test_a_lost_server_is_reported_and_said_over_the_rows_it_leaves_in_view(
    qtbot: QtBot, prefs: Prefs, monitor: None
) -> None:
    source = Source(["一号通知", "二号通知"])
    table = _table(qtbot, prefs, source)
    model = table.model
    source.error = ServerUnavailable("连不上数据库服务器：网络断了", kind="unreachable")
    lost: list[str] = []
    connection_monitor().lost.connect(lost.append)
    try:
        with qtbot.waitSignal(model.loadFailed, timeout=5000) as failed:
            model.reload()
    finally:
        connection_monitor().lost.disconnect(lost.append)
    assert isinstance(failed.args[0], ServerUnavailable)
    assert lost == ["连不上数据库服务器：网络断了"] and not connection_monitor().is_up()
    assert _titles(model) == ["一号通知", "二号通知"]
    assert table.loading_note.isVisible() and "网络断了" in table.loading_note.text()
    # The server is back: the next read goes through, says so to the monitor, and the note goes.
    source.error = None
    model.reload()
    wait_loaded(qtbot, model)
    assert connection_monitor().is_up() and not table.loading_note.isVisible()


def test_scrolling_reads_the_next_page_off_the_gui_thread(qtbot: QtBot, prefs: Prefs) -> None:
    source = Source([f"第{i:03d}号通知" for i in range(250)])
    table = _table(qtbot, prefs, source)
    model = table.model
    assert model.rowCount() == 100 and model.canFetchMore()
    source.delay = 0.5
    model.fetchMore()
    assert model.loading and not model.canFetchMore(), "one page at a time"
    model.fetchMore()  # a second request meanwhile is not a second read
    wait_loaded(qtbot, model)
    assert model.rowCount() == 200


def test_a_read_that_never_answers_is_said_silent_and_lands_when_the_server_wakes(
    qtbot: QtBot, prefs: Prefs, monitor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.widgets import lazy_table

    # A frozen server neither answers nor resets the connection: the read just waits.
    monkeypatch.setattr(lazy_table, "SILENT_SERVER_AFTER_S", 1)
    suspected: list[bool] = []
    monkeypatch.setattr(type(connection_monitor()), "suspect", lambda _self: suspected.append(True))
    source = Source(["一号通知"])
    table = _table(qtbot, prefs, source)
    wake = threading.Event()
    held = source.__call__

    def frozen(*args: object) -> Page[str]:
        wake.wait(20)
        return held(*args)  # type: ignore[arg-type]

    source.rows = ["一号通知", "二号通知"]
    table.model.set_fetch(frozen)
    qtbot.waitUntil(lambda: "没有回应" in table.loading_note.text(), timeout=5000)
    assert table.loading_note.isVisible() and suspected == [True]
    assert _titles(table.model) == ["一号通知"]
    wake.set()
    wait_loaded(qtbot, table.model)
    assert _titles(table.model) == ["一号通知", "二号通知"] and not table.loading_note.isVisible()
