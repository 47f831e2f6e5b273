"""When someone else saved the record first: reload, or see what differs before deciding."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.i18n import tr
from app.ui.widgets.screen import fit_when_shown


class ConflictDialog(QDialog):
    RELOAD = 1
    KEEP_EDITING = 2

    def __init__(
        self,
        message: str,
        mine: Mapping[str, str] | None = None,
        theirs: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr('记录已被他人修改'))
        self.setMinimumWidth(520)
        fit_when_shown(self)
        text = QLabel(
            tr('{0}\n\n“重新载入”会显示对方保存的内容（您的修改不会保存）；“查看差异”列出您和对方不同的地方，您可以据此重新修改。').format(message)
        )
        text.setWordWrap(True)
        self.differences = QTableWidget(0, 3)
        self.differences.setHorizontalHeaderLabels([tr('项目'), tr('您的内容'), tr('对方保存的内容')])
        self.differences.verticalHeader().hide()
        self.differences.horizontalHeader().setStretchLastSection(True)
        self.differences.hide()
        rows = [
            (labels.get(k, k) if labels else k, (mine or {}).get(k, ""), (theirs or {}).get(k, ""))
            for k in sorted(set(mine or {}) | set(theirs or {}))
            if (mine or {}).get(k) != (theirs or {}).get(k)
        ]
        self.differences.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.differences.setItem(r, c, QTableWidgetItem(value))
        buttons = QDialogButtonBox()
        reload_button = QPushButton(tr('重新载入'))
        reload_button.setObjectName("primary")
        buttons.addButton(reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.compare_button = QPushButton(tr('查看差异'))
        self.compare_button.setEnabled(bool(rows))
        self.compare_button.clicked.connect(self.differences.show)
        buttons.addButton(self.compare_button, QDialogButtonBox.ButtonRole.ActionRole)
        keep = QPushButton(tr('继续修改'))
        buttons.addButton(keep, QDialogButtonBox.ButtonRole.RejectRole)
        reload_button.clicked.connect(lambda: self.done(self.RELOAD))
        keep.clicked.connect(lambda: self.done(self.KEEP_EDITING))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.differences)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        message: str,
        mine: Mapping[str, str] | None = None,
        theirs: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> int:
        return cls(message, mine, theirs, labels, parent).exec()
