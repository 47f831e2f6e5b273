"""The meeting window's own tabs (app.ui.meetings.tabs.meeting_tabs): the five in the order the work goes, each
read when first shown (not when the window opens), each saying ``changed`` after an act and not after a refusal.
The tabs one by one have test files of their own (test_meeting_*_tab.py)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import plan
from app.ui.meetings.plan_tab import PlanTab
from app.ui.meetings.tab_base import MeetingTab
from app.ui.meetings.tabs import meeting_tabs
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meeting_tabs import TAB_SIZE, refusals
from tests.helpers.meetings_office import add_rooms, new_meeting


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def test_the_five_tabs_in_order_each_read_when_first_shown(qtbot: QtBot, office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    holder = QTabWidget()
    qtbot.addWidget(holder)
    tabs = meeting_tabs(o.ctx, o.clerk, meeting, holder)
    assert [title for title, _w in tabs] == ["议题", "会议方案", "签到", "座次", "议定事项"]
    for title, widget in tabs:
        assert isinstance(widget, MeetingTab)
        holder.addTab(widget, title)
    assert not any(w.loaded for _t, w in tabs if isinstance(w, MeetingTab))
    holder.resize(*TAB_SIZE)
    holder.show()
    qtbot.waitExposed(holder)
    first = tabs[0][1]
    assert isinstance(first, MeetingTab)
    qtbot.waitUntil(lambda: first.loaded)
    assert not any(w.loaded for _t, w in tabs[1:] if isinstance(w, MeetingTab)), "only the tab shown is read"
    for index, (_title, widget) in enumerate(tabs):
        holder.setCurrentIndex(index)
        assert isinstance(widget, MeetingTab)
        qtbot.waitUntil(lambda w=widget: w.loaded)  # type: ignore[misc]


def test_a_tab_says_changed_after_an_act_and_not_after_a_refusal(qtbot: QtBot, office: Office,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    said: list[str] = []
    for who in ("petition", "clerk"):
        tab = PlanTab(o.ctx, o.people[who], meeting)
        qtbot.addWidget(tab)
        tab.reload()
        tab.changed.connect(lambda who=who: said.append(who))
        shown = refusals(monkeypatch)
        before = counts(o.ctx)
        done = tab.act(plan.make_plan, meeting)
        if who == "petition":
            assert not done and shown and counts(o.ctx) == before
        else:
            assert done and not shown
    assert said == ["clerk"]
    assert o.run(plan.plan_of, o.clerk, meeting).tasks
