"""Opening and saving a stored file from its window: a hostile name stored in an old row writes nothing outside
a fresh private folder, and a program is never handed to the system to open."""

from __future__ import annotations

import hashlib
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.ui.theme import apply_theme
from app.ui.widgets.qt_helpers import open_in_viewer, private_copy, save_copy
from tests.helpers.ui import Office

PDF = b"%PDF-1.4\n%%EOF\n"
PE = b"MZ\x90\x00" + b"\x00" * 56 + struct.pack("<I", 64) + b"PE\x00\x00"
# Taken before tests/ui/conftest.py refuses every message box: these tests answer theirs.
REAL_MESSAGE_BOX_EXEC = QMessageBox.exec
HOSTILE = ["../../x", "..\\..\\..\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\x.pdf",
           "/etc/cron.d/x", "C:\\x", "\\\\srv\\share\\x", "..", "CON", "x:stream", "sub/../../../x"]


@pytest.fixture(autouse=True)
def _real_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", REAL_MESSAGE_BOX_EXEC)


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder, moved where the test can see everything written around it."""
    root = tmp_path / "deep" / "tmp"
    root.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What would have been handed to the system's handler."""
    urls: list[Path] = []

    def record(url: QUrl) -> bool:
        urls.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls


def _written(tmp_path: Path) -> list[Path]:
    return sorted(p for p in tmp_path.rglob("*") if p.is_file())


@pytest.mark.parametrize("stored", HOSTILE)
def test_a_hostile_stored_name_is_written_inside_a_fresh_private_folder(
    tmp_path: Path, temp_root: Path, opened: list[Path], stored: str
) -> None:
    open_in_viewer(QWidget(), stored, PDF)
    assert len(opened) == 1
    target = opened[0]
    assert target.parent.parent == temp_root.resolve() and target.parent.name.startswith("govdesk-")
    assert target.read_bytes() == PDF
    # Nothing else was written anywhere around the temporary folder.
    assert _written(tmp_path) == [target]


def test_each_copy_has_a_folder_of_its_own(temp_root: Path) -> None:
    first, second = private_copy("x.pdf", PDF), private_copy("x.pdf", b"%PDF-other")
    assert first.parent != second.parent and first.read_bytes() == PDF


def _when_a_box_is_up(then: Callable[[QMessageBox], None], tries: int = 1000) -> None:
    """Hands ``then`` the message box once one is up, looking every 10 ms for up to 10 s: the window may first
    wait for the database in an event loop of its own (app.ui.widgets.db_call), where a timer of 0 ms fires
    before the box exists. A box ``then`` failed on is closed, so that the test fails instead of waiting."""
    def check(left: int) -> None:
        box = QApplication.activeModalWidget()
        if not (isinstance(box, QMessageBox) and box.isVisible()):
            if left:
                QTimer.singleShot(10, lambda: check(left - 1))
            return
        try:
            then(box)
        finally:
            if box.isVisible():
                box.reject()

    QTimer.singleShot(0, lambda: check(tries))


def _answer(qtbot: QtBot, button_text: str, shots: list[QWidget]) -> None:
    """Clicks a button of the message box once it is shown, after a look at it."""
    def click(box: QMessageBox) -> None:
        shots.append(box)
        box.grab().save(f"/tmp/h2-open-refused-{len(shots)}.png")
        button = next(b for b in box.findChildren(QAbstractButton) if b.text() == button_text)
        button.click()

    _when_a_box_is_up(click)


