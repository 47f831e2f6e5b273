"""Waiting for a lazy table's rows, which are read off the GUI thread and land a moment later."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.widgets.lazy_table import LazyTableModel

# Generous: a local SQLite page lands in milliseconds, but 2 cores are shared by the whole suite.
LOAD_TIMEOUT_MS = 10_000


def wait_loaded(qtbot: QtBot, model: LazyTableModel, timeout: int = LOAD_TIMEOUT_MS) -> None:
    """Returns once no page of ``model`` is being read (the last reload or fetchMore has landed)."""
    qtbot.waitUntil(lambda: not model.loading, timeout=timeout)


def fetch_more_now(qtbot: QtBot, model: LazyTableModel, timeout: int = LOAD_TIMEOUT_MS) -> None:
    """What scrolling does: reads the next page; returns once it has landed."""
    wait_loaded(qtbot, model, timeout)
    model.fetchMore()
    wait_loaded(qtbot, model, timeout)
