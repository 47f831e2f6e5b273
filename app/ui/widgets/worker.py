"""Work off the GUI thread. Workers never touch Qt at all: they put their outcome on a plain queue, and
a timer in the GUI thread hands it to the callbacks, so no Qt object is ever shared with a worker."""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.core.errors import WorkCancelled

ProgressFn = Callable[[int, int, str], None]
# Polled only while work is pending; short, so a result shows as soon as it is ready.
DRAIN_INTERVAL_MS = 4


class _Dispatcher(QObject):
    """Lives in the GUI thread; runs callbacks there."""

    def __init__(self) -> None:
        super().__init__()
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="govdesk-worker")
        self.outcomes: queue.SimpleQueue[tuple[Callable[..., None] | None, tuple[Any, ...], bool]] = (
            queue.SimpleQueue()
        )
        self.pending = 0
        self.timer = QTimer(self)
        self.timer.setInterval(DRAIN_INTERVAL_MS)
        self.timer.timeout.connect(self.drain)

    def submit(
        self,
        fn: Callable[[ProgressFn], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        def progress(done: int, total: int, message: str) -> None:
            self.outcomes.put((on_progress, (done, total, message), False))

        def run() -> None:
            try:
                result = fn(progress)
            except Exception as error:  # noqa: BLE001 - every failure goes back to the GUI thread to be shown
                error.__dict__.setdefault("formatted_traceback", traceback.format_exc())
                self.outcomes.put((on_error, (error,), True))
            else:
                self.outcomes.put((on_done, (result,), True))

        self.pending += 1
        if not self.timer.isActive():
            self.timer.start()
        self.executor.submit(run)

    def drain(self) -> None:
        while True:
            try:
                callback, args, final = self.outcomes.get_nowait()
            except queue.Empty:
                break
            if final:
                self.pending -= 1
            if callback is not None:
                callback(*args)
        if self.pending <= 0:
            self.timer.stop()


_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
        app = QCoreApplication.instance()
        if app is not None:
            _dispatcher.setParent(app)
    return _dispatcher


def run_in_background(
    fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> None:
    """Runs fn(progress) on a worker thread; the callbacks run later in the GUI thread."""
    _get_dispatcher().submit(fn, on_done, on_error, on_progress)


def run_with_progress(
    parent: QWidget,
    title: str,
    fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    cancel_label: str | None = None,
) -> QProgressDialog:
    """Long work (backup, copy, export, batch print) with a modal progress dialog; the window stays live.

    With a cancel_label the dialog has that button. Pressing it closes the dialog at once, and the work's next
    progress call raises WorkCancelled, which goes to on_error (show_error says nothing for it): work that
    reports progress between its steps stops between two steps."""
    cancelled = threading.Event()
    dialog = QProgressDialog(title, cancel_label or "", 0, 0, parent)
    dialog.setWindowTitle(title)
    if cancel_label is None:
        dialog.setCancelButton(None)
    else:
        dialog.canceled.connect(cancelled.set)
    from PySide6.QtCore import Qt  # here, not at the top: see app.ui.login (the login dialog's start)

    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    dialog.show()

    def progress(done: int, total: int, message: str) -> None:
        if cancelled.is_set():  # a late report must not show the closed dialog again
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(message)

    def done(result: object) -> None:
        dialog.close()
        on_done(result)

    def failed(error: BaseException) -> None:
        dialog.close()
        on_error(error)

    def work(report: ProgressFn) -> Any:
        def checked(done: int, total: int, message: str) -> None:
            if cancelled.is_set():
                raise WorkCancelled()
            report(done, total, message)

        return fn(checked)

    run_in_background(work if cancel_label is not None else fn, done, failed, progress)
    return dialog
