"""A record window's flow actions (提交, 核稿通过, 签发 …). Each action runs once per click, and a button that
has just appeared takes no click that began before the user could see it.

Acting replaces the bar with the next step's buttons, often one in the very place the user just clicked. So
the second click of a double-click, or a click queued while the action ran, would press the next step's
button. Two guards stop that: the bar is disabled while an action runs (the button just clicked, and any
button of the bar, cannot be pressed again), and a button brought by an action ignores mouse presses until
it has been on screen for a double-click interval. Keyboard and programmatic clicks are not delayed: only the mouse
double-clicks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QWidget


def press_guard_ms() -> int:
    """How long a new button ignores the mouse: the platform's double-click interval (400 ms by default),
    which is as long as the second click of a double-click can come after the first."""
    return QApplication.doubleClickInterval()


class ActionButton(QPushButton):
    """A button that, when ``guarded``, ignores mouse presses until it has been shown for press_guard_ms()."""

    def __init__(self, text: str, guarded: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setAutoDefault(False)
        self._guarded = guarded
        self._shown = QElapsedTimer()
        self._shown.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._shown.start()

    def takes_presses(self) -> bool:
        return not self._guarded or self._shown.elapsed() >= press_guard_ms()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        # A double-click's second press reaches here too (QWidget's double-click handler is a press).
        if not self.takes_presses():
            event.ignore()
            return
        super().mousePressEvent(event)


class ActionBar(QHBoxLayout):
    """The row of action buttons. Its owner clears and refills it after each action (clear_layout)."""

    def __init__(self) -> None:
        super().__init__()
        self._running = False

    def add_action(self, text: str, slot: Callable[[], Any], primary: bool = False) -> ActionButton:
        # Only the buttons an action brings (the next step's) can meet the tail of the click that acted; the
        # buttons a window opens with come after the double-click that opened it.
        button = ActionButton(text, guarded=self._running)
        if primary:
            button.setObjectName("primary")
        button.clicked.connect(lambda _checked=False: self.run(slot))
        # Added while an action runs (the bar is being rebuilt): enabled when that action ends.
        button.setEnabled(not self._running)
        self.addWidget(button)
        return button

    def buttons(self) -> list[ActionButton]:
        found = []
        for i in range(self.count()):
            item = self.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, ActionButton):
                found.append(widget)
        return found

    @property
    def running(self) -> bool:
        return self._running

    def run(self, slot: Callable[[], Any]) -> None:
        """Runs one action with the whole bar disabled; a click that arrives meanwhile is dropped. Buttons
        taken out of the bar by the action stay disabled until they are deleted."""
        if self._running:
            return
        self._running = True
        for button in self.buttons():
            button.setEnabled(False)
        try:
            slot()
        finally:
            self._running = False
            for button in self.buttons():
                button.setEnabled(True)
