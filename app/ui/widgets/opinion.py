"""The opinion box of a record's window: the text, one-click common phrases, and a problem line under it.

Leaders write the same few opinions all day, so a phrase is one click away; a refusal about the
opinion shows right under the box, and what was typed stays."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout

from app.ui.i18n import tr


class OpinionBox:
    def __init__(self, heading: str, placeholder: str, phrases: Sequence[str], height: int = 76) -> None:
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setFixedHeight(height)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        self.phrases = QComboBox()
        self.phrases.addItem(tr("常用意见…"))
        for phrase in phrases:
            self.phrases.addItem(tr(phrase))
        self.phrases.activated.connect(self._insert_phrase)
        # A flow with no common phrases (the generic record window) shows no empty list of them.
        if not phrases:
            self.phrases.hide()
        self.head = QHBoxLayout()
        self.head.addWidget(QLabel(heading))
        self.head.addStretch(1)
        self.head.addWidget(self.phrases)

    def add_to(self, layout: QVBoxLayout) -> None:
        layout.addLayout(self.head)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def set_enabled(self, enabled: bool) -> None:
        self.edit.setEnabled(enabled)
        self.phrases.setEnabled(enabled)

    def show_problem(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.edit.setFocus()

    def hide_problem(self) -> None:
        self.error.hide()

    def _insert_phrase(self, index: int) -> None:
        if index > 0:
            self.edit.insertPlainText(self.phrases.itemText(index))
        self.phrases.setCurrentIndex(0)
