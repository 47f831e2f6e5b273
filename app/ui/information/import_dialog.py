"""导入信息台账: a year's items and research articles kept in Excel brought in at once, all or nothing, with the issues
of 《政务信息》 they were compiled into and their adoptions; every bad row listed with its row number and what to fix
(all of them, however many), so the editor corrects the sheet and imports it again; the template to fill in.

ImportDialog(ctx, actor, parent=None): after exec(), ``imported`` holds what was made (None if nothing); the
dialog is accepted once something was imported. save_template(parent) saves the template where the user chooses
(the page's 保存导入模板… action).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.information.ledger_sheet import COLUMNS, REQUIRED, SheetProblems
from app.services.information.ledger_import import ImportResult, import_items, template_sheet
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import ask_excel_file, ask_open_file
from app.ui.widgets.screen import fit_to_screen


def write_file(target: Path, content: bytes) -> None:
    """The file written whole, or not at all: a half-written file never takes the target's name."""
    partial = target.with_name(target.stem + ".partial" + target.suffix)
    try:
        partial.write_bytes(content)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise GovDeskError(
            tr("无法保存到“{0}”：{1}。请换一个文件夹，或先关闭已在Excel中打开的同名文件").format(
                target, error.strerror or error)
        ) from error


def save_template(parent: QWidget, name: str | None = None) -> Path | None:
    """保存导入模板: the ledger's header and an example row, saved where the user chooses; None if cancelled or it
    could not be saved (the user is told why). ``name``: the file name offered."""
    target = ask_excel_file(parent, name or tr("信息台账导入模板.xlsx"))
    if target is None:
        return None
    try:
        write_file(target, template_sheet())
    except GovDeskError as error:
        show_error(parent, error)
        return None
    inform(parent, tr("模板已保存"), tr("模板已保存到“{0}”。示例一行请改成实际的稿件，或删去后再填写。").format(target))
    return target


def result_text(made: ImportResult) -> str:
    """What an import made, as the dialog and its message say it."""
    parts = [tr("政务信息{0}条、调研文章{1}篇").format(made.items, made.articles)]
    if made.issues:
        parts.append(tr("新建已印发的《政务信息》{0}期").format(made.issues))
    if made.adoptions:
        parts.append(tr("上级采用{0}次，计{1}分").format(made.adoptions, made.points))
    return tr("已导入{0}篇稿件：{1}。编入期号的已编入期刊，其余已存档。").format(made.total, tr("；").join(parts))


def result_lines(made: ImportResult) -> list[str]:
    """What an import made, a line each, as the dialog's list shows it."""
    return [
        tr("政务信息：{0}条").format(made.items),
        tr("调研文章：{0}篇").format(made.articles),
        tr("新建已印发的《政务信息》：{0}期").format(made.issues),
        tr("上级采用：{0}次，计{1}分").format(made.adoptions, made.points),
    ]


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.imported: ImportResult | None = None
        self.setWindowTitle(tr("导入信息台账"))
        fit_to_screen(self, (780, 540), (560, 420))
        required = tr("、").join(c for c in COLUMNS if c in REQUIRED)
        self.intro = QLabel(tr(
            "表格第一行是列名：{0}（顺序不限，可以有序号、备注列）。其中{1}必填；类型填“信息”或“调研文章”，空着的按信息。\n"
            "填了编入期号（如8或第8期）的，编入报送日期那一年的该期《政务信息》，程序中没有的新建为已印发；其余存档。\n"
            "采用单位、采用层级（市级、省级或国家级）、采用日期三项要么都填、要么都空着，按现行分值计分。\n"
            "任何一行有问题，全部不导入，并在下面列出每一行要改的地方。"
        ).format(tr("、").join(COLUMNS), required))
        self.intro.setWordWrap(True)
        self.status = QLabel(tr("请选择要导入的信息台账（Excel 工作簿 .xlsx）。"))
        self.status.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setAlternatingRowColors(True)
        self.template_button = QPushButton(tr("保存导入模板…"))
        self.template_button.clicked.connect(lambda: save_template(self))
        self.choose_button = QPushButton(tr("选择表格并导入…"))
        self.choose_button.setObjectName("primary")
        self.choose_button.clicked.connect(self.choose)
        self.close_button = QPushButton(tr("关闭"))
        self.close_button.clicked.connect(self.finish)
        for button in (self.template_button, self.choose_button, self.close_button):
            # Enter in the list must not import again.
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def choose(self) -> None:
        path = ask_open_file(self, tr("选择信息台账"), tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
        if path is not None:
            self.import_file(path)

    def finish(self) -> None:
        if self.imported is not None:
            self.accept()
        else:
            self.reject()

    def _show_problems(self, head: str, lines: list[str]) -> None:
        self.status.setText(head)
        self.status.setStyleSheet("color: #B00020;")
        self.problems.clear()
        for line in lines:
            self.problems.addItem(QListWidgetItem(line))

    def import_file(self, path: Path) -> bool:
        """Imports the file; on a refusal the list names every bad row and the dialog stays open to try again."""
        try:
            data = path.read_bytes()
        except OSError:
            show_error(self, GovDeskError(tr("无法读取“{0}”，请确认文件还在、没有被其他程序占用").format(path.name)))
            return False
        ctx, actor = self.ctx, self.actor

        def work() -> ImportResult:
            with ctx.uow() as uow:
                return import_items(uow, actor, data, file_name=path.name)

        try:
            made = db_call(self, work)
        except SheetProblems as problems:
            lines = problems.lines()
            self._show_problems(
                tr("“{0}”中有{1}行有问题，未导入任何稿件。请在表格中改正以下各行后重新导入：").format(path.name, len(lines)),
                lines)
            return False
        except GovDeskError as error:
            self._show_problems(tr("未导入任何稿件："), [error.message])
            return False
        self.imported = made
        self.problems.clear()
        for line in result_lines(made):
            self.problems.addItem(QListWidgetItem(line))
        self.status.setStyleSheet("")
        self.status.setText(result_text(made))
        self.choose_button.setEnabled(False)
        self.close_button.setText(tr("完成"))
        inform(self, tr("导入完成"), result_text(made))
        return True
