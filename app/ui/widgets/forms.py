"""Forms with labels on the left, required fields marked, and each validation error in red beside its field."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.core.errors import ValidationError
from app.ui.i18n import tr
from app.ui.theme import URGENT


class FormGrid(QGridLayout):
    """A two-column form. Each field gets an error line under it that is empty until needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalSpacing(12)
        self.setVerticalSpacing(4)
        self.setColumnStretch(1, 1)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._general = QLabel()
        self._general.setObjectName("fieldError")
        self._general.setWordWrap(True)
        self._general.hide()
        self.addWidget(self._general, 0, 0, 1, 2)

    def add(self, name: str, label: str, widget: QWidget, required: bool = False, hint: str = "") -> QWidget:
        row = self.rowCount()
        marker = ' <span style="color:#C0392B">*</span>' if required else ""
        text = tr('{0}{1}：').format(label, marker) if label else ""
        caption = QLabel(text)
        caption.setBuddy(widget)
        self.addWidget(caption, row, 0)
        self.addWidget(widget, row, 1)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        self.addWidget(error, row + 1, 1)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            self.addWidget(note, row + 2, 1)
        self._fields[name] = widget
        self._errors[name] = error
        return widget

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    def clear_errors(self) -> None:
        self._general.hide()
        for name, label in self._errors.items():
            label.hide()
            self._mark(self._fields[name], False)

    def show_error(self, error: ValidationError) -> None:
        """Shows it beside its field if the form has that field, else at the top of the form."""
        self.clear_errors()
        label = self._errors.get(error.field or "")
        if label is None:
            self._general.setText(error.message)
            self._general.show()
            return
        label.setText(error.message)
        label.show()
        widget = self._fields[error.field or ""]
        self._mark(widget, True)
        if widget.isVisible():
            widget.setFocus()

    def show_errors(self, problems: dict[str, str]) -> None:
        """Shows every problem at once: each beside its field, the rest together at the top."""
        self.clear_errors()
        general = []
        first: QWidget | None = None
        for name, message in problems.items():
            label = self._errors.get(name)
            if label is None:
                general.append(message)
                continue
            label.setText(message)
            label.show()
            self._mark(self._fields[name], True)
            first = first or self._fields[name]
        if general:
            self._general.setText("\n".join(general))
            self._general.show()
        if first is not None and first.isVisible():
            first.setFocus()

    def error_text(self, name: str) -> str:
        label = self._errors[name]
        return "" if label.isHidden() else label.text()

    @property
    def general_error(self) -> str:
        return self._general.text() if not self._general.isHidden() else ""

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        widget.setProperty("invalid", invalid)
        widget.setStyleSheet(f"border: 1px solid {URGENT};" if invalid else "")
