"""A record's clocks in its window (app.ui.widgets.clock_panel, through the generic record window of a flow
without an area, app.ui.workbench.record_dialog): a line per clock under the state, only the buttons this
person may use, the 延期 / 暂停计时 dialogs doing the work or showing the refusal with what was typed kept, and
the clocks' brackets on the flowchart tab."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.core.roles import Role
from app.services.kernel.actor import Actor
from app.services.kernel.clock import office_today
from app.ui.theme import apply_theme
from app.ui.widgets.conflict import ConflictDialog
from app.ui.workbench.record_dialog import RecordDialog
from tests.helpers import add_user
from tests.helpers.clock_flow import new_clocked, overdue_reading
from tests.helpers.ui import Office

# The window reads the clocks for the office's day (China Standard Time), whatever the machine's zone.
TODAY = office_today()


def record_at_handle(office: Office, days_ago: int = 70) -> tuple[Actor, int]:
    petition = add_user(office.ctx, "petition", [Role.PETITION_OFFICER], office.unit_id, "孙接待")
    return petition, new_clocked(office.ctx, petition, TODAY - timedelta(days=days_ago), at="handle")


def window_for(qtbot: QtBot, office: Office, actor: Actor, record: int) -> RecordDialog:
    window = RecordDialog(office.ctx, actor, record)
    qtbot.addWidget(window)
    return window


def overdue_text(line: str) -> str:
    return overdue_reading(line, TODAY)


def line_texts(window: RecordDialog) -> list[str]:
    return [label.text() for label in window.clock_panel.lines]


def test_each_person_sees_the_clock_lines_and_only_the_buttons_they_may_use(qtbot: QtBot, office: Office) -> None:
    petition, record = record_at_handle(office)
    clerk = window_for(qtbot, office, office.clerk, record)
    assert not clerk.clock_panel.isHidden()
    lines = line_texts(clerk)
    assert len(lines) == 2 and "受理时限" in lines[0] and "办理时限：应于" in lines[1]
    assert overdue_text(lines[1]) in lines[1]
    # The 文秘人员 acts at 办理: she may pause; the extension is the 主任's or 副主任's.
    assert clerk.clock_panel.button_texts() == ["暂停计时…"]
    assert window_for(qtbot, office, office.lead, record).clock_panel.button_texts() == ["延期…"]
    assert window_for(qtbot, office, office.leader, record).clock_panel.button_texts() == []
    # Who registered it answers for it (首问负责): she may pause too.
    assert window_for(qtbot, office, petition, record).clock_panel.button_texts() == ["暂停计时…"]


def test_a_flow_without_clocks_shows_no_clock_panel(qtbot: QtBot, office: Office) -> None:
    from app.services.workflow import moves

    with office.ctx.uow() as uow:
        instance = moves.start(uow, office.clerk, flow_key="outgoing_document", entity_type="task", title="无时限")
        uow.commit()
    window = window_for(qtbot, office, office.clerk, instance.id)
    assert window.clock_panel.isHidden() and window.clock_panel.lines == []


def test_the_extension_dialog_extends_and_the_window_shows_it(qtbot: QtBot, office: Office) -> None:
    _petition, record = record_at_handle(office)
    window = window_for(qtbot, office, office.lead, record)
    view = window.clock_panel.views[1]
    dialog = window.clock_panel.dialog_for("extend", view)
    qtbot.addWidget(dialog)
    assert dialog.amount.maximum() == 30 and dialog.amount.suffix() == " 日"
    # No reason: the form says so and nothing is saved.
    assert not dialog.save()
    assert dialog.form.error_text("reason") == "请填写理由"
    dialog.amount.setValue(20)
    dialog.reason.setPlainText("需要现场核查")
    assert dialog.save()
    window.after_change()
    assert "已延期20日" in line_texts(window)[1] and "已超期" not in line_texts(window)[1]
    # Extended once: the button is gone.
    assert window.clock_panel.button_texts() == []
    assert "延期" in [window.history.item(r, 2).text() for r in range(window.history.rowCount())]  # type: ignore[union-attr]


def test_a_refusal_shows_in_the_dialog_and_keeps_what_was_typed(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    _petition, record = record_at_handle(office)
    window = window_for(qtbot, office, office.clerk, record)
    # A stale window: the clerk's panel was built when she could extend (she cannot).
    dialog = window.clock_panel.dialog_for("extend", window.clock_panel.views[1])
    qtbot.addWidget(dialog)
    dialog.reason.setPlainText("需要现场核查")
    assert not dialog.save()
    assert dialog.form.general_error == "只有办公室主任、副主任可以批准“办理时限”延期"
    assert dialog.reason.toPlainText() == "需要现场核查" and not dialog.result()

    # Someone else changed the record meanwhile: the conflict is offered, and keeping on leaves the text.
    pause = window.clock_panel.dialog_for("pause", window.clock_panel.views[1])
    qtbot.addWidget(pause)
    lead_window = window_for(qtbot, office, office.lead, record)
    assert lead_window.clock_panel.dialog_for("extend", lead_window.clock_panel.views[1]).work(5, "案情复杂") is not None
    asked: list[str] = []
    monkeypatch.setattr(ConflictDialog, "ask", lambda parent, message: asked.append(message) or ConflictDialog.KEEP_EDITING)
    pause.reason.setPlainText("等待群众补充材料")
    assert not pause.save()
    assert asked and pause.reason.toPlainText() == "等待群众补充材料"


def test_the_pause_and_resume_dialogs(qtbot: QtBot, office: Office) -> None:
    _petition, record = record_at_handle(office, days_ago=5)
    window = window_for(qtbot, office, office.clerk, record)
    dialog = window.clock_panel.dialog_for("pause", window.clock_panel.views[1])
    qtbot.addWidget(dialog)
    assert dialog.form.field("reason") is dialog.reason
    dialog.reason.setPlainText("等待群众补充材料")
    assert dialog.save()
    window.after_change()
    assert "暂停计时" in line_texts(window)[1]
    assert window.clock_panel.button_texts() == ["恢复计时…"]
    resume = window.clock_panel.dialog_for("resume", window.clock_panel.views[1])
    qtbot.addWidget(resume)
    resume.reason.setPlainText("材料已补齐")
    assert resume.save()
    window.after_change()
    assert window.clock_panel.button_texts() == ["暂停计时…"]


def test_the_flowchart_tab_shows_each_clock_with_its_reading(qtbot: QtBot, office: Office) -> None:
    _petition, record = record_at_handle(office)
    window = window_for(qtbot, office, office.clerk, record)
    texts = window.flowchart.clock_texts
    assert texts[:2] == ["受理时限 15日", "登记"]
    assert "办理时限 60日" in texts and "办理至答复" in texts
    assert any(overdue_text(line_texts(window)[1]) in text for text in texts)


@pytest.mark.parametrize("size", ["medium", "large"])
def test_the_clock_lines_and_buttons_fit(qtbot: QtBot, office: Office, size: str, tmp_path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    apply_theme(app, size)
    _petition, record = record_at_handle(office)
    window = window_for(qtbot, office, office.lead, record)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    window.grab().save(str(tmp_path / f"clock-window-{size}.png"))
    window.grab().save(f"/tmp/clocks-window-{size}.png")
    for label in window.clock_panel.lines:
        assert label.isVisible() and label.height() >= label.heightForWidth(label.width()) - 1
    for button in window.clock_panel.buttons:
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
    window.tabs.setCurrentIndex(window.flow_index)
    qtbot.wait(50)
    window.grab().save(f"/tmp/clocks-flow-{size}.png")
    dialog = window.clock_panel.dialog_for("extend", window.clock_panel.views[1])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(f"/tmp/clocks-dialog-{size}.png")
    assert all(lbl.width() >= lbl.minimumSizeHint().width() for lbl in dialog.findChildren(QLabel) if lbl.isVisible())
