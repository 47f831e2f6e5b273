"""Work off the GUI thread. Workers never touch Qt at all: they put their outcome on a plain queue, and
a timer in the GUI thread hands it to the callbacks, so no Qt object is ever shared with a worker."""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.core.errors import WorkCancelled
from app.ui.session_end import announce_if_ended

ProgressFn = Callable[[int, int, str], None]
# Polled only while work is pending; short, so a result shows as soon as it is ready.
DRAIN_INTERVAL_MS = 4


class _Dispatcher(QObject):
    """Lives in the GUI thread; runs callbacks there.

    The callbacks stay here, keyed by job, and never go to the worker: a callback often holds widgets (a
    progress dialog, its window), and the thread that drops the last reference to a widget's wrapper destroys
    it. When the worker dropped its job after the GUI thread had run the callback, a widget was destroyed off
    the GUI thread, which crashed the program now and then (a segfault in concurrent.futures' `del work_item`)."""

    def __init__(self) -> None:
        super().__init__()
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="govdesk-worker")
        # (job, what, args): what is "progress", "done" or "error".
        self.outcomes: queue.SimpleQueue[tuple[int, str, tuple[Any, ...]]] = queue.SimpleQueue()
        self.jobs: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None],
                                   Callable[[int, int, str], None] | None]] = {}
        self.next_job = 0
        self.timer = QTimer(self)
        self.timer.setInterval(DRAIN_INTERVAL_MS)
        self.timer.timeout.connect(self.drain)

    @property
    def pending(self) -> int:
        return len(self.jobs)

    def submit(
        self,
        fn: Callable[[ProgressFn], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int, str], None] | None,
    ) -> None:
        self.next_job += 1
        job = self.next_job
        self.jobs[job] = (on_done, on_error, on_progress)
        self.executor.submit(_run, job, fn, self.outcomes)
        if not self.timer.isActive():
            self.timer.start()

    def drain(self) -> None:
        while True:
            try:
                job, what, args = self.outcomes.get_nowait()
            except queue.Empty:
                break
            callbacks = self.jobs.get(job) if what == "progress" else self.jobs.pop(job, None)
            if callbacks is None:
                continue
            on_done, on_error, on_progress = callbacks
            callback = on_progress if what == "progress" else on_done if what == "done" else on_error
            del callbacks
            if what == "error":
                # Whoever waits for this work is told too; the main window goes back to the login.
                announce_if_ended(args[0])
            if callback is not None:
                callback(*args)
        if not self.jobs:
            self.timer.stop()


def _run(job: int, fn: Callable[[ProgressFn], Any], outcomes: queue.SimpleQueue[tuple[int, str, tuple[Any, ...]]]) -> None:
    """On a worker thread: runs fn and puts what happened on the queue; it holds no callback, no widget."""

    def progress(done: int, total: int, message: str) -> None:
        outcomes.put((job, "progress", (done, total, message)))

    try:
        result = fn(progress)
    except Exception as error:  # noqa: BLE001 - every failure goes back to the GUI thread to be shown
        error.__dict__.setdefault("formatted_traceback", traceback.format_exc())
        outcomes.put((job, "error", (error,)))
    else:
        outcomes.put((job, "done", (result,)))


_dispatcher: _Dispatcher | None = None
Owned = TypeVar("Owned", bound=QObject)


def app_owned(obj: Owned) -> Owned:
    """A program-wide QObject, parented to the application (when there is one) so that it goes with it."""
    app = QCoreApplication.instance()
    if app is not None:
        obj.setParent(app)
    return obj


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = app_owned(_Dispatcher())
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
