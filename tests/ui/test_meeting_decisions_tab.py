"""议定事项 tab (app.ui.meetings.decisions_tab): once the meeting is held the clerk records its decisions through the
dialog (text, 牵头单位, 完成时限), changes one, puts them in order and removes one; before the meeting is held, or
by someone outside the office, a save is refused and changes nothing. A decision becomes a 督办事项 through the
supervision area's form (the opener for "meeting"), and then shows the item's title and state and opens it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import decisions
from app.services.meetings.decisions import DecisionInput
from app.ui.meetings import decisions_tab
from app.ui.meetings.decisions_tab import DecisionDialog, DecisionsTab
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meeting_tabs import agree, answer_dialog, refusals, shoot
from tests.helpers.meetings_office import add_rooms, new_meeting
from tests.helpers.meetings_steps import take

PARKING = "原则同意《县城区停车设施建设三年行动方案》，由县财政局会同有关单位抓好资金保障"
SCHOOLS = "同意义务教育学校布局调整方案，由县教育局牵头分步实施"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _held(o: Office) -> int:
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    take(o, meeting, "convene")
    return meeting


def _tab(qtbot: QtBot, o: Office, who: str, meeting: int) -> DecisionsTab:
    tab = DecisionsTab(o.ctx, o.people[who], meeting)
    qtbot.addWidget(tab)
    tab.reload()
    return tab


def _rows(tab: DecisionsTab) -> list[list[str]]:
    return [[tab.table.item(r, c).text() for c in range(tab.table.columnCount())] for r in range(tab.table.rowCount())]


def _fill(o: Office, text: str, unit: str, deadline: date | None) -> object:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        dialog.text.setPlainText(text)
        dialog.unit.setCurrentIndex(dialog.unit.findData(o.units[unit]))
        dialog.has_deadline.setChecked(deadline is not None)
        if deadline is not None:
            from app.ui.widgets.qt_helpers import to_qdate

            dialog.deadline.setDate(to_qdate(deadline))

    return fill


def test_the_clerk_records_changes_orders_and_removes_decisions(qtbot: QtBot, office: Office,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = _held(o)
    tab = _tab(qtbot, o, "clerk", meeting)
    assert tab.empty.isVisibleTo(tab)
    due = date(2027, 3, 31)
    answer_dialog(monkeypatch, DecisionDialog, _fill(o, PARKING, "财政局", due))  # type: ignore[arg-type]
    tab.add_button.click()
    answer_dialog(monkeypatch, DecisionDialog, _fill(o, SCHOOLS, "教育局", None))  # type: ignore[arg-type]
    tab.add_button.click()
    assert _rows(tab) == [["1", PARKING, "县财政局", "2027年3月31日", "未转督办"],
                          ["2", SCHOOLS, "县教育局", "—", "未转督办"]]
    assert tab.summary.text() == "共 2 项议定事项，已转督办 0 项。"

    tab.table.selectRow(1)
    answer_dialog(monkeypatch, DecisionDialog, _fill(o, SCHOOLS, "教育局", due + timedelta(days=30)))  # type: ignore[arg-type]
    tab.edit_button.click()
    assert _rows(tab)[1][3] == "2027年4月30日"

    tab.table.selectRow(0)
    tab.down_button.click()
    assert [d.text for d in o.run(decisions.decisions_of, o.mayor, meeting)] == [SCHOOLS, PARKING]
    tab.up_button.click()
    assert [d.text for d in o.run(decisions.decisions_of, o.mayor, meeting)] == [PARKING, SCHOOLS]
    tab.table.selectRow(1)
    tab.up_button.click()
    assert [d.text for d in o.run(decisions.decisions_of, o.mayor, meeting)] == [SCHOOLS, PARKING]
    assert tab.current() is not None and tab.current().text == SCHOOLS  # type: ignore[union-attr]

    asked = agree(monkeypatch, decisions_tab)
    tab.table.selectRow(0)
    tab.remove_button.click()
    assert asked and SCHOOLS[:10] in asked[0]
    assert [d.text for d in o.run(decisions.decisions_of, o.clerk, meeting)] == [PARKING]
    shoot(tab, "decisions", qtbot)


def test_an_empty_decision_is_refused_beside_its_field(qtbot: QtBot, office: Office,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = _held(o)
    tab = _tab(qtbot, o, "clerk", meeting)
    errors: list[str] = []
    before = counts(o.ctx)
    answer_dialog(monkeypatch, DecisionDialog, _fill(o, "   ", "财政局", None),  # type: ignore[arg-type]
                  after=lambda d: errors.append(d.form.error_text("text")))  # type: ignore[attr-defined]
    tab.add_button.click()
    assert errors == ["请填写议定事项"]
    assert counts(o.ctx) == before


def test_before_the_meeting_is_held_a_decision_is_refused(qtbot: QtBot, office: Office,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    shown: list[str] = []
    answer_dialog(monkeypatch, DecisionDialog, _fill(o, PARKING, "财政局", None),  # type: ignore[arg-type]
                  after=lambda d: shown.append(d.form.general_error or d.form.error_text("text")))  # type: ignore[attr-defined]
    boxes = refusals(monkeypatch)
    before = counts(o.ctx)
    tab.add_button.click()
    assert any("登记议定事项" in text for text in shown + boxes)
    assert counts(o.ctx) == before
    assert tab.empty.isVisibleTo(tab)


@pytest.mark.parametrize("who", ["petition", "liaison_fin", "mayor"])
def test_outside_the_office_decisions_are_read_only(qtbot: QtBot, office: Office, who: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = _held(o)
    o.run(decisions.save_decisions, o.clerk, meeting, [DecisionInput(PARKING, o.units["财政局"], None)])
    tab = _tab(qtbot, o, who, meeting)
    assert _rows(tab)[0][1] == PARKING
    for button in (tab.add_button, tab.edit_button, tab.remove_button, tab.up_button, tab.down_button,
                   tab.to_item_button):
        assert not button.isVisibleTo(tab)
    # The buttons are hidden; the service is the protection: an add tried anyway is refused.
    shown: list[str] = []
    answer_dialog(monkeypatch, DecisionDialog, _fill(o, SCHOOLS, "教育局", None),  # type: ignore[arg-type]
                  after=lambda d: shown.append(d.form.general_error))  # type: ignore[attr-defined]
    boxes = refusals(monkeypatch)
    before = counts(o.ctx)
    tab.add()
    assert any("登记议定事项" in text for text in shown + boxes)
    assert counts(o.ctx) == before


def test_a_decision_becomes_an_item_in_one_action_and_opens_it(qtbot: QtBot, office: Office,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.workflow import links
    from app.ui.supervision.editor import DecisionItemEditor
    from app.ui.supervision.window import ItemWindow

    o = office
    meeting = _held(o)
    due = date(2027, 3, 31)
    o.run(decisions.save_decisions, o.clerk, meeting,
          [DecisionInput(PARKING, o.units["财政局"], due), DecisionInput(SCHOOLS, o.units["教育局"], None)])
    tab = _tab(qtbot, o, "clerk", meeting)
    tab.table.selectRow(0)
    assert tab.to_item_button.text() == "转为督办事项…"
    seen: list[tuple[str, str, object, object, str]] = []

    def register(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionItemEditor)
        seen.append((dialog.title_edit.text(), dialog.source.currentData(), dialog.lead.currentData(),
                     dialog.deadline.date().toPython(), dialog.requirement.toPlainText()))

    answer_dialog(monkeypatch, DecisionItemEditor, register)
    tab.to_item_button.click()
    assert seen == [(PARKING, "常务会议决定事项", o.units["财政局"], due, f"县政府第12次常务会议议定：{PARKING}")]
    made = o.run(decisions.decisions_of, o.clerk, meeting)
    assert made[0].item_id is not None and made[1].item_id is None
    assert made[0].item_title.startswith("督〔2026〕1号 ")
    assert _rows(tab)[0][4] == f"督〔2026〕1号（{made[0].item_state_label}）"
    assert made[0].item_state_label == "立项"
    assert tab.summary.text() == "共 2 项议定事项，已转督办 1 项。"
    tab.table.selectRow(0)
    assert tab.to_item_button.text() == "打开督办事项"
    assert not tab.edit_button.isEnabled() and not tab.remove_button.isEnabled()

    # The link reads from the item's end too: it came from this meeting.
    with o.ctx.uow() as uow:
        found = links.linked_parts(uow, o.clerk, ("meeting", meeting), decisions.LINK_KIND)
        from_item = links.links_of(uow, o.clerk, "supervision_item", int(made[0].item_id or 0)).records
    assert list(found) == [made[0].id]
    assert [(r.entity_type, r.entity_id, r.source_part, r.outgoing) for r in from_item] == [
        ("meeting", meeting, made[0].id, False)]

    # A click on the item opens it in the supervision area's window.
    opened: list[int] = []
    monkeypatch.setattr(ItemWindow, "exec", lambda window: opened.append(window.item_id) or 0)
    tab._clicked(0, 4)
    tab.table.selectRow(0)
    tab.to_item_button.click()
    assert opened == [made[0].item_id, made[0].item_id]


@pytest.mark.parametrize("who", ["clerk", "director"])
def test_from_the_window_without_a_decision_the_form_says_where_to_start(office: Office, who: str) -> None:
    from app.core.errors import ValidationError
    from app.ui.supervision.editor import DecisionItemEditor

    o = office
    meeting = _held(o)
    with pytest.raises(ValidationError, match="议定事项"):
        DecisionItemEditor(o.ctx, o.people[who], ("meeting", meeting), "县政府第12次常务会议")
