"""One case through the window, as each person would take it: registered, 交办 to the 财政局, its 联络员 reports
how the unit handled it, the 处理意见书 written and 报送审核, 审核通过 by the 主任; the petitioner is 不满意 at the
回访 and the case is handled again, answered again, 满意, 办结; then the petitioner asks for a 复查, which is
accepted, answered and concluded (终结)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.core.petitions.terms import REOPEN
from app.ui.petitions import window as window_module
from app.ui.petitions.dialogs import AssignDialog, ReasonDialog, ReviewDialog, VisitDialog
from app.ui.petitions.window import PetitionWindow
from tests.helpers.document_office import TODAY, Office
from tests.helpers.document_ui import buttons, click
from tests.helpers.meeting_tabs import agree, answer_dialog
from tests.helpers.petitions_office import build_petition_office, new_petition

TASK = "请核实开发商办证进度，督促其限期协助办理"
FINDINGS = "经查，开发商因土地出让金未缴清导致无法办证，现已补缴"
BASIS = "《不动产登记暂行条例》第十四条"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_petition_office(sqlite_ctx)


def _window(qtbot: QtBot, o: Office, who: str, petition_id: int) -> PetitionWindow:
    window = PetitionWindow(o.ctx, o.people[who], petition_id, today=TODAY)
    qtbot.addWidget(window)
    return window


def _history(window: PetitionWindow) -> list[str]:
    return [window.history.item(r, 2).text() for r in range(window.history.rowCount())]  # type: ignore[union-attr]


def _write_reply(window: PetitionWindow, decision: str, findings: str = FINDINGS) -> None:
    tab = window.reply_tab
    assert tab.save_button.isVisible() or not tab.save_button.isHidden()
    tab.findings.setPlainText(findings)
    tab.decision.setCurrentIndex(tab.decision.findData(decision))
    tab.basis.setPlainText(BASIS)
    tab.save_button.click()


def test_a_case_from_registration_to_its_review_concluded(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    agree(monkeypatch, window_module)
    case = new_petition(o)
    officer = _window(qtbot, o, "petition", case)
    assert "当前环节：登记" in officer.state_label.text()
    assert {"受理", "交办…", "转送…", "不予受理…", "修改登记…"} <= set(buttons(officer))

    # 交办 to the 财政局, with the task and a due date a month on.
    answer_dialog(monkeypatch, AssignDialog, lambda d: (
        d.unit.setCurrentIndex(d.unit.findData(o.units["财政局"])), d.task.setPlainText(TASK)))
    officer.opinion.setPlainText("请财政局协调办理")
    click(officer, "交办…")
    assert officer.info.state == "handle" and officer.info.handling_unit_name == "县财政局"
    assignment = officer.view.assignment
    assert assignment is not None and assignment.task == TASK
    assert officer.assignment_tab.urge_button.isEnabled()
    # 报送审核 waits for the unit: the reply is not written, and the unit has not reported.
    assert not officer.reply_tab.save_button.isHidden()

    # The 财政局's 联络员 reports how the unit handled it (the engine's parallel report).
    liaison = _window(qtbot, o, "liaison_fin", case)
    tab = liaison.assignment_tab
    assert not tab.report_button.isHidden() and tab.report_button.isEnabled()
    assert tab.object_button.isEnabled()
    assert liaison.history_tab is None and buttons(liaison) == {}
    answer_dialog(monkeypatch, ReasonDialog, lambda d: d.reason.setPlainText("已约谈开发商，承诺12月底前办结"))
    tab.report_button.click()
    assert liaison.view.assignment is not None and liaison.view.assignment.report.startswith("已约谈开发商")
    assert tab.report_button.text() == "修改办理情况…"

    # The officer writes the 处理意见书 and sends it up.
    officer.load()
    assert "已约谈开发商" in officer.assignment_tab.report.text()
    _write_reply(officer, "支持")
    assert officer.info.findings == FINDINGS and officer.info.decision == "支持"
    click(officer, "报送审核")
    assert officer.info.state == "approve"
    assert officer.reply_tab.save_button.isHidden()

    # The 主任 signs: the reply is dated, read-only.
    director = _window(qtbot, o, "director", case)
    assert {"审核通过", "退回修改"} <= set(buttons(director))
    click(director, "审核通过")
    assert director.info.state == "replied" and director.info.replied_on is not None
    assert "审核签发" in director.reply_tab.status.text() and director.reply_tab.findings.isReadOnly()

    # 回访: 不满意, handled again.
    officer.load()
    assert officer.visits_tab.record_button.isEnabled()
    assert "重新办理" not in buttons(officer)

    def unhappy(d: VisitDialog) -> None:
        d.satisfaction.setCurrentIndex(d.satisfaction.findData("不满意"))
        d.action.setCurrentIndex(d.action.findData(REOPEN))
        d.note.setPlainText("信访人认为办证时间太长")
        d.reason.setPlainText("需督促开发商提前办结")

    shown = answer_dialog(monkeypatch, VisitDialog, unhappy)
    officer.visits_tab.record_button.click()
    assert shown and not shown[0].leader.isEnabled()
    assert officer.info.state == "handle"
    assert officer.visits_tab.table.rowCount() == 1
    assert officer.tabs.tabText(officer.visits_index) == "回访（1）"
    assert "重新办理" in " ".join(_history(officer))

    # Answered again, then 满意, 办结.
    _write_reply(officer, "支持", FINDINGS + "，开发商承诺12月底前办结")
    click(officer, "报送审核")
    director.load()
    click(director, "审核通过")
    officer.load()
    answer_dialog(monkeypatch, VisitDialog, lambda d: d.satisfaction.setCurrentIndex(d.satisfaction.findData("满意")))
    officer.visits_tab.record_button.click()
    assert officer.info.state == "replied" and len(officer.view.visits) == 2
    click(officer, "办结")
    assert officer.info.state == "concluded" and officer.info.closed
    assert "已办结" in officer.state_label.text()

    # 复查: asked within 30 days of the reply; it opens in a window of its own.
    opened: list[PetitionWindow] = []

    def shown_review(window: PetitionWindow) -> int:
        opened.append(window)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(PetitionWindow, "exec", shown_review)
    answer_dialog(monkeypatch, ReviewDialog, lambda d: d.request.setPlainText("对处理意见不服，要求开发商赔偿损失"))
    click(officer, "申请复查…")
    assert len(opened) == 1
    review = opened[0]
    qtbot.addWidget(review)
    assert review.info.stage == "review" and review.info.reviews_id == case
    assert review.windowTitle().startswith("复查 复查〔2026〕1号")
    assert "申请复核…" not in buttons(review)
    click(review, "受理")
    _write_reply(review, "不予支持", "经复查，原处理意见认定事实清楚")
    click(review, "报送审核")
    review_by_director = _window(qtbot, o, "director", review.info.id)
    click(review_by_director, "审核通过")
    review.load()
    click(review, "办结")
    assert review.info.state == "concluded" and review.info.closed
    # The 复查 once answered may itself be reviewed (复核); the case window's history lists both.
    assert "申请复核…" in buttons(review)
    officer.load()
    assert officer.history_tab is not None
    numbers = [officer.history_tab.table.item(r, 0).text()  # type: ignore[union-attr]
               for r in range(officer.history_tab.table.rowCount())]
    assert "复查〔2026〕1号" in numbers and "信〔2026〕1号（本件）" in numbers
