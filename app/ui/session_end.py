"""The end of a session: the logged-in user was disabled, locked or given other roles meanwhile.

Whatever finds it out (the change poller, or any service call refused with SessionEnded) announces it
here; the main window listens, says so once, and goes back to the login (app.ui.main_window).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.errors import SessionEnded


class SessionEndNotice(QObject):
    ended = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.announced = False

    def announce(self, message: str) -> None:
        # Several calls may be refused at once (the 工作台's counts, an open list): one notice.
        if self.announced:
            return
        self.announced = True
        self.ended.emit(message)

    def reset(self) -> None:
        """A new user signed in."""
        self.announced = False


_notice: SessionEndNotice | None = None


def session_end_notice() -> SessionEndNotice:
    global _notice
    if _notice is None:
        _notice = SessionEndNotice()
    return _notice


def announce_if_ended(error: BaseException) -> bool:
    """Announces a refused call whose user may no longer act; True if it was one."""
    if isinstance(error, SessionEnded):
        session_end_notice().announce(error.message)
        return True
    return False
