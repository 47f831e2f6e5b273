"""The small forms an action needs: units or readers to pick, errors to record with a return, the
handling units and time limit, copies and proofreader, retention and pages."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.archives import RETENTIONS
from app.core.documents import ERROR_KINDS, MAX_COPIES, URGENCIES, check_copies
from app.services.documents.records import ErrorInput
from app.ui.i18n import tr
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import checkable_item
from app.ui.widgets.screen import fit_when_shown


def urgency_combo(current: str = "") -> QComboBox:
    """缓急, with none (一般) first and chosen unless the record says otherwise: most documents are not urgent,
    and a 特急 chosen by default would put a routine letter at the head of every list."""
    combo = QComboBox()
    # Mildest first: （一般）, 加急, 特急.
    for value in reversed(URGENCIES):
        combo.addItem(value or tr("（一般）"), value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _buttons(dialog: QDialog, ok_text: str, form: FormGrid | None = None) -> QDialogButtonBox:
    """OK and 取消. With a form, OK closes the dialog only once every field passes its checks; otherwise
    every problem shows beside its field."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    if form is None:
        box.accepted.connect(dialog.accept)
    else:
        box.accepted.connect(lambda: _accept_checked(dialog, form))
    box.rejected.connect(dialog.reject)
    return box


def _accept_checked(dialog: QDialog, form: FormGrid) -> None:
    if form.check_all():
        dialog.accept()


class PickDialog(QDialog):
    """Ticks several of a list: units to distribute to, readers to circulate to."""

    def __init__(self, title: str, hint: str, options: Sequence[tuple[str, int]], ok_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(420, 480)
        fit_when_shown(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("输入文字筛选"))
        self.filter.textChanged.connect(self._filter)
        self.list = QListWidget()
        for text, value in options:
            self.list.addItem(checkable_item(text, value))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        layout = QVBoxLayout(self)
        note = QLabel(hint)
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        box = _buttons(self, ok_text)
        box.accepted.disconnect()
        box.accepted.connect(self._accept)
        layout.addWidget(box)

    def _filter(self, text: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(text) and text not in item.text())

    def set_checked(self, values: Sequence[int]) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in values:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[int]:
        return [
            int(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _accept(self) -> None:
        if not self.chosen():
            self.error.setText(tr("请至少选择一项"))
            self.error.show()
            return
        self.accept()


class ReturnDialog(QDialog):
    """退回: the reason is required; errors (差错) found in the draft may be recorded with it."""

    def __init__(self, title: str, with_errors: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        fit_when_shown(self)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("退回理由，例如：文种使用不当，应为“请示”"))
        self.reason.setFixedHeight(90)
        self.form = FormGrid()
        self.form.add("opinion", tr("退回理由"), self.reason, required=True)
        self.kinds: dict[str, QCheckBox] = {}
        self.note = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        if with_errors:
            errors_box = QWidget()
            row = QVBoxLayout(errors_box)
            row.setContentsMargins(0, 0, 0, 0)
            for kind in ERROR_KINDS:
                check = QCheckBox(tr("{0}差错").format(kind))
                self.kinds[kind] = check
                row.addWidget(check)
            self.form.add("errors", tr("登记差错"), errors_box, hint=tr("计入季度公文运转及差错情况通报"))
            self.form.add("note", tr("差错说明"), self.note)
        box = _buttons(self, tr("退回"))
        box.accepted.disconnect()
        box.accepted.connect(self._accept)
        layout.addWidget(box)

    def _accept(self) -> None:
        if not self.reason.toPlainText().strip():
            from app.core.errors import ValidationError

            self.form.show_error(ValidationError(tr("退回时必须填写理由"), field="opinion"))
            return
        self.accept()

    def errors(self) -> list[ErrorInput]:
        return [ErrorInput(kind=k, note=self.note.text().strip()) for k, c in self.kinds.items() if c.isChecked()]


class HandlingDialog(QDialog):
    """批办 / 承办: one 主办 unit, any 协办 units, and the time limit in working days."""

    def __init__(self, units: Sequence[tuple[str, int]], opinion_needed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("批办"))
        self.setMinimumWidth(520)
        fit_when_shown(self)
        self.opinion = QPlainTextEdit()
        self.opinion.setFixedHeight(80)
        self.needs_handling = QCheckBox(tr("需要承办（办件）；不勾选为阅件，直接传阅"))
        self.needs_handling.setChecked(True)
        self.main_unit = QComboBox()
        for text, value in units:
            self.main_unit.addItem(text, value)
        self.co_units = QListWidget()
        for text, value in units:
            self.co_units.addItem(checkable_item(text, value))
        self.co_units.setFixedHeight(140)
        self.workdays = QSpinBox()
        self.workdays.setRange(1, 60)
        self.workdays.setValue(10)
        self.workdays.setSuffix(tr(" 个工作日"))
        self.form = FormGrid()
        if opinion_needed:
            self.form.add("opinion", tr("批示意见"), self.opinion, required=True)
            self.form.add("needs_handling", "", self.needs_handling)
        self.form.add("main_unit_id", tr("主办单位"), self.main_unit, required=True)
        self.form.add("co_unit_ids", tr("协办单位"), self.co_units)
        self.form.add("workdays", tr("办理时限"), self.workdays, hint=tr("按工作日计算，自动跳过法定节假日"))
        self.needs_handling.toggled.connect(self._toggle)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(_buttons(self, tr("确定"), self.form))

    def _toggle(self, on: bool) -> None:
        for widget in (self.main_unit, self.co_units, self.workdays):
            widget.setEnabled(on)

    def co_unit_ids(self) -> list[int]:
        return [
            int(self.co_units.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.co_units.count())
            if self.co_units.item(row).checkState() == Qt.CheckState.Checked
        ]


class PrintedDialog(QDialog):
    """印制: copies printed and who proofread them."""

    def __init__(self, default_copies: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("印制完成"))
        # Wide enough that a message beside a field reads on one line.
        self.setMinimumWidth(480)
        fit_when_shown(self)
        self.copies = QSpinBox()
        # From 0, so that a 0 typed stays 0 and is refused with a message; a spin box starting at 1 would
        # silently put back the default when the user leaves it.
        self.copies.setRange(0, MAX_COPIES)
        self.copies.setValue(default_copies)
        self.proofreader = QLineEdit()
        self.form = FormGrid()
        self.form.add("copies", tr("印制份数"), self.copies, required=True,
                      check=lambda: check_copies(self.copies.value()))
        self.form.add("proofreader", tr("校对人"), self.proofreader, required=True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(_buttons(self, tr("确定"), self.form))


class ArchiveDialog(QDialog):
    """归档: retention (DA/T 22) and page count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("归档"))
        # Wide enough that a message beside a field reads on one line.
        self.setMinimumWidth(480)
        fit_when_shown(self)
        self.retention = QComboBox()
        for code, label in RETENTIONS.items():
            self.retention.addItem(tr(label), code)
        self.retention.setCurrentIndex(max(0, self.retention.findData("D30")))
        self.pages = QSpinBox()
        self.pages.setRange(1, 9999)
        self.pages.setValue(2)
        self.form = FormGrid()
        self.form.add("retention", tr("保管期限"), self.retention, required=True)
        self.form.add("pages", tr("页数"), self.pages, required=True, hint=tr("处理单、正文、附件的总页数"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(_buttons(self, tr("归档"), self.form))
