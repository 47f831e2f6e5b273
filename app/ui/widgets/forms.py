"""Forms with labels on the left, required fields marked, and each validation error in red beside its field.

Mistakes show as the user types or leaves a field, all at once, each beside its field; each clears as soon as
it is fixed, and the first is scrolled into view (DESIGN.md, Look). A field is checked when the user leaves
it, and from then on at every change, so an empty required field is not scolded before the user got to it but
an error never stays after it was put right. Saving checks every field at once (check_all). The checks are
the rules of app/core: a field's check calls one and lets its ValidationError say what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from app.core.errors import ValidationError
from app.ui.i18n import tr
from app.ui.theme import URGENT

# A field's check: returns nothing when the value is right, raises ValidationError (from a core rule) when not.
Check = Callable[[], object]


def problem_of(check: Check) -> str | None:
    """What a check says is wrong, or None."""
    try:
        check()
    except ValidationError as error:
        return error.message
    return None


def reveal(widget: QWidget) -> None:
    """Scrolls every scroll area around ``widget`` so that it is in view, and puts the cursor in it."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()
    if widget.isVisible():
        from PySide6.QtCore import Qt  # here, not at the top: see app.ui.login (the login dialog's start)

        widget.setFocus(Qt.FocusReason.OtherFocusReason)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet(f"border: 1px solid {URGENT};" if invalid else "")


def is_blank(widget: QWidget) -> bool:
    """Whether a required field has been left empty (a spin box, date or check box is never empty)."""
    if isinstance(widget, QLineEdit):
        return not widget.text().strip()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return not widget.toPlainText().strip()
    if isinstance(widget, QComboBox):
        if widget.currentIndex() < 0:
            return True
        data = widget.currentData()
        return data == "" or (data is None and not widget.currentText().strip())
    return False


