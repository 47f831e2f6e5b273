"""座次 tab (app.ui.meetings.seating_tab): the chart seen from the audience, the 主席台 over the hall; a seat card
dragged with the mouse (real press, move and release on the view) onto another seat moves that attendee there,
and onto a zone's last place puts them last in it; 按职级重排 seats everyone by rank again. Someone outside the
office cannot drag (the cards do not move), and a move they try anyway is refused and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import seating
from app.ui.meetings import seating_tab
from app.ui.meetings.seating_scene import SeatCard
from app.ui.meetings.seating_tab import SeatingTab
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meeting_tabs import TAB_SIZE, agree, printed, refusals, shoot
from tests.helpers.meetings_office import add_rooms, new_meeting


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _tab(qtbot: QtBot, o: Office, who: str, meeting: int) -> SeatingTab:
    tab = SeatingTab(o.ctx, o.people[who], meeting)
    qtbot.addWidget(tab)
    tab.resize(*TAB_SIZE)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.loaded)
    return tab


def _names(o: Office, meeting: int, zone: str) -> list[str]:
    plan = o.run(seating.seating_of, o.clerk, meeting)
    return [seat.name for row in getattr(plan, zone) for seat in row]


def _card(tab: SeatingTab, name: str) -> SeatCard:
    return next(card for card in tab.scene.cards.values() if card.name == name)


def _on_view(tab: SeatingTab, point: QPointF) -> QPoint:
    return tab.view.mapFromScene(point)


def _drag(qtbot: QtBot, tab: SeatingTab, card: SeatCard, target: QPointF) -> None:
    """Presses on the card, moves in steps to the target and lets go, as a hand on the mouse would."""
    viewport = tab.view.viewport()
    start = _on_view(tab, card.sceneBoundingRect().center())
    end = _on_view(tab, target)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.wait(30)


def test_dragging_a_card_onto_another_seat_moves_it(qtbot: QtBot, office: Office,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    # By rank, seen from the audience: with two on the dais they share the centre, the first on the left.
    assert [tab.scene.cards[i].name for i in tab.scene.order("dais")] == ["陈县长", "刘副县长"]
    assert [tab.scene.cards[i].name for i in tab.scene.order("hall")] == ["钱局长", "孙局长"]
    assert tab.state.text() == "座次：按职级排定"

    changed: list[bool] = []
    tab.changed.connect(lambda: changed.append(True))
    _drag(qtbot, tab, _card(tab, "刘副县长"), _card(tab, "陈县长").sceneBoundingRect().center())
    qtbot.waitUntil(lambda: _names(o, meeting, "dais") == ["刘副县长", "陈县长"])
    qtbot.waitUntil(lambda: [tab.scene.cards[i].name for i in tab.scene.order("dais")] == ["刘副县长", "陈县长"])
    assert tab.state.text() == "座次：已手工调整"
    assert changed == [True]

    # Onto the 主席台's last place: the hall's 孙局长 goes up, last on the dais.
    end = next(slot for slot in tab.scene.slots if slot.zone == "dais" and slot.index == 2)
    _drag(qtbot, tab, _card(tab, "孙局长"), end.rect.center())
    qtbot.waitUntil(lambda: _names(o, meeting, "dais") == ["刘副县长", "陈县长", "孙局长"])
    assert _names(o, meeting, "hall") == ["钱局长"]

    # Let go where there is no seat: nothing is asked, the card goes home.
    before = counts(o.ctx)
    card = _card(tab, "钱局长")
    home = card.pos()
    _drag(qtbot, tab, card, tab.scene.sceneRect().bottomRight() - QPointF(2, 2))
    assert counts(o.ctx) == before
    assert _card(tab, "钱局长").pos() == home
    shoot(tab, "seating", qtbot)

    agree(monkeypatch, seating_tab)
    tab.reset_button.click()
    # By rank again, each staying in their zone: three on the dais sit 3 1 2 from the audience's left.
    assert _names(o, meeting, "dais") == ["孙局长", "陈县长", "刘副县长"]
    assert not o.run(seating.seating_of, o.clerk, meeting).by_hand
    assert tab.state.text() == "座次：按职级排定"


@pytest.mark.parametrize("who", ["petition", "liaison_fin", "mayor"])
def test_outside_the_office_the_cards_do_not_move_and_a_move_is_refused(qtbot: QtBot, office: Office, who: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, who, meeting)
    assert not tab.reset_button.isVisibleTo(tab)
    before = counts(o.ctx)
    card = _card(tab, "刘副县长")
    home = card.pos()
    _drag(qtbot, tab, card, _card(tab, "陈县长").sceneBoundingRect().center())
    assert _card(tab, "刘副县长").pos() == home
    assert _names(o, meeting, "dais") == ["陈县长", "刘副县长"]
    # Asked anyway (the service is the protection): refused, nothing changes.
    shown = refusals(monkeypatch)
    tab.move_seat(card.attendee_id, "dais", 0)
    assert shown and "调整座次" in shown[0]
    assert counts(o.ctx) == before


def test_a_full_hall_fits_the_tab_at_both_text_sizes(qtbot: QtBot, office: Office) -> None:
    """Twenty-four in the hall (ten a row) and two on the dais: the chart is shrunk to the view's width, never cut."""
    from app.services.meetings.records import AttendeeInput
    from tests.helpers.meetings_office import attendees

    o = office
    hall = [AttendeeInput(name=f"第{n}号代表", post="乡镇党委书记", rank=10 + n) for n in range(24)]
    meeting = new_meeting(o, add_rooms(o)["第二会议室"], attendees=attendees(o)[:2] + hall)
    tab = _tab(qtbot, o, "clerk", meeting)
    assert len(o.run(seating.seating_of, o.clerk, meeting).hall) == 3
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        for size in ("medium", "large"):
            apply_theme(app, size)
            tab.reload()
            qtbot.wait(20)
            shown = tab.view.mapFromScene(tab.scene.sceneRect()).boundingRect()
            assert shown.width() <= tab.view.viewport().width() + 1, size
    finally:
        apply_theme(app, "medium")
    shoot(tab, "seating-full", qtbot)
    assert {card.name for card in tab.scene.cards.values()} >= {"第0号代表", "第23号代表"}


