"""The 报账流程图 window: the whole flow, one claim's position and path, zooming, and the one-page print."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.core.claims import LineInput
from app.core.roles import Role
from app.core.workflow.approval_chain import DEFAULT_CHAIN
from app.services.claims import records as claims
from app.services.kernel.actor import Actor
from app.ui.claims.flowchart_window import DEFAULT_SIZE, FlowchartWindow
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, ACCENT_LIGHT
from app.ui.widgets import print_preview
from tests.helpers.pdfcheck import compact, page_text, reader
from tests.helpers.ui import Office


@pytest.fixture
def claim_id(office: Office) -> int:
    """A claim by the clerk, past 部门负责人审核 (the deputy director heads the unit): now at 财务审核."""
    with office.ctx.uow() as uow:
        info = claims.create_claim(
            uow, office.clerk,
            claims.ClaimInput(office.unit_id, date.today(), [LineInput("赴市里参加培训的交通费", "差旅费", "860")], 2),
            submit=True,
        )
    with office.ctx.uow() as uow:
        claims.decide(uow, office.lead, info.id, "approve", "同意。")
    return info.id


def window(qtbot: QtBot, office: Office, actor: Actor | None = None, claim: int | None = None,
           prefs: Prefs | None = None) -> FlowchartWindow:
    shown = FlowchartWindow(office.ctx, actor or office.lead, claim, prefs=prefs)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def colour(view_window: FlowchartWindow, key: str) -> str:
    return view_window.view.node_fill(key).name().upper()


def printed(window_: FlowchartWindow, monkeypatch: pytest.MonkeyPatch) -> bytes:
    shown: list[bytes] = []

    def preview(dialog: print_preview.PrintPreviewDialog) -> int:
        shown.append(dialog.pdf)
        return 0

    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", preview)
    window_.print_button.click()
    assert len(shown) == 1
    return shown[0]


def test_opens_on_the_whole_flow(qtbot: QtBot, office: Office, claim_id: int) -> None:
    shown = window(qtbot, office)
    assert shown.width() <= 1366 and shown.height() <= 768 - 60
    assert (shown.width(), shown.height()) == DEFAULT_SIZE
    assert shown.detail is None and shown.whole_flow is not None
    assert shown.claim_list.currentRow() == 0 and shown.selected_claim_id is None
    assert "整个流程" in shown.title_label.text() and "第 <b>1</b> 版" in shown.status_label.text()
    assert {s.key for s in DEFAULT_CHAIN.steps} | {"fill", "closed"} <= set(shown.view.node_items)
    # Nothing is highlighted when no claim is chosen.
    assert colour(shown, "finance_review") == "#FFFFFF"
    # The conditional step's branch carries its condition, as the layout labels it.
    assert shown.view.layout_ is not None
    assert any("5,000" in "".join(e.label_lines) for e in shown.view.layout_.edges)
    # The list holds the claims this user may see.
    assert shown.claim_list.count() == 2 and shown.claim_list.item(1).data(Qt.ItemDataRole.UserRole) == claim_id


def test_choosing_a_claim_highlights_its_step_and_path(qtbot: QtBot, office: Office, claim_id: int) -> None:
    shown = window(qtbot, office)
    shown.claim_list.setCurrentRow(1)
    assert shown.detail is not None and shown.detail.info.id == claim_id
    assert colour(shown, "finance_review") == QColor(ACCENT).name().upper()
    assert colour(shown, "dept_review") == QColor(ACCENT_LIGHT).name().upper()
    assert colour(shown, "payment") == "#FFFFFF"
    assert shown.view.highlighted_edges
    assert "财务审核" in shown.status_label.text() and "第 1 版" in shown.status_label.text()
    assert "张文秘" in shown.status_label.text()
    # Who acted and when, beside the chart.
    rows = [[shown.trail_table.item(r, c).text() for c in range(3)]  # type: ignore[union-attr]
            for r in range(shown.trail_table.rowCount())]
    assert ["部门负责人审核", "审核同意", "刘副主任"] in rows
    # Back to the whole flow.
    shown.claim_list.setCurrentRow(0)
    assert shown.detail is None and colour(shown, "finance_review") == "#FFFFFF"


def test_opening_for_a_claim_preselects_it(qtbot: QtBot, office: Office, claim_id: int) -> None:
    shown = window(qtbot, office, claim=claim_id)
    assert shown.selected_claim_id == claim_id
    assert shown.detail is not None and colour(shown, "finance_review") == QColor(ACCENT).name().upper()
    # Even when a search would not list it, the claim it was opened for stays listed and chosen.
    shown.search.setText("没有这样的报销单")
    shown.search_claims()
    assert "没有找到匹配的报销单" in shown.found_label.text()
    assert shown.detail is not None  # the chart keeps what it showed
    hidden = window(qtbot, office, claim=claim_id)
    assert hidden.selected_claim_id == claim_id


def test_search_finds_by_claimant(qtbot: QtBot, office: Office, claim_id: int) -> None:
    shown = window(qtbot, office)
    shown.search.setText("张文秘")
    shown.search_claims()
    assert shown.claim_list.count() == 2
    shown.search.setText("李四")
    shown.search_claims()
    assert shown.claim_list.count() == 1


def test_zoom_in_out_and_fit_change_the_view(qtbot: QtBot, office: Office) -> None:
    shown = window(qtbot, office)
    fitted = shown.view.transform().m11()
    buttons = {b.text(): b for b in shown.findChildren(QPushButton)}
    buttons["放大"].click()
    assert shown.view.transform().m11() == pytest.approx(fitted * 1.25)
    buttons["缩小"].click()
    buttons["缩小"].click()
    assert shown.view.transform().m11() == pytest.approx(fitted * 0.8)
    assert not shown.view.auto_fit
    buttons["适合窗口"].click()
    assert shown.view.transform().m11() == pytest.approx(fitted)
    assert shown.view.auto_fit


def test_printing_the_whole_flow_gives_one_page_with_every_step(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = printed(window(qtbot, office), monkeypatch)
    assert len(reader(pdf).pages) == 1
    text = compact(page_text(pdf))
    assert "报账流程图" in text
    for label in ("经办人填报", *(s.label for s in DEFAULT_CHAIN.steps)):
        assert label in text, label


def test_printing_a_claims_flow_gives_one_page_with_its_path(
    qtbot: QtBot, office: Office, claim_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = printed(window(qtbot, office, claim=claim_id), monkeypatch)
    assert len(reader(pdf).pages) == 1
    text = compact(page_text(pdf))
    for label in ("经办人填报", "部门负责人审核", "财务审核", "出纳付款", "记账归档"):
        assert label in text, label
    assert "刘副主任" in text  # who acted, beside the step they acted at


def test_a_user_who_may_not_see_a_claim_is_told_so(qtbot: QtBot, office: Office, claim_id: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.claims import flowchart_window

    errors: list[str] = []
    monkeypatch.setattr(flowchart_window, "show_error", lambda parent, error, *a: errors.append(str(error)))
    shown = window(qtbot, office, office.leader, claim=claim_id)
    assert errors and shown.detail is None
    assert shown.whole_flow is not None and shown.claim_list.currentRow() == 0
    # Their list holds only the whole flow: they have no claims of their own.
    assert shown.claim_list.count() == 1


def test_the_size_is_remembered(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    first = window(qtbot, office, prefs=prefs)
    first.resize(1000, 600)
    first.reject()
    again = window(qtbot, office, prefs=prefs)
    assert (again.width(), again.height()) == (1000, 600)


def test_finance_staff_see_every_claim(qtbot: QtBot, office: Office, claim_id: int) -> None:
    from tests.helpers import add_user

    finance = add_user(office.ctx, "finance", [Role.FINANCE], office.unit_id, "王会计")
    shown = window(qtbot, office, finance)
    assert shown.claim_list.count() == 2
