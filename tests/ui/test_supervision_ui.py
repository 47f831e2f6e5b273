"""Issue 16's UI test: a secretary registers a 督办事项 in the register form and 交办s it from its window; the lead
unit's 联络员 reports progress twice from the window, then misses a report (it shows overdue and is hastened);
the unit sends its 办结报告 with evidence, the secretary asks for 销号, the director closes it; the 督查通报 then
counts it closed on time. Each window is looked at, at 1366×768, at text size 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.core.calendar import WorkCalendar
from app.core.workflow.duties import Rhythm, next_due
from app.services.supervision import items
from app.services.workflow import duties
from app.ui.supervision.editor import ItemEditor
from app.ui.supervision.notice_tab import NoticeTab
from app.ui.supervision.report_dialog import ReportDialog
from app.ui.supervision.window import ItemWindow
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office, build_office
from tests.helpers.document_ui import buttons, click

TITLE = "新建城区公共停车位500个"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_office(sqlite_ctx)


def _shoot(widget: QWidget, name: str, qtbot: QtBot, reload: bool = True) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        if reload and isinstance(widget, ItemWindow):
            widget.load()
        widget.resize(1366, 768) if not isinstance(widget, QDialog) or isinstance(widget, ItemWindow) else None
        widget.show()
        qtbot.wait(50)
        widget.grab().save(f"/tmp/supervision-{name}-{size}.png")
    apply_theme(app, "medium")


def _answer_report(monkeypatch: pytest.MonkeyPatch, text: str, files: list[Path]) -> list[str]:
    """The report dialog, answered as its user would: the text typed, the files chosen, 报送 pressed."""
    shown: list[str] = []

    def answer(dialog: ReportDialog) -> int:
        shown.append(dialog.windowTitle())
        dialog.body_text.setPlainText(text)
        for path in files:
            dialog.paths.append(path)
            dialog.file_list.addItem(path.name)
        return QDialog.DialogCode.Accepted if dialog.save() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ReportDialog, "exec", answer)
    return shown


def _window(qtbot: QtBot, o: Office, who: str, item_id: int) -> ItemWindow:
    window = ItemWindow(o.ctx, o.people[who], item_id)
    qtbot.addWidget(window)
    return window


def test_an_item_from_registration_through_reports_and_a_missed_one_to_closing_and_the_notice(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    o = office
    today = date.today()

    # 登记: the secretary fills in the register form; she is its responsible person unless she names another.
    editor = ItemEditor(o.ctx, o.clerk)
    qtbot.addWidget(editor)
    assert editor.responsible.currentData() == o.clerk.id
    editor.title_edit.setText(TITLE)
    editor.requirement.setPlainText("年内建成并投入使用")
    editor.lead.setCurrentIndex(editor.lead.findData(o.units["财政局"]))
    editor.priority.setCurrentIndex(editor.priority.findData("重点督办"))
    editor.deadline.setDate(editor.deadline.date().addDays(20))
    # A co-unit that is also the lead is refused beside its field, and nothing typed is lost.
    for row in range(editor.co_units.count()):
        item = editor.co_units.item(row)
        if item.text() in ("县财政局", "县教育局"):
            item.setCheckState(item.checkState().Checked)
    editor.save()
    assert editor.saved is None and editor.title_edit.text() == TITLE
    _shoot(editor, "editor-refused", qtbot)
    for row in range(editor.co_units.count()):
        item = editor.co_units.item(row)
        if item.text() == "县财政局":
            item.setCheckState(item.checkState().Unchecked)
    editor.save()
    assert editor.saved is not None
    item_id = editor.saved.id
    assert editor.saved.co_unit_names == "县教育局"

    # 交办 from the item's window, by its responsible person.
    window = _window(qtbot, o, "clerk", item_id)
    assert window.detail is not None and window.detail.info.state == "register"
    _shoot(window, "registered", qtbot)
    click(window, "交办")
    assert window.info.state == "handle"
    assert "交办" not in buttons(window)

    # The lead unit's 联络员 reports twice; a co-unit's 联络员 may not report for the lead.
    liaison = _window(qtbot, o, "liaison_fin", item_id)
    assert "报送进展…" in buttons(liaison) and "报送办结报告…" in buttons(liaison)
    assert "报送进展…" not in buttons(_window(qtbot, o, "liaison_edu", item_id))
    shown = _answer_report(monkeypatch, "已完成选址，进入设计阶段。", [])
    click(liaison, "报送进展…")
    shown2 = _answer_report(monkeypatch, "设计完成，已招标。", [])
    click(liaison, "报送进展…")
    assert shown == ["报送进展"] and shown2 == ["报送进展"]
    with o.ctx.uow() as uow:
        [progress] = duties.duties_of(uow, o.clerk, liaison.info.instance_id, today)
    assert {r.text for r in progress.reports} == {"已完成选址，进入设计阶段。", "设计完成，已招标。"}
    # 重点督办: the next report a week after the last.
    assert progress.next_due == next_due(Rhythm("weekly", 1), today, WorkCalendar()).date

    # A week and more on, the next report is missed: overdue, and hastened by the secretary.
    later = (progress.next_due or today) + timedelta(days=2)
    with o.ctx.uow() as uow:
        [missed] = duties.duties_of(uow, o.clerk, liaison.info.instance_id, later)
    assert missed.overdue
    with o.ctx.uow() as uow:
        duties.hasten_duty(uow, o.clerk, liaison.info.instance_id, "progress", "电话", "请当日报送", later)
    liaison.load()
    assert liaison.urges_table.rowCount() == 1

    # 办结报告 without evidence is refused in the dialog; with it, sent.
    refused = _answer_report(monkeypatch, "已建成并通过验收。", [])
    click(liaison, "报送办结报告…")
    assert refused == ["报送办结报告"]
    assert liaison.info.state == "handle"
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% acceptance\n")
    _answer_report(monkeypatch, "已建成并通过验收。", [evidence])
    click(liaison, "报送办结报告…")
    liaison.load()
    assert [f.filename for f in liaison.detail.files if f.purpose == "evidence"] == ["验收报告.pdf"]
    _shoot(liaison, "reported", qtbot)

    # 报请销号 by the secretary, 销号 by the director.
    window.load()
    click(window, "报请销号")
    assert window.info.state == "review"
    director = _window(qtbot, o, "director", item_id)
    assert {"销号", "退回"} <= set(buttons(director))
    director.opinion.setPlainText("同意销号。")
    click(director, "销号")
    assert director.info.closed and director.info.closed_on == today
    assert "重新打开…" in buttons(director)
    _shoot(director, "closed", qtbot)

    # The month's notice counts it: due this month? closed in the period, on time.
    notice = NoticeTab(o.ctx, o.director)
    qtbot.addWidget(notice)
    notice.year.setValue(today.year)
    notice.kind.setCurrentIndex(notice.kind.findData("year"))
    notice.refresh()
    assert notice.notice is not None
    office_tally = notice.notice.figures.office
    assert office_tally.closed == 1 and office_tally.closed_late == 0 and office_tally.overdue == 0
    assert notice.office.item(0, 3).text() == "1"
    _shoot(notice, "notice", qtbot, reload=False)
    with o.ctx.uow() as uow:
        assert items.get_item(uow, o.liaison_edu, item_id).closed


def test_a_document_becomes_an_item_linked_both_ways(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.documents.window import DocumentWindow
    from app.ui.supervision.editor import OriginItemEditor
    from tests.helpers.document_office import new_incoming

    o = office
    doc = new_incoming(o)
    made: list[OriginItemEditor] = []

    def answer(editor: OriginItemEditor) -> int:
        made.append(editor)
        editor.lead.setCurrentIndex(editor.lead.findData(o.units["财政局"]))
        editor.save()
        return QDialog.DialogCode.Accepted if editor.saved is not None else QDialog.DialogCode.Rejected

    monkeypatch.setattr(OriginItemEditor, "exec", answer)
    window = DocumentWindow(o.ctx, o.clerk, doc)
    qtbot.addWidget(window)
    opener = next(b for b in window.findChildren(QPushButton) if b.text() == "转为督办事项…")
    opener.click()
    [editor] = made
    assert editor.saved is not None and editor.saved.title == window.doc.title
    # Both ends list the link: the document its 督办事项, the item its 来源公文.
    window.load()
    assert window.related.table.item(0, 0).text() == "督办事项"
    item_window = _window(qtbot, o, "clerk", editor.saved.id)
    assert item_window.related.table.item(0, 0).text() == "来源公文"
    # A county leader reads the document but is not offered the button: items are the office's to register.
    leader_window = DocumentWindow(o.ctx, o.mayor, doc)
    qtbot.addWidget(leader_window)
    assert not [b for b in leader_window.findChildren(QPushButton) if b.text() == "转为督办事项…"]
