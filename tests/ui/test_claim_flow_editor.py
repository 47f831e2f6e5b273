"""The 报账流程 editor through its widgets: an administrator adds, moves and sets up a step and saves a new
version; a broken flow is explained and never saved; other users only look; a conflict keeps the edits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from app.core.roles import Role
from app.core.workflow.approval_chain import DEFAULT_CHAIN
from app.services.claims import flow as claim_flow
from app.services.kernel.actor import Actor
from app.ui.claims import flow_editor
from app.ui.claims.flow_editor import FlowEditorTab
from tests.helpers.ui import Office

DEFAULT_LABELS = [s.label for s in DEFAULT_CHAIN.steps]


class Messages:
    """Stands in for the editor's confirm and show_error, remembering what the user would have read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: bool = True) -> None:
        self.questions: list[str] = []
        self.errors: list[str] = []
        self.answer = answer
        monkeypatch.setattr(flow_editor, "confirm", self.confirm)
        monkeypatch.setattr(flow_editor, "show_error", self.show_error)

    def confirm(self, parent: object, title: str, text: str, *args: object) -> bool:
        self.questions.append(text)
        return self.answer

    def show_error(self, parent: object, error: BaseException, title: str = "") -> None:
        self.errors.append(str(error))


def editor(qtbot: QtBot, office: Office, actor: Actor | None = None) -> FlowEditorTab:
    tab = FlowEditorTab(office.ctx, actor or office.admin)
    qtbot.addWidget(tab)
    tab.resize(1200, 720)
    tab.show()
    tab.refresh()
    return tab


def row_of(tab: FlowEditorTab, label: str) -> int:
    for row in range(tab.table.rowCount()):
        item = tab.table.item(row, 0)
        if item is not None and item.text() == label:
            return row
    raise AssertionError(f"no row {label}")


def table_labels(tab: FlowEditorTab) -> list[str]:
    return [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]  # type: ignore[union-attr]


def stored(office: Office) -> tuple[list[str], int]:
    with office.ctx.uow() as uow:
        chain, version = claim_flow.chain_for(uow)
    return [s.label for s in chain.steps], version


