"""议题 tab (app.ui.meetings.agenda_tab): the 财政局's 联络员 proposes a topic with its material through the dialog;
the clerk reviews it and the director approves it (a 常务会议's topics take both), and orders the agenda with 上移;
a 文秘 may not approve, 不予上会 needs its reason beside the field, someone who may not propose is refused, and
every refusal changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import agenda
from app.services.meetings.agenda import TopicInput
from app.ui.meetings import agenda_tab
from app.ui.meetings.agenda_tab import AgendaTab, MaterialsDialog, ReviewDialog, TopicDialog
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meeting_tabs import agree, answer_dialog, refusals, shoot
from tests.helpers.meetings_office import add_rooms, new_meeting


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _tab(qtbot: QtBot, o: Office, who: str, meeting: int) -> AgendaTab:
    tab = AgendaTab(o.ctx, o.people[who], meeting)
    qtbot.addWidget(tab)
    tab.reload()
    return tab


def _rows(tab: AgendaTab) -> list[tuple[str, str, str]]:
    """(上会顺序, 议题, 状态) as the table shows them."""
    return [(tab.table.item(r, 0).text(), tab.table.item(r, 1).text(), tab.table.item(r, 4).text().strip())
            for r in range(tab.table.rowCount())]


def _pick(tab: AgendaTab, title: str) -> None:
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 1).text() == title)
    tab.table.selectRow(row)


def _review(monkeypatch: pytest.MonkeyPatch, approve: bool, note: str = "",
            after: list[str] | None = None) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        dialog.choice.setCurrentIndex(0 if approve else 1)
        dialog.note.setPlainText(note)

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        if after is not None:
            after.append(dialog.form.error_text("note"))

    answer_dialog(monkeypatch, ReviewDialog, fill, after=look)


def test_a_liaison_proposes_the_office_reviews_and_approves_and_orders(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    material = tmp_path / "停车设施三年行动方案（送审稿）.docx"
    material.write_bytes(b"PK\x03\x04 draft")

    liaison = _tab(qtbot, o, "liaison_fin", meeting)
    assert liaison.empty.isVisibleTo(liaison)
    for hidden in (liaison.review_button, liaison.up_button, liaison.down_button):
        assert not hidden.isVisibleTo(liaison)

    def propose(dialog: QDialog) -> None:
        assert isinstance(dialog, TopicDialog)
        assert dialog.unit.currentText() == "县财政局", "a liaison proposes for their own unit"
        dialog.title_edit.setText("研究县城区停车设施建设三年行动方案")
        dialog.summary_edit.setPlainText("提请会议审议行动方案及资金安排")
        dialog.reporter.setText("县财政局局长 钱某某")
        dialog.add_path(material)

    answer_dialog(monkeypatch, TopicDialog, propose)
    liaison.propose_button.click()
    assert _rows(liaison) == [("—", "研究县城区停车设施建设三年行动方案", "已申报")]
    topic = o.run(agenda.topics_of, o.clerk, meeting)[0]
    assert [m.filename for m in o.run(agenda.materials_of, o.clerk, topic.id)] == [material.name]

    # A second topic, proposed by the clerk for the 教育局.
    o.run(agenda.propose_topic, o.clerk, meeting, TopicInput("研究义务教育学校布局调整方案", "", "", o.units["教育局"]))

    clerk = _tab(qtbot, o, "clerk", meeting)
    _pick(clerk, "研究县城区停车设施建设三年行动方案")
    _review(monkeypatch, True)
    clerk.review_button.click()
    assert ("—", "研究县城区停车设施建设三年行动方案", "办公室已审核") in _rows(clerk)

    # A 文秘 may not approve a 常务会议's topic: refused, nothing changes.
    _pick(clerk, "研究县城区停车设施建设三年行动方案")
    shown = refusals(monkeypatch)
    before = counts(o.ctx)
    clerk.review_button.click()
    assert shown and "审定常务会议的议题" in shown[0]
    assert counts(o.ctx) == before

    director = _tab(qtbot, o, "director", meeting)
    _review(monkeypatch, True)
    for title in ("研究县城区停车设施建设三年行动方案", "研究义务教育学校布局调整方案"):
        _pick(director, title)
        director.review_button.click()
    _pick(director, "研究义务教育学校布局调整方案")
    director.review_button.click()
    assert _rows(director) == [("1", "研究县城区停车设施建设三年行动方案", "已审定"),
                               ("2", "研究义务教育学校布局调整方案", "已审定")]

    changed: list[bool] = []
    director.changed.connect(lambda: changed.append(True))
    _pick(director, "研究义务教育学校布局调整方案")
    director.up_button.click()
    assert [t.title for t in o.run(agenda.topics_of, o.mayor, meeting) if t.state == "approved"] == [
        "研究义务教育学校布局调整方案", "研究县城区停车设施建设三年行动方案"]
    assert [r[:2] for r in _rows(director)] == [("1", "研究义务教育学校布局调整方案"), ("2", "研究县城区停车设施建设三年行动方案")]
    assert changed == [True]
    shoot(director, "agenda", qtbot)


def test_turning_a_topic_down_needs_the_reason_beside_its_field(qtbot: QtBot, office: Office,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(agenda.propose_topic, o.liaison_fin, meeting, TopicInput("研究财政专户清理", "", "", o.units["财政局"]))
    tab = _tab(qtbot, o, "clerk", meeting)
    tab.table.selectRow(0)
    errors: list[str] = []
    before = counts(o.ctx)
    _review(monkeypatch, False, "", after=errors)
    tab.review_button.click()
    assert errors == ["不予上会请填写理由"]
    assert counts(o.ctx) == before
    _review(monkeypatch, False, "不属于常务会议研究范围，由分管副县长专题研究")
    tab.review_button.click()
    assert _rows(tab) == [("—", "研究财政专户清理", "不予上会")]
    assert tab.table.item(0, 5).text() == "不属于常务会议研究范围，由分管副县长专题研究"


@pytest.mark.parametrize("who", ["petition", "finance", "mayor"])
def test_who_may_not_propose_is_refused(qtbot: QtBot, office: Office, who: str, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, who, meeting)
    assert not tab.review_button.isVisibleTo(tab)
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TopicDialog)
        dialog.title_edit.setText("一个议题")
        dialog.unit.setCurrentIndex(dialog.unit.findData(o.units["财政局"]))

    shown = refusals(monkeypatch)
    answer_dialog(monkeypatch, TopicDialog, fill, after=lambda d: seen.append(d.windowTitle()))
    before = counts(o.ctx)
    tab.propose_button.click()
    assert seen == ["申报议题"]
    assert shown and "可以申报议题" in shown[0]
    assert counts(o.ctx) == before
    assert tab.empty.isVisibleTo(tab)


def test_a_liaison_withdraws_their_topic_and_its_materials_are_listed(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(agenda.propose_topic, o.liaison_fin, meeting, TopicInput("研究财政专户清理", "", "", o.units["财政局"]),
          files=[("清理方案.pdf", b"%PDF-1.4 x")])
    tab = _tab(qtbot, o, "liaison_fin", meeting)
    tab.table.selectRow(0)
    listed: list[list[str]] = []

    def look(dialog: MaterialsDialog) -> int:
        listed.append([dialog.file_list.item(i).text() for i in range(dialog.file_list.count())])
        extra = tmp_path / "测算表.xlsx"
        extra.write_bytes(b"PK\x03\x04 sheet")
        dialog.add_paths([extra])
        listed.append([dialog.file_list.item(i).text() for i in range(dialog.file_list.count())])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MaterialsDialog, "exec", look)
    tab.materials_button.click()
    assert listed == [["清理方案.pdf（1 KB）"], ["清理方案.pdf（1 KB）", "测算表.xlsx（1 KB）"]]

    asked = agree(monkeypatch, agenda_tab)
    tab.table.selectRow(0)
    tab.withdraw_button.click()
    assert asked and "研究财政专户清理" in asked[0]
    assert _rows(tab) == [("—", "研究财政专户清理", "已撤回")]
    assert not tab.withdraw_button.isEnabled()
