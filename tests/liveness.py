"""Whether a window stayed live while it waited for the database: a ticking timer, and the busy dialog."""

from __future__ import annotations

import time

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
