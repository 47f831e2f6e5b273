"""An unexpected error in the window ends in a message box naming the log file, with the traceback in
that file: 打印… in a record window, with the fonts missing as after an install that left them out,
once did nothing at all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.paths import log_file
from app.services.documents import outgoing
from app.ui.application import create_application
from app.ui.documents.window import DocumentWindow
from app.ui.widgets import print_preview
from tests.helpers.ui import Office


@pytest.mark.qt_no_exception_capture
def test_print_without_fonts_shows_the_log_file_in_a_message_box(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import app.printing.kit.fonts

    # The hook the program installs as it makes its application, made again here (and set back after).
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    qt_app = QApplication.instance()
    assert qt_app is not None
    qt_app.setProperty("govdesk_ready", False)
    create_application()
    assert sys.excepthook is not sys.__excepthook__

    with office.ctx.uow() as uow:
        draft = outgoing.create_draft(uow, office.clerk, title="关于开展安全生产大检查的通知", doc_type="通知",
                                      disclosure="主动公开")
    window = DocumentWindow(office.ctx, office.clerk, draft.id)
    qtbot.addWidget(window)

    empty = tmp_path / "no-resources"
    empty.mkdir()
    monkeypatch.setattr(app.printing.kit.fonts, "resources_dir", lambda: empty)
    monkeypatch.setattr(app.printing.kit.fonts, "system_font_dirs", lambda: [])
    previews: list[object] = []
    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", lambda self: previews.append(self) or 0)
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: boxes.append((self.windowTitle(), self.text())) or 0)

    window.print_button.click()

    assert previews == []
    assert len(boxes) == 1, boxes
    title, text = boxes[0]
    assert title == "意外错误" and "程序遇到意外错误" in text and str(log_file()) in text
    assert "Traceback" not in text
    logged = log_file().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "FileNotFoundError" in logged
    assert "print_form" in logged
