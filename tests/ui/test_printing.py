"""The print preview's print path without a CUPS queue: printing to a file writes the form's own PDF; the
bitmap path (Windows, no CUPS) draws each page grey at 100% of its own size and orientation; a long print runs
off the GUI thread with progress by page and a 取消. Real CUPS queues: tests/printing/test_cups.py."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import shiboken6
from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.printing.documents.outgoing_draft import render_outgoing_draft
from app.printing.documents.receipt_register import render_receipt_register
from app.printing.kit.urge_slip import UrgeSlipData, render_urge_slip
from app.ui.widgets import print_preview
from app.ui.widgets.print_preview import (
    MAX_PRINT_DPI,
    LoadedPdf,
    PrintJob,
    PrintPreviewDialog,
    print_document,
    print_jobs,
)
from tests.helpers import document_samples
from tests.helpers.cups_queues import assert_same_measures, measure
from tests.helpers.pdfcheck import compact, needs_pdftoppm

# The print path's fixtures (tests/helpers/print_fixtures.py), shared with the other print tests.
pytestmark = pytest.mark.usefixtures("no_errors_in_callbacks")

LONG_PRINT_WAIT_MS = 300_000


@pytest.fixture(scope="module")
def slip_pdf() -> bytes:
    from datetime import date, datetime

    return render_urge_slip(
        UrgeSlipData(
            office_name="青山县人民政府办公室", serial="催〔2026〕3号", item_title="关于报送年度总结的通知",
            item_kind="收文办理", current_step="承办", responsible_unit="县财政局", responsible_person="李明",
            due_date=date(2026, 11, 20), overdue_days=9, urged_at=datetime(2026, 11, 29, 9, 30).astimezone(),
            urged_by="蔡伟健", method="电话", note="请两日内办结",
        )
    )


@pytest.fixture(scope="module")
def mixed_pdf() -> bytes:
    """A portrait 发文稿纸 page, then a landscape 收文登记簿 page: each must print in its own orientation."""
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(render_outgoing_draft(document_samples.outgoing_draft()))).pages[0])
    writer.add_page(PdfReader(io.BytesIO(render_receipt_register(document_samples.receipt_register(rows=8)))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()




def pdf_printer(path: Path, mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printing_to_a_file_writes_the_forms_own_pages(
    qtbot: QtBot, mixed_pdf: bytes, tmp_path: Path, errors: list[str]
) -> None:
    dialog = PrintPreviewDialog("混合", mixed_pdf)
    qtbot.addWidget(dialog)
    saved = tmp_path / "saved.pdf"
    dialog.save_to(saved)
    assert saved.read_bytes() == mixed_pdf
    printer = pdf_printer(tmp_path / "printed.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    printer.setCopyCount(2)
    run = dialog.print_to(printer)
    qtbot.waitUntil(lambda: run.finished, timeout=30_000)
    assert errors == [] and run.outcome is not None and run.outcome.pages == 2
    assert dialog.status.text() == f"已保存到 {tmp_path / 'printed.pdf'}，共 2 页"
    printed = (tmp_path / "printed.pdf").read_bytes()
    pages = PdfReader(io.BytesIO(printed)).pages
    assert len(pages) == 2 and all(float(page.mediabox.width) > float(page.mediabox.height) for page in pages)
    # The text is the form's own: the PDF was copied, not drawn as pictures.
    original_page_2 = compact(PdfReader(io.BytesIO(mixed_pdf)).pages[1].extract_text())
    assert original_page_2 and compact(pages[0].extract_text()) == original_page_2


@needs_pdftoppm
def test_bitmap_pages_are_grey_at_100_percent_in_their_own_orientation(mixed_pdf: bytes, tmp_path: Path) -> None:
    target = tmp_path / "bitmap.pdf"
    printer = pdf_printer(target)
    assert print_document(LoadedPdf(mixed_pdf), printer) == 2
    printed = PdfReader(target)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in printed.pages]
    assert sizes == [(595, 842), (842, 595)]
    for page in printed.pages:
        (image,) = page.images
        assert image.image.mode == "L", "pages go to the printer grey, not RGB"
        width_inches = float(page.mediabox.width) / 72
        assert image.image.width / width_inches <= MAX_PRINT_DPI + 1
    source = tmp_path / "source.pdf"
    source.write_bytes(mixed_pdf)
    assert_same_measures(measure(target), measure(source))


def test_page_range_and_copies_on_the_bitmap_path(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number in range(1, 5):
        canvas.drawString(100, 700, f"page {number}")
        canvas.showPage()
    canvas.save()
    printer = pdf_printer(tmp_path / "range.pdf", QPrinter.PrinterMode.ScreenResolution)
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    printed = print_document(LoadedPdf(buffer.getvalue()), printer)
    expected_copies = 1 if printer.supportsMultipleCopies() else 2
    assert printed == 2 * expected_copies
    assert len(PdfReader(tmp_path / "range.pdf").pages) == 2 * expected_copies


@pytest.fixture(scope="module")
def long_register() -> bytes:
    pdf = render_receipt_register(document_samples.receipt_register(rows=540))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 50
    return pdf


def bitmap_printer(path: Path, monkeypatch: pytest.MonkeyPatch) -> QPrinter:
    """A PDF printer taken down the bitmap path, as a Windows printer would be."""
    monkeypatch.setattr(print_preview, "choose_route", lambda printer: "bitmap")
    printer = pdf_printer(path)
    printer.setResolution(150)  # the path is the same at 600 dpi; 150 keeps the test short
    return printer


def test_a_long_print_keeps_the_window_live_with_progress_by_page(
    qtbot: QtBot, long_register: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    printer = bitmap_printer(tmp_path / "long.pdf", monkeypatch)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    outcomes: list[print_preview.PrintOutcome] = []
    started = time.monotonic()
    run = print_jobs(None, [PrintJob("收文登记簿", long_register)], printer, outcomes.append)
    labels: list[str] = []
    run.dialog.setLabelText = lambda text: labels.append(text)  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: run.finished, timeout=LONG_PRINT_WAIT_MS)
    elapsed = time.monotonic() - started
    timer.stop()
    assert errors == [] and outcomes == [run.outcome]
    assert run.outcome is not None and run.outcome.ok and run.outcome.pages == 50
    assert len(PdfReader(tmp_path / "long.pdf").pages) == 50
    pages_reported = {label for label in labels if "第 " in label and " / 50 页" in label}
    assert len(pages_reported) >= 10, labels[-5:]
    assert "第 50 / 50 页" in labels[-1]
    # The GUI thread kept running its timer all along (the old path: 0 ticks in 58 s). Generous: a quarter.
    assert len(ticks) >= max(3, elapsed / 0.1 / 4), (len(ticks), elapsed)


def test_cancel_stops_a_long_print(
    qtbot: QtBot, long_register: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    printer = bitmap_printer(tmp_path / "cancelled.pdf", monkeypatch)
    run = print_jobs(None, [PrintJob("收文登记簿", long_register)], printer)
    qtbot.waitUntil(lambda: run.dialog.value() >= 2, timeout=LONG_PRINT_WAIT_MS)
    (cancel,) = run.dialog.findChildren(QPushButton)
    cancel.click()  # the dialog's 取消, as the user presses it
    qtbot.waitUntil(lambda: run.finished, timeout=LONG_PRINT_WAIT_MS)
    assert run.outcome is not None and run.outcome.cancelled and run.outcome.pages < 50
    assert run.outcome.summary().startswith("已取消打印")
    assert errors == []


def test_a_batch_prints_every_form_off_the_gui_thread(
    qtbot: QtBot, slip_pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    printer = bitmap_printer(tmp_path / "batch.pdf", monkeypatch)
    jobs = [PrintJob(f"催办单{i}", slip_pdf) for i in range(3)]
    run = print_jobs(None, jobs, printer)
    qtbot.waitUntil(lambda: run.finished, timeout=60_000)
    assert run.outcome is not None and run.outcome.ok and run.outcome.pages == 3
    # Printing to files, each form gets its own file beside the chosen name.
    assert sorted(p.name for p in tmp_path.glob("batch-*.pdf")) == ["batch-1.pdf", "batch-2.pdf", "batch-3.pdf"]


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_printer_that_cannot_start_is_reported(
    qtbot: QtBot, slip_pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    printer = bitmap_printer(tmp_path / "no-such-folder" / "x.pdf", monkeypatch)
    dialog = PrintPreviewDialog("催办单", slip_pdf)
    qtbot.addWidget(dialog)
    run = dialog.print_to(printer)
    qtbot.waitUntil(lambda: run.finished, timeout=30_000)
    assert run.outcome is not None and not run.outcome.ok and run.outcome.pages == 0
    assert len(errors) == 1 and "无法开始打印" in errors[0]
    assert "已发送" not in dialog.status.text()


def test_closing_the_preview_while_it_prints_stops_the_print(
    qtbot: QtBot, long_register: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errors: list[str]
) -> None:
    printer = bitmap_printer(tmp_path / "closed.pdf", monkeypatch)
    dialog = PrintPreviewDialog("收文登记簿", long_register)
    run = dialog.print_to(printer)
    dialog.reject()
    shiboken6.delete(dialog)  # as when the window that opened it closes: the preview and its progress are gone
    with qtbot.captureExceptions() as raised:
        qtbot.waitUntil(lambda: run.finished, timeout=LONG_PRINT_WAIT_MS)
    assert raised == [], "the print's callbacks touched the closed window"
    assert run.outcome is not None and run.outcome.cancelled and run.outcome.pages < 50