@pytest.mark.parametrize("who", ["clerk", "mayor"])
def test_the_chart_prints_as_dragged(qtbot: QtBot, office: Office, who: str, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(seating.move_seat, o.clerk, meeting, _attendee(o, meeting, "刘副县长"), "dais", 0)
    tab = _tab(qtbot, o, who, meeting)
    title, text = printed(monkeypatch, tab.print_button.click)
    assert title == "打印预览 — 座次图"
    flat = text.replace("\n", "").replace(" ", "")
    assert "县政府第12次常务会议" in flat
    assert flat.index("刘副县长") < flat.index("陈县长"), "the 主席台 as dragged, from the audience's left"


def _attendee(o: Office, meeting: int, name: str) -> int:
    from app.services.meetings import records

    return next(a.id for a in o.run(records.get_meeting, o.clerk, meeting).attendees if a.name == name)


def test_without_the_mouse_a_selected_card_moves_one_seat_at_a_time(qtbot: QtBot, office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    assert not tab.left_button.isEnabled() and not tab.right_button.isEnabled()
    _card(tab, "陈县长").setSelected(True)
    assert not tab.left_button.isEnabled() and tab.right_button.isEnabled()
    tab.right_button.click()
    assert _names(o, meeting, "dais") == ["刘副县长", "陈县长"]
    assert tab.selected() is not None and tab.selected().name == "陈县长"  # type: ignore[union-attr]
    assert tab.left_button.isEnabled() and not tab.right_button.isEnabled()
    tab.left_button.click()
    assert _names(o, meeting, "dais") == ["陈县长", "刘副县长"]
