"""责任与进展 in the generic record window (app.ui.widgets.record_features): the responsible person with 移交…, the
recurring reports with the overdue one in red, the parallel work items, each button enabled for whom the services
allow it; the links in 关联, both ways, opening the other record; and the tab, and its dialogs, whole at 1366×768 in
text sizes 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.workflow import links, parallel
from app.ui.theme import URGENT, apply_theme
from app.ui.widgets import record_features
from app.ui.widgets.record_features import (
    HandOverDialog,
    HastenDialog,
    RecordFeaturesPanel,
    RhythmDialog,
    SendDialog,
    TextDialog,
)
from app.ui.workbench.record_dialog import RecordDialog
from tests.helpers.document_office import Office
from tests.helpers.layout_check import cut_labels, window_problems
from tests.helpers.record_features_flow import ENTITY, build, move, start_item

# Started ten days ago: the weekly report is overdue today.
STARTED = date.today() - timedelta(days=10)
SHOTS = Path("/tmp")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build(sqlite_ctx)


@pytest.fixture
def item(office: Office) -> int:
    """An item of the 财政局 at 承办, answered for by the clerk, its report overdue, a 主办 and a 协办 unit at work."""
    instance_id = start_item(office, "推进城区停车场建设", "财政局", today=STARTED)
    move(office, "clerk", instance_id, "submit", today=STARTED)
    lead, _ = office.run(parallel.send_work_items, office.clerk, instance_id, [
        parallel.WorkItemInput("牵头制定城区停车场建设方案并报县政府常务会议审定", unit_id=office.units["财政局"],
                               due=date.today() + timedelta(days=5), lead=True),
        parallel.WorkItemInput("配合做好学校周边停车规划", unit_id=office.units["教育局"], due=STARTED),
    ], STARTED)
    office.run(parallel.report_work_item, office.liaison_fin, lead.id, "方案初稿已完成，正在征求意见。")
    return instance_id


def _open(qtbot: QtBot, office: Office, who: str, instance_id: int) -> tuple[RecordDialog, RecordFeaturesPanel]:
    window = RecordDialog(office.ctx, office.people[who], instance_id)
    qtbot.addWidget(window)
    panel = window.record_features
    window.tabs.setCurrentWidget(panel)
    return window, panel


def _cells(table: object, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def test_the_responsible_person_reports_and_items_show_with_the_overdue_in_red(
    qtbot: QtBot, office: Office, item: int
) -> None:
    window, panel = _open(qtbot, office, "clerk", item)
    assert "张文秘" in panel.responsible_label.text() and panel.hand_over_button.isEnabled()
    assert _cells(panel.duty_table, 0) == ["进展汇报", "单位汇报"]
    assert _cells(panel.duty_table, 1) == ["每周", "1个工作日内"]
    assert _cells(panel.duty_table, 2) == ["张文秘", "吴联络"]
    assert all(text.endswith("（已逾期）") for text in _cells(panel.duty_table, 3))
    assert panel.duty_table.item(0, 0).foreground().color() == QColor(URGENT)
    # The first report is chosen: the clerk holds it, may set its rhythm and, as a 文秘, hasten it.
    assert panel.report_button.isEnabled() and panel.rhythm_button.isEnabled() and panel.hasten_button.isEnabled()
    panel.duty_table.selectRow(1)
    assert not panel.report_button.isEnabled() and panel.report_button.toolTip()
    assert _cells(panel.item_table, 0) == ["县财政局", "县教育局"]
    assert _cells(panel.item_table, 1) == ["主办", "协办"]
    assert _cells(panel.item_table, 3) == ["已反馈", "办理中（已逾期）"]
    assert panel.item_table.item(1, 0).foreground().color() == QColor(URGENT)
    assert panel.send_button.isEnabled()
    panel.item_table.selectRow(0)
    assert panel.finish_button.isEnabled() and not panel.feedback_button.isEnabled()
    panel.finish_button.click()
    assert _cells(panel.item_table, 3)[0] == "已办结" and window.changed


def test_the_units_liaison_reports_but_neither_hands_over_nor_sends(qtbot: QtBot, office: Office, item: int) -> None:
    _, panel = _open(qtbot, office, "liaison_fin", item)
    assert not panel.hand_over_button.isEnabled()
    assert panel.hand_over_button.toolTip() == "只有本事项的责任人，或办公室主任、副主任、系统管理员，可以移交责任人"
    assert not panel.send_button.isEnabled() and "分派" in panel.send_button.toolTip()
    panel.duty_table.selectRow(1)
    assert panel.report_button.isEnabled() and not panel.rhythm_button.isEnabled()
    assert not panel.hasten_button.isEnabled()
    panel.item_table.selectRow(0)
    assert panel.feedback_button.isEnabled() and not panel.finish_button.isEnabled()
    panel.item_table.selectRow(1)
    assert not panel.feedback_button.isEnabled()


def _answer(monkeypatch: pytest.MonkeyPatch, dialog_class: type[QDialog], fill: object) -> list[QDialog]:
    """Makes dialog_class.exec fill the dialog in and press its save, as a user would; the dialogs are kept."""
    shown: list[QDialog] = []

    def exec_(self: QDialog) -> int:
        shown.append(self)
        fill(self)  # type: ignore[operator]
        self.save()  # type: ignore[attr-defined]
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)
    return shown


def test_hand_over_report_and_rhythm_through_their_dialogs(
    qtbot: QtBot, office: Office, item: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, panel = _open(qtbot, office, "clerk", item)

    def choose(dialog: HandOverDialog) -> None:
        dialog.person.setCurrentIndex(dialog.person.findText("赵文秘（秘书股）"))
        dialog.reason.setPlainText("工作调整，由赵文秘接手")

    _answer(monkeypatch, TextDialog, lambda d: d.text.setPlainText("已完成选址。"))
    panel.report()
    assert panel.features is not None and panel.features.duties[0].reports[0].text == "已完成选址。"
    assert not panel.features.duties[0].overdue
    _answer(monkeypatch, RhythmDialog, lambda d: (d.kind.setCurrentIndex(1), d.every.setValue(2)))
    panel.set_rhythm()
    assert _cells(panel.duty_table, 1)[0] == "每2个月"
    _answer(monkeypatch, HandOverDialog, choose)
    panel.hand_over()
    assert "赵文秘" in panel.responsible_label.text() and not panel.hand_over_button.isEnabled()
    assert any(h.action_label == "移交责任人" for h in window.detail.history)  # type: ignore[union-attr]


def test_a_refused_dialog_stays_open_and_says_what_to_fix(
    qtbot: QtBot, office: Office, item: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, panel = _open(qtbot, office, "clerk", item)
    shown = _answer(monkeypatch, SendDialog, lambda d: (
        d.unit.setCurrentIndex(d.unit.findText("县财政局")), d.task.setPlainText("再牵头一次"), d.lead.setChecked(True)))
    panel.send()
    [dialog] = shown
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert "只能有一个主办单位" in " ".join(label.text() for label in dialog.findChildren(type(panel.responsible_label)))


def test_a_link_shows_both_ways_and_opens_the_other_record(
    qtbot: QtBot, office: Office, item: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = office.run(links.open_linked, office.clerk, source=(ENTITY, item), kind="review", title="停车场复查",
                        flow_key="record_features_test")
    hidden = start_item(office, "教育局自己的事项", "教育局")
    office.run(links.link_records, office.director, source=(ENTITY, item), target=(ENTITY, hidden), kind="follow_up")
    window, _ = _open(qtbot, office, "clerk", item)
    assert _cells(window.related.table, 0) == ["复查件", "后续事项"]
    assert _cells(window.related.table, 1) == ["停车场复查", "教育局自己的事项"]
    other, _ = _open(qtbot, office, "clerk", review[1])
    assert (_cells(other.related.table, 0), _cells(other.related.table, 1)) == (["被复查件"], ["推进城区停车场建设"])
    # The 财政局's 联络员 is told of the link she may not follow, not what it is.
    liaison, _ = _open(qtbot, office, "liaison_fin", item)
    assert _cells(liaison.related.table, 1)[-1] == "另有1件关联事项不在您的查看范围内"
    liaison.tabs.setCurrentWidget(liaison.related)
    liaison.grab().save(str(SHOTS / "h3-related.png"))
    opened: list[int] = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self.instance_id) or 0)
    window.related.table.cellDoubleClicked.emit(0, 1)
    assert opened == [review[1]]


@pytest.fixture
def text_size() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    apply_theme(app, "medium")


def _whole(widget: QWidget, name: str) -> None:
    widget.grab().save(str(SHOTS / f"h3-{name}.png"))
    assert cut_labels(widget) == [], name


@pytest.mark.parametrize("size", ["medium", "large"])
def test_the_tab_and_its_dialogs_fit_1366_by_768(qtbot: QtBot, office: Office, item: int, size: str,
                                                 text_size: None) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    apply_theme(app, size)
    window, panel = _open(qtbot, office, "clerk", item)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert window_problems(window) == []
    _whole(window, f"window-{size}")
    assert panel.features is not None
    duty = panel.features.duties[0]
    candidates = [record_features.responsibility.Candidate(1, "赵文秘", "秘书股")]
    for name, dialog in (
        ("handover", HandOverDialog(candidates, lambda *_: None, window)),
        ("report", TextDialog("汇报：进展汇报", "汇报内容", "本期工作进展", "text", lambda *_: None, window)),
        ("rhythm", RhythmDialog(duty, lambda *_: None, window)),
        ("hasten", HastenDialog(duty, lambda *_: None, window)),
        ("send", SendDialog([("县财政局", 1), ("县教育局", 2)], lambda *_: None, window)),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert window_problems(dialog) == [], name
        _whole(dialog, f"{name}-{size}")
        dialog.close()
