"""The meeting tabs' tests share these: a dialog answered as its user would (filled in, then its OK pressed),
the refusals shown in message boxes collected instead of failing the test, a confirmation answered, and each tab
looked at as the meeting window shows it on a 1366×768 screen, at text size 中 and 大."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.ui.theme import apply_theme

# What the meeting window leaves its tabs of a 1366×768 screen: the frame, the header and the tab bar taken off.
TAB_SIZE = (1330, 560)


def answer_dialog(monkeypatch: pytest.MonkeyPatch, dialog_class: type[QDialog], fill: Callable[[QDialog], object],
                  after: Callable[[QDialog], object] | None = None) -> list[QDialog]:
    """Every dialog of the class, when shown, is filled in by ``fill`` and its OK pressed (``save``); ``after``
    looks at it then. Returns the dialogs shown."""
    shown: list[QDialog] = []

    def answer(dialog: QDialog) -> int:
        shown.append(dialog)
        fill(dialog)
        dialog.setResult(QDialog.DialogCode.Rejected)
        dialog.save()  # type: ignore[attr-defined]
        if after is not None:
            after(dialog)
        # A save that went through accepted the dialog (app.ui.widgets.editing.finish_save).
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", answer)
    return shown


def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the message boxes shown from now on (each answered OK)."""
    shown: list[str] = []

    def record(box: QMessageBox) -> int:
        shown.append(box.text())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", record)
    return shown


def agree(monkeypatch: pytest.MonkeyPatch, *modules: ModuleType) -> list[str]:
    """Every confirmation these modules ask is answered yes; returns the questions asked."""
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_args: object, **_kwargs: object) -> bool:
        asked.append(text)
        return True

    for module in modules:
        monkeypatch.setattr(module, "confirm", yes)
    return asked


def shoot(widget: QWidget, name: str, qtbot: QtBot) -> list[str]:
    """The widget at text size 中 and 大, read again at each, saved as /tmp/meeting-<name>-<size>.png."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = []
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        widget.resize(*TAB_SIZE)
        widget.show()
        reload = getattr(widget, "reload", None)
        if reload is not None:
            reload()
        qtbot.wait(50)
        path = f"/tmp/meeting-{name}-{size}.png"
        widget.grab().save(path)
        saved.append(path)
    apply_theme(app, "medium")
    return saved


def printed(monkeypatch: pytest.MonkeyPatch, press: Callable[[], object]) -> tuple[str, str]:
    """What pressing a print button shows in the print preview: (its title, the PDF's text read back)."""
    from io import BytesIO

    from pypdf import PdfReader

    from app.ui.widgets import print_preview

    shown: list[tuple[str, bytes]] = []

    def preview(dialog: print_preview.PrintPreviewDialog) -> int:
        shown.append((dialog.windowTitle(), dialog.pdf))
        return 0

    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", preview)
    press()
    assert len(shown) == 1, "one preview"
    title, pdf = shown[0]
    text = "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    return title, text
