"""报账 through the widgets: a claim is filled in (with every mistake shown beside its field), submitted,
returned, corrected, approved by each step, paid and booked, with the flowchart showing where it stands,
and the printed 报销单 read back."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.core.claims import LineInput
from app.core.roles import Role
from app.services.claims import records as claims
from app.services.kernel.actor import Actor
from app.ui.claims import actions
from app.ui.claims.editor import SUMMARY, ClaimEditor
from app.ui.claims.page import ClaimsPage
from app.ui.claims.window import ClaimWindow
from app.ui.prefs import Prefs
from app.ui.widgets import print_preview
from tests.helpers import add_unit, add_user, set_unit_head
from tests.helpers.claims_ui import set_line
from tests.helpers.ui import Office


@dataclass(frozen=True)
class People:
    claimant: Actor
    head: Actor
    finance: Actor
    deputy: Actor
    director: Actor
    cashier: Actor


@pytest.fixture
def people(office: Office) -> People:
    ctx = office.ctx
    unit = add_unit(ctx, "综合股", "section")
    head = add_user(ctx, "gu_head", [], unit, "李股长")
    set_unit_head(ctx, unit, head.id)
    return People(
        claimant=add_user(ctx, "zhang", [], unit, "张报销"),
        head=head,
        finance=add_user(ctx, "kuaiji", [Role.FINANCE], office.unit_id, "王会计"),
        deputy=add_user(ctx, "fuzhuren", [Role.DEPUTY_DIRECTOR], office.unit_id, "赵副主任"),
        director=add_user(ctx, "zhuren", [Role.DIRECTOR], office.unit_id, "钱主任", is_principal=True),
        cashier=add_user(ctx, "chuna", [Role.CASHIER], office.unit_id, "孙出纳"),
    )


def answer(monkeypatch: pytest.MonkeyPatch, dialog_class: type[QDialog], fill: Callable[[Any], None]) -> None:
    """A modal dialog is built for real; instead of waiting for a person, the test fills it and saves."""

    def exec_(self: Any) -> int:
        fill(self)
        return QDialog.DialogCode.Accepted.value if self.save() else QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(dialog_class, "exec", exec_)


def click(window: ClaimWindow, label: str) -> None:
    found = {}
    for i in range(window.actions_row.count()):
        widget = window.actions_row.itemAt(i).widget()
        if isinstance(widget, QPushButton):
            found[widget.text()] = widget
    assert label in found, f"“{label}” not offered; offered: {sorted(found)}"
    found[label].click()


def window_for(qtbot: QtBot, office: Office, actor: Actor, claim_id: int) -> ClaimWindow:
    window = ClaimWindow(office.ctx, actor, claim_id)
    qtbot.addWidget(window)
    return window


def test_a_claim_from_new_to_paid(
    qtbot: QtBot, office: Office, people: People, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    editor = ClaimEditor(office.ctx, people.claimant)
    qtbot.addWidget(editor)
    # Every mistake at once, each beside its field; nothing typed is lost.
    set_line(editor, 0, "赴江州市参加培训往返车票", "差旅费", "-12")
    set_line(editor, 1, "", "办公费", "30.125")
    editor.advance.setText("两千")
    editor.submit_button.click()
    assert editor.saved is None
    errors = editor.lines_error.text()
    assert "第1行：金额不能为负数" in errors and "第2行：请填写摘要" in errors and "两位小数" in errors
    assert "原借款" in editor.form.error_text("advance")
    assert editor.lines.item(0, SUMMARY).text() == "赴江州市参加培训往返车票"
    set_line(editor, 0, "赴江州市参加培训往返车票", "差旅费", "5,400.00")
    set_line(editor, 1, "培训期间住宿费", "差旅费", "1280.5")
    editor.advance.setText("3000")
    editor.submit_button.click()
    assert "单据张数" in editor.form.error_text("receipts_count")
    editor.receipts.setValue(3)
    scan = tmp_path / "车票.pdf"
    scan.write_bytes(b"%PDF-1.4 not really a pdf")
    editor.add_pending_receipt(scan)
    editor.recalc()
    assert "6,680.50" in editor.total_label.text()
    assert "陆仟陆佰捌拾元零伍角整" in editor.words_label.text()
    assert "3,680.50" in editor.settle_label.text()
    editor.submit_button.click()
    assert editor.saved is not None
    claim_id = editor.saved.id

    # The unit head sends it back; the claimant corrects it and submits again.
    head = window_for(qtbot, office, people.head, claim_id)
    assert "部门负责人审核" in head.state_label.text()
    assert head.opinion.hasFocus() or head.opinion.isEnabled()
    click(head, "退回")
    assert "理由" in head.opinion_error.text()
    head.opinion.insertPlainText("住宿费请附发票")
    click(head, "退回")
    claimant = window_for(qtbot, office, people.claimant, claim_id)
    assert "已退回" in claimant.state_label.text()
    assert claimant.detail is not None and len(claimant.detail.receipts) == 1

    def correct(editor: ClaimEditor) -> None:
        editor.receipts.setValue(4)
        editor.submit_button.click()

    monkeypatch.setattr(ClaimEditor, "exec", lambda self: (correct(self), self.result())[1])
    click(claimant, "修改报销单…")
    assert "部门负责人审核" in claimant.state_label.text()

    for actor, label in ((people.head, "审核同意"), (people.finance, "审核同意"), (people.deputy, "审批同意")):
        window = window_for(qtbot, office, actor, claim_id)
        click(window, label)  # no opinion: refused beside the box
        assert "审批意见" in window.opinion_error.text()
        window.opinion.insertPlainText("同意。")
        click(window, label)
    # Above 5,000 元: the principal leader approves, and the flowchart shows it standing there.
    director = window_for(qtbot, office, people.director, claim_id)
    assert "主要领导审批" in director.state_label.text()
    assert director.flowchart.node_fill("principal_approval") != director.flowchart.node_fill("payment")
    director.opinion.insertPlainText("同意报销。")
    click(director, "审批同意")

    cashier = window_for(qtbot, office, people.cashier, claim_id)
    answer(monkeypatch, actions.PayDialog, lambda d: d.method.setCurrentIndex(d.method.findData("公务卡")))
    click(cashier, "付款")
    finance = window_for(qtbot, office, people.finance, claim_id)
    answer(monkeypatch, actions.BookDialog, lambda d: d.voucher.setText("记-2026-11-031"))
    click(finance, "记账归档")
    assert "已办结" in finance.state_label.text()
    assert finance.detail is not None and finance.detail.info.voucher_number == "记-2026-11-031"
    assert finance.detail.info.total == Decimal("6680.50")

    # The printed form: capitals and the signatures from the history.
    shown: list[bytes] = []

    class Preview:
        def __init__(self, _title: str, pdf: bytes, _name: str = "", _parent: object = None) -> None:
            shown.append(pdf)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(print_preview, "PrintPreviewDialog", Preview)
    finance.print_form()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(shown[0])).pages)
    compact = "".join(text.split())
    assert "陆仟陆佰捌拾元零伍角整" in compact
    for name in ("张报销", "李股长", "王会计", "赵副主任", "钱主任", "孙出纳"):
        assert name in compact


def test_the_page_lists_and_refuses(qtbot: QtBot, office: Office, people: People, prefs: Prefs) -> None:
    with office.ctx.uow() as uow:
        claims.create_claim(uow, people.claimant, claims.ClaimInput(
            None, date.today(), [LineInput("打印纸", "办公费", "120")], 1), submit=True)
    mine = ClaimsPage(office.ctx, people.claimant, prefs)
    qtbot.addWidget(mine)
    mine.refresh()
    qtbot.waitUntil(lambda: mine.mine.model.rowCount() == 1)
    # A plain staff member has no reports, budgets or flow settings tabs.
    assert [mine.tabs.tabText(i) for i in range(mine.tabs.count())] == ["我的报销单", "待我审批", "全部报销单"]
    finance = ClaimsPage(office.ctx, people.finance, prefs)
    qtbot.addWidget(finance)
    assert finance.tabs.currentWidget() is finance.waiting
    finance.refresh()
    # 财务审核 comes after the unit head: nothing waits for finance yet, but the claim is in 全部报销单.
    assert finance.waiting.model.rowCount() == 0
    finance.tabs.setCurrentWidget(finance.all)
    qtbot.waitUntil(lambda: finance.all.model.rowCount() == 1)
    head = ClaimsPage(office.ctx, people.head, prefs)
    qtbot.addWidget(head)
    head.tabs.setCurrentWidget(head.waiting)
    qtbot.waitUntil(lambda: head.waiting.model.rowCount() == 1)
    stranger = add_user(office.ctx, "stranger", [], None, "路人")
    other = ClaimsPage(office.ctx, stranger, prefs)
    qtbot.addWidget(other)
    other.tabs.setCurrentWidget(other.all)
    other.refresh()
    assert other.all.model.rowCount() == 0 and other.all.model.total == 0


def test_the_workbench_opens_a_claim_in_its_own_window(
    qtbot: QtBot, office: Office, people: People, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.workflow import todo
    from app.ui.main_window import MainWindow

    with office.ctx.uow() as uow:
        claim = claims.create_claim(uow, people.claimant, claims.ClaimInput(
            None, date.today(), [LineInput("会议室租用", "会议费", "900")], 1), submit=True)
    window = MainWindow(office.ctx, people.head, prefs)
    qtbot.addWidget(window)
    with office.ctx.uow() as uow:
        (item,) = todo.todo(uow, people.head).items
    opened: list[ClaimWindow] = []

    def exec_(self: ClaimWindow) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(ClaimWindow, "exec", exec_)
    window.open_todo(item)
    assert len(opened) == 1 and opened[0].claim_id == claim.id
    assert "部门负责人审核" in opened[0].state_label.text()
