"""Work off the GUI thread. Workers never touch widgets: results come back through signals to the GUI thread."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

ProgressFn = Callable[[int, int, str], None]


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class Job(QRunnable):
    """Runs fn(progress) on the thread pool; `progress(done, total, message)` may be called from it."""

    def __init__(self, fn: Callable[[ProgressFn], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except Exception as error:  # noqa: BLE001 - every failure goes back to the GUI thread to be shown
            error.__dict__.setdefault("formatted_traceback", traceback.format_exc())
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)


_running: set[Job] = set()


def run_in_background(
    fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Job:
    job = Job(fn)
    _running.add(job)

    def finish(result: object) -> None:
        _running.discard(job)
        on_done(result)

    def fail(error: object) -> None:
        _running.discard(job)
        on_error(error)  # type: ignore[arg-type]

    job.signals.finished.connect(finish, Qt.ConnectionType.QueuedConnection)
    job.signals.failed.connect(fail, Qt.ConnectionType.QueuedConnection)
    if on_progress is not None:
        job.signals.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(job)
    return job


def run_with_progress(
    parent: QWidget,
    title: str,
    fn: Callable[[ProgressFn], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> QProgressDialog:
    """Long work (backup, copy, export, batch print) with a modal progress dialog; the window stays live."""
    dialog = QProgressDialog(title, "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    dialog.show()

    def progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(message)

    def done(result: object) -> None:
        dialog.close()
        on_done(result)

    def failed(error: BaseException) -> None:
        dialog.close()
        on_error(error)

    run_in_background(fn, done, failed, progress)
    return dialog
