"""Whether a window stayed live while it waited for the database: a ticking timer, and the busy dialog."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.ui.widgets.db_call import BusyDialog


class Ticker:
    """A 100 ms timer in the GUI thread: the longest gap between its ticks shows whether the window froze."""

    def __init__(self) -> None:
        self.moments: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(lambda: self.moments.append(time.monotonic()))

    def __enter__(self) -> Ticker:
        self.moments.append(time.monotonic())
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()
        self.moments.append(time.monotonic())

    def longest_gap(self) -> float:
        return max(b - a for a, b in zip(self.moments, self.moments[1:], strict=False))


def visible_busy_dialog() -> BusyDialog | None:
    """The 请稍候 dialog db_call shows while it waits, if it is on screen."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, BusyDialog) and widget.isVisible():
            return widget
    return None


def live_while(action: Callable[[], object]) -> tuple[int, bool]:
    """Runs ``action`` with a 50 ms timer ticking; returns the ticks and whether a busy dialog showed at 600 ms."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    seen: list[BusyDialog | None] = []
    QTimer.singleShot(600, lambda: seen.append(visible_busy_dialog()))
    try:
        action()
    finally:
        timer.stop()
    return len(ticks), bool(seen and seen[0] is not None)
