"""Windows open within the screen's available area: the office laptop is 1366×768, with a taskbar below
and a title bar above every window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What a window manager adds around a window (Windows 10: a 31 px title bar and 8 px borders). Qt knows
# the real frame only once a window has been shown; before that, this is what a window must leave free.
FRAME_ALLOWANCE = QMargins(8, 31, 8, 8)


def frame_margins(window: QWidget) -> QMargins:
    """The window's real frame once shown, else the allowance (whichever is larger, side by side)."""
    if not window.isVisible():
        return FRAME_ALLOWANCE
    frame, inner = window.frameGeometry(), window.geometry()
    real = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom())
    return QMargins(max(real.left(), FRAME_ALLOWANCE.left()), max(real.top(), FRAME_ALLOWANCE.top()),
                    max(real.right(), FRAME_ALLOWANCE.right()), max(real.bottom(), FRAME_ALLOWANCE.bottom()))


def available_area(window: QWidget) -> QRect:
    """The screen's available geometry (without the taskbar) less the window's frame: the room its
    contents may take."""
    parent = window.parentWidget()
    anchor = parent.window() if parent is not None else window
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().marginsRemoved(frame_margins(window))


def fit_to_screen(window: QWidget, preferred: tuple[int, int], minimum: tuple[int, int] | None = None) -> bool:
    """Sizes a top-level window or dialog at its preferred size, or as much of it as the screen has room
    for; its minimum size is clamped to that room too, so no window is forced to be taller than the
    screen. A window without a parent is centred; a dialog is centred on its parent by Qt. True when the
    screen had less room than preferred."""
    room = available_area(window)
    if minimum is not None:
        window.setMinimumSize(min(minimum[0], room.width()), min(minimum[1], room.height()))
    else:
        current = window.minimumSize()
        window.setMinimumSize(min(current.width(), room.width()), min(current.height(), room.height()))
    size = QSize(min(preferred[0], room.width()), min(preferred[1], room.height()))
    window.resize(size)
    clamped = size != QSize(*preferred)
    if window.parentWidget() is None:
        window.move(room.left() + (room.width() - size.width()) // 2 - frame_margins(window).left(),
                    room.top() + (room.height() - size.height()) // 2 - frame_margins(window).top())
    return clamped


def keep_on_screen(window: QWidget) -> None:
    """After a restored geometry (saved on a larger screen, perhaps): shrinks and moves the window so
    that all of it, its frame too, is on the screen."""
    room = available_area(window)
    size = QSize(min(window.width(), room.width()), min(window.height(), room.height()))
    if size != window.size():
        window.resize(size)
    margins = frame_margins(window)
    left = min(max(window.x() + margins.left(), room.left()), room.right() + 1 - size.width())
    top = min(max(window.y() + margins.top(), room.top()), room.bottom() + 1 - size.height())
    if (left, top) != (window.x() + margins.left(), window.y() + margins.top()):
        window.move(left - margins.left(), top - margins.top())


class _FitWhenShown(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            room = available_area(watched)
            least = watched.minimumSize()
            watched.setMinimumSize(min(least.width(), room.width()), min(least.height(), room.height()))
            keep_on_screen(watched)
        return False


def fit_when_shown(dialog: QWidget) -> None:
    """For a dialog that takes its size from its contents: once Qt has sized and placed it, as it is first
    shown, it is shrunk and moved to lie within the screen if it does not."""
    dialog.installEventFilter(_FitWhenShown(dialog))


__all__ = ["FRAME_ALLOWANCE", "available_area", "fit_to_screen", "fit_when_shown", "keep_on_screen"]
