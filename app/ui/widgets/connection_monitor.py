"""Whether the database server is reachable, for every window at once.

A call that finds the server gone reports it here; the main window then shows a strip that says so, and
the monitor tries the server every few seconds, off the GUI thread. When it answers again, the pool's old
connections are dropped (they died with the server) and ``restored`` is emitted: pages reload, and a save
that was waiting for the server goes ahead (app.ui.widgets.db_call).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.errors import GovDeskError, ServerUnavailable
from app.ui.widgets.worker import app_owned

if TYPE_CHECKING:
    from app.bootstrap import AppContext

RETRY_MS = 3000


def as_server_fault(error: BaseException) -> ServerUnavailable | None:
    """The error as a lost-server error, or None when it is anything else (a rule, a conflict …)."""
    if isinstance(error, ServerUnavailable):
        return error
    if isinstance(error, GovDeskError):
        return None  # the program's own verdict (a rule, a conflict): never a lost server
    from app.db.faults import user_error

    translated = user_error(error)
    return translated if isinstance(translated, ServerUnavailable) else None


class ConnectionMonitor(QObject):
    lost = Signal(str)
    restored = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._ctx: AppContext | None = None
        self._up = True
        self._probing = False
        self._message = ""
        self._timer = QTimer(self)
        self._timer.setInterval(RETRY_MS)
        self._timer.timeout.connect(self._probe)

    def attach(self, ctx: AppContext | None) -> None:
        """The database to watch: the one the main window works on."""
        self._ctx = ctx
        self._up = True
        self._timer.stop()

    def is_up(self) -> bool:
        return self._up

    @property
    def message(self) -> str:
        return self._message

    def report_lost(self, fault: ServerUnavailable) -> None:
        self._message = fault.message
        if self._up:
            self._up = False
            self.lost.emit(fault.message)
        self.start_watching()

    def suspect(self) -> None:
        """A call has waited long for an answer: look whether the server is there, without saying yet."""
        self.start_watching()

    def confirm_alive(self) -> None:
        """A call just went through: the server is there."""
        if not self._up:
            self._back()

    def start_watching(self) -> None:
        if self._ctx is None or self._timer.isActive():
            return
        self._timer.start()
        self._probe()

    def _probe(self) -> None:
        if self._probing or self._ctx is None:
            return
        self._probing = True
        engine = self._ctx.engine

        def work(_progress: object) -> None:
            from sqlalchemy import text

            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        from app.ui.widgets.worker import run_in_background

        run_in_background(work, self._answered, self._silent)

    def _answered(self, _result: object) -> None:
        self._probing = False
        if self._ctx is not None and not self._up:
            # The connections pooled before the fault died with it; new ones are made as needed.
            self._ctx.engine.dispose()
        self._back()

    def _silent(self, error: BaseException) -> None:
        self._probing = False
        fault = as_server_fault(error)
        if fault is not None:
            self.report_lost(fault)

    def _back(self) -> None:
        self._timer.stop()
        was_down = not self._up
        self._up = True
        self._message = ""
        if was_down:
            self.restored.emit()


_monitor: ConnectionMonitor | None = None


def connection_monitor() -> ConnectionMonitor:
    global _monitor
    if _monitor is None:
        _monitor = app_owned(ConnectionMonitor())
    return _monitor
