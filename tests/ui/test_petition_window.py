"""The case window for each person: the handler sees the petitioner unmasked and the moves; a 文秘 or a 县领导
reads it masked and takes none; the assigned unit's 联络员 reads it and reports; another unit's cannot open it.
The unit disputes its assignment and the office answers (the case goes to another unit); 转送 and 不予受理 ask
their reasons in dialogs, refusals beside the field; 催办 of the unit; 不满意 raised to a leader; the 办理 clock's
延期 for the 主任. Each tab looked at, at 1366×768, at 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.core.petitions.terms import ESCALATE
from app.services.petitions import lifecycle
from app.ui.petitions import window as window_module
from app.ui.petitions.dialogs import AnswerDialog, AssignDialog, ForwardDialog, ReasonDialog, VisitDialog
from app.ui.petitions.window import PetitionWindow
from app.ui.theme import apply_theme
from tests.helpers.document_office import TODAY, Office
from tests.helpers.document_ui import buttons, click
from tests.helpers.layout_check import cut_cells, cut_labels, cut_spin_boxes
from tests.helpers.meeting_tabs import agree, answer_dialog, refusals
from tests.helpers.petitions_office import PETITIONER_ID, PETITIONER_PHONE, build_petition_office, new_petition

SHOTS = Path("/tmp/petition-shots")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_petition_office(sqlite_ctx)


def _window(qtbot: QtBot, o: Office, who: str, petition_id: int) -> PetitionWindow:
    window = PetitionWindow(o.ctx, o.people[who], petition_id, today=TODAY)
    qtbot.addWidget(window)
    return window


def _assigned(o: Office, unit: str = "财政局") -> int:
    case = new_petition(o)
    o.run(lifecycle.assign, o.petition, case, unit_id=o.units[unit], due=TODAY + timedelta(days=20),
          task="请核实并答复", today=TODAY)
    return case


def _sheet(window: PetitionWindow) -> str:
    return " ".join(window.info_sheet.texts())


def _header(window: PetitionWindow) -> str:
    return " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window))


def test_the_handler_reads_it_unmasked_and_others_masked(qtbot: QtBot, office: Office) -> None:
    o = office
    case = new_petition(o)
    officer = _window(qtbot, o, "petition", case)
    assert PETITIONER_ID in _sheet(officer) and PETITIONER_PHONE in _sheet(officer)
    assert officer.tabs.tabText(officer.info_index) == "登记信息"
    titles = [officer.tabs.tabText(i) for i in range(officer.tabs.count())]
    for title in ("交办与办理", "处理意见书", "回访", "信访历史", "责任与进展", "关联"):
        assert title in titles
    assert "受理" in buttons(officer)
    for who in ("clerk", "mayor"):
        reader = _window(qtbot, o, who, case)
        assert PETITIONER_ID not in _sheet(reader) and PETITIONER_PHONE not in _sheet(reader)
        assert "138****5678" in _sheet(reader) and "已按规定隐去" in _sheet(reader)
        assert buttons(reader) == {}
        assert reader.history_tab is not None
    # petition2 handles petitions but does not answer for this case (首问负责): unmasked, no moves.
    other = _window(qtbot, o, "petition2", case)
    assert PETITIONER_PHONE in _sheet(other) and buttons(other) == {}


def test_another_units_liaison_cannot_open_it(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    case = _assigned(o)
    said = refusals(monkeypatch)
    window = PetitionWindow(o.ctx, o.liaison_edu, case, today=TODAY)
    qtbot.addWidget(window)
    assert window.detail is None and any("没有交办给您的单位" in text for text in said)
    liaison = _window(qtbot, o, "liaison_fin", case)
    assert "138****5678" in _sheet(liaison) and liaison.history_tab is None


def test_the_unit_disputes_the_assignment_and_the_office_moves_it(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    case = _assigned(o)
    liaison = _window(qtbot, o, "liaison_fin", case)
    tab = liaison.assignment_tab
    assert not tab.object_button.isHidden() and tab.object_button.isEnabled()
    assert tab.answer_button.isHidden() and tab.urge_button.isHidden()
    # Without a reason, said beside the field; the dialog stays open.
    shown = answer_dialog(monkeypatch, ReasonDialog, lambda d: None)
    tab.object_button.click()
    assert shown[0].form.error_text("reason") and liaison.view.objections == []
    answer_dialog(monkeypatch, ReasonDialog, lambda d: d.reason.setPlainText("该事项属县住建局职责"))
    tab.object_button.click()
    assert [x.reason for x in liaison.view.objections] == ["该事项属县住建局职责"]
    assert not tab.object_button.isEnabled() and tab.objections.rowCount() == 1

    officer = _window(qtbot, o, "petition", case)
    assert officer.assignment_tab.answer_button.isEnabled()

    def uphold(d: AnswerDialog) -> None:
        assert d.unit.findData(o.units["财政局"]) < 0  # the disputing unit is not offered again
        d.unit.setCurrentIndex(d.unit.findData(o.units["教育局"]))
        d.answer.setPlainText("异议成立，改由教育局承办")

    answer_dialog(monkeypatch, AnswerDialog, uphold)
    officer.assignment_tab.answer_button.click()
    assert officer.info.handling_unit_name == "县教育局"
    assert officer.view.objections[0].outcome_label.startswith("异议成立")
    assert not officer.assignment_tab.answer_button.isEnabled()
    edu = _window(qtbot, o, "liaison_edu", case)
    assert edu.assignment_tab.report_button.isEnabled()


def test_forward_and_reject_ask_their_reasons(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    first, second = new_petition(o), new_petition(o, name="李秀英", id_number="", phone="13900001111")
    window = _window(qtbot, o, "petition", first)
    shown = answer_dialog(monkeypatch, ForwardDialog, lambda d: d.to.setText("市住房和城乡建设局"))
    click(window, "转送…")
    assert shown[0].form.error_text("reason") and window.info.state == "register"
    answer_dialog(monkeypatch, ForwardDialog, lambda d: (d.to.setText("市住房和城乡建设局"),
                                                         d.reason.setPlainText("属市级部门职权")))
    click(window, "转送…")
    assert window.info.state == "forwarded" and window.info.forwarded_to == "市住房和城乡建设局"
    assert "已转送市住房和城乡建设局" in window.assignment_tab.status.text()
    other = _window(qtbot, o, "petition", second)
    other.opinion.setPlainText("不属于信访事项")
    shown = answer_dialog(monkeypatch, ReasonDialog, lambda d: None)
    click(other, "不予受理…")
    assert shown[0].reason.toPlainText() == "不属于信访事项"  # the opinion typed is the reason offered
    assert other.info.state == "not_accepted" and other.info.closed
    assert buttons(other) == {}


def test_a_due_date_past_the_clock_is_said_beside_it(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    case = new_petition(o)
    window = _window(qtbot, o, "petition", case)

    def late(d: AssignDialog) -> None:
        d.unit.setCurrentIndex(d.unit.findData(o.units["财政局"]))
        d.task.setPlainText("请核实")
        d.due.setDate(d.due.date().addDays(200))

    shown = answer_dialog(monkeypatch, AssignDialog, late)
    click(window, "交办…")
    assert shown[0].form.error_text("due") and window.info.state == "register"


def test_urging_the_unit_and_raising_an_unsatisfied_case_to_a_leader(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    agree(monkeypatch, window_module)
    case = _assigned(o)
    officer = _window(qtbot, o, "petition", case)
    answer_dialog(monkeypatch, ReasonDialog, lambda d: d.reason.setPlainText("请本周内报送"))
    officer.assignment_tab.urge_button.click()
    assert officer.urges_table.rowCount() == 1
    # The unit reports, the case is answered and signed.
    o.run(lifecycle.write_reply, o.petition, case, findings="查明", decision="解释说明", basis="条例", today=TODAY)
    with o.ctx.uow() as uow:
        from app.services.workflow import parallel

        item = next(i for i in parallel.work_items_of(uow, o.liaison_fin, officer.info.instance_id).items if i.lead)
    o.run(parallel.report_work_item, o.liaison_fin, item.id, "已办理")
    officer.load()
    assert "报送审核" in buttons(officer)
    click(officer, "报送审核")
    o.run(lifecycle.sign, o.director, case, today=TODAY)
    officer.load()

    def escalate(d: VisitDialog) -> None:
        d.satisfaction.setCurrentIndex(d.satisfaction.findData("不满意"))
        d.action.setCurrentIndex(d.action.findData(ESCALATE))
        assert d.leader.isEnabled()
        d.leader.setCurrentIndex(d.leader.findData(o.deputy.id))
        d.reason.setPlainText("涉及多个部门，提请副主任协调")

    answer_dialog(monkeypatch, VisitDialog, escalate)
    officer.visits_tab.record_button.click()
    assert officer.info.state == "handle" and officer.info.responsible_name == "李副主任"
    assert buttons(officer) == {}
    deputy = _window(qtbot, o, "deputy", case)
    assert not deputy.reply_tab.save_button.isHidden()


def test_the_director_extends_the_handling_clock(qtbot: QtBot, office: Office) -> None:
    o = office
    case = _assigned(o)
    director = _window(qtbot, o, "director", case)
    assert "延期…" in director.clock_panel.button_texts()
    officer = _window(qtbot, o, "petition", case)
    assert "延期…" not in officer.clock_panel.button_texts()


def test_every_tab_at_1366_by_768(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    agree(monkeypatch, window_module)
    new_petition(o, channel="来电", channel_detail="24365热线")  # an earlier call of the same petitioner
    case = _assigned(o)
    o.run(lifecycle.write_reply, o.petition, case, findings="经查，开发商因土地出让金未缴清导致无法办证，现已补缴",
          decision="支持", basis="《不动产登记暂行条例》第十四条", today=TODAY)
    window = _window(qtbot, o, "petition", case)
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems: list[str] = []
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        window.resize(1366, 768)
        window.show()
        window.load()  # the tables measured at this text size, as a window opened at it is
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            qtbot.wait(30)
            window.grab().save(str(SHOTS / f"window-{index:02d}-{size}.png"))
            found = cut_labels(window) + cut_spin_boxes(window) + cut_cells(window)
            problems += [f"{size} {window.tabs.tabText(index)}: {p}" for p in found]
        if window.tabs.tabBar().sizeHint().width() > window.tabs.width():
            problems.append(f"{size}: the tab titles do not all show")
    apply_theme(app, "medium")
    Path("/tmp/petition-shots/problems.txt").write_text("\n".join(problems), encoding="utf-8")
    # Closing the window (Esc, its title bar's ×) closes it: it asks nothing.
    window.close()
    assert not window.isVisible()
    assert problems == []
    assert "当前环节：办理" in _header(window)
