"""The meeting tabs' dialogs looked at, at text size 中 and 大: each fits a 1366×768 screen, every field and
button is shown whole (screenshots in /tmp/meeting-dialog-*.png)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import agenda, records
from app.services.meetings.agenda import TopicInput
from app.ui.meetings.agenda_tab import ReviewDialog, TopicDialog
from app.ui.meetings.attendance_tab import SignDialog
from app.ui.meetings.decisions_tab import DecisionDialog
from app.ui.meetings.plan_tab import TaskDialog
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office, build_office
from tests.helpers.meetings_office import add_rooms, new_meeting


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _look(qtbot: QtBot, name: str, make: Callable[[QWidget], QDialog]) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    parent = QWidget()
    qtbot.addWidget(parent)
    try:
        for size in ("medium", "large"):
            apply_theme(app, size)
            dialog = make(parent)
            dialog.show()
            qtbot.waitExposed(dialog)
            qtbot.wait(20)
            assert dialog.width() <= 1366 and dialog.height() <= 768 - 40, (name, size, dialog.size())
            for button in dialog.findChildren(QPushButton):
                if button.isVisible():
                    hint = button.sizeHint()
                    assert button.width() >= hint.width() - 1, (name, size, button.text())
            dialog.grab().save(f"/tmp/meeting-dialog-{name}-{size}.png")
            dialog.close()
            dialog.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    finally:
        apply_theme(app, "medium")


def test_the_dialogs_fit_at_both_text_sizes(qtbot: QtBot, office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    topic = o.run(agenda.propose_topic, o.liaison_fin, meeting,
                  TopicInput("研究县城区停车设施建设三年行动方案", "提请会议审议", "钱某某", o.units["财政局"]))
    person = o.run(records.get_meeting, o.clerk, meeting).attendees[2]
    _look(qtbot, "topic", lambda p: TopicDialog(p, o.ctx, o.liaison_fin, None))
    _look(qtbot, "review", lambda p: ReviewDialog(p, topic, "常务会议"))
    _look(qtbot, "task", lambda p: TaskDialog(p, o.ctx, o.clerk, None, "会场布置"))
    _look(qtbot, "leave", lambda p: SignDialog(p, person, "leave"))
    _look(qtbot, "decision", lambda p: DecisionDialog(p, o.ctx, o.clerk, None))
