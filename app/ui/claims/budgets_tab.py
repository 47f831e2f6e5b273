"""Departments' yearly budgets per expense category: what was set, what submitted claims have used, and
what is left. Finance staff and the administrator set them; the office's leaders may look."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.claims import CATEGORIES
from app.core.errors import GovDeskError, PermissionDenied, ServerUnavailable, ValidationError, WorkCancelled
from app.core.money import format_amount
from app.services.claims import budgets
from app.services.claims.budgets import BUDGET_ROLES, BudgetRow
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.theme import MUTED, URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import confirm, inform, show_error
from app.ui.widgets.qt_helpers import empty_state_label, icon_button, pick_list_table
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.units import read_units

COLUMNS = (
    QT_TRANSLATE_NOOP("GovDesk", '部门'),
    QT_TRANSLATE_NOOP("GovDesk", '费用类别'),
    QT_TRANSLATE_NOOP("GovDesk", '预算金额（元）'),
    QT_TRANSLATE_NOOP("GovDesk", '已用（已提交的报销单）'),
    QT_TRANSLATE_NOOP("GovDesk", '剩余（元）'),
)
COLUMN_WIDTHS = (260, 200, 150, 220, 150)
AMOUNT_COLUMNS = (2, 3, 4)
LEFT_COLUMN = 4
MIN_YEAR, MAX_YEAR = 2000, 2100
TABLE_PAGE, EMPTY_PAGE, REFUSED_PAGE = 0, 1, 2


def plain_amount(value: Decimal) -> str:
    """An amount as it would be typed back in: 50000, or 50000.50."""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


class BudgetDialog(FormDialog):
    """Adds a budget, or changes the amount of one. A department and category are fixed once a budget exists:
    the service keys a budget by them, so changing them would make a second budget, not move this one."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        year: int,
        existing: list[BudgetRow],
        row: BudgetRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.row = ctx, actor, row
        self.existing = existing
        self.saved: BudgetRow | None = None
        self.setWindowTitle(tr('修改预算') if row else tr('新增预算'))
        self.setMinimumWidth(600)
        fit_when_shown(self)

        # Not shown yet: the wait, if any, is shown over the tab that opens the dialog.
        units = read_units(parent, ctx, actor)
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(row.year if row else year)
        self.year.setSuffix(tr(' 年'))
        self.year.setEnabled(row is None)
        self.unit = QComboBox()
        self.unit.addItem(tr('请选择部门'), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        self.category = QComboBox()
        self.category.addItem(tr('请选择类别'), "")
        for name in CATEGORIES:
            self.category.addItem(name, name)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(tr('如 50000 或 50,000.00'))
        if row is not None:
            self.unit.setCurrentIndex(max(0, self.unit.findData(row.unit_id)))
            self.category.setCurrentIndex(max(0, self.category.findData(row.category)))
            self.amount.setText(plain_amount(row.amount))
            self.unit.setEnabled(False)
            self.category.setEnabled(False)
        self.form = FormGrid()
        self.form.add("year", tr('预算年度'), self.year, required=True)
        self.form.add("unit_id", tr('部门'), self.unit, required=True)
        self.form.add("category", tr('费用类别'), self.category, required=True,
                      hint=tr('要改部门或类别，请删除这一条后重新新增') if row else "")
        self.form.add("amount", tr('预算金额（元）'), self.amount, required=True,
                      hint=tr('全年可用于这一类别的金额；超出的报销单须经主要领导审批'))
        self.lay_out(self.form, None)
        (self.amount if row else self.unit).setFocus()

    def _save(self) -> None:
        unit_id = self.unit.currentData()
        if unit_id is None:
            raise ValidationError(tr('请选择部门'), field="unit_id")
        category = str(self.category.currentData() or "")
        if self.row is None:
            self._refuse_duplicate(int(unit_id), category)
        year, amount = self.year.value(), self.amount.text()

        def store() -> BudgetRow:
            with self.ctx.uow() as uow:
                return budgets.set_budget(
                    uow, self.actor, year=year, unit_id=int(unit_id), category=category, amount=amount)

        self.saved = db_call(self, store, saving=True)

    def _refuse_duplicate(self, unit_id: int, category: str) -> None:
        """The service would quietly replace an existing budget; a new one must not overwrite it unseen."""
        year = self.year.value()
        for row in self.existing:
            if (row.year, row.unit_id, row.category) == (year, unit_id, category):
                raise ValidationError(
                    tr('{0}{1}年的{2}已有预算 {3} 元。要改金额，请在列表中选中它，点“修改”。')
                    .format(row.unit_name, year, category, format_amount(row.amount)),
                    field="category",
                )


class BudgetsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.can_edit = actor.has(*BUDGET_ROLES)
        self.loaded = False
        self.rows: list[BudgetRow] = []
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(date.today().year)
        self.year.setSuffix(tr(' 年'))
        self.year.valueChanged.connect(lambda _value: self.refresh())
        self.new_button = icon_button("new", tr('新增预算'), self.new_budget)
        self.edit_button = icon_button("edit", tr('修改'), lambda: self._with_selected(self.edit_budget))
        self.delete_button = icon_button("delete", tr('删除'), lambda: self._with_selected(self.delete_budget))
        self.view_only = QLabel(tr('您可以查看各部门的预算执行情况；设置和修改预算由财务人员办理。'))
        self.view_only.setObjectName("hint")
        self.view_only.setWordWrap(True)
        self.top_bar = QWidget()
        top = QHBoxLayout(self.top_bar)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel(tr('预算年度：')))
        top.addWidget(self.year)
        top.addSpacing(16)
        for button in (self.new_button, self.edit_button, self.delete_button):
            button.setVisible(self.can_edit)
            top.addWidget(button)
        top.addWidget(self.view_only, 1)
        self.view_only.setVisible(not self.can_edit)
        if self.can_edit:
            top.addStretch(1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_table())
        self.stack.addWidget(self._build_empty())
        self.stack.addWidget(self._build_refused())
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.summary)

    # ----- building -------------------------------------------------------------------------------------------
    def _build_table(self) -> QTableWidget:
        self.table = pick_list_table([tr(c) for c in COLUMNS])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Widths for the 中 text size (12 pt), grown with the chosen size; the figures stay together on the left
        # rather than being pushed to the far edge of a wide window.
        scale = max(QApplication.font().pointSizeF(), 1.0) / 12
        for index, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(index, round(width * scale))
        self.table.doubleClicked.connect(lambda _index: self._with_selected(self.edit_budget))
        return self.table

    def _build_empty(self) -> QWidget:
        page = QWidget()
        self.empty_label = empty_state_label()
        self.empty_button = QPushButton(action_icon("new", "white"), tr('新增预算'))
        self.empty_button.setObjectName("primary")
        self.empty_button.clicked.connect(lambda _checked=False: self.new_budget())
        self.empty_button.setVisible(self.can_edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.empty_button)
        row.addStretch(1)
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addWidget(self.empty_label)
        column.addLayout(row)
        column.addStretch(2)
        return page

    def _build_refused(self) -> QWidget:
        page = QWidget()
        self.refused_label = empty_state_label()
        lock = QLabel()
        lock.setPixmap(action_icon("lock", MUTED).pixmap(48, 48))
        lock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addWidget(lock)
        column.addWidget(self.refused_label)
        column.addStretch(2)
        return page

    # ----- showing --------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        self.loaded = True
        year = self.year.value()

        def load() -> list[BudgetRow]:
            with self.ctx.uow() as uow:
                return budgets.list_budgets(uow, self.actor, year)

        try:
            self.rows = db_call(self, load)
        except PermissionDenied:
            self._show_refused()
            return
        except GovDeskError as error:
            show_error(self, error)
            return
        self._fill(self.rows)
        if self.rows:
            self.stack.setCurrentIndex(TABLE_PAGE)
        else:
            self.empty_label.setText(
                tr('{0}年还没有设置部门预算。设置后，报销单会显示该类别预算还剩多少，超出预算的须经主要领导审批。')
                .format(year) if self.can_edit else tr('{0}年还没有设置部门预算。').format(year)
            )
            self.stack.setCurrentIndex(EMPTY_PAGE)
        self._summarise(year)

    def _show_refused(self) -> None:
        """Budgets are for finance staff and leaders; anyone else is told so, and whom to ask."""
        self.rows = []
        self.refused_label.setText(
            tr('预算由财务人员设置和管理，办公室主任、副主任可以查看。\n'
               '您的账户没有查看预算的权限；如需了解本部门的预算执行情况，请联系财务人员。')
        )
        self.stack.setCurrentIndex(REFUSED_PAGE)
        self.top_bar.hide()
        self.summary.setText("")

    def _fill(self, rows: list[BudgetRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row.unit_name, row.category, format_amount(row.amount), format_amount(row.used),
                     format_amount(row.left)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in AMOUNT_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == LEFT_COLUMN and row.left < 0:
                    # Over budget: red, as everything that needs attention is.
                    item.setForeground(QBrush(QColor(URGENT)))
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip(tr('已超出预算 {0} 元').format(format_amount(-row.left)))
                self.table.setItem(r, c, item)

    def _summarise(self, year: int) -> None:
        if not self.rows:
            self.summary.setText("")
            return
        total = sum((r.amount for r in self.rows), Decimal("0.00"))
        used = sum((r.used for r in self.rows), Decimal("0.00"))
        over = sum(1 for r in self.rows if r.left < 0)
        text = tr('{0}年共 {1} 条预算，合计 {2} 元，已用 {3} 元').format(
            year, len(self.rows), format_amount(total), format_amount(used))
        if over:
            text += tr('；{0} 条已超出预算（剩余为红色）').format(over)
        self.summary.setText(text)

    # ----- changing -------------------------------------------------------------------------------------------
    def selected_row(self) -> BudgetRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.stack.currentIndex() != TABLE_PAGE:
            return None
        return self.rows[rows[0].row()]

    def _with_selected(self, action: Callable[[BudgetRow], None]) -> None:
        if not self.can_edit:
            return
        row = self.selected_row()
        if row is None:
            inform(self, tr('请选择预算'), tr('请先在列表中点选一条预算'))
            return
        action(row)

    def new_budget(self) -> None:
        self._edit(self.year.value(), None)

    def edit_budget(self, row: BudgetRow) -> None:
        self._edit(row.year, row)

    def _edit(self, year: int, row: BudgetRow | None) -> None:
        try:
            dialog = BudgetDialog(self.ctx, self.actor, year, self.rows, row, self)
        except GovDeskError as error:  # its units could not be read
            show_error(self, error)
            return
        if dialog.exec() and dialog.saved is not None:
            self._after_save(dialog.saved)

    def _after_save(self, saved: BudgetRow) -> None:
        if saved.year != self.year.value():
            self.year.setValue(saved.year)  # refreshes
        else:
            self.refresh()
        for r, row in enumerate(self.rows):
            if row.id == saved.id:
                self.table.selectRow(r)

    def delete_budget(self, row: BudgetRow) -> None:
        question = tr('删除{0}{1}年“{2}”的预算（{3} 元）？\n\n删除后，这一类别不再控制预算，已提交的报销单不受影响。').format(
            row.unit_name, row.year, row.category, format_amount(row.amount))
        if not confirm(self, tr('删除预算'), question, tr('删除')):
            return
        def remove() -> None:
            with self.ctx.uow() as uow:
                budgets.remove_budget(uow, self.actor, row.id)

        try:
            db_call(self, remove)
        except GovDeskError as error:
            show_error(self, error)
            if isinstance(error, ServerUnavailable | WorkCancelled):
                return  # the list stays as it was; reading it again would only wait for the server again
        self.refresh()


__all__ = ["BudgetDialog", "BudgetsTab"]
