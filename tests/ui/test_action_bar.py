"""Flow action buttons: one click acts once, and the next step's buttons take no click begun before they
appeared (the second click of a double-click)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.claims import LineInput
from app.services.claims import records as claims
from app.ui.claims.window import ClaimWindow
from app.ui.widgets import action_bar
from app.ui.widgets.action_bar import ActionBar, ActionButton
from app.ui.widgets.qt_helpers import add_button, clear_layout
from tests.helpers.ui import Office

STEPS = ["提交", "核稿通过", "签发", "编号"]


class Flow(QWidget):
    """A record window's bar in small: each action moves one step on and rebuilds the bar, so the next step's
    button comes where the last one was."""

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []
        self.bar = ActionBar()
        self.setLayout(self.bar)
        self.build()

    def build(self) -> None:
        clear_layout(self.bar)
        step = STEPS[len(self.done)]
        add_button(self.bar, step, lambda *_args, s=step: self.act(s), primary=True)

    def act(self, step: str) -> None:
        self.done.append(step)
        self.build()

    def button(self) -> ActionButton:
        buttons = self.bar.buttons()
        assert len(buttons) == 1
        return buttons[0]


def at(flow: Flow, where: QPoint) -> tuple[QWidget, QPoint]:
    """What a mouse event at ``where`` in the window reaches: the widget there at that moment."""
    child = flow.childAt(where) or flow
    return child, child.mapFrom(flow, where)


def mouse(qtbot: QtBot, kind: str, flow: Flow, where: QPoint) -> None:
    widget, pos = at(flow, where)
    getattr(qtbot, kind)(widget, Qt.MouseButton.LeftButton, pos=pos)


# Longer than the platform's 400 ms in these tests, so that a slow, shared test machine cannot let the guard
# run out between the button appearing and the click that must be ignored.
TEST_GUARD_MS = 1500


@pytest.fixture(autouse=True)
def _long_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(action_bar, "press_guard_ms", lambda: TEST_GUARD_MS)


def shown_flow(qtbot: QtBot) -> tuple[Flow, QPoint]:
    flow = Flow()
    qtbot.addWidget(flow)
    flow.resize(300, 60)
    flow.show()
    qtbot.waitExposed(flow)
    # The window has just opened: wait as a person would before the first click.
    qtbot.wait(TEST_GUARD_MS + 50)
    return flow, flow.button().geometry().center()


def test_a_double_click_acts_once_and_does_not_press_the_next_steps_button(qtbot: QtBot) -> None:
    flow, where = shown_flow(qtbot)
    # What the window system sends for a double-click: press, release, then a double-click press, release.
    mouse(qtbot, "mouseClick", flow, where)
    mouse(qtbot, "mouseDClick", flow, where)
    mouse(qtbot, "mouseRelease", flow, where)
    qtbot.wait(50)
    assert flow.done == ["提交"]
    # The second click comes a moment later, once the new button is on screen, where the first one was.
    mouse(qtbot, "mouseClick", flow, where)
    qtbot.wait(50)
    assert flow.done == ["提交"]
    assert flow.button().text() == "核稿通过"
    # A click the person means, after a moment, is taken.
    qtbot.wait(TEST_GUARD_MS)
    mouse(qtbot, "mouseClick", flow, where)
    assert flow.done == ["提交", "核稿通过"]


def test_two_quick_clicks_on_one_button_act_once(qtbot: QtBot) -> None:
    flow, _where = shown_flow(qtbot)
    first = flow.button()
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert flow.done == ["提交"]


def test_a_press_begun_before_the_button_appeared_does_not_trigger_it(qtbot: QtBot) -> None:
    flow, where = shown_flow(qtbot)
    flow.button().click()
    # The next step's button has appeared; the mouse goes down and up on it at once, as the tail of a
    # double-click queued while the action ran.
    qtbot.waitUntil(lambda: flow.button().isVisible())
    mouse(qtbot, "mousePress", flow, where)
    mouse(qtbot, "mouseRelease", flow, where)
    assert flow.done == ["提交"]


def test_the_bar_is_disabled_while_an_action_runs(qtbot: QtBot) -> None:
    holder = QWidget()
    bar = ActionBar()
    holder.setLayout(bar)
    qtbot.addWidget(holder)
    seen: list[tuple[bool, bool]] = []
    ran: list[str] = []
    other = bar.add_action("退回", lambda: ran.append("退回"))

    def slow() -> None:
        ran.append("通过")
        seen.append((first.isEnabled(), other.isEnabled()))
        # A click arriving while the action runs (say from a nested event loop) is dropped.
        other.click()
        bar.run(lambda: ran.append("again"))

    first = bar.add_action("通过", slow, primary=True)
    first.click()
    assert ran == ["通过"]
    assert seen == [(False, False)]
    assert first.isEnabled() and other.isEnabled()


def test_a_double_click_on_a_claims_flow_button_moves_it_one_step(qtbot: QtBot, office: Office) -> None:
    with office.ctx.uow() as uow:
        claim = claims.create_claim(uow, office.clerk, claims.ClaimInput(
            office.unit_id, date.today(), [LineInput("打印纸", "办公费", "120")], 1))
    window = ClaimWindow(office.ctx, office.clerk, claim.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(TEST_GUARD_MS + 50)
    assert isinstance(window.actions_row, ActionBar)
    (submit,) = [b for b in window.actions_row.buttons() if b.text() == "提交"]
    where = submit.mapTo(window, submit.rect().center())
    # Without the guards the second click pressed 提交 again, and the service's refusal came up as an error.
    for kind in ("mouseClick", "mouseDClick", "mouseRelease"):
        widget = window.childAt(where) or window
        getattr(qtbot, kind)(widget, Qt.MouseButton.LeftButton, pos=widget.mapFrom(window, where))
    qtbot.wait(50)
    with office.ctx.uow() as uow:
        detail = claims.get_claim(uow, office.clerk, claim.id)
    assert [h.action for h in detail.workflow.history if h.action == "submit"] == ["submit"]