def test_admin_adds_a_conditional_step_moves_it_and_saves_version_2(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = Messages(monkeypatch)
    tab = editor(qtbot, office)
    assert tab.version_label.text() == "报账流程　当前为第1版"
    assert table_labels(tab) == ["经办人填报", *DEFAULT_LABELS]
    assert not tab.dirty and not tab.discard_button.isEnabled()

    tab.table.selectRow(row_of(tab, "主要领导审批"))
    tab.add_button.click()
    new_row = row_of(tab, "新环节")
    assert new_row == row_of(tab, "主要领导审批") + 1 and tab.table.currentRow() == new_row
    tab.name_edit.setText("县领导审批")
    tab.handler_combo.setCurrentIndex(tab.handler_combo.findData(Role.COUNTY_LEADER.value))
    tab.limit_spin.setValue(4)

    # An amount that is not one: said beside the condition, kept as typed, the chart keeps its last good drawing.
    tab.amount_check.setChecked(True)
    tab.amount_edit.setText("两万")
    assert "不是有效的金额" in tab.step_form.error_text("condition")
    assert tab.amount_edit.text() == "两万"
    assert tab.problem_label.isVisible()
    tab.amount_edit.setText("20000")
    assert tab.step_form.error_text("condition") == ""
    assert not tab.problem_label.isVisible()
    row = row_of(tab, "县领导审批")
    assert [tab.table.item(row, c).text() for c in range(6)] == [  # type: ignore[union-attr]
        "县领导审批", "审核审批", "县领导", "4个工作日", "金额超过20,000元", "下一环节"]
    # The preview is redrawn from the edited list.
    assert tab.preview.layout_ is not None
    assert "县领导审批" in {n.label for n in tab.preview.layout_.nodes}

    # 上移: before 主要领导审批.
    tab.up_button.click()
    assert table_labels(tab)[4:6] == ["县领导审批", "主要领导审批"]
    assert tab.table.currentRow() == 4
    # The fixed first step's time limit is editable too.
    tab.table.selectRow(0)
    assert tab.details_stack.currentIndex() == 1
    tab.fill_spin.setValue(3)
    assert tab.dirty and "有尚未保存的修改" in tab.dirty_label.text()

    tab.save_button.click()
    assert len(messages.questions) == 1 and "第2版" in messages.questions[0]
    assert messages.errors == []
    labels, version = stored(office)
    assert version == 2
    assert labels == ["部门负责人审核", "财务审核", "分管领导审批", "县领导审批", "主要领导审批", "出纳付款", "记账归档"]
    with office.ctx.uow() as uow:
        chain, _ = claim_flow.chain_for(uow)
        infos = claim_flow.versions(uow, office.admin)
    step = chain.steps[3]
    assert (step.handler, step.min_amount, step.time_limit, step.when_over_budget) == (
        Role.COUNTY_LEADER.value, Decimal("20000.00"), 4, False)
    assert chain.fill_time_limit == 3
    assert [(i.version, i.current, i.saved_by) for i in infos] == [(2, True, "赵管理"), (1, False, "系统默认")]
    # The editor now shows the saved version, with nothing pending.
    assert tab.version_label.text() == "报账流程　当前为第2版"
    assert not tab.dirty and "已保存为第2版" in tab.dirty_label.text()
    assert tab.versions_table.rowCount() == 2
    current, built_in = tab.versions_table.item(0, 0), tab.versions_table.item(1, 0)
    assert current is not None and built_in is not None
    assert current.text() == "第2版" and current.font().bold() and not built_in.font().bold()


def test_a_step_sent_back_to_an_earlier_one_is_explained_and_never_saved(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = Messages(monkeypatch)
    tab = editor(qtbot, office)
    good = tab.last_good
    row = row_of(tab, "分管领导审批")
    tab.table.selectRow(row)
    tab.next_combo.setCurrentIndex(tab.next_combo.findData("dept_review"))

    assert tab.problem is not None and tab.problem.field == f"step:{row - 1}:next"
    assert tab.problem_label.isVisible()
    assert "分管领导审批" in tab.problem_label.text() and "部门负责人审核" in tab.problem_label.text()
    # The offending row and its 通过后转到 cell are marked, and the error sits beside the field.
    assert tab.problem_cells == {row: {5}}
    assert tab.table.item(row, 5).font().bold()  # type: ignore[union-attr]
    assert tab.step_form.error_text("next") == tab.problem.message
    # The preview still shows the last good drawing.
    assert tab.last_good is good

    tab.save_button.click()
    assert messages.questions == []
    assert len(messages.errors) == 1 and "部门负责人审核" in messages.errors[0]
    assert stored(office) == (DEFAULT_LABELS, 1)

    # Put right again, the flow is good once more.
    tab.next_combo.setCurrentIndex(0)
    assert tab.problem is None and not tab.problem_label.isVisible()
    assert not tab.dirty


def test_a_jump_that_skips_steps_marks_the_steps_no_claim_can_reach(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    Messages(monkeypatch)
    tab = editor(qtbot, office)
    tab.table.selectRow(row_of(tab, "财务审核"))
    tab.next_combo.setCurrentIndex(tab.next_combo.findData("payment"))
    assert tab.problem is not None and tab.problem.field is None
    assert "无法到达" in tab.problem_label.text()
    assert "通过后转到" in tab.problem_label.text()  # the hint says where to look
    marked = {table_labels(tab)[r] for r in tab.problem_cells}
    assert marked == {"分管领导审批", "主要领导审批"}


def test_moving_payment_above_an_approval_is_refused_with_the_rule(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    Messages(monkeypatch)
    tab = editor(qtbot, office)
    tab.table.selectRow(row_of(tab, "出纳付款"))
    tab.up_button.click()
    assert tab.problem is not None and "最后两个环节" in tab.problem_label.text()
    tab.discard_button.click()
    assert table_labels(tab) == ["经办人填报", *DEFAULT_LABELS] and tab.problem is None


def test_deleting_a_step_and_restoring_the_default(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = Messages(monkeypatch)
    tab = editor(qtbot, office)
    tab.table.selectRow(row_of(tab, "主要领导审批"))
    tab.delete_button.click()
    assert "主要领导审批" in messages.questions[0]
    assert "主要领导审批" not in table_labels(tab)
    tab.default_button.click()
    assert table_labels(tab) == ["经办人填报", *DEFAULT_LABELS]
    assert not tab.dirty


def test_other_users_only_look(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    messages = Messages(monkeypatch)
    tab = editor(qtbot, office, office.clerk)
    assert table_labels(tab) == ["经办人填报", *DEFAULT_LABELS]
    assert tab.banner.isVisible() and "只有系统管理员可以修改报账流程" in tab.banner.text()
    for widget in (tab.save_button, tab.add_button, tab.delete_button, tab.details, tab.default_button):
        assert not widget.isVisible()
    assert not tab.side_tabs.isTabVisible(tab.versions_index)
    assert tab.preview.layout_ is not None

    tab.table.selectRow(2)
    tab.add_step()
    tab.move_step(1)
    assert table_labels(tab) == ["经办人填报", *DEFAULT_LABELS]
    # Were the save reached anyway, the service refuses it.
    tab.save()
    assert messages.errors and "只有系统管理员" in messages.errors[0]
    assert stored(office) == (DEFAULT_LABELS, 1)


def test_another_admin_saving_meanwhile_is_a_plain_conflict_and_nothing_is_lost(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    messages = Messages(monkeypatch)
    tab = editor(qtbot, office)
    tab.table.selectRow(row_of(tab, "财务审核"))
    tab.limit_spin.setValue(7)

    with office.ctx.uow() as uow:
        claim_flow.save_chain(uow, office.admin, replace(DEFAULT_CHAIN, fill_time_limit=9), expected_version=1)

    tab.save_button.click()
    assert len(messages.errors) == 1 and "已被其他管理员改为第2版" in messages.errors[0]
    # The edit is still there, and the editor says what to do about it.
    assert tab.dirty and tab.chain.steps[1].time_limit == 7 and tab.limit_spin.value() == 7
    assert tab.banner.isVisible() and "第2版" in tab.banner.text()
    with office.ctx.uow() as uow:
        chain, version = claim_flow.chain_for(uow)
    assert version == 2 and chain.fill_time_limit == 9 and chain.steps[1].time_limit == 3

    # A refresh does not throw the edit away either; 放弃修改 loads the other administrator's version.
    tab.refresh()
    assert tab.dirty and tab.version == 1
    tab.discard_button.click()
    assert tab.version == 2 and not tab.dirty and tab.chain.fill_time_limit == 9
    assert not tab.banner.isVisible()
