"""Recurring reports on the 工作台, as people see them: the responsible person's missed weekly report and the
unit 联络员's report are 待办 rows of their own (汇报：进展汇报 · 每周), red when overdue and counted in the tiles;
nobody else has them; a 催办 of the report shows with its note; a delegate's row says for whom (代…); opening one
opens the record on 责任与进展 with the report chosen and 汇报… ready. And a delegate's 暂停计时 shows in the clock
panel as done for the person (（代…）). The page at 1366×768 cuts nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.workflow import clocks, delegation, duties, todo
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from app.ui.widgets.column_fit import text_margin
from app.ui.widgets.record_features import RecordFeaturesPanel
from app.ui.workbench.page import WorkbenchPage, status_chip
from app.ui.workbench.record_dialog import RecordDialog
from tests.helpers.document_office import Office
from tests.helpers.record_features_flow import build, item_at_handle

TODAY = date.today()
# Started two weeks ago: the weekly report and the unit's (within a working day) are both missed.
STARTED = TODAY - timedelta(days=14)


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build(sqlite_ctx)


def workbench_of(qtbot: QtBot, office: Office, who: Actor, prefs: Prefs) -> tuple[MainWindow, WorkbenchPage]:
    window = MainWindow(office.ctx, who, prefs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.workbench
    qtbot.waitUntil(lambda: page.result is not None, timeout=15_000)
    return window, page


def rows(page: WorkbenchPage) -> list[list[Any]]:
    return [[page.model.index(r, c).data() for c in range(page.model.columnCount())]
            for r in range(page.model.rowCount())]


def cut_cells(page: WorkbenchPage) -> list[str]:
    """The texts of the rows that do not fit their column (but the 事项, whose tooltip shows it whole)."""
    view = page.table.view
    metrics = view.fontMetrics()
    return [
        text for row in range(page.model.rowCount()) for column in range(1, page.model.columnCount())
        if (text := page.model.index(row, column).data() or "")
        and metrics.horizontalAdvance(text) + text_margin(view) > view.columnWidth(column)
    ]


def duty_rows(page: WorkbenchPage) -> list[todo.TodoItem]:
    return [page.model.row_object(r) for r in range(page.model.rowCount())
            if page.model.row_object(r).kind == todo.DUTY]


def test_the_responsible_person_sees_the_missed_report_and_opens_it_to_report(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    item = item_at_handle(office, title="推进城区停车场建设", today=STARTED)
    window, page = workbench_of(qtbot, office, office.clerk, prefs)
    [report] = duty_rows(page)
    shown = next(row for row in rows(page) if row[2].startswith("汇报"))
    assert shown[:3] == ["推进城区停车场建设", "督办测试流程", "汇报：进展汇报 · 每周"]
    assert status_chip(report)[0] == "已逾期"
    # Her 承办 step, her report and the unit's missed report she follows up (催报): all counted, the two reports
    # among the overdue.
    follow = next(row for row in rows(page) if row[2].startswith("催报"))
    assert follow[2] == "催报：单位汇报 · 1个工作日内"
    assert page.tiles["all"].number.text() == "3" and page.tiles["overdue"].number.text() == "2"
    window.grab().save(str(tmp_path / "workbench-duty.png"))
    assert cut_cells(page) == []

    opened: list[QDialog] = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self) or 0)
    window.open_todo(report)
    [dialog] = opened
    qtbot.addWidget(dialog)
    panel = dialog.findChild(RecordFeaturesPanel)
    assert panel is not None and dialog.tabs.currentWidget() is panel
    duty = panel.selected_duty()
    assert duty is not None and duty.key == "progress" and panel.report_button.isEnabled()
    dialog.show()
    dialog.grab().save(str(tmp_path / "record-duty.png"))
    # A step's to-do opens the window as it is.
    opened.clear()
    window.open_todo(next(page.model.row_object(r) for r in range(page.model.rowCount())
                          if page.model.row_object(r).kind == todo.STEP))
    assert opened[0].tabs.currentWidget() is not opened[0].findChild(RecordFeaturesPanel)
    qtbot.addWidget(opened[0])
    assert item == report.info.id


@pytest.mark.parametrize("who", ["director", "clerk2", "liaison_edu", "mayor", "finance"])
def test_nobody_but_the_holder_has_the_report(qtbot: QtBot, office: Office, prefs: Prefs, who: str) -> None:
    item_at_handle(office, today=STARTED)
    _window, page = workbench_of(qtbot, office, office.people[who], prefs)
    assert duty_rows(page) == []


def test_the_liaison_sees_the_units_report_hastened_with_its_note(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    item = item_at_handle(office, today=STARTED)
    office.run(duties.hasten_duty, office.director, item, "unit_report", "电话", "请今天报送", TODAY)
    _window, page = workbench_of(qtbot, office, office.liaison_fin, prefs)
    [shown] = rows(page)
    assert shown[2] == "汇报：单位汇报 · 1个工作日内"
    assert "王主任催办（电话）" in shown[5] and shown[5].endswith("请今天报送")
    assert page.tiles["urged"].number.text() == "1" and page.tiles["all"].number.text() == "1"
    page.tiles["urged"].clicked.emit()
    assert [row[2] for row in rows(page)] == ["汇报：单位汇报 · 1个工作日内"]


def test_a_delegate_sees_the_report_held_for_the_liaison(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    item_at_handle(office, today=STARTED)
    office.run(delegation.delegate, office.liaison_fin, delegate_id=office.clerk2.id, starts_on=TODAY,
               ends_on=TODAY + timedelta(days=3), reason="外出培训", today=TODAY)
    _window, page = workbench_of(qtbot, office, office.clerk2, prefs)
    assert [row[2] for row in rows(page) if row[2].startswith("汇报")] == ["汇报：单位汇报 · 1个工作日内（代吴联络）"]
    assert cut_cells(page) == []


def test_a_delegates_pause_shows_for_whom_in_the_clock_panel(qtbot: QtBot, office: Office, tmp_path: Path) -> None:
    from tests.helpers.clock_flow import new_clocked

    petition = office.people["petition"]
    record = new_clocked(office.ctx, petition, TODAY - timedelta(days=5), at="handle")
    office.run(delegation.delegate, office.clerk, delegate_id=office.finance.id, starts_on=TODAY,
               ends_on=TODAY + timedelta(days=3), reason="外出", today=TODAY)
    office.run(clocks.pause_clock, office.finance, record, "handling", "等待群众补充材料", today=TODAY)
    window = RecordDialog(office.ctx, office.director, record)
    qtbot.addWidget(window)
    [acts] = window.clock_panel.act_lines
    assert acts.text() == f"{TODAY.month}月{TODAY.day}日 钱会计（代张文秘）暂停计时：等待群众补充材料"
    window.show()
    window.grab().save(str(tmp_path / "clock-behalf.png"))
    assert acts.isVisible() and acts.width() >= acts.sizeHint().width() - 1
