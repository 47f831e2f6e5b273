"""预算 through the widgets: finance staff add, change and delete a budget; errors sit beside their fields;
leaders may look; anyone else is told whom to ask instead of seeing a table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.core.roles import Role
from app.services.claims import budgets
from app.services.kernel.actor import Actor
from app.ui.claims import budgets_tab
from app.ui.claims.budgets_tab import BudgetDialog, BudgetsTab
from tests.helpers import add_user
from tests.helpers.ui import Office

YEAR = date.today().year


@pytest.fixture
def finance(office: Office) -> Actor:
    return add_user(office.ctx, "finance", [Role.FINANCE], office.unit_id, "王会计")


def shown_tab(qtbot: QtBot, office: Office, actor: Actor) -> BudgetsTab:
    tab = BudgetsTab(office.ctx, actor)
    qtbot.addWidget(tab)
    tab.resize(1200, 720)
    tab.show()
    tab.refresh()
    return tab


def fill_and_save(dialog: BudgetDialog, unit_id: int | None, category: str | None, amount: str) -> bool:
    """What a user does in the dialog: pick, type, press 保存. Returns whether the dialog closed saved."""
    if unit_id is not None:
        dialog.unit.setCurrentIndex(dialog.unit.findData(unit_id))
    if category is not None:
        dialog.category.setCurrentIndex(dialog.category.findData(category))
    dialog.amount.setText(amount)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Save).click()
    return dialog.result() == QDialog.DialogCode.Accepted


def cell(tab: BudgetsTab, row: int, column: int) -> str:
    item = tab.table.item(row, column)
    assert item is not None
    return item.text()


def test_finance_adds_edits_and_deletes_a_budget(
    qtbot: QtBot, office: Office, finance: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = shown_tab(qtbot, office, finance)
    assert tab.stack.currentIndex() == budgets_tab.EMPTY_PAGE
    assert tab.empty_button.isVisible()

    # 新增预算: the dialog is filled in as a user would and saved.
    monkeypatch.setattr(BudgetDialog, "exec", lambda self: fill_and_save(self, office.unit_id, "办公费", "20,000"))
    tab.new_button.click()
    assert tab.stack.currentIndex() == budgets_tab.TABLE_PAGE
    assert [cell(tab, 0, c) for c in range(5)] == ["秘书股", "办公费", "20,000.00", "0.00", "20,000.00"]
    with office.ctx.uow() as uow:
        (stored,) = budgets.list_budgets(uow, finance, YEAR)
    assert stored.amount == Decimal("20000.00")

    # 修改: only the amount can change; the department and category stay fixed.
    seen: list[tuple[bool, bool, str]] = []

    def change(dialog: BudgetDialog) -> bool:
        seen.append((dialog.unit.isEnabled(), dialog.category.isEnabled(), dialog.amount.text()))
        return fill_and_save(dialog, None, None, "25000.50")

    monkeypatch.setattr(BudgetDialog, "exec", change)
    tab.table.selectRow(0)
    tab.edit_button.click()
    assert seen == [(False, False, "20000")]
    assert cell(tab, 0, 2) == "25,000.50"
    with office.ctx.uow() as uow:
        assert budgets.list_budgets(uow, finance, YEAR)[0].amount == Decimal("25000.50")

    # 删除, after confirming.
    asked: list[str] = []

    def agree(parent: object, title: str, text: str, *args: object) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(budgets_tab, "confirm", agree)
    tab.table.selectRow(0)
    tab.delete_button.click()
    assert asked and "办公费" in asked[0] and "25,000.50" in asked[0]
    assert tab.stack.currentIndex() == budgets_tab.EMPTY_PAGE
    with office.ctx.uow() as uow:
        assert budgets.list_budgets(uow, finance, YEAR) == []


def test_a_bad_amount_shows_beside_its_field_and_nothing_typed_is_lost(
    qtbot: QtBot, office: Office, finance: Actor
) -> None:
    dialog = BudgetDialog(office.ctx, finance, YEAR, [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not fill_and_save(dialog, office.unit_id, "差旅费", "一万元")
    assert dialog.form.error_text("amount") == "预算金额：金额格式不正确，请输入数字，最多两位小数"
    assert dialog.form.error_text("unit_id") == "" and dialog.form.error_text("category") == ""
    assert (dialog.unit.currentData(), dialog.category.currentData(), dialog.amount.text()) == (
        office.unit_id, "差旅费", "一万元")

    assert not fill_and_save(dialog, None, None, "0")
    assert "必须大于零" in dialog.form.error_text("amount")

    dialog.unit.setCurrentIndex(0)  # 请选择部门
    assert not fill_and_save(dialog, None, None, "8000")
    assert dialog.form.error_text("unit_id") == "请选择部门"
    assert dialog.form.error_text("amount") == ""

    assert fill_and_save(dialog, office.unit_id, None, "8000")
    assert dialog.saved is not None and dialog.saved.amount == Decimal("8000.00")


def test_a_new_budget_never_silently_replaces_one_that_exists(qtbot: QtBot, office: Office, finance: Actor) -> None:
    with office.ctx.uow() as uow:
        budgets.set_budget(uow, finance, year=YEAR, unit_id=office.unit_id, category="会议费", amount="3000")
    tab = shown_tab(qtbot, office, finance)
    dialog = BudgetDialog(office.ctx, finance, YEAR, tab.rows)
    qtbot.addWidget(dialog)
    assert not fill_and_save(dialog, office.unit_id, "会议费", "9000")
    assert "已有预算 3,000.00 元" in dialog.form.error_text("category")
    with office.ctx.uow() as uow:
        assert budgets.list_budgets(uow, finance, YEAR)[0].amount == Decimal("3000.00")


def test_over_budget_left_is_red(qtbot: QtBot, office: Office, finance: Actor) -> None:
    from app.core.claims import LineInput
    from app.services.claims import records as claims

    with office.ctx.uow() as uow:
        budgets.set_budget(uow, finance, year=YEAR, unit_id=office.unit_id, category="差旅费", amount="1000")
    with office.ctx.uow() as uow:
        claims.create_claim(
            uow, office.clerk,
            claims.ClaimInput(office.unit_id, date.today(), [LineInput("赴省里培训的交通费", "差旅费", "1200")], 2),
            submit=True,
        )
    tab = shown_tab(qtbot, office, finance)
    assert [cell(tab, 0, c) for c in (3, 4)] == ["1,200.00", "-200.00"]
    left = tab.table.item(0, 4)
    assert left is not None and left.foreground().color().name().upper() == "#C0392B"
    assert "超出预算 200.00 元" in left.toolTip()
    assert "1 条已超出预算" in tab.summary.text()
    assert tab.table.item(0, 2).textAlignment() & Qt.AlignmentFlag.AlignRight  # type: ignore[union-attr]


def test_leaders_may_look_but_not_change(qtbot: QtBot, office: Office) -> None:
    tab = shown_tab(qtbot, office, office.lead)  # 副主任
    assert tab.stack.currentIndex() == budgets_tab.EMPTY_PAGE
    assert not tab.new_button.isVisible() and not tab.empty_button.isVisible()
    assert tab.view_only.isVisible() and "由财务人员办理" in tab.view_only.text()


def test_plain_staff_see_an_explanation_not_the_table(qtbot: QtBot, office: Office, finance: Actor) -> None:
    with office.ctx.uow() as uow:
        budgets.set_budget(uow, finance, year=YEAR, unit_id=office.unit_id, category="办公费", amount="5000")
    tab = shown_tab(qtbot, office, office.clerk)
    assert tab.stack.currentIndex() == budgets_tab.REFUSED_PAGE
    assert not tab.table.isVisible()
    assert "没有查看预算的权限" in tab.refused_label.text() and "请联系财务人员" in tab.refused_label.text()
    assert not tab.top_bar.isVisible()
