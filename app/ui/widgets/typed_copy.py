"""What the user typed into a window, kept when the server could not take it.

When a save fails because the server is gone, KeepTypedDialog offers three ways on: save by itself once the
server is back, keep a copy of the typed text as a file (plain UTF-8 text, one field a line, with the field's
label), or go back to the window. Every choice leaves the window as it was.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.ui.i18n import tr

Choice = Literal["retry", "file", "back"]
_TAGS = re.compile(r"<[^>]+>")
# What a caption ends with after its text: a colon (full-width, as the forms write it, or ASCII) and the
# required-field star.
_LABEL_END = chr(0xFF1A) + ":*"
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _label_text(label: QLabel) -> str:
    return _TAGS.sub("", label.text()).replace("&", "").strip().rstrip(_LABEL_END).strip()


def _value(widget: QWidget) -> str | None:
    if isinstance(widget, QLineEdit):
        if widget.echoMode() != QLineEdit.EchoMode.Normal or widget.isReadOnly():
            return None  # never a password; a read-only line is not typed
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QCheckBox):
        return tr('是') if widget.isChecked() else tr('否')
    return None


def typed_fields(window: QWidget) -> list[tuple[str, str]]:
    """(label, text) of every field the user can type in, in the order the window made them; empty ones
    left out. A field's label is the QLabel whose buddy it is, else its placeholder or tooltip."""
    labels: dict[int, str] = {}
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            labels[id(buddy)] = _label_text(label)
    found: list[tuple[str, str]] = []
    seen: set[int] = set()
    for widget in window.findChildren(QWidget):
        if id(widget) in seen or not widget.isVisibleTo(window):
            continue
        # A combo box's or spin box's inner line edit is the box's own.
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
            continue
        value = _value(widget)
        if value is None or not value.strip():
            continue
        seen.add(id(widget))
        placeholder = widget.placeholderText() if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) else ""
        caption = labels.get(id(widget)) or placeholder or widget.toolTip() or tr('（未命名的一项）')
        found.append((caption, value))
    return found


def typed_text(window: QWidget) -> str:
    title = window.windowTitle() or tr('未保存的内容')
    lines = [title, tr('{0} 因连不上数据库服务器而未保存的内容').format(datetime.now().strftime('%Y-%m-%d %H:%M')), ""]
    for label, value in typed_fields(window):
        lines.append(tr('【{0}】').format(label))
        lines.append(value)
        lines.append("")
    return "\n".join(lines)


def suggested_name(window: QWidget) -> str:
    title = _UNSAFE_NAME.sub("_", window.windowTitle() or "").strip(" ._") or tr('未保存的内容')
    return f"{title[:40]}-{datetime.now().strftime('%Y%m%d-%H%M')}.txt"


def save_typed_copy(window: QWidget, path: Path) -> None:
    # utf-8-sig: Windows Notepad and WPS open it as Chinese text, not as mojibake.
    path.write_text(typed_text(window), encoding="utf-8-sig")


class KeepTypedDialog(QMessageBox):
    def __init__(self, parent: QWidget | None, why: str) -> None:
        super().__init__(QMessageBox.Icon.Warning, tr('这次没有保存'), why, QMessageBox.StandardButton.NoButton, parent)
        self.setInformativeText(tr(
            '您填写的内容还在窗口里，不会丢失。\n'
            '可以让程序在服务器恢复后自动保存，也可以先把填写的内容另存为一个文本文件。'
        ))
        self.retry_button = self.addButton(tr('服务器恢复后自动保存'), QMessageBox.ButtonRole.AcceptRole)
        self.file_button = self.addButton(tr('另存为文件…'), QMessageBox.ButtonRole.ActionRole)
        self.back_button = self.addButton(tr('返回窗口'), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.retry_button)
        self.window_of_input = parent.window() if parent is not None else None

    def ask(self) -> Choice:
        while True:
            self.exec()
            clicked = self.clickedButton()
            if clicked is self.retry_button:
                return "retry"
            if clicked is not self.file_button or self.window_of_input is None:
                return "back"
            if self.keep_as_file(self.window_of_input) is not None:
                return "file"

    def keep_as_file(self, window: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr('另存为文件'), str(Path.home() / suggested_name(window)), tr('文本文件 (*.txt)')
        )
        if not chosen:
            return None
        path = Path(chosen)
        try:
            save_typed_copy(window, path)
        except OSError as error:
            QMessageBox.warning(self, tr('无法保存'), tr('无法写入 {0}：{1}。请换一个位置。').format(path, error.strerror))
            return None
        QMessageBox.information(self, tr('已另存'), tr('填写的内容已存到 {0}。窗口里的内容也还在。').format(path))
        return path
