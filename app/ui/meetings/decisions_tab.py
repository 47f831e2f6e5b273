"""议定事项: what the meeting decided, each with its 牵头单位 and 完成时限; added, changed, removed and put in order;
each becomes a 督办事项 in one action (the supervision area's register form, opened through its manifest's opener
for "meeting", filled in from the decision), and then shows the item's number and state, opening it on a click."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.areas import AreaManifest, Opener, manifests, resolve
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.services.meetings import decisions, records
from app.services.meetings.decisions import DecisionInfo, DecisionInput
from app.ui.i18n import tr
from app.ui.meetings.tab_base import RowsTab, fill_rows, selected_row, text_cell
from app.ui.theme import ACCENT, MUTED
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.display import cn_date
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.qt_helpers import date_edit, icon_button, to_date, to_qdate
from app.ui.widgets.step_dialog import StepDialog
from app.ui.widgets.units import read_units

ENTITY = "meeting"
ITEM_COLUMN = 4


def as_input(decision: DecisionInfo) -> DecisionInput:
    return DecisionInput(text=decision.text, lead_unit_id=decision.lead_unit_id, deadline=decision.deadline)


def _item_area() -> AreaManifest | None:
    """The area a decision becomes a record of: the one whose opener from a meeting takes one of its parts (公文
    opens its 纪要 from the whole meeting). Found through the manifests, never by importing the area."""
    return next((m for m in manifests() if ENTITY in m.opened_from and m.opened_from[ENTITY].per_part), None)


def item_opener(actor: Actor) -> Opener | None:
    """The supervision area's 转为督办事项… for a meeting's decision, if this user may use it."""
    area = _item_area()
    opener = area.opened_from[ENTITY] if area is not None else None
    return opener if opener is not None and actor.has(*opener.roles) else None


def item_window() -> str | None:
    """The supervision area's record window, where a decision's item opens."""
    area = _item_area()
    return next(iter(area.record_windows.values()), None) if area is not None else None


def item_number(title: str) -> str:
    """The item's number (督〔2026〕1号) from its title as the workflow shows it (number, then name); the name
    cut short where there is no number."""
    head, _, rest = title.partition(" ")
    if head[-1:] == "号" and rest:
        return head
    return title if len(title) <= 16 else title[:15] + "…"


class DecisionsTab(RowsTab):
    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, meeting_id, parent)
        self.decisions: list[DecisionInfo] = []
        self.title = ""
        organizer = actor.has(*records.ORGANIZERS)
        self.opener = item_opener(actor)
        self.add_button = icon_button("new", tr("添加议定事项…"), self.add)
        self.edit_button = icon_button("edit", tr("修改…"), self.edit)
        self.remove_button = icon_button("delete", tr("删除"), self.remove)
        self.up_button = QPushButton(tr("上移"))
        self.up_button.clicked.connect(lambda: self.move_by(-1))
        self.down_button = QPushButton(tr("下移"))
        self.down_button.clicked.connect(lambda: self.move_by(1))
        self.to_item_button = icon_button("link", self.opener.label if self.opener else tr("转为督办事项…"),
                                          self.to_item)
        self.to_item_button.setToolTip(tr("把选中的议定事项登记为督办事项，牵头单位和完成时限随之带入"))
        for button in (self.add_button, self.edit_button, self.remove_button, self.up_button, self.down_button):
            button.setVisible(organizer)
        self.to_item_button.setVisible(self.opener is not None)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button, self.up_button, self.down_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.to_item_button)
        self.lay_out(row, tr("还没有议定事项。会议研究决定的事项可点“添加议定事项…”逐条录入，再转为督办事项。"))
        self.table.cellClicked.connect(self._clicked)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        self._enable()

    def _reading(self) -> Callable[[], object]:
        return as_user(self.ctx, self.actor, decisions.decisions_view, self.meeting_id)

    def _show(self, found: object) -> None:
        assert isinstance(found, decisions.DecisionsView)
        self.title = found.title
        self.decisions = self.rows = list(found.decisions)
        chosen = self.current()
        rows = []
        for d in self.decisions:
            item_text = tr("{0}（{1}）").format(item_number(d.item_title), d.item_state_label) if d.item_id else tr(
                "未转督办")
            item_cell = text_cell(item_text, d.item_id, ACCENT if d.item_id else MUTED)
            if d.item_id:
                item_cell.setToolTip(tr("{0}\n单击打开督办事项").format(d.item_title))
                font = item_cell.font()
                font.setUnderline(True)
                item_cell.setFont(font)
            rows.append([text_cell(str(d.position + 1), d.id), text_cell(d.text), text_cell(d.lead_unit_name or "—"),
                         text_cell(cn_date(d.deadline)), item_cell])
        fill_rows(self.table, [tr("序号"), tr("议定事项"), tr("牵头单位"), tr("完成时限"), tr("督办事项")], rows, stretch=1)
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()
        converted = sum(1 for d in self.decisions if d.item_id)
        self.summary.setText(tr("共 {0} 项议定事项，已转督办 {1} 项。").format(len(self.decisions), converted)
                             if self.decisions else "")
        self.show_rows(chosen.id if chosen is not None else None)

    def current(self) -> DecisionInfo | None:
        found: DecisionInfo | None = self.chosen()
        return found

    def _enable(self) -> None:
        decision = self.current()
        for button in (self.edit_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(decision is not None)
        if decision is not None and decision.item_id:
            # It became an item: kept as it was (the service refuses a change too).
            self.edit_button.setEnabled(False)
            self.remove_button.setEnabled(False)
            self.edit_button.setToolTip(tr("已转为督办事项的议定事项不能修改或删除"))
        else:
            self.edit_button.setToolTip("")
        self.to_item_button.setEnabled(decision is not None)
        if decision is not None and decision.item_id:
            self.to_item_button.setText(tr("打开督办事项"))
        else:
            self.to_item_button.setText(self.opener.label if self.opener else tr("转为督办事项…"))

    # ----- the list, saved whole ------------------------------------------------------------------------------------
    def save(self, listed: list[DecisionInput]) -> bool:
        return self.act(decisions.save_decisions, self.meeting_id, listed)

    def add(self) -> None:
        dialog = DecisionDialog(self, self.ctx, self.actor, None)
        self._edit_in(dialog, len(self.decisions))

    def edit(self) -> None:
        row = selected_row(self.table)
        if 0 <= row < len(self.decisions):
            self._edit_in(DecisionDialog(self, self.ctx, self.actor, self.decisions[row]), row)

    def _edit_in(self, dialog: DecisionDialog, row: int) -> None:
        ctx, actor, meeting_id = self.ctx, self.actor, self.meeting_id
        before = [as_input(d) for d in self.decisions]

        def work() -> object:
            listed = list(before)
            listed[row:row + 1] = [dialog.data()]
            return as_user(ctx, actor, decisions.save_decisions, meeting_id, listed)()

        dialog.work = lambda: db_call(dialog, work, saving=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()
            self.table.selectRow(min(row, len(self.decisions) - 1))

    def remove(self) -> None:
        row = selected_row(self.table)
        if not 0 <= row < len(self.decisions):
            return
        decision = self.decisions[row]
        if confirm(self, tr("删除议定事项"), tr("删除第{0}项议定事项“{1}”？").format(row + 1, decision.text[:40]),
                   tr("删除")):
            self.save([as_input(d) for i, d in enumerate(self.decisions) if i != row])

    def move_by(self, step: int) -> None:
        row = selected_row(self.table)
        to = row + step
        if not (0 <= row < len(self.decisions) and 0 <= to < len(self.decisions)):
            return
        listed = [as_input(d) for d in self.decisions]
        listed[row], listed[to] = listed[to], listed[row]
        if self.save(listed):
            self.table.selectRow(to)

    # ----- to the supervision area ------------------------------------------------------------------------------
    def _clicked(self, row: int, column: int) -> None:
        if column == ITEM_COLUMN and 0 <= row < len(self.decisions) and self.decisions[row].item_id:
            self.open_item(int(self.decisions[row].item_id or 0))

    def _double_clicked(self, row: int, column: int) -> None:
        if column != ITEM_COLUMN and not self.edit_button.isHidden() and self.edit_button.isEnabled():
            self.edit()

    def to_item(self) -> None:
        decision = self.current()
        if decision is None:
            return
        if decision.item_id:
            self.open_item(decision.item_id)
            return
        if self.opener is None:
            return
        # What the register form starts from, read as this user: refused for a decision that became an item.
        origin = self.call(decisions.decision_origin, decision.id)
        if origin is None:
            self.reload()
            return
        try:
            dialog = resolve(self.opener.dialog)(
                self.ctx, self.actor, origin.origin, origin.title, self, source=origin.source,
                requirement=origin.requirement, lead_unit_id=origin.lead_unit_id, deadline=origin.deadline,
            )
        except GovDeskError as error:
            show_error(self, error)
            return
        if dialog.exec() == QDialog.DialogCode.Accepted and getattr(dialog, "saved", None) is not None:
            self.after_change()

    def open_item(self, item_id: int) -> None:
        reference = item_window()
        if reference is None:
            return
        try:
            window: Any = resolve(reference)(self.ctx, self.actor, item_id, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        window.exec()
        if getattr(window, "changed", False):
            self.reload()


class DecisionDialog(StepDialog):
    """One decision: what was decided, the unit that leads it, and by when (no deadline where none was set)."""

    def __init__(self, parent: QWidget, ctx: AppContext, actor: Actor, decision: DecisionInfo | None) -> None:
        super().__init__(tr("修改议定事项") if decision else tr("添加议定事项"), tr("会议研究决定的一项工作。"),
                         tr("保存"), parent, min_width=600)
        units = read_units(parent, ctx, actor)
        self.text = QPlainTextEdit(decision.text if decision else "")
        self.text.setPlaceholderText(tr("如：原则同意《县城区停车设施建设三年行动方案》，由县住建局牵头抓好落实"))
        self.text.setMinimumHeight(100)
        self.unit = QComboBox()
        self.unit.addItem(tr("（不指定）"), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        self.unit.setCurrentIndex(max(self.unit.findData(decision.lead_unit_id if decision else None), 0))
        self.has_deadline = QCheckBox(tr("有完成时限"))
        self.deadline: QDateEdit = date_edit(to_qdate(decision.deadline if decision and decision.deadline
                                                      else date.today() + timedelta(days=30)))
        self.has_deadline.setChecked(decision is None or decision.deadline is not None)
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        self.deadline.setEnabled(self.has_deadline.isChecked())
        due = QWidget()
        due_row = QHBoxLayout(due)
        due_row.setContentsMargins(0, 0, 0, 0)
        due_row.addWidget(self.has_deadline)
        due_row.addWidget(self.deadline)
        due_row.addStretch(1)
        self.form.add("text", tr("议定事项"), self.text, required=True)
        self.form.add("lead_unit_id", tr("牵头单位"), self.unit)
        self.form.add("deadline", tr("完成时限"), due)

    def data(self) -> DecisionInput:
        deadline = to_date(self.deadline.date()) if self.has_deadline.isChecked() else None
        return DecisionInput(text=self.text.toPlainText(), lead_unit_id=self.unit.currentData(), deadline=deadline)
