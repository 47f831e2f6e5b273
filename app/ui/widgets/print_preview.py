"""Print preview for every form: shows the PDF (QtPdf), prints through QPrintDialog/QPrinter with page range
and copies, saves as PDF, and prints batches with progress. Works with no network and headless."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.messages import show_error
from app.ui.widgets.screen import fit_to_screen

MAX_PRINT_DPI = 600


@dataclass(frozen=True)
class PrintJob:
    title: str
    pdf: bytes


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


def print_document(
    loaded: LoadedPdf, printer: QPrinter, progress: Callable[[int, int], bool] | None = None
) -> int:
    """Paints each page at the printer's resolution, capped at 600 dpi. Returns the pages printed."""
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), loaded.page_count) if printer.toPage() else loaded.page_count
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(tr('打印机无法开始打印，请检查打印机是否连接、是否有纸'))
    printed = 0
    total = (last - first + 1) * copies
    try:
        for _copy in range(copies):
            for number in range(first, last + 1):
                if printed:
                    printer.newPage()
                size_points = loaded.document.pagePointSize(number - 1)
                pixels = QSize(round(size_points.width() / 72 * dpi), round(size_points.height() / 72 * dpi))
                image: QImage = loaded.document.render(number - 1, pixels)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
                printed += 1
                if progress is not None and not progress(printed, total):
                    return printed
    finally:
        painter.end()
    return printed


def print_batch(jobs: Sequence[PrintJob], printer: QPrinter, parent: QWidget | None = None) -> int:
    """Prints several forms in one go, showing which one is printing."""
    dialog = QProgressDialog(tr('正在打印…'), tr('停止'), 0, len(jobs), parent)
    dialog.setWindowTitle(tr('批量打印'))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    pages = 0
    base_name = printer.outputFileName()
    for index, job in enumerate(jobs):
        if dialog.wasCanceled():
            break
        dialog.setLabelText(tr('正在打印（{0}/{1}）：{2}').format(index + 1, len(jobs), job.title))
        dialog.setValue(index)
        QApplication.processEvents()
        if base_name:
            # Printing to files: one file per form beside the chosen name.
            stem = Path(base_name)
            printer.setOutputFileName(str(stem.with_name(f"{stem.stem}-{index + 1}{stem.suffix}")))
        pages += print_document(LoadedPdf(job.pdf), printer)
    dialog.setValue(len(jobs))
    return pages


class PrintPreviewDialog(QDialog):
    def __init__(self, title: str, pdf: bytes, suggested_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr('打印预览 — {0}').format(title))
        fit_to_screen(self, (900, 860))
        self.pdf = pdf
        self.title = title
        self.suggested_name = suggested_name or f"{title}.pdf"
        self.loaded = LoadedPdf(pdf)
        self.view = QPdfView()
        self.view.setDocument(self.loaded.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        pages = QLabel(tr('共 {0} 页').format(self.loaded.page_count))
        pages.setObjectName("hint")

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
        bar = QHBoxLayout()
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
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setFromTo(1, self.loaded.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr('打印'))
        dialog.setMinMax(1, self.loaded.page_count)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        try:
            return print_document(self.loaded, printer)
        except OSError as error:
            show_error(self, error, tr('打印失败'))
            return 0
