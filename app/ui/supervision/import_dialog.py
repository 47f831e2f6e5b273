"""导入分解表: the year's targets from an .xlsx sheet in one step, all or nothing; a template to fill in; every bad
row listed with its row number and what to fix, so the clerk corrects the sheet and imports it again."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.supervision.ledger_sheet import COLUMNS, SheetProblems
from app.services.kernel.actor import Actor
from app.services.supervision.sheet import SheetImport, import_items
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.excel import ExcelSheet, export_workbook, new_workbook
from app.ui.widgets.messages import inform, show_error
from app.ui.widgets.qt_helpers import ask_excel_file, ask_open_file
from app.ui.widgets.screen import fit_to_screen


def examples() -> list[tuple[object, ...]]:
    """The template's example rows: what each column takes, in the office's own words."""
    this_year_end = date(date.today().year, 12, 31)
    return [
        (1, tr("政府工作报告"), tr("新建城区公共停车位500个"), tr("年内建成并投入使用，按季度报送进度"), tr("县住建局"),
         tr("县财政局、县自然资源局"), "", tr("重点督办"), this_year_end),
        (2, tr("常务会议决定事项"), tr("完成老旧小区改造12个"), tr("9月底前全部完工"), tr("县住建局"), "", "",
         tr("定期督办"), date.today() + timedelta(days=120)),
    ]


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.imported: SheetImport | None = None
        self.setWindowTitle(tr("导入目标任务分解表"))
        fit_to_screen(self, (720, 520), (560, 420))
        intro = QLabel(tr(
            "表格第一行是列名：{0}。\n其中事项来源、事项名称、牵头单位、督办类别、办结时限必填；多个协办单位用顿号隔开；"
            "责任人不填时由您负责。\n任何一行有问题，全部不导入，并列出每一行要改的地方。").format(tr("、").join(COLUMNS)))
        intro.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setPlaceholderText(tr("导入中发现的问题会列在这里"))
        template = QPushButton(tr("保存导入模板…"))
        template.clicked.connect(self.save_template)
        choose = QPushButton(tr("选择表格并导入…"))
        choose.setObjectName("primary")
        choose.clicked.connect(self.choose)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(template)
        buttons.addStretch(1)
        buttons.addWidget(choose)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def save_template(self) -> None:
        target = ask_excel_file(self, tr("督办事项导入模板.xlsx"))
        if target is None:
            return
        book = new_workbook()
        sheet = ExcelSheet(book, tr("目标任务分解表"), COLUMNS)
        sheet.extend(examples())
        if export_workbook(self, book, [sheet], target):
            inform(self, tr("模板已保存"), tr("模板已保存到“{0}”。示例的两行请改成实际事项，或删去后再填写。").format(target))

    def choose(self) -> None:
        path = ask_open_file(self, tr("选择目标任务分解表"), tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        try:
            data = path.read_bytes()
        except OSError:
            show_error(self, GovDeskError(tr("无法读取“{0}”，请确认文件还在、没有被其他程序占用").format(path.name)))
            return False
        ctx, actor = self.ctx, self.actor

        def work() -> SheetImport:
            with ctx.uow() as uow:
                return import_items(uow, actor, data, path.name)

        try:
            self.imported = db_call(self, work)
        except SheetProblems as problems:
            self.problems.setPlainText(problems.message)
            return False
        except GovDeskError as error:
            self.problems.setPlainText(error.message)
            return False
        numbers = self.imported.numbers
        shown = tr("、").join(numbers[:3]) + (tr("等") if len(numbers) > 3 else "")
        inform(self, tr("导入完成"), tr("已导入{0}项督办事项（{1}），均在“立项”环节，请责任人核对后交办。").format(
            self.imported.count, shown))
        self.accept()
        return True
