"""导入信访台账: a ledger kept in Excel registered as cases in one step, all or nothing; the template to fill in;
every bad row listed with its row number and what to fix (all of them, however many), so the officer corrects the
sheet and imports it again.

PetitionImportDialog(ctx, actor, parent=None): after exec(), ``imported`` holds what was made (None if nothing).
save_ledger_template(parent) saves the template where the user chooses (the page's 保存导入模板 action).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.petitions.ledger_sheet import COLUMNS, REQUIRED, SheetProblems
from app.services.kernel.actor import Actor
from app.services.petitions.ledger import ledger_template
from app.services.petitions.ledger_import import ImportedPetitions, import_petitions
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


def save_ledger_template(parent: QWidget) -> Path | None:
    """保存导入模板: the import's header and an example row, saved where the user chooses; None if cancelled or
    it could not be saved (the user is told why)."""
    target = ask_excel_file(parent, tr("信访件导入模板.xlsx"))
    if target is None:
        return None
    try:
        write_file(target, ledger_template())
    except GovDeskError as error:
        show_error(parent, error)
        return None
    inform(parent, tr("模板已保存"), tr("模板已保存到“{0}”。示例一行请改成实际的信访件，或删去后再填写。").format(target))
    return target


def problems_text(problems: SheetProblems) -> str:
    """Every bad row, each on its line (the service's message stops at 50; the officer needs them all)."""
    head = tr("表格中有{0}处问题，未导入任何信访件。请在表格中改正以下各行后重新导入：").format(len(problems.problems))
    return "\n".join([head, *(str(p) for p in problems.problems)])


class PetitionImportDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.imported: ImportedPetitions | None = None
        self.setWindowTitle(tr("导入信访台账"))
        fit_to_screen(self, (760, 520), (560, 420))
        required = tr("、").join(c for c in COLUMNS if c in REQUIRED)
        self.intro = QLabel(tr(
            "表格第一行是列名：{0}（顺序不限，不能有其他列）。\n其中{1}必填；身份证号、联系电话、住址至少填一项；"
            "信访方式可写成“来电（24365热线）”。\n每一件都登记在“登记”环节，由您负责（首问负责）；"
            "与已有信访件或表中前面各行重复的，标记为重复信访并关联。\n任何一行有问题，全部不导入，并列出每一行要改的地方。"
        ).format(tr("、").join(COLUMNS), required))
        self.intro.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setPlaceholderText(tr("导入中发现的问题会列在这里"))
        self.template_button = QPushButton(tr("保存导入模板…"))
        self.template_button.clicked.connect(lambda: save_ledger_template(self))
        self.choose_button = QPushButton(tr("选择表格并导入…"))
        self.choose_button.setObjectName("primary")
        self.choose_button.clicked.connect(self.choose)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        for button in (self.template_button, self.choose_button, close):
            # Enter in the problems box must not import again.
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def choose(self) -> None:
        path = ask_open_file(self, tr("选择信访台账"), tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        """Imports the file; on a refusal the problems box says what to fix and the dialog stays open."""
        try:
            data = path.read_bytes()
        except OSError:
            show_error(self, GovDeskError(tr("无法读取“{0}”，请确认文件还在、没有被其他程序占用").format(path.name)))
            return False
        ctx, actor = self.ctx, self.actor

        def work() -> ImportedPetitions:
            with ctx.uow() as uow:
                return import_petitions(uow, actor, data, path.name)

        try:
            self.imported = db_call(self, work)
        except SheetProblems as problems:
            self.problems.setPlainText(problems_text(problems))
            return False
        except GovDeskError as error:
            self.problems.setPlainText(error.message)
            return False
        made = self.imported
        shown = tr("、").join(made.numbers[:3]) + (tr("等") if made.count > 3 else "")
        repeated = tr("，其中{0}件为重复信访，已与原件关联").format(made.repeats) if made.repeats else ""
        inform(self, tr("导入完成"), tr("已导入{0}件信访件（{1}）{2}，均在“登记”环节，请在15日内决定受理、交办或转送。").format(
            made.count, shown, repeated))
        self.accept()
        return True
