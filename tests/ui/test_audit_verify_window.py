"""核验完整性 runs off the GUI thread: a progress dialog counts the entries checked (已核验 N / 共 M 条), the
verdict shows when it is done, and 取消 stops it between two batches, saying 已取消核验 and changing nothing.

The check is held after each progress report until the window has shown it, so what the test sees does
not depend on how fast the worker runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db.tables import audit_log
from app.services.admin import audit
from app.ui.admin.page import AdminPage
from app.ui.prefs import Prefs
from tests.helpers.ui import Office


def page_with_entries(qtbot: QtBot, office: Office, prefs: Prefs, entries: int) -> AdminPage:
    for i in range(entries):
        with office.ctx.uow() as uow:
            uow.record(None, "system", "update", "settings", None, {"office_name": ["旧", f"新{i}"]}, "update")
            uow.commit()
    page = AdminPage(office.ctx, office.admin, prefs)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.audit)
    QApplication.processEvents()
    return page


def entry_count(office: Office) -> int:
    with office.ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


class HeldCheck:
    """audit.verify with each progress report held until the window has shown it (`seen`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen = threading.Event()
        self.worker_threads: set[str] = set()
        real = audit.verify

        def held_verify(*args: Any, progress: Callable[[int, int], None] | None = None, **kwargs: Any) -> Any:
            assert progress is not None

            def held(done: int, total: int) -> None:
                self.worker_threads.add(threading.current_thread().name)
                self.seen.clear()
                progress(done, total)
                assert self.seen.wait(10), "the window never showed the progress"

            return real(*args, progress=held, **kwargs)  # type: ignore[misc]  # the real one, held

        monkeypatch.setattr(audit, "VERIFY_BATCH", 4)
        monkeypatch.setattr(audit, "verify", held_verify)


def watch(page: AdminPage, held: HeldCheck, on_shown: Callable[[str], None]) -> tuple[QTimer, list[tuple[str, int, int]]]:
    """In the GUI thread, while 核验完整性 runs: each new count the dialog shows, with its bar."""
    shown: list[tuple[str, int, int]] = []
    timer = QTimer()
    timer.setInterval(2)

    def look() -> None:
        dialog = page.audit.verifying
        if dialog is None or not dialog.isVisible() or held.seen.is_set():
            return
        text = dialog.labelText()
        if text.startswith("已核验") and (not shown or shown[-1][0] != text):
            shown.append((text, dialog.value(), dialog.maximum()))
            on_shown(text)
            held.seen.set()

    timer.timeout.connect(look)
    timer.start()
    return timer, shown


def verify_button(page: AdminPage) -> QPushButton:
    return next(b for b in page.audit.findChildren(QPushButton) if b.text() == "核验完整性")


def test_the_check_shows_its_progress_then_the_verdict(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = page_with_entries(qtbot, office, prefs, 10)
    total = entry_count(office)
    held = HeldCheck(monkeypatch)
    timer, shown = watch(page, held, lambda _text: None)
    verify_button(page).click()  # returns when the check is over; the window stayed live meanwhile
    timer.stop()
    counts = [*range(0, total, 4), total]
    assert shown == [(f"已核验 {n} / 共 {total} 条", n, total) for n in counts]
    assert held.worker_threads and threading.current_thread().name not in held.worker_threads
    assert page.audit.verifying is None
    assert f"审计日志完整：共核对 {total} 条记录，未发现删除或篡改" in page.audit.verdict.text()


def test_cancel_stops_the_check_and_changes_nothing(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = page_with_entries(qtbot, office, prefs, 10)
    before = entry_count(office)
    held = HeldCheck(monkeypatch)

    def cancel_at_four(text: str) -> None:
        if text.startswith("已核验 4 /"):
            dialog = page.audit.verifying
            assert dialog is not None
            cancel = dialog.findChild(QPushButton)
            assert cancel is not None and cancel.text() == "取消"
            cancel.click()

    timer, shown = watch(page, held, cancel_at_four)
    verify_button(page).click()
    timer.stop()
    # Nothing was shown after 取消: the worker stopped at its next report, before reading another batch.
    assert [text for text, _value, _maximum in shown] == [f"已核验 0 / 共 {before} 条", f"已核验 4 / 共 {before} 条"]
    assert page.audit.verdict.text() == "已取消核验" and page.audit.verdict.isVisible()
    assert page.audit.verifying is None
    assert entry_count(office) == before
