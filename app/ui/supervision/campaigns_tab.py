"""综合督查: the campaigns of a year and what each found; a finding becomes a 督办事项 in one action (the register
form opens filled in from it), and the finding then names its item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.supervision.classes import FINDING_SOURCE, PRIORITY_CLASSES
from app.services.kernel.actor import Actor
from app.services.supervision import campaigns
from app.services.supervision.campaigns import CampaignInfo, FindingInfo, FindingInput
from app.services.supervision.items import REGISTRARS, ItemInput
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import date_edit, to_date
from app.ui.widgets.screen import fit_to_screen
from app.ui.widgets.units import read_units


class CampaignsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, on_item: Callable[[int], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.on_item = ctx, actor, on_item
        self.found: list[CampaignInfo] = []
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setSuffix(tr("年"))
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.record_button = QPushButton(action_icon("new"), tr("记录督查…"))
        self.record_button.clicked.connect(self.record)
        self.to_item_button = QPushButton(action_icon("new"), tr("转为督办事项…"))
        self.to_item_button.setToolTip(tr("把选中的问题登记为督办事项，事项来源为“综合督查”"))
        self.to_item_button.clicked.connect(self.finding_to_item)
        registrar = actor.has(*REGISTRARS)
        self.record_button.setVisible(registrar)
        self.to_item_button.setVisible(registrar)
        controls = QHBoxLayout()
        controls.addWidget(self.year)
        controls.addStretch(1)
        controls.addWidget(self.record_button)
        controls.addWidget(self.to_item_button)
        self.campaign_table = plain_table()
        self.campaign_table.itemSelectionChanged.connect(self.show_findings)
        self.findings = plain_table()
        self.findings.cellDoubleClicked.connect(lambda row, _c: self.open_item_of(row))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.campaign_table)
        split.addWidget(self.findings)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        ctx, actor, year = self.ctx, self.actor, self.year.value()

        def read() -> list[CampaignInfo]:
            with ctx.uow() as uow:
                return campaigns.list_campaigns(uow, actor, year)

        try:
            self.found = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return
        fill_table(self.campaign_table, [tr("督查名称"), tr("时间"), tr("发现问题"), tr("已转督办"), tr("记录人")], [
            [c.title, f"{cn_date(c.starts_on)}—{cn_date(c.ends_on)}", str(len(c.findings)),
             str(sum(1 for f in c.findings if f.item_id)), c.created_by_name] for c in self.found
        ])
        _stretch(self.campaign_table, 0)
        if self.found:
            self.campaign_table.selectRow(0)
        self.show_findings()

    def current(self) -> CampaignInfo | None:
        row = self.campaign_table.currentRow()
        return self.found[row] if 0 <= row < len(self.found) else None

    def show_findings(self) -> None:
        campaign = self.current()
        rows = campaign.findings if campaign else ()
        fill_table(self.findings, [tr("序号"), tr("发现的问题"), tr("责任单位"), tr("督办事项")], [
            [str(f.position + 1), f.text, f.unit_name or "—", f.item_number or tr("未转督办")] for f in rows
        ])
        _stretch(self.findings, 1)

    def current_finding(self) -> FindingInfo | None:
        campaign = self.current()
        row = self.findings.currentRow()
        if campaign is None or not 0 <= row < len(campaign.findings):
            return None
        return campaign.findings[row]

    def open_item_of(self, row: int) -> None:
        campaign = self.current()
        if campaign is not None and 0 <= row < len(campaign.findings) and campaign.findings[row].item_id:
            self.on_item(int(campaign.findings[row].item_id or 0))

    def record(self) -> None:
        dialog = CampaignDialog(self.ctx, self.actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def finding_to_item(self) -> None:
        finding = self.current_finding()
        if finding is None:
            show_error(self, GovDeskError(tr("请先在下方选中一个发现的问题")))
            return
        if finding.item_id:
            self.on_item(finding.item_id)
            return
        from app.ui.supervision.editor import FindingItemEditor

        preset = ItemInput(source=FINDING_SOURCE, title=finding.text[:60], requirement=finding.text,
                           lead_unit_id=finding.unit_id, co_unit_ids=[], responsible_id=None, priority=PRIORITY_CLASSES[1].label,
                           deadline=None)
        try:
            editor = FindingItemEditor(self.ctx, self.actor, finding.id, preset, finding.text, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        if editor.exec() == QDialog.DialogCode.Accepted and editor.saved is not None:
            self.refresh()
            self.on_item(editor.saved.id)


def _stretch(table: QTableWidget, column: int) -> None:
    """The text column takes the width left; the others are as wide as their contents."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for index in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if index == column else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(index, mode)


class CampaignDialog(FormDialog):
    """记录一次综合督查: its name, dates, scope, and one finding a line (with its unit where one is picked)."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.setWindowTitle(tr("记录综合督查"))
        fit_to_screen(self, (760, 620), (600, 480))
        units = read_units(parent, ctx, actor)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(tr("如：2026年第三季度安全生产综合督查"))
        self.starts = date_edit()
        self.ends = date_edit()
        today = date.today()
        from app.ui.widgets.qt_helpers import to_qdate

        self.starts.setDate(to_qdate(today))
        self.ends.setDate(to_qdate(today))
        self.scope = QPlainTextEdit()
        self.scope.setFixedHeight(70)
        self.findings = QTableWidget(6, 2)
        self.findings.setHorizontalHeaderLabels([tr("发现的问题"), tr("责任单位")])
        self.findings.horizontalHeader().setStretchLastSection(False)
        self.findings.setColumnWidth(0, 420)
        self.findings.setColumnWidth(1, 180)
        self.unit_choices = [(tr("（不指定）"), None)] + [(u.name, u.id) for u in units]
        for row in range(self.findings.rowCount()):
            self._unit_cell(row)
        add_row = QPushButton(tr("增加一行"))
        add_row.clicked.connect(self._add_row)
        self.form = FormGrid(pairs=True)
        self.form.add("title", tr("督查名称"), self.title_edit, required=True, wide=True)
        self.form.add("starts_on", tr("开始日期"), self.starts, required=True)
        self.form.add("ends_on", tr("结束日期"), self.ends, required=True)
        self.form.add("scope", tr("督查范围和内容"), self.scope, wide=True)
        self.form.add("findings", tr("发现的问题"), self.findings, wide=True)
        self.lay_out(self.form, add_row, save_text=tr("保存"))

    def _unit_cell(self, row: int) -> None:
        combo = QComboBox()
        for text, value in self.unit_choices:
            combo.addItem(text, value)
        self.findings.setCellWidget(row, 1, combo)

    def _add_row(self) -> None:
        row = self.findings.rowCount()
        self.findings.insertRow(row)
        self._unit_cell(row)

    def finding_inputs(self) -> list[FindingInput]:
        found: list[FindingInput] = []
        for row in range(self.findings.rowCount()):
            item = self.findings.item(row, 0)
            text = item.text() if item is not None else ""
            combo = self.findings.cellWidget(row, 1)
            unit = combo.currentData() if isinstance(combo, QComboBox) else None
            if text.strip():
                found.append(FindingInput(text, unit))
        return found

    def _save(self) -> None:
        ctx, actor = self.ctx, self.actor
        title, scope = self.title_edit.text(), self.scope.toPlainText()
        starts, ends, findings = to_date(self.starts.date()), to_date(self.ends.date()), self.finding_inputs()

        def work() -> CampaignInfo:
            with ctx.uow() as uow:
                return campaigns.record_campaign(uow, actor, title, scope, starts, ends, findings)

        db_call(self, work)
