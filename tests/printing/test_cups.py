"""Printing through the program's own print path (the preview's 打印, with the queue chosen as the print dialog
would) onto real CUPS queues with cups-pdf, and reading what came out: page size, orientation, and where the
form's frame lies, to ±0.5 mm of the form's PDF, on a plain queue and on one with a laser printer's 4.2 mm
hardware margins. The PDF itself is passed through (text kept), and the bitmap path keeps the measures too."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.printing.documents.outgoing_draft import render_outgoing_draft
from app.printing.documents.receipt_register import render_receipt_register
from app.ui.widgets import print_preview
from app.ui.widgets.print_preview import PrintOutcome, PrintPreviewDialog
from tests.helpers import document_samples
from tests.helpers.cups_queues import Queues, assert_same_measures, measure

# The print path's fixtures (tests/helpers/print_fixtures.py), shared with the other print tests.
pytestmark = pytest.mark.usefixtures("no_errors_in_callbacks")

# Generous: cups-pdf's ghostscript on a busy two-core machine.
PRINT_WAIT_MS = 90_000


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("forms")
    draft = folder / "draft.pdf"  # portrait, 2 pages
    draft.write_bytes(render_outgoing_draft(document_samples.outgoing_draft()))
    register = folder / "register.pdf"  # landscape, 3 pages
    register.write_bytes(render_receipt_register(document_samples.receipt_register(rows=25)))
    return {"draft": draft, "register": register}




def print_through_preview(qtbot: QtBot, title: str, pdf: bytes, queue: str) -> tuple[PrintPreviewDialog, PrintOutcome]:
    """What 打印… does after the user picked `queue` in the print dialog."""
    dialog = PrintPreviewDialog(title, pdf)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(queue)
    assert printer.printerName() == queue, "Qt's CUPS support does not list the test queue"
    run = dialog.print_to(printer)
    qtbot.waitUntil(lambda: run.finished, timeout=PRINT_WAIT_MS)
    assert run.outcome is not None
    return dialog, run.outcome


def kept_text(printed: Path, original: Path) -> None:
    """Vector pages with their fonts, no page images, and the form's Latin text and figures extractable.

    (cups-pdf re-distils PostScript with ghostscript, which drops the CJK fonts' ToUnicode maps: their glyphs
    are there as text in embedded fonts, but only the Latin and figures read back as characters.)"""
    reader = PdfReader(printed)
    for page in reader.pages:
        resources = page["/Resources"]
        assert resources.get("/Font"), "no fonts: the page was not sent as text"
        for xobject in resources.get("/XObject", {}).values():
            assert xobject.get_object()["/Subtype"] != "/Image", "a page went as a picture"
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True).stdout
    for figure in ("2026", "12"):
        assert figure in text
    assert original.exists()


@pytest.mark.parametrize("queue_kind", ["a4", "laser"])
@pytest.mark.parametrize("form", ["draft", "register"])
def test_the_pdf_itself_prints_at_the_forms_measures(
    qtbot: QtBot, cups_queues: Queues, forms: dict[str, Path], errors: list[str], form: str, queue_kind: str
) -> None:
    queue = getattr(cups_queues, queue_kind)
    before = cups_queues.outputs()
    dialog, outcome = print_through_preview(qtbot, form, forms[form].read_bytes(), queue)
    assert errors == [] and outcome.ok, outcome
    pages = len(PdfReader(forms[form]).pages)
    assert dialog.status.text() == f"已发送到打印机“{queue}”，共 {pages} 页"
    (printed,) = cups_queues.wait_for_new_output(before)
    original = measure(forms[form])
    assert all(page.landscape == (form == "register") for page in original)
    assert_same_measures(measure(printed), original)
    kept_text(printed, forms[form])


@pytest.mark.parametrize("form", ["draft", "register"])
def test_the_bitmap_path_keeps_the_measures_on_a_laser_queue(
    qtbot: QtBot, cups_queues: Queues, forms: dict[str, Path], errors: list[str], form: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the PDF cannot go as it is (Windows), pages go as grey bitmaps through Qt: same measures."""
    monkeypatch.setattr(print_preview, "uses_cups", lambda printer_name: False)
    before = cups_queues.outputs()
    dialog, outcome = print_through_preview(qtbot, form, forms[form].read_bytes(), cups_queues.laser)
    assert errors == [] and outcome.ok, outcome
    (printed,) = cups_queues.wait_for_new_output(before)
    assert_same_measures(measure(printed), measure(forms[form]))


def test_a_queue_that_rejects_jobs_is_reported_as_failed(
    qtbot: QtBot, cups_queues: Queues, forms: dict[str, Path], errors: list[str]
) -> None:
    dialog, outcome = print_through_preview(qtbot, "发文稿纸", forms["draft"].read_bytes(), cups_queues.reject)
    assert not outcome.ok and outcome.pages == 0
    assert len(errors) == 1 and "拒绝接收打印作业，这份文件没有打印" in errors[0]
    assert "已发送" not in dialog.status.text() and "拒绝" in dialog.status.text()
    assert dialog.print_button.isEnabled()


def test_a_paused_queue_is_not_reported_as_printed(
    qtbot: QtBot, cups_queues: Queues, forms: dict[str, Path], errors: list[str]
) -> None:
    dialog, outcome = print_through_preview(qtbot, "发文稿纸", forms["draft"].read_bytes(), cups_queues.stopped)
    subprocess.run(["cancel", "-a", cups_queues.stopped], capture_output=True)
    assert not outcome.ok
    assert len(errors) == 1 and "已停用" in errors[0] and "尚未打印" in errors[0]


def test_copies_and_page_range_reach_cups(
    qtbot: QtBot, cups_queues: Queues, forms: dict[str, Path], errors: list[str]
) -> None:
    dialog = PrintPreviewDialog("收文登记簿", forms["register"].read_bytes())
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_queues.a4)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    before = cups_queues.outputs()
    run = dialog.print_to(printer)
    done: Callable[[], bool] = lambda: run.finished  # noqa: E731 - read at each wait
    qtbot.waitUntil(done, timeout=PRINT_WAIT_MS)
    assert run.outcome is not None and run.outcome.ok and run.outcome.pages == 4, run.outcome
    (printed,) = cups_queues.wait_for_new_output(before)
    assert len(PdfReader(printed).pages) == 4
    assert_same_measures(measure(printed, 1, 2), measure(forms["register"], 2, 3))
