"""打印 from the lists: several selected records drawn off the GUI thread into one print preview, with the
records that could not be printed named, a 取消 that stops the drawing, and the user's own visibility."""

from __future__ import annotations

import io
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app import batch_print, forms
from app.core.claims import LineInput
from app.core.roles import Role
from app.forms import documents as document_forms
from app.models.documents import Document
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.kernel.actor import Actor
from app.ui.claims.page import ClaimsPage
from app.ui.documents.page import DocumentsPage
from app.ui.prefs import Prefs
from app.ui.widgets import batch_print_action, print_preview
from app.ui.widgets.list_page import ListPage
from tests.helpers import add_unit, add_user
from tests.helpers.pdfcheck import compact
from tests.helpers.ui import Office

TITLES = ("关于做好冬季森林防火工作的通知", "关于召开防汛工作会议的通知", "关于开展安全生产大检查的通知")
# Where to save the screenshots a reviewer looks at (unset: none are saved).
SHOTS = Path(os.environ.get("GOVDESK_SCREENSHOTS", "/nonexistent"))


def drafts(office: Office, titles: tuple[str, ...] = TITLES) -> list[int]:
    ids = []
    for title in titles:
        with office.ctx.uow() as uow:
            ids.append(outgoing.create_draft(uow, office.clerk, title=title, doc_type="通知", disclosure="主动公开").id)
    return ids


