"""Print preview for every form: shows the PDF (QtPdf), prints it, saves it as PDF, and prints batches.

Printing keeps the form's own measures. Where CUPS takes the queue (Linux: UOS, Kylin), the PDF itself goes to
the spooler (app.printing.kit.spool): vector, with its text, each page at 100% in its own orientation. Elsewhere
(Windows, no CUPS) each page is drawn as a grey bitmap at the printer's resolution capped at 600 dpi, at 100%
of its own size from the paper's corner, in its own orientation: the printer's hardware margins clip, they do
not shrink. Either way the work runs off the GUI thread with progress by page and 取消, and the job's fate is
checked where the platform allows, so a refused job is never reported as printed.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.core.errors import GovDeskError
from app.printing.kit import spool
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.messages import show_error
from app.ui.widgets.screen import fit_to_screen
from app.ui.widgets.worker import run_in_background

MAX_PRINT_DPI = 600

# progress(done, total, what) -> False to stop; called from the worker thread.
PageProgress = Callable[[int, int, str], bool]


@dataclass(frozen=True)
class PrintJob:
    title: str
    pdf: bytes


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a print: pages handed over, failures in Chinese, whether the user stopped it."""

    printer: str
    pages: int = 0
    failures: tuple[str, ...] = ()
    cancelled: bool = False
    # Jobs CUPS still held (queued or printing) when we stopped watching: sent, not yet known as printed.
    waiting: int = 0
    to_file: str = ""

    @property
    def ok(self) -> bool:
        return not self.failures and not self.cancelled

    def summary(self) -> str:
        if self.failures:
            return "\n".join(self.failures)
        if self.cancelled:
            return tr('已取消打印（取消前已发送 {0} 页）').format(self.pages)
        if self.to_file:
            return tr('已保存到 {0}，共 {1} 页').format(self.to_file, self.pages)
        text = tr('已发送到打印机“{0}”，共 {1} 页').format(self.printer, self.pages)
        if self.waiting:
            text += tr('（打印机正在处理）')
        return text


class LoadedPdf:
    """A QPdfDocument over bytes in memory; the buffer must live as long as the document."""

    def __init__(self, pdf: bytes) -> None:
        self.data = QByteArray(pdf)
        self.buffer = QBuffer(self.data)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise ValueError(tr('PDF 无法打开，可能已损坏'))

    @property
    def page_count(self) -> int:
        return self.document.pageCount()


def chosen_pages(printer: QPrinter, page_count: int) -> tuple[int, int]:
    """The page range the user chose in the print dialog, clipped to the document (1-based, inclusive)."""
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), page_count) if printer.toPage() else page_count
    return first, max(first, last)


def uses_cups(printer_name: str) -> bool:
    """The PDF goes to CUPS as it is when the chosen printer is a CUPS queue (not on Windows). This asks CUPS
    (lpstat), so it runs in the worker: a hung print service must not freeze the window."""
    return sys.platform != "win32" and spool.is_cups_queue(printer_name)


def choose_route(printer: QPrinter) -> str:
    """'file' (the PDF itself to the chosen file), or 'printer' (CUPS or bitmaps, decided in the worker)."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return "file"
    return "printer"


def page_layout_for(size_points: QSizeF) -> QPageLayout:
    """A page's own size and orientation, with no margins: the form is placed from the paper's corner."""
    width, height = size_points.width(), size_points.height()
    page_size = QPageSize(
        QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    orientation = QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    layout = QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0))
    # Full-page mode: margins below the printer's minimum are kept, and (0, 0) is the paper's corner, not the
    # printable area's. In the standard mode a laser queue's 4.2 mm margins moved every page by 4.2 mm.
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


def set_page(printer: QPrinter, size_points: QSizeF) -> None:
    """Sets the next page's size and orientation on the printer, keeping it in full-page mode."""
    printer.setPageLayout(page_layout_for(size_points))
    printer.setFullPage(True)


