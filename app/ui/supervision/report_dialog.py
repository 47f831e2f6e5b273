"""The small dialogs of an item: a unit's report (进展, 协办情况, 办结报告) with its files, and 重新打开 with the
reason and, where the deadline has passed, a new one. The window sets ``work``, the service call: a refusal
goes beside its field and everything typed stays."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ValidationError
from app.services.supervision.items import ItemInfo
from app.ui.i18n import tr
from app.ui.widgets.qt_helpers import date_edit, to_date, to_qdate
from app.ui.widgets.step_dialog import StepDialog

# A report's files are read when it is sent; one this large would not pass the attachment limit anyway.
MAX_READ_BYTES = 200 * 1024 * 1024


class _ItemDialog(StepDialog):
    """The record windows' small step dialog (app.ui.widgets.step_dialog), as wide as a report needs; note
    the arguments' order: (parent, title, summary, ok_text)."""

    def __init__(self, parent: QWidget | None, title: str, summary: str, ok_text: str) -> None:
        super().__init__(title, summary, ok_text, parent, min_width=560)


class ReportDialog(_ItemDialog):
    def __init__(self, parent: QWidget | None, title: str, hint: str, item_title: str, *,
                 files_required: bool = False) -> None:
        super().__init__(parent, title, tr("督办事项：{0}").format(item_title), tr("报送"))
        self.files_required = files_required
        self.body_text = QPlainTextEdit()
        self.body_text.setPlaceholderText(hint)
        self.body_text.setMinimumHeight(140)
        self.file_list = QListWidget()
        self.file_list.setFixedHeight(90)
        self.paths: list[Path] = []
        add = QPushButton(tr("添加文件…"))
        add.clicked.connect(self.add_files)
        remove = QPushButton(tr("移除"))
        remove.clicked.connect(self.remove_file)
        files = QWidget()
        column = QVBoxLayout(files)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.file_list)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        column.addLayout(row)
        self.form.add("text", tr("报送内容"), self.body_text, required=True)
        self.form.add("attachments", tr("附件材料"), files, required=False,
                      hint=tr("办结报告须附佐证材料") if files_required else tr("可附文件、照片等材料，可不附"))

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("选择材料文件"), str(Path.home()), tr("所有文件 (*)"))
        for name in paths:
            path = Path(name)
            if path not in self.paths:
                self.paths.append(path)
                self.file_list.addItem(path.name)

    def remove_file(self) -> None:
        row = self.file_list.currentRow()
        if 0 <= row < len(self.paths):
            self.paths.pop(row)
            self.file_list.takeItem(row)

    def text(self) -> str:
        return self.body_text.toPlainText()

    def files(self) -> list[tuple[str, bytes]]:
        """The chosen files' contents, read now; a file gone or unreadable is named, and nothing is sent."""
        if self.files_required and not self.paths:
            raise ValidationError(tr("办结报告须附上佐证材料，请点“添加文件…”选择"), field="attachments")
        found: list[tuple[str, bytes]] = []
        for path in self.paths:
            try:
                if path.stat().st_size > MAX_READ_BYTES:
                    raise ValidationError(tr("“{0}”太大，请压缩后再添加").format(path.name), field="attachments")
                found.append((path.name, path.read_bytes()))
            except OSError:
                raise ValidationError(tr("无法读取“{0}”，请确认文件还在、没有被其他程序占用").format(path.name),
                                      field="attachments") from None
        return found


class ReopenDialog(_ItemDialog):
    def __init__(self, parent: QWidget | None, info: ItemInfo) -> None:
        super().__init__(parent, tr("重新打开督办事项"),
                         tr("{0}　{1}\n重新打开后事项回到“督办落实”，牵头单位收到新的任务，进展报告重新开始。").format(
                             info.number, info.title), tr("重新打开"))
        self.reason_text = QPlainTextEdit()
        self.reason_text.setPlaceholderText(tr("如：问题出现反弹，需继续整改"))
        self.reason_text.setFixedHeight(90)
        self.passed = info.deadline < date.today()
        self.deadline = date_edit(to_qdate(max(info.deadline, date.today() + timedelta(days=15))))
        self.form.add("reason", tr("重新打开的理由"), self.reason_text, required=True)
        self.form.add("deadline", tr("新的办结时限"), self.deadline, required=self.passed,
                      hint=tr("原办结时限已过，请填写新的办结时限") if self.passed else tr("如不需要调整，保持原时限即可"))

    def reason(self) -> str:
        return self.reason_text.toPlainText()

    def new_deadline(self) -> date | None:
        return to_date(self.deadline.date())