class Shown:
    """What the program showed instead of modal boxes: the print previews and the messages."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.previews: list[tuple[str, bytes, str]] = []
        self.messages: list[tuple[str, str]] = []
        monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec",
                            lambda dialog: self.previews.append((dialog.title, dialog.pdf, dialog.suggested_name)) or 0)
        monkeypatch.setattr(batch_print_action, "inform",
                            lambda _parent, title, text: self.messages.append((title, text)))

    def pages_text(self, index: int = -1) -> list[str]:
        return [compact(page.extract_text()) for page in PdfReader(io.BytesIO(self.previews[index][1])).pages]


def documents_page(qtbot: QtBot, office: Office, actor: Actor, prefs: Prefs, rows: int) -> ListPage:
    page = DocumentsPage(office.ctx, actor, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.outgoing.model.rowCount() == rows, timeout=5000)
    return page.outgoing


def click_row(qtbot: QtBot, listing: ListPage, row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    view = listing.table.view
    rect = view.visualRect(listing.model.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def single_print(office: Office, document_id: int) -> bytes:
    return forms.build_registry().load_and_render("outgoing-draft", office.ctx, document_id)


def test_three_selected_drafts_go_to_one_preview_in_the_lists_order(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = drafts(office)
    shown = Shown(monkeypatch)
    listing = documents_page(qtbot, office, office.clerk, prefs, rows=3)
    assert listing.print_button is not None and listing.print_button.text() == "打印…"
    # Click the first, Shift-click the last: three rows, and the list says so.
    click_row(qtbot, listing, 0)
    assert listing.selection_label.text() == "已选 1 件"
    click_row(qtbot, listing, 2, Qt.KeyboardModifier.ShiftModifier)
    assert listing.selection_label.text() == "已选 3 件"
    order = [listing.model.row_object(r).title for r in range(3)]
    qtbot.mouseClick(listing.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown.previews), timeout=20000)
    assert shown.messages == []
    title, pdf, name = shown.previews[0]
    assert title == "发文稿纸（3 件）"
    assert name == f"发文稿纸-3件-{date.today():%Y%m%d}.pdf"
    # Each record as its own print draws it, one after another in the list's order.
    single_pages = {i: len(PdfReader(io.BytesIO(single_print(office, i))).pages) for i in ids}
    pages = shown.pages_text()
    assert len(pages) == sum(single_pages.values())
    text = "".join(pages)
    positions = [text.index(compact(t)) for t in order]
    assert positions == sorted(positions)
    assert text.count(compact("发文稿纸")) >= 3
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_record_the_user_may_not_see_is_named_and_the_others_still_print(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 联络员 sees only his unit's documents. One of the three listed moves to another unit before he prints:
    the service refuses it (the list did not hide it), the message names it, and the other two print."""
    ids = drafts(office)
    liaison = add_user(office.ctx, "lianluo", [Role.LIAISON], office.unit_id, full_name="陈联络")
    shown = Shown(monkeypatch)
    listing = documents_page(qtbot, office, liaison, prefs, rows=3)
    other = add_unit(office.ctx, "县应急管理局")
    with office.ctx.uow() as uow:
        uow.execute(update(Document).where(Document.id == ids[1]).values(drafting_unit_id=other))
        uow.commit()
    listing.table.view.setFocus()
    qtbot.keyClick(listing.table.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert listing.selection_label.text() == "已选 3 件"
    page = listing.parentWidget()
    while page is not None and not isinstance(page, DocumentsPage):
        page = page.parentWidget()
    assert page is not None and page.print_current()  # Ctrl+P in the main window
    qtbot.waitUntil(lambda: bool(shown.previews), timeout=20000)
    [(title, text)] = shown.messages
    assert title == "部分未能打印"
    assert text.startswith("以下 1 件未能生成发文稿纸，打印预览中没有它们：\n• （未编号） 关于召开防汛工作会议的通知：这份公文不属于您所在的单位")
    assert text.endswith("其余 2 件已在打印预览中。")
    printed = "".join(shown.pages_text())
    assert compact(TITLES[0]) in printed and compact(TITLES[2]) in printed
    assert compact(TITLES[1]) not in printed
    assert shown.previews[0][0] == "发文稿纸（2 件）"
    # The command line, run by whoever holds the database, still prints it.
    assert single_print(office, ids[1])


def test_cancel_stops_the_drawing_between_two_records(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts(office)
    shown = Shown(monkeypatch)
    listing = documents_page(qtbot, office, office.clerk, prefs, rows=3)
    # The second record waits until the test has pressed 取消, so the press lands while it is being drawn.
    loaded: list[int] = []
    pressed = threading.Event()
    original = document_forms.load_outgoing_draft

    def load(ctx: Any, document_id: int) -> Any:
        loaded.append(document_id)
        if len(loaded) == 2:
            assert pressed.wait(10)
        return original(ctx, document_id)

    monkeypatch.setattr(document_forms, "load_outgoing_draft", load)
    listing.table.view.selectAll()
    run = listing.print_selected()
    assert run is not None and isinstance(run.dialog, QProgressDialog)
    qtbot.waitUntil(lambda: "第 2/3 件" in run.dialog.labelText(), timeout=10000)  # type: ignore[union-attr]
    assert run.dialog.isVisible()
    if SHOTS.is_dir():
        save_with_dialog(listing.window(), run.dialog, SHOTS / "batch-print-progress.png")
    [cancel] = [b for b in run.dialog.findChildren(QPushButton) if b.text() == "取消"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not run.dialog.isVisible()
    pressed.set()
    qtbot.waitUntil(lambda: run.finished, timeout=10000)
    assert run.cancelled
    # The third record was never read, nothing is shown, and the window is free again.
    assert len(loaded) == 2
    assert shown.previews == [] and shown.messages == []


def test_only_loaded_rows_are_selected_and_a_big_selection_is_refused(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts(office)
    shown = Shown(monkeypatch)
    page = DocumentsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    listing = page.outgoing
    listing.model.page_size = 2
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: listing.model.total == 3, timeout=5000)
    listing.model.fetchMore = lambda *_a: None  # type: ignore[method-assign]  # the user has not scrolled
    listing.table.view.setFocus()
    qtbot.keyClick(listing.table.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert listing.selection_label.text() == "已选 2 件（列表共 3 条，只打印已选的；向下滚动可加载更多）"
    monkeypatch.setattr(batch_print, "MAX_IDS", 1)
    assert listing.print_selected() is None
    assert shown.messages == [("打印", "一次最多打印 1 件，现在选了 2 件：请少选一些，分几次打印。")]
    monkeypatch.setattr(batch_print, "MAX_IDS", 5000)
    listing.table.view.clearSelection()
    assert listing.selection_label.text() == ""
    assert listing.print_selected() is None
    assert shown.messages[-1][1].startswith("请先在列表中选中要打印的记录")
    listing.table.view.selectAll()
    run = listing.print_selected()
    qtbot.waitUntil(lambda: bool(shown.previews), timeout=20000)
    assert run is not None and len(run.report.printed) == 2


def test_claims_print_with_or_without_their_receipts(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = add_unit(office.ctx, "综合股", "section")
    claimant = add_user(office.ctx, "zhang", [], unit, "张报销")
    numbers = []
    for item in ("打印纸", "墨盒"):
        with office.ctx.uow() as uow:
            info = claims.create_claim(uow, claimant, claims.ClaimInput(
                None, date.today(), [LineInput(item, "办公费", "120")], 1), submit=False)
            numbers.append(info.number)
    with office.ctx.uow() as uow:
        claims.add_receipt(uow, claimant, info.id, filename="发票.png", data=_png(), mime_type="image/png")
    shown = Shown(monkeypatch)
    page = ClaimsPage(office.ctx, claimant, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.tabs.setCurrentWidget(page.mine)
    page.refresh()
    listing = page.mine
    qtbot.waitUntil(lambda: listing.model.rowCount() == 2, timeout=5000)
    assert listing.print_button is not None and listing.print_button.menu() is not None
    labels = [a.text() for a in listing.print_button.menu().actions()]
    assert labels == ["打印报销单…", "打印报销单（附票据扫描件）…"]
    # The same choices on the right-click menu of the rows.
    assert [a.text() for a in listing.table.view.actions()] == labels
    listing.table.view.selectAll()
    listing.print_button.menu().actions()[0].trigger()
    qtbot.waitUntil(lambda: len(shown.previews) == 1, timeout=20000)
    plain = shown.pages_text(0)
    listing.table.view.actions()[1].trigger()
    qtbot.waitUntil(lambda: len(shown.previews) == 2, timeout=20000)
    with_receipts = shown.pages_text(1)
    assert shown.previews[1][0] == "报销单（附票据扫描件）（2 件）"
    assert all(any(n in page for page in plain) for n in numbers)
    # The receipt's scan is one page more, after its claim.
    assert len(with_receipts) == len(plain) + 1


def test_screenshot_of_a_list_with_several_rows_selected(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafts(office, TITLES + ("关于印发2027年县政府工作要点的通知", "关于做好春节期间值班工作的通知"))
    listing = documents_page(qtbot, office, office.clerk, prefs, rows=5)
    click_row(qtbot, listing, 0)
    click_row(qtbot, listing, 2, Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, listing, 3, Qt.KeyboardModifier.ControlModifier)
    assert listing.selection_label.text() == "已选 3 件"
    assert len(listing.selected_rows()) == 3
    # Once laid out, the count is shown whole.
    label = listing.selection_label
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width(), timeout=3000)
    assert listing.selection_label.isVisible() and listing.print_button is not None and listing.print_button.isVisible()
    # Both sit inside the page at 1366×768.
    for widget in (listing.selection_label, listing.print_button):
        corner = widget.mapTo(listing.window(), QPoint(widget.width(), widget.height()))
        assert corner.x() <= listing.window().width()
    if SHOTS.is_dir():
        listing.window().grab().save(str(SHOTS / "batch-print-selection.png"))


def save_with_dialog(window: Any, dialog: Any, path: Path) -> None:
    """The window with its dialog drawn over it where the dialog stands, as the user sees them."""
    from PySide6.QtGui import QPainter

    picture = window.grab()
    painter = QPainter(picture)
    top_left = dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
    painter.drawPixmap(top_left, dialog.grab())
    painter.end()
    picture.save(str(path))


def _png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(200, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())