def grey_page(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """One page rendered at dpi, composed on white (pages are transparent) and made grey: a quarter the bytes."""
    size_points = document.pagePointSize(index)
    pixels = QSize(round(size_points.width() / 72 * dpi), round(size_points.height() / 72 * dpi))
    rendered = document.render(index, pixels)
    page = QImage(pixels, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page.convertToFormat(QImage.Format.Format_Grayscale8)


def print_document(
    loaded: LoadedPdf,
    printer: QPrinter,
    progress: PageProgress | None = None,
    pages: tuple[int, int] | None = None,
) -> int:
    """Draws the pages on the printer as grey bitmaps at 100% of their own size. Returns the pages printed.

    Safe in a worker thread (QPainter on a QPrinter and QPdfDocument rendering are), as long as nothing
    else touches this printer meanwhile. Raises spool.PrintFailed when the printer cannot start or fails."""
    first, last = pages or chosen_pages(printer, loaded.page_count)
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    set_page(printer, loaded.document.pagePointSize(first - 1))
    # Grey pages go to the spooler as grey: a third of the bytes of the RGB that Qt otherwise writes.
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    painter = QPainter()
    if not painter.begin(printer):
        raise spool.PrintFailed(tr('打印机“{0}”无法开始打印，请检查打印机是否连接、是否有纸').format(printer.printerName()))
    printed = 0
    total = (last - first + 1) * copies
    try:
        for _copy in range(copies):
            for number in range(first, last + 1):
                size_points = loaded.document.pagePointSize(number - 1)
                if printed:
                    # Each page in its own orientation: the layout set before newPage applies to the new page.
                    set_page(printer, size_points)
                    if not printer.newPage():
                        raise spool.PrintFailed(tr('打印机“{0}”在第 {1} 页出错，打印没有完成').format(
                            printer.printerName(), printed + 1))
                full = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.setViewport(full)
                painter.setWindow(full)
                image = grey_page(loaded.document, number - 1, dpi)
                scale = printer.resolution() / 72
                painter.drawImage(QRectF(0, 0, size_points.width() * scale, size_points.height() * scale), image)
                printed += 1
                if progress is not None and not progress(printed, total, ""):
                    printer.abort()
                    return printed
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise spool.PrintFailed(tr('打印机“{0}”报告了错误，打印可能没有完成，请检查打印机').format(printer.printerName()))
    return printed


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass
class _Request:
    """What the worker needs, read from the QPrinter in the GUI thread before the work starts."""

    jobs: Sequence[PrintJob]
    printer: QPrinter
    printer_name: str
    copies: int
    # The dialog's page range; only a single form has one (a batch prints every page of each form).
    pages: tuple[int, int] | None
    route: str
    stop: threading.Event = field(default_factory=threading.Event)


def _send_to_cups(request: _Request, progress: Callable[[int, int, str], None]) -> PrintOutcome:
    counts = [_page_count(job.pdf) for job in request.jobs]
    total = sum(
        ((request.pages[1] - request.pages[0] + 1) if request.pages else count) * request.copies for count in counts
    )
    sent = 0
    failures: list[str] = []
    waiting = 0
    for job, count in zip(request.jobs, counts, strict=True):
        if request.stop.is_set():
            return PrintOutcome(request.printer_name, sent, tuple(failures), cancelled=True)
        progress(sent, total, tr('正在发送“{0}”到打印机“{1}”…').format(job.title, request.printer_name))
        spool_request = spool.SpoolRequest(request.printer_name, job.title, request.copies, request.pages)
        try:
            job_id = spool.submit(job.pdf, spool_request)
        except spool.PrintFailed as error:
            failures.append(error.message)
            break  # the queue refused: the next forms would be refused alike
        progress(sent, total, tr('等待打印机“{0}”确认第 {1} 号作业…').format(request.printer_name, job_id))
        fate = spool.wait_for_fate(job_id, should_stop=request.stop.is_set)
        if request.stop.is_set() and not fate.finished:
            spool.cancel(job_id)
            return PrintOutcome(request.printer_name, sent, tuple(failures), cancelled=True)
        if fate.failed:
            failures.append(spool.explain_fate(request.printer_name, fate))
            continue
        waiting += not fate.finished
        pages = (request.pages[1] - request.pages[0] + 1) if request.pages else count
        sent += pages * request.copies
        progress(sent, total, tr('已发送“{0}”').format(job.title))
    return PrintOutcome(request.printer_name, sent, tuple(failures), waiting=waiting)


def _draw_bitmaps(request: _Request, progress: Callable[[int, int, str], None]) -> PrintOutcome:
    total_jobs = len(request.jobs)
    sent = 0
    base_name = request.printer.outputFileName()
    for index, job in enumerate(request.jobs):
        if request.stop.is_set():
            return PrintOutcome(request.printer_name, sent, cancelled=True)
        if base_name and total_jobs > 1:
            stem = Path(base_name)
            request.printer.setOutputFileName(str(stem.with_name(f"{stem.stem}-{index + 1}{stem.suffix}")))
        loaded = LoadedPdf(job.pdf)
        pages = request.pages or (1, loaded.page_count)

        def page_done(done: int, total: int, _what: str, title: str = job.title, number: int = index) -> bool:
            prefix = tr('（{0}/{1}）').format(number + 1, total_jobs) if total_jobs > 1 else ""
            progress(done, total, tr('正在打印{0}“{1}”：第 {2} / {3} 页').format(prefix, title, done, total))
            return not request.stop.is_set()

        try:
            sent += print_document(loaded, request.printer, page_done, pages)
        except spool.PrintFailed as error:
            return PrintOutcome(request.printer_name, sent, (error.message,))
    return PrintOutcome(request.printer_name, sent, cancelled=request.stop.is_set(), to_file=base_name)


def _write_file(request: _Request, progress: Callable[[int, int, str], None]) -> PrintOutcome:
    """Printing to a file writes the chosen pages of the form's own PDF: vector, with its text, not pixels."""
    from pypdf import PdfReader, PdfWriter

    target = Path(request.printer.outputFileName())
    writer = PdfWriter()
    for job in request.jobs:
        reader = PdfReader(io.BytesIO(job.pdf))
        first, last = request.pages or (1, len(reader.pages))
        for _copy in range(request.copies):
            for index in range(first - 1, last):
                writer.add_page(reader.pages[index])
        if request.stop.is_set():
            return PrintOutcome(request.printer_name, 0, cancelled=True)
    progress(0, 1, tr('正在保存到 {0}…').format(target))
    buffer = io.BytesIO()
    writer.write(buffer)
    try:
        target.write_bytes(buffer.getvalue())
    except OSError as error:
        return PrintOutcome(request.printer_name, 0, (tr('无法保存到 {0}：{1}').format(target, error.strerror),))
    return PrintOutcome(request.printer_name, len(writer.pages), to_file=str(target))


def _print_on_printer(request: _Request, progress: Callable[[int, int, str], None]) -> PrintOutcome:
    progress(0, 0, tr('正在连接打印机“{0}”…').format(request.printer_name))
    work = _send_to_cups if uses_cups(request.printer_name) else _draw_bitmaps
    return work(request, progress)


ROUTES = {"printer": _print_on_printer, "cups": _send_to_cups, "bitmap": _draw_bitmaps, "file": _write_file}


class PrintRun:
    """One print in progress: a progress dialog with 取消 over work in a worker thread."""

    def __init__(self, parent: QWidget | None, request: _Request,
                 on_finished: Callable[[PrintOutcome], None] | None) -> None:
        self.request = request
        self.on_finished = on_finished
        self.outcome: PrintOutcome | None = None
        self.parent = parent
        self.dialog = QProgressDialog(tr('正在准备打印…'), tr('取消'), 0, 0, parent)
        self.dialog.setWindowTitle(tr('打印'))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumWidth(420)
        # A one-page form to CUPS takes a fraction of a second: no dialog flashing up for that.
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        work = ROUTES[request.route]
        run_in_background(lambda progress: work(request, progress), self._done, self._failed, self._progress)

    def cancel(self) -> None:
        self.request.stop.set()
        if isValid(self.dialog):
            self.dialog.setLabelText(tr('正在取消…'))

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    def _progress(self, done: int, total: int, message: str) -> None:
        if self.finished or not isValid(self.dialog):
            return  # the window that printed was closed: the work was told to stop, nothing is left to show
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        if message and not self.request.stop.is_set():
            self.dialog.setLabelText(message)

    def _done(self, outcome: PrintOutcome) -> None:
        self.outcome = outcome
        if isValid(self.dialog):
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
        if outcome.failures:
            parent = self.parent if self.parent is not None and isValid(self.parent) else None
            show_error(parent, spool.PrintFailed(outcome.summary()), tr('打印失败'))
        if self.on_finished is not None:
            self.on_finished(outcome)

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, GovDeskError) else tr('打印时出错：{0}').format(error)
        self._done(PrintOutcome(self.request.printer_name, 0, (message,)))


def print_jobs(
    parent: QWidget | None,
    jobs: Sequence[PrintJob],
    printer: QPrinter,
    on_finished: Callable[[PrintOutcome], None] | None = None,
) -> PrintRun:
    """Prints forms off the GUI thread with progress and 取消; returns at once. Failures are shown to the user;
    the outcome goes to on_finished in the GUI thread. The page range of the printer applies to a single form."""
    if not jobs:
        raise ValueError("print_jobs needs at least one job")
    pages: tuple[int, int] | None = None
    if len(jobs) == 1 and printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage():
        pages = chosen_pages(printer, _page_count(jobs[0].pdf))
    route = choose_route(printer)
    copies = max(printer.copyCount(), 1)
    name = printer.printerName() if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat else ""
    request = _Request(jobs, printer, name or printer.outputFileName(), copies, pages, route)
    return PrintRun(parent, request, on_finished)


def ask_printer(parent: QWidget | None, title: str, page_count: int, copies: int = 1) -> QPrinter | None:
    """The system print dialog: printer, copies (``copies`` offered) and page range. None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setCopyCount(max(1, copies))
    printer.setFromTo(1, page_count)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr('打印'))
    dialog.setMinMax(1, page_count)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


class PrintPreviewDialog(QDialog):
    def __init__(self, title: str, pdf: bytes, suggested_name: str = "", parent: QWidget | None = None, *,
                 copies: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr('打印预览 — {0}').format(title))
        fit_to_screen(self, (900, 860))
        self.pdf = pdf
        # The print dialog offers this many copies (a 公文's 印制份数).
        self.copies = max(1, copies)
        self.title = title
        self.suggested_name = suggested_name or f"{title}.pdf"
        self.loaded = LoadedPdf(pdf)
        self.run: PrintRun | None = None
        self.view = QPdfView()
        self.view.setDocument(self.loaded.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        pages = QLabel(tr('共 {0} 页').format(self.loaded.page_count))
        pages.setObjectName("hint")
        # Where the last print went, or why it failed: the user sees it without another dialog to close.
        self.status = QLabel("")
        self.status.setObjectName("hint")

        zoom_in = QPushButton(action_icon("zoom_in"), tr('放大'))
        zoom_in.clicked.connect(lambda: self._zoom(1.25))
        zoom_out = QPushButton(action_icon("zoom_out"), tr('缩小'))
        zoom_out.clicked.connect(lambda: self._zoom(0.8))
        fit = QPushButton(action_icon("fit"), tr('整页'))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.save_button = QPushButton(action_icon("pdf"), tr('另存为PDF…'))
        self.save_button.clicked.connect(self.save_as)
        self.print_button = QPushButton(action_icon("print", "white"), tr('打印…'))
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(self.print_with_dialog)
        close = QPushButton(tr('关闭'))
        close.clicked.connect(self.reject)
        for button in (zoom_in, zoom_out, fit, self.save_button, close):
            button.setAutoDefault(False)
        self.print_button.setDefault(True)
        bar = self.bar = QHBoxLayout()
        bar.addWidget(zoom_out)
        bar.addWidget(zoom_in)
        bar.addWidget(fit)
        bar.addWidget(pages)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def save_to(self, path: Path) -> None:
        path.write_bytes(self.pdf)

    def save_as(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, tr('另存为'), str(Path.home() / self.suggested_name), tr('PDF 文件 (*.pdf)'))
        if not chosen:
            return
        try:
            self.save_to(Path(chosen))
        except OSError as error:
            show_error(self, OSError(tr('无法保存到 {0}：{1}').format(chosen, error.strerror)))

    def print_with_dialog(self) -> None:
        printer = ask_printer(self, self.title, self.loaded.page_count, self.copies)
        if printer is not None:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> PrintRun:
        """Prints on the chosen printer off the GUI thread; 打印… stays disabled until it is done."""
        self.print_button.setEnabled(False)
        self.status.setText(tr('正在打印…'))
        self.run = print_jobs(self, [PrintJob(self.title, self.pdf)], printer, self._printed)
        return self.run

    def _printed(self, outcome: PrintOutcome) -> None:
        if not isValid(self):
            return  # closed while printing
        self.print_button.setEnabled(True)
        self.status.setText(outcome.summary())

    def reject(self) -> None:
        # Closing the preview while it prints stops the print, rather than leaving a worker on a dead printer.
        if self.run is not None and not self.run.finished:
            self.run.cancel()
        super().reject()
