"""The database work a window asks for, run off the GUI thread.

A window calls ``db_call(self, work)`` where it used to run ``work()`` itself; ``work`` opens its own unit
of work. The work runs on a thread of its own while the window waits without freezing: it repaints and its
timers run. A local SQLite call is over before anything shows. After BUSY_AFTER_MS a small dialog says what
the program is waiting for and offers 取消; after SILENT_SERVER_AFTER_S it says plainly that the server does
not answer. A cancelled unit of work is never committed afterwards (app.services.kernel.uow.work_cancelled).

When a save fails because the server is gone, what the user typed is still in the window: the dialog offers
to save it by itself as soon as the server is back, or to keep it as a text file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QThread, QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.core.errors import GovDeskError, ServerUnavailable, WorkCancelled
from app.ui.i18n import tr
from app.ui.session_end import announce_if_ended
from app.ui.widgets.connection_monitor import as_server_fault, connection_monitor
from app.ui.widgets.messages import show_error

if TYPE_CHECKING:
    from app.bootstrap import AppContext
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

T = TypeVar("T")

# A local call finishes in a few milliseconds: waiting this long on the GUI thread, unseen, spares it the
# nested event loop, so the usual case is as quick as a direct call.
FAST_PATH_S = 0.02
BUSY_AFTER_MS = 300
SILENT_SERVER_AFTER_S = 10
POLL_MS = 5


class _Call:
    """The work and its outcome, shared with the thread that runs it. No Qt object crosses threads."""

    def __init__(self, work: Callable[[], object]) -> None:
        self.work = work
        self.done = threading.Event()
        self.cancelled = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        from app.services.kernel.uow import work_cancelled

        work_cancelled.set(self.cancelled)
        try:
            self.result = self.work()
        except BaseException as error:  # noqa: BLE001 - handed to the GUI thread, which raises it there
            self.error = error
        finally:
            self.done.set()

    def start(self) -> None:
        # A thread of its own rather than a pool's: a call stuck on a silent server must not hold up others.
        self.thread = threading.Thread(target=self.run, name="govdesk-db-call", daemon=True)
        self.thread.start()

    def settle(self) -> None:
        """Waits the moment it takes the finished thread to let go of the work. The work holds widgets
        (a window's method, its closure): the last reference to them must go in the GUI thread, never in
        the worker, or Qt objects would be destroyed off the GUI thread."""
        if self.thread is not None:
            self.thread.join(1.0)


# Calls the user stopped waiting for, still running: kept here so that what their work holds is let go of
# in the GUI thread, when a later call finds them finished.
_abandoned: list[_Call] = []


def _let_go_of_finished() -> None:
    _abandoned[:] = [call for call in _abandoned if call.thread is not None and call.thread.is_alive()]


class BusyDialog(QDialog):
    """正在读取… with a moving bar and 取消; after a silent while, says the server does not answer."""

    def __init__(self, parent: QWidget | None, saving: bool = False, text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr('请稍候'))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.message = QLabel(text or (tr('正在保存…') if saving else tr('正在读取数据…')))
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(380)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        self.cancel_button = QPushButton(tr('取消'))
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(bar)
        layout.addLayout(buttons)

    def server_silent(self, seconds: int, saving: bool) -> None:
        self.message.setText(
            tr('数据库服务器已经 {0} 秒没有回应，可能是网络断了或服务器关机了。\n'
               '可以继续等待；也可以取消，{1}').format(
                seconds, tr('这次不会保存，您填写的内容仍留在窗口里。') if saving else tr('稍后再试。')
            )
        )

    def reject(self) -> None:  # noqa: D102 - Esc means 取消, as the button
        self.cancel_button.click()


def _on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _wait(parent: QWidget | None, call: _Call, saving: bool, waiting_text: str | None = None) -> None:
    """Returns when the call is done; raises WorkCancelled when the user stops waiting."""
    if call.done.wait(FAST_PATH_S):
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(POLL_MS)

    def quit_when_done() -> None:
        if call.done.is_set():
            loop.quit()

    poll.timeout.connect(quit_when_done)
    poll.start()
    started = time.monotonic()
    # Until the dialog shows, clicks and keys wait: the window must not start a second piece of work.
    QTimer.singleShot(BUSY_AFTER_MS, loop.quit)
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if call.done.is_set():
        poll.stop()
        return
    dialog = BusyDialog(parent, saving)
    if waiting_text:
        dialog.message.setText(waiting_text)
    cancelled = False

    def cancel() -> None:
        nonlocal cancelled
        cancelled = True
        call.cancelled.set()
        loop.quit()

    told_silent = False

    def check_silence() -> None:
        nonlocal told_silent
        silent = time.monotonic() - started
        if not told_silent and silent >= SILENT_SERVER_AFTER_S and not waiting_text:
            told_silent = True
            dialog.server_silent(int(silent), saving)
            connection_monitor().suspect()

    silence = QTimer()
    silence.setInterval(500)
    silence.timeout.connect(check_silence)
    silence.start()
    dialog.cancel_button.clicked.connect(cancel)
    dialog.show()
    try:
        while not call.done.is_set() and not cancelled:
            loop.exec()
    finally:
        poll.stop()
        silence.stop()
        dialog.hide()
        dialog.deleteLater()
    if cancelled and not call.done.is_set():
        _abandoned.append(call)
        raise WorkCancelled()


def db_call(parent: QWidget | None, work: Callable[[], T], *, saving: bool = False) -> T:
    """Runs ``work()`` off the GUI thread and returns its result, or raises its error (a lost server as
    ServerUnavailable, in Chinese). ``saving``: the work writes what the user typed, so a lost server
    offers to save it once the server is back, or to keep it as a file."""
    if not _on_gui_thread():
        return work()
    _let_go_of_finished()
    while True:
        call = _Call(work)
        call.start()
        _wait(parent, call, saving)
        call.settle()
        if call.error is None:
            connection_monitor().confirm_alive()
            return call.result  # type: ignore[return-value]
        fault = as_server_fault(call.error)
        if fault is None:
            announce_if_ended(call.error)
            raise call.error
        connection_monitor().report_lost(fault)
        if not saving:
            raise fault from call.error
        if not _keep_typed(parent, fault):
            raise WorkCancelled() from call.error


def in_unit_of_work(ctx: AppContext, work: Callable[[UnitOfWork], T]) -> T:
    """One service call in a unit of work of its own (run off the GUI thread by db_call)."""
    with ctx.uow() as uow:
        return work(uow)


def as_user(ctx: AppContext, actor: Actor, service: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """``service(uow, actor, *args, **kwargs)`` in a unit of work of its own, for db_call, db_read or
    db_change to run: a window names the service and its arguments, and never holds a unit of work."""
    return lambda: in_unit_of_work(ctx, lambda uow: service(uow, actor, *args, **kwargs))


def db_read(
    parent: QWidget, work: Callable[[], T], show: Callable[[QWidget, GovDeskError], object] = show_error,
) -> T | None:
    """What work reads, through db_call; None, with the refusal shown (by `show`), when it could not be read
    (so work must not return None itself)."""
    try:
        return db_call(parent, work)
    except GovDeskError as error:
        show(parent, error)
        return None


def db_change(parent: QWidget, work: Callable[[], object]) -> bool:
    """Runs a change the user asked for through db_call; False, with the refusal shown, when it did not
    happen, so that the caller refreshes only after a change."""
    try:
        db_call(parent, work)
    except GovDeskError as error:
        show_error(parent, error)
        return False
    return True


def _keep_typed(parent: QWidget | None, fault: ServerUnavailable) -> bool:
    """After a save the server never took: True to try again once it is back; False when the user kept
    their input as a file or chose to go back to the window (both leave the window as it was)."""
    from app.ui.widgets.typed_copy import KeepTypedDialog

    while True:
        choice = KeepTypedDialog(parent, fault.message).ask()
        if choice == "retry":
            try:
                _wait_for_server(parent)
            except WorkCancelled:
                continue
            return True
        return False


def _wait_for_server(parent: QWidget | None) -> None:
    """Waits, with 取消, until the connection monitor sees the server again."""
    monitor = connection_monitor()
    back = threading.Event()
    if monitor.is_up():
        back.set()
    monitor.restored.connect(back.set)
    monitor.start_watching()
    try:
        _wait(parent, _Waiting(back), saving=True, waiting_text=tr('正在等待数据库服务器恢复，恢复后马上自动保存…'))
    finally:
        monitor.restored.disconnect(back.set)


class _Waiting(_Call):
    """A call that is done when an event is set: lets _wait show its dialog for something other than work."""

    def __init__(self, event: threading.Event) -> None:
        super().__init__(lambda: None)
        self.done = event