def on_change(widget: QWidget, slot: Callable[[], None]) -> None:
    """Calls ``slot`` whenever the user changes the widget's value (every keystroke for text)."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        widget.textChanged.connect(lambda *_args: slot())
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda *_args: slot())
        if widget.isEditable():
            widget.editTextChanged.connect(lambda *_args: slot())
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(lambda *_args: slot())
    elif isinstance(widget, QAbstractSpinBox):
        # The text as well as the value: a spin box keeps its last good value while the user types a bad one
        # (and setValue changes the text with the line edit's signals blocked).
        line = widget.findChild(QLineEdit)
        if line is not None:
            line.textChanged.connect(lambda *_args: slot())
        if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            widget.valueChanged.connect(lambda *_args: slot())


class FormGrid(QGridLayout):
    """A form of labelled fields, each with an error line under it that is empty until needed.

    One field a row by default. With ``pairs=True`` two fields share a row (label, field, label, field), and a
    field added ``wide`` takes a row of its own: a form beside a table, or a window with the width, then needs
    half the height. With ``live=False`` the form does not check fields as they are typed or left: the owner
    checks (the flow editor asks the engine after every change) and shows what it finds with show_errors.
    """

    def __init__(self, parent: QWidget | None = None, *, pairs: bool = False, live: bool = True) -> None:
        super().__init__(parent)
        self._pairs = pairs
        self._live = live
        # Two a row: the grid row whose right half is still free for the next field.
        self._open_row: int | None = None
        self.setHorizontalSpacing(10 if pairs else 12)
        self.setVerticalSpacing(3 if pairs else 4)
        self.setColumnStretch(1, 1)
        if pairs:
            self.setColumnStretch(3, 1)
        self._fields: dict[str, QWidget] = {}
        # A field's caption and hint, hidden with it (set_field_visible).
        self._companions: dict[str, list[QWidget]] = {}
        self._errors: dict[str, QLabel] = {}
        self._labels: dict[str, str] = {}
        self._required: set[str] = set()
        self._checks: dict[str, Check] = {}
        self._left: set[str] = set()
        self._general = QLabel()
        self._general.setObjectName("fieldError")
        self._general.setWordWrap(True)
        self._general.hide()
        self.addWidget(self._general, 0, 0, 1, 4 if pairs else 2)

    def add(
        self, name: str, label: str, widget: QWidget, required: bool = False, hint: str = "",
        check: Check | None = None, *, wide: bool = False,
    ) -> QWidget:
        row, column, span = self._place(wide)
        marker = ' <span style="color:#C0392B">*</span>' if required else ""
        text = tr('{0}{1}：').format(label, marker) if label else ""
        caption = QLabel(text)
        caption.setBuddy(widget)
        if column:
            # Room between the left field and the right one's label, so the two read as two.
            caption.setContentsMargins(14, 0, 0, 0)
        self.addWidget(caption, row, column)
        self.addWidget(widget, row, column + 1, 1, span)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        self.addWidget(error, row + 1, column + 1, 1, span)
        self._companions[name] = [caption]
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            self.addWidget(note, row + 2, column + 1, 1, span)
            self._companions[name].append(note)
        self._fields[name] = widget
        self._errors[name] = error
        self._labels[name] = label
        if required:
            self._required.add(name)
        if check is not None:
            self._checks[name] = check
        if self._live:
            on_change(widget, lambda: self._changed(name))
            widget.installEventFilter(self)
        return widget

    def _place(self, wide: bool) -> tuple[int, int, int]:
        """Where the next field goes: its grid row, its label's column, and how many columns the field spans."""
        if not self._pairs:
            return self.rowCount(), 0, 1
        if self._open_row is not None and not wide:
            row, self._open_row = self._open_row, None
            return row, 2, 1
        row = self.rowCount()
        self._open_row = None if wide else row
        return row, 0, 3 if wide else 1

    def set_field_visible(self, name: str, visible: bool) -> None:
        """Shows or hides a field with its caption and hint (a field that applies only to some choices); a
        hidden field's error is cleared, as it cannot be fixed where it cannot be seen."""
        self._fields[name].setVisible(visible)
        for widget in self._companions[name]:
            widget.setVisible(visible)
        if not visible:
            self.set_error(name, None)

    def add_note(self, widget: QWidget) -> QWidget:
        """A line of explanation under the fields, as wide as they are."""
        self._open_row = None
        self.addWidget(widget, self.rowCount(), 1, 1, 3 if self._pairs else 1)
        return widget

    def set_check(self, name: str, check: Check) -> None:
        """The rule a field is held to besides being filled in (a core check that raises ValidationError)."""
        self._checks[name] = check

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    # ----- checking ------------------------------------------------------------------------------------------
    def problem(self, name: str) -> str | None:
        """What is wrong with one field now, or None. A disabled field is not held to anything."""
        widget = self._fields[name]
        if not widget.isEnabled():
            return None
        if name in self._required and is_blank(widget):
            verb = tr("请选择{0}") if isinstance(widget, QComboBox) else tr("请填写{0}")
            return verb.format(self._labels[name] or tr("此项"))
        check = self._checks.get(name)
        return problem_of(check) if check is not None else None

    def problems(self) -> dict[str, str]:
        found = {}
        for name in self._fields:
            message = self.problem(name)
            if message:
                found[name] = message
        return found

    def check_all(self) -> bool:
        """On saving: every field checked, every problem shown at once, the first scrolled into view."""
        self._left.update(self._fields)
        found = self.problems()
        self.show_errors(found)
        return not found

    def recheck(self, name: str) -> None:
        """Checks one field again (when something it depends on changed) if it has been checked before."""
        if name in self._left or not self._errors[name].isHidden():
            self.set_error(name, self.problem(name))

    def _changed(self, name: str) -> None:
        # Before the user has left the field, typing shows nothing; after, every change is checked.
        self.recheck(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            # Opening a drop-down or a calendar moves the focus to its popup: that is not leaving the field.
            from PySide6.QtCore import Qt  # here, not at the top: see app.ui.login (the login dialog's start)

            if event.reason() != Qt.FocusReason.PopupFocusReason:
                for name, widget in self._fields.items():
                    if widget is watched:
                        self._left.add(name)
                        self.set_error(name, self.problem(name))
        return False

    # ----- showing -------------------------------------------------------------------------------------------
    def set_error(self, name: str, message: str | None) -> None:
        """Shows or clears one field's error, leaving the others as they are."""
        label = self._errors[name]
        label.setText(message or "")
        label.setVisible(bool(message))
        widget = self._fields[name]
        # A composite field (a row of parts around one entry box) is marked on that box, not on every part.
        mark_invalid(widget.focusProxy() or widget, bool(message))

    def clear_errors(self) -> None:
        self._general.hide()
        for name in self._errors:
            self.set_error(name, None)

    def show_error(self, error: ValidationError) -> None:
        """Shows it beside its field if the form has that field, else at the top of the form."""
        self.show_errors({error.field or "": error.message})

    def show_errors(self, problems: dict[str, str], *, reveal_first: bool = True) -> None:
        """Shows every problem at once: each beside its field, the rest together at the top; the first field
        with a problem is scrolled into view, unless ``reveal_first`` is False: a form checked after every
        keystroke must leave the cursor where the user is typing."""
        self.clear_errors()
        general = []
        first: QWidget | None = None
        for name, message in problems.items():
            if name not in self._errors:
                general.append(message)
                continue
            self._left.add(name)
            self.set_error(name, message)
            first = first or self._fields[name]
        if general:
            self._general.setText("\n".join(general))
            self._general.show()
        if not reveal_first:
            return
        if first is not None:
            reveal(first)
        elif general:
            reveal(self._general)

    def error_text(self, name: str) -> str:
        label = self._errors[name]
        return "" if label.isHidden() else label.text()

    @property
    def general_error(self) -> str:
        return self._general.text() if not self._general.isHidden() else ""

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        mark_invalid(widget, invalid)
