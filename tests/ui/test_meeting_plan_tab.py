"""会议方案 tab (app.ui.meetings.plan_tab): the clerk makes the plan from the template with one button, the five
phases show as groups, a task ticked is done (and its owner's name shows), a late one is red, a task is added
(with its owner: every task has one) through its dialog; someone outside the office sees no buttons, and a tick
they try is refused and undone."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.core.meetings.plan import PHASES
from app.services.meetings import plan
from app.ui.meetings.plan_tab import PlanTab, TaskDialog
from app.ui.theme import URGENT
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meeting_tabs import answer_dialog, printed, refusals, shoot
from tests.helpers.meetings_office import add_rooms, new_meeting


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def _tab(qtbot: QtBot, o: Office, who: str, meeting: int) -> PlanTab:
    tab = PlanTab(o.ctx, o.people[who], meeting)
    qtbot.addWidget(tab)
    tab.reload()
    return tab


def _groups(tab: PlanTab) -> list[str]:
    return [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]


def _task_items(tab: PlanTab) -> list[QTreeWidgetItem]:
    found = []
    for g in range(tab.tree.topLevelItemCount()):
        group = tab.tree.topLevelItem(g)
        found += [group.child(c) for c in range(group.childCount())]
    return found


def test_the_clerk_makes_the_plan_ticks_a_task_and_adds_one(qtbot: QtBot, office: Office,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    assert tab.empty.isVisibleTo(tab) and not tab.tree.isVisibleTo(tab)
    assert tab.make_button.isVisibleTo(tab)
    tab.make_button.click()
    groups = _groups(tab)
    assert [g.split("（")[0] for g in groups] == list(PHASES)
    assert not tab.make_button.isVisibleTo(tab), "a plan is made once"
    tasks = _task_items(tab)
    stored = o.run(plan.plan_of, o.clerk, meeting).tasks
    assert len(tasks) == len(stored) > 5
    assert "未完成" in tab.summary.text()

    first = tasks[0]
    first.setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: o.run(plan.plan_of, o.clerk, meeting).tasks[0].done)
    qtbot.wait(20)
    ticked = _task_items(tab)[0]
    assert ticked.checkState(0) == Qt.CheckState.Checked
    assert ticked.text(3).startswith("张文秘") or "完成" in ticked.text(3)

    tab.tree.setCurrentItem(_task_items(tab)[0])
    before = len(stored)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog)
        dialog.phase.setCurrentIndex(PHASES.index("会场保障"))
        dialog.text.setText("准备应急照明")

    answer_dialog(monkeypatch, TaskDialog, fill)
    tab.add_button.click()
    after = o.run(plan.plan_of, o.clerk, meeting).tasks
    assert len(after) == before + 1
    assert any(t.text == "准备应急照明" and t.phase == "会场保障" and t.owner_name == "张文秘" for t in after)
    assert any(item.text(0) == "准备应急照明" for item in _task_items(tab))
    shoot(tab, "plan", qtbot)


def test_an_edited_task_is_saved_and_the_dialog_is_read_on_the_gui_thread(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The save runs off the GUI thread (db_call), and a widget may only be touched on it: what the dialog says is
    read before the save leaves. An edited task keeps its phase and takes its new text."""
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    tab.make_button.click()
    read_on_gui_thread: list[bool] = []
    due_at = TaskDialog.due_at

    def watched_due_at(dialog: TaskDialog) -> datetime:
        read_on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return due_at(dialog)

    monkeypatch.setattr(TaskDialog, "due_at", watched_due_at)
    item = _task_items(tab)[0]
    old_text = item.text(0)
    tab.tree.setCurrentItem(item)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog)
        dialog.text.setText("调试音响、话筒和投影（含备用话筒）")

    answer_dialog(monkeypatch, TaskDialog, fill)
    tab.edit_button.click()
    assert read_on_gui_thread == [True]
    tasks = o.run(plan.plan_of, o.clerk, meeting).tasks
    edited = [t for t in tasks if t.text == "调试音响、话筒和投影（含备用话筒）"]
    assert len(edited) == 1 and edited[0].phase == PHASES[0]
    assert not any(t.text == old_text for t in tasks)


def test_an_empty_task_is_refused_beside_its_field(qtbot: QtBot, office: Office,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    tab = _tab(qtbot, o, "clerk", meeting)
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog)
        dialog.text.setText("  ")
        dialog.owner.setCurrentIndex(0)

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog)
        seen.extend([dialog.form.error_text("text"), dialog.form.error_text("owner_id")])

    before = counts(o.ctx)
    answer_dialog(monkeypatch, TaskDialog, fill, after=look)
    tab.add_button.click()
    assert seen == ["请填写任务", "请选择任务的责任人"]
    assert counts(o.ctx) == before


def test_a_late_task_shows_red(qtbot: QtBot, office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(plan.add_task, o.clerk, meeting, "材料准备", "早该印好的材料", o.clerk.id,
          datetime.now().astimezone() - timedelta(days=2))
    tab = _tab(qtbot, o, "clerk", meeting)
    late = next(item for item in _task_items(tab) if item.text(0) == "早该印好的材料")
    assert late.text(3) == "已逾期"
    assert late.foreground(0).color().name().upper() == URGENT.upper()
    assert "逾期 1 项" in tab.summary.text()


@pytest.mark.parametrize("who", ["petition", "liaison_fin"])
def test_outside_the_office_there_are_no_buttons_and_a_tick_is_refused(qtbot: QtBot, office: Office, who: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(plan.make_plan, o.clerk, meeting)
    tab = _tab(qtbot, o, who, meeting)
    for button in (tab.make_button, tab.add_button, tab.edit_button, tab.remove_button):
        assert not button.isVisibleTo(tab)
    shown = refusals(monkeypatch)
    before = counts(o.ctx)
    item = _task_items(tab)[0]
    item.setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: bool(shown))
    assert "勾选" in shown[0]
    assert counts(o.ctx) == before
    assert not o.run(plan.plan_of, o.clerk, meeting).tasks[0].done
    assert _task_items(tab)[0].checkState(0) == Qt.CheckState.Unchecked


def test_the_plan_prints_with_its_phases_and_tasks(qtbot: QtBot, office: Office,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    o.run(plan.make_plan, o.clerk, meeting)
    tab = _tab(qtbot, o, "clerk", meeting)
    title, text = printed(monkeypatch, tab.print_button.click)
    assert title == "打印预览 — 会议方案"
    flat = text.replace("\n", "")
    for phase in PHASES:
        assert phase in flat
    assert "征集议题，报县长审定议题顺序" in flat
