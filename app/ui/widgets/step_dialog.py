"""A record window's small dialog for one step (付款, 记账, a unit's report, 重新打开): a line saying what is being
done to which record, a form, and OK/cancel; the window sets ``work``, the service call, which is the save."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.i18n import tr
from app.ui.widgets.editing import save_dialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.screen import fit_when_shown


class StepDialog(QDialog):
    """A form under a line saying what is being done to which record, and OK/cancel; the service call is the save."""

    def __init__(self, title: str, summary: str, ok_text: str, parent: QWidget | None = None, *,
                 min_width: int = 460) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width)
        fit_when_shown(self)
        self.form = FormGrid()
        self.work: Callable[[], object] | None = None
        intro = QLabel(summary)
        intro.setWordWrap(True)
        ok = QPushButton(ok_text)
        ok.setObjectName("primary")
        ok.clicked.connect(self.save)
        cancel = QPushButton(tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        self.body = QVBoxLayout(self)
        self.body.addWidget(intro)
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        self.body.addLayout(buttons)

    def save(self) -> bool:
        assert self.work is not None, "the window sets what saving does"
        return save_dialog(self, self.form, self.work)
