"""The LAN server vanishes while a 发文 list is on screen (issue 12, point 1), for real: a private PostgreSQL in
a network namespace whose link is cut silently, or frozen with SIGSTOP. The list is read again (F5, a change
on another client): the window stays live, the rows shown stay, the table says within the time set that the
server cannot be reached or does not answer, and once the server is back the list reads again."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext, bootstrap
from app.core.documents import OUTGOING
from app.core.roles import Role
from app.db import migrate
from app.services.documents import outgoing
from app.ui.documents.lists import list_spec, make_fetch
from app.ui.prefs import Prefs
from app.ui.widgets.connection_monitor import connection_monitor
from app.ui.widgets.list_page import ListPage
from tests.helpers import add_unit, add_user
from tests.helpers.fault_servers import PrivatePostgres
from tests.helpers.liveness import Ticker

# As in test_server_vanishes: the "about 10 s", with room for a loaded CI machine.
SAY_SO_WITHIN_S = 20
BACK_WITHIN_S = 30
TITLE = "关于做好冬季森林防火工作的通知"


@dataclass
class LanList:
    ctx: AppContext
    page: ListPage
    server: PrivatePostgres


@pytest.fixture
def lan_list(pg_on_lan: PrivatePostgres, qtbot: QtBot, tmp_path: Path) -> Iterator[LanList]:
    pg_on_lan.create_database("govdesk")
    ctx = bootstrap(pg_on_lan.url("govdesk"))
    migrate.upgrade(ctx.engine)
    unit = add_unit(ctx, "秘书股", "section")
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], unit, full_name="张文秘")
    with ctx.uow() as uow:
        outgoing.create_draft(uow, clerk, title=TITLE, doc_type="通知", disclosure="主动公开")
    connection_monitor().attach(ctx)
    prefs = Prefs(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    page = ListPage(list_spec(OUTGOING), make_fetch(ctx, clerk, OUTGOING), prefs, lambda _row: None)
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    try:
        yield LanList(ctx, page, pg_on_lan)
    finally:
        connection_monitor().attach(None)
        pg_on_lan.thaw()
        if pg_on_lan.netns is not None:
            pg_on_lan.netns.restore()
        qtbot.waitUntil(lambda: not page.model.loading, timeout=60_000)
        ctx.dispose()


def _titles(page: ListPage) -> list[str]:
    column = next(i for i, c in enumerate(page.spec.columns) if c.title == "标题")
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def _said(page: ListPage, words: str) -> bool:
    note = page.table.loading_note
    return note.isVisible() and words in note.text()


def test_a_pulled_cable_is_said_over_the_list_and_the_list_reads_again_once_it_is_back(
    qtbot: QtBot, lan_list: LanList
) -> None:
    page, server = lan_list.page, lan_list.server
    assert server.netns is not None
    server.netns.drop()
    cut = time.monotonic()
    with Ticker() as ticker:
        page.refresh()
        qtbot.waitUntil(lambda: _said(page, "服务器"), timeout=SAY_SO_WITHIN_S * 1000)
        said = time.monotonic()
        # The rows read before stay in view; the user can go on reading them.
        assert _titles(page) == [TITLE]
        qtbot.waitUntil(lambda: not connection_monitor().is_up(), timeout=SAY_SO_WITHIN_S * 1000)
        lost = time.monotonic()
    assert said - cut <= SAY_SO_WITHIN_S and lost - cut <= SAY_SO_WITHIN_S
    assert ticker.longest_gap() < 1.0, "the window never froze while the server was away"
    text = page.table.loading_note.text()
    assert not any("a" <= ch.lower() <= "z" for ch in text.replace("PostgreSQL", "")), text
    server.netns.restore()
    qtbot.waitUntil(connection_monitor().is_up, timeout=BACK_WITHIN_S * 1000)
    # The main window reloads its page when the server is back (main_window._server_back); here, F5.
    page.refresh()
    qtbot.waitUntil(lambda: not page.model.loading, timeout=BACK_WITHIN_S * 1000)
    assert _titles(page) == [TITLE] and not page.table.loading_note.isVisible()


def _server_processes(server: PrivatePostgres) -> list[int]:
    """The postmaster and every process it forked. Each backend calls setsid(), so a signal to the
    postmaster's process group (PrivatePostgres.freeze) leaves the backends answering."""
    postmaster = server.postmaster_pid()
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            pids.append(int(stat.parent.name))
    return pids


def _signal_all(pids: list[int], signal_number: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal_number)
        except ProcessLookupError:
            pass


def test_a_frozen_server_is_said_silent_over_the_list_and_the_rows_land_when_it_thaws(
    qtbot: QtBot, lan_list: LanList
) -> None:
    page, server = lan_list.page, lan_list.server
    # The whole server stops, the backend the pool holds too: the kernel acknowledges, nothing answers.
    frozen_pids = _server_processes(server)
    assert len(frozen_pids) > 2
    _signal_all(frozen_pids, signal.SIGSTOP)
    frozen = time.monotonic()
    try:
        with Ticker() as ticker:
            page.refresh()
            qtbot.waitUntil(lambda: _said(page, "没有回应"), timeout=SAY_SO_WITHIN_S * 1000)
            said = time.monotonic()
            assert page.model.loading and _titles(page) == [TITLE]
            _signal_all(frozen_pids, signal.SIGCONT)
            qtbot.waitUntil(lambda: not page.model.loading, timeout=BACK_WITHIN_S * 1000)
    finally:
        _signal_all(frozen_pids, signal.SIGCONT)
    assert said - frozen <= SAY_SO_WITHIN_S
    assert ticker.longest_gap() < 1.0
    assert _titles(page) == [TITLE] and not page.table.loading_note.isVisible()
