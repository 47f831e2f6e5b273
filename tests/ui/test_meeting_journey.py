"""One meeting from start to end, as the office's 文秘 takes it through the windows: registered in the editor with
its room and attendees, its 会议方案 made from the template with a task on its owner's 工作台 and ticked off, the
会议通知 printed, sign-in opened and taken, the meeting ended, its 纪要 drafted as a 发文, and a decision turned
into a 督办事项 whose window names the meeting it came from."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.meetings import attendance, decisions, plan
from app.services.workflow import links, todo
from app.ui.documents.minutes_dialog import MinutesDraftDialog
from app.ui.meetings import window as window_module
from app.ui.meetings.attendance_tab import AttendanceTab
from app.ui.meetings.decisions_tab import DecisionDialog, DecisionsTab
from app.ui.meetings.editor import MeetingEditor
from app.ui.meetings.plan_tab import PlanTab
from app.ui.meetings.window import MeetingWindow
from app.ui.widgets import print_preview
from app.ui.widgets.qt_helpers import to_qdate
from tests.helpers.document_office import Office, build_office
from tests.helpers.document_ui import buttons, click
from tests.helpers.meetings_office import add_rooms

DAY = date.today() + timedelta(days=3)
TITLE = "全县安全生产专题会议"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _tasks(tab: PlanTab) -> list[QTreeWidgetItem]:
    found = []
    for g in range(tab.tree.topLevelItemCount()):
        group = tab.tree.topLevelItem(g)
        found += [group.child(c) for c in range(group.childCount())]
    return found


def _tab(window: MeetingWindow, kind: type) -> object:
    found = next(w for w in window.area_tabs if isinstance(w, kind))
    window.tabs.setCurrentWidget(found)
    found.reload()  # type: ignore[attr-defined]
    return found


def _settle() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _tool(window: MeetingWindow, text: str) -> QPushButton:
    return next(b for b in window.findChildren(QPushButton) if b.text() == text)


def test_a_meeting_from_the_editor_to_its_minutes_and_a_supervision_item(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch,
) -> None:
    o = office
    rooms = add_rooms(o)
    monkeypatch.setattr(window_module, "confirm", lambda *_args, **_kwargs: True)

    # ----- registered in the editor, with a room and attendees -------------------------------------------------
    editor = MeetingEditor(o.ctx, o.clerk, starts_at=datetime.combine(DAY, time(9)))
    qtbot.addWidget(editor)
    editor.meeting_type.setCurrentIndex(editor.meeting_type.findData("专题会议"))
    editor.title_edit.setText(TITLE)
    editor.host.setText("陈县长")
    editor.room.setCurrentIndex(editor.room.findData(rooms["第一会议室"]))
    editor.person_pick.setCurrentIndex(next(i for i in range(editor.person_pick.count())
                                            if getattr(editor.person_pick.itemData(i), "id", None) == o.mayor.id))
    editor.add_person()
    for unit in ("财政局", "教育局"):
        editor.unit_pick.setCurrentIndex(next(i for i in range(editor.unit_pick.count())
                                              if getattr(editor.unit_pick.itemData(i), "id", None) == o.units[unit]))
        editor.add_unit()
    editor.save()
    assert editor.saved is not None, editor.form.error_text("room_id")
    meeting = editor.saved.id

    window = MeetingWindow(o.ctx, o.clerk, meeting)
    qtbot.addWidget(window)
    assert "会前筹备" in window.state_label.text()
    # The minutes wait for the meeting to be held.
    assert not _tool(window, "起草会议纪要…").isVisibleTo(window)

    # ----- the plan: made from the template; a task on its owner's 工作台 until ticked off ----------------------
    plan_tab = _tab(window, PlanTab)
    assert isinstance(plan_tab, PlanTab)
    plan_tab.make_button.click()
    tasks = o.run(plan.plan_of, o.clerk, meeting).tasks
    first = tasks[0]
    mine = [t for t in o.run(todo.todo, o.clerk).items if t.kind == todo.TASK]
    assert f"{first.phase}：{first.text}" in [t.task for t in mine]
    _tasks(plan_tab)[0].setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: o.run(plan.plan_of, o.clerk, meeting).tasks[0].done)
    assert f"{first.phase}：{first.text}" not in [t.task for t in o.run(todo.todo, o.clerk).items
                                                if t.kind == todo.TASK]

    # ----- the notice prints from the window, read back --------------------------------------------------------
    shown: list[bytes] = []

    def preview(dialog: print_preview.PrintPreviewDialog) -> int:
        shown.append(dialog.pdf)
        return 0

    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", preview)
    window.print_one("meeting-notice", "会议通知")
    text = "".join(page.extract_text() or "" for page in PdfReader(BytesIO(shown[0])).pages)
    assert f"关于召开{TITLE}的通知" in text.replace("\n", "") and "县财政局、县教育局" in text

    # ----- sign-in opens; the mayor is there, the 教育局 sends its apologies ------------------------------------
    click(window, "开始签到")
    assert "会议召开" in window.state_label.text()
    sign_in = _tab(window, AttendanceTab)
    assert isinstance(sign_in, AttendanceTab)
    sign_in.table.selectRow(0)
    sign_in.present_button.click()
    sign_in.present_button.click()
    summary = o.run(attendance.attendance_summary, o.clerk, meeting)
    assert (summary.expected, summary.present) == (3, 2)

    # ----- the meeting ends; its decision is recorded -----------------------------------------------------------
    click(window, "会议结束")
    _settle()
    assert "会后落实" in window.state_label.text()
    deadline = DAY + timedelta(days=30)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionDialog)
        dialog.text.setPlainText("县财政局牵头，一个月内完成全县危化品企业安全检查")
        dialog.unit.setCurrentIndex(dialog.unit.findData(o.units["财政局"]))
        dialog.has_deadline.setChecked(True)
        dialog.deadline.setDate(to_qdate(deadline))

    def answer(dialog: QDialog) -> int:
        fill(dialog)
        dialog.setResult(QDialog.DialogCode.Rejected)
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result()

    monkeypatch.setattr(DecisionDialog, "exec", answer)
    decided = _tab(window, DecisionsTab)
    assert isinstance(decided, DecisionsTab)
    decided.add_button.click()
    [decision] = o.run(decisions.decisions_of, o.clerk, meeting)
    assert (decision.lead_unit_name, decision.deadline, decision.item_id) == ("县财政局", deadline, None)

    # ----- the 纪要 starts as a 发文 draft, linked to the meeting --------------------------------------------------
    minutes_button = _tool(window, "起草会议纪要…")
    assert minutes_button.isVisibleTo(window)
    # A decision is turned from its own row: the window's bar does not offer 转为督办事项… for the whole meeting.
    bar = [window.tools.itemAt(i).widget() for i in range(window.tools.count())]
    assert "转为督办事项…" not in [w.text() for w in bar if isinstance(w, QPushButton)]

    def draft(dialog: MinutesDraftDialog) -> int:
        assert dialog.title_edit.text() == f"{TITLE}纪要"
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        return int(QDialog.DialogCode.Accepted) if dialog.saved is not None else 0

    monkeypatch.setattr(MinutesDraftDialog, "exec", draft)
    minutes_button.click()
    linked = o.run(links.links_of, o.clerk, "meeting", meeting).records
    assert [(r.kind, r.entity_type) for r in linked] == [("minutes", "document")]

    # ----- the decision becomes a 督办事项 in one action, linked both ways ----------------------------------------
    from app.core.areas import openers_from, resolve

    opener = next(op for op in openers_from("meeting") if op.label == "转为督办事项…")
    dialog_class = resolve(opener.dialog)

    def register(dialog: QDialog) -> int:
        dialog.save()  # type: ignore[attr-defined]
        return int(QDialog.DialogCode.Accepted) if getattr(dialog, "saved", None) is not None else 0

    monkeypatch.setattr(dialog_class, "exec", register)
    decided.table.selectRow(0)
    decided.to_item_button.click()
    [decision] = o.run(decisions.decisions_of, o.clerk, meeting)
    assert decision.item_id is not None
    from_item = o.run(links.links_of, o.clerk, "supervision_item", decision.item_id).records
    assert [(r.kind_label, r.entity_type, r.entity_id) for r in from_item] == [("来源议定事项", "meeting", meeting)]
    from_meeting = o.run(links.links_of, o.clerk, "meeting", meeting).records
    assert {(r.kind_label, r.entity_type) for r in from_meeting} == {("会议纪要", "document"), ("督办事项", "supervision_item")}

    # ----- 办结 -------------------------------------------------------------------------------------------------
    window.load()
    _settle()
    assert "办结" in buttons(window)