@pytest.mark.parametrize(("stored", "content"), [
    ("报告.pdf", PE), ("x.exe", PDF), ("..\\Startup\\x.bat", b"@echo off"), ("启动.desktop", b"[Desktop Entry]"),
    ("x.sh", b"#!/bin/sh\n"), ("快捷方式.lnk", b"L\x00\x00\x00\x01\x14\x02\x00"), ("扫描件.pdf", b"\x7fELF\x02"),
])
def test_a_stored_program_is_never_opened_and_may_be_saved_instead(
    qtbot: QtBot, tmp_path: Path, temp_root: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch,
    stored: str, content: bytes,
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shots: list[QWidget] = []
    _answer(qtbot, "取消", shots)
    open_in_viewer(parent, stored, content)
    assert opened == [] and _written(tmp_path) == [] and len(shots) == 1

    chosen = tmp_path / "saved" / "kept.bin"
    chosen.parent.mkdir()
    offered: list[str] = []

    def ask(_parent: QWidget, _caption: str, where: str) -> tuple[str, str]:
        offered.append(where)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    _answer(qtbot, "另存为…", shots)
    open_in_viewer(parent, stored, content)
    assert opened == [] and chosen.read_bytes() == content
    assert Path(offered[0]).parent == Path.home()


@pytest.mark.parametrize("stored", HOSTILE)
def test_save_as_offers_a_cleaned_name_in_the_home_folder(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, stored: str
) -> None:
    offered: list[str] = []

    def ask(_parent: QWidget, _caption: str, where: str) -> tuple[str, str]:
        offered.append(where)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    save_copy(QWidget(), stored, PDF)
    assert Path(offered[0]).parent == Path.home() and ".." not in Path(offered[0]).name
    assert "\\" not in Path(offered[0]).name and ":" not in Path(offered[0]).name


@pytest.mark.parametrize("size", ["medium", "large"])
def test_the_refusal_reads_whole_at_each_text_size(
    qtbot: QtBot, qapp: QApplication, temp_root: Path, opened: list[Path], size: str
) -> None:
    apply_theme(qapp, size)
    parent = QWidget()
    parent.resize(1366, 768)
    qtbot.addWidget(parent)
    shots: list[QWidget] = []

    def look(box: QMessageBox) -> None:
        box.grab().save(f"/tmp/h2-open-refused-{size}.png")
        label = next(w for w in box.findChildren(QLabel) if "可执行程序" in w.text())
        shots.append(label)
        # Wrapped at its width, the whole text fits the label's height: no line is cut off.
        assert label.heightForWidth(label.width()) <= label.height()
        assert label.geometry().right() <= box.width() and label.geometry().bottom() <= box.height()
        assert box.width() <= 1366 and box.height() <= 768
        next(b for b in box.findChildren(QAbstractButton) if b.text() == "取消").click()

    _when_a_box_is_up(look)
    open_in_viewer(parent, "安装程序.exe", PE)
    assert shots and opened == []


def test_the_document_window_opens_an_old_rows_file_inside_its_folder_and_audits_it(
    qtbot: QtBot, office: Office, tmp_path: Path, temp_root: Path, opened: list[Path]
) -> None:
    from app.models import Attachment, AuditEntry
    from app.services.documents import outgoing
    from app.ui.documents.window import DocumentWindow

    with office.ctx.uow() as uow:
        doc = outgoing.create_draft(uow, office.clerk, title="关于做好冬季森林防火工作的通知", doc_type="通知",
                                    disclosure="主动公开", prefix="县政办发")
    # Rows stored before names and contents were checked, as a restore or an old version left them.
    with office.ctx.uow() as uow:
        for order, (name, content) in enumerate([("../../../x.pdf", PDF), ("扫描件.pdf", PE)]):
            uow.session.add(Attachment(
                owner_type="document", owner_id=doc.id, purpose="attachment", filename=name,
                mime_type="application/pdf", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                data=content, uploaded_by=office.clerk.id, sort_order=order,
            ))
        uow.commit()
    window = DocumentWindow(office.ctx, office.clerk, doc.id)
    qtbot.addWidget(window)
    window.files.selectRow(0)
    window.open_selected_file()
    assert len(opened) == 1 and opened[0].name == "x.pdf" and opened[0].parent.parent == temp_root.resolve()
    assert _written(temp_root) == [opened[0]]
    assert [p for p in _written(tmp_path) if p.name == "x.pdf"] == [opened[0]]

    shots: list[QWidget] = []
    _answer(qtbot, "取消", shots)
    window.files.selectRow(1)
    window.open_selected_file()
    assert len(opened) == 1 and len(shots) == 1
    with office.ctx.uow() as uow:
        downloads = uow.session.execute(
            select(AuditEntry.username).where(AuditEntry.action == "download")
        ).scalars().all()
    assert downloads == ["clerk", "clerk"]
