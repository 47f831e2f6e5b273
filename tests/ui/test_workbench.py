"""The 工作台: tiles counted past the 500 items its list holds, a capped list that says so and where the
rest is, the 待阅 tile, and the page at 1366×768 at text size 中 and 大."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from app.db.tables import utcnow, workflow_instances
from app.services.documents import incoming
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from app.ui.widgets.column_fit import text_margin
from app.ui.workbench.page import WorkbenchPage
from tests.helpers.document_office import advance_incoming, build_office, new_incoming
from tests.helpers.ui import Office


def fill(office: Office, documents: int, claims: int) -> None:
    """``documents`` 收文 at 登记 (every secretary's) and ``claims`` of the clerk's own 报销单 being filled
    in; one in four overdue."""
    now = utcnow()
    today = date.today()
    rows = []
    for n in range(documents + claims):
        document = n < documents
        rows.append({
            "flow_key": "incoming_document" if document else "reimbursement", "flow_version": 1,
            "entity_type": "test", "entity_id": None, "title": f"待办事项{n:04d}",
            "state": "register" if document else "fill", "closed": False, "unit_id": office.unit_id,
            "owner_id": office.clerk.id, "assignee_id": None, "urgency": "", "entered_at": now,
            "due_date": today - timedelta(days=1 + n % 5) if n % 4 == 0 else today + timedelta(days=40 + n % 30),
            "due_provisional": False, "created_at": now, "updated_at": now, "version": 1,
        })
    with office.ctx.uow() as uow:
        uow.execute(insert(workflow_instances), rows)
        uow.commit()


def cut_cells(page: WorkbenchPage) -> list[str]:
    """The texts of the first rows that do not fit their column (but the 事项, whose tooltip shows it whole)."""
    view = page.table.view
    metrics = view.fontMetrics()
    cut = []
    for row in range(min(page.model.rowCount(), 15)):
        for column in range(1, page.model.columnCount()):
            text = page.model.index(row, column).data() or ""
            # Qt elides a cell's text wider than the cell less the delegate's margins (text_margin).
            if text and metrics.horizontalAdvance(text) + text_margin(view) > view.columnWidth(column):
                cut.append(text)
    return cut


def open_workbench(qtbot: QtBot, office: Office, prefs: Prefs) -> tuple[MainWindow, WorkbenchPage]:
    window = MainWindow(office.ctx, office.clerk, prefs)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.workbench
    qtbot.waitUntil(lambda: page.result is not None and page.model.rowCount() > 0, timeout=15_000)
    return window, page


def test_the_tiles_count_past_the_500_the_list_holds(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    fill(office, documents=280, claims=658)
    window, page = open_workbench(qtbot, office, prefs)
    numbers = {key: tile.number.text() for key, tile in page.tiles.items()}
    assert numbers["all"] == "938" and numbers["reimbursement"] == "658" and numbers["documents"] == "280"
    assert numbers["overdue"] == "235" and numbers["read"] == "0" and numbers["urged"] == "0"
    assert page.model.total == 500
    assert page.capped_note.isVisible()
    note = page.capped_note.text()
    assert "只显示最紧急的500件，共938件。" in note and ">公文<" in note and ">报账<" in note

    # The 报账 tile reads its own 500 most urgent: all of them 报账.
    page.tiles["reimbursement"].clicked.emit()
    qtbot.waitUntil(lambda: "共658件" in page.capped_note.text(), timeout=15_000)
    assert page.list_caption.text() == "我的待办 · 报账"
    assert page.model.total == 500
    assert {page.model.row_object(r).info.flow_key for r in range(page.model.rowCount())} == {"reimbursement"}
    assert "只显示最紧急的500件，共658件。" in page.capped_note.text() and ">报账<" in page.capped_note.text()
    assert ">公文<" not in page.capped_note.text()

    # Every overdue item fits: the list is whole and says nothing of a cap.
    page.tiles["overdue"].clicked.emit()
    qtbot.waitUntil(lambda: page.model.total == 235, timeout=15_000)
    assert not page.capped_note.isVisible() and page.list_caption.text() == "已逾期"

    # The link opens the area where the rest is.
    page.tiles["all"].clicked.emit()
    qtbot.waitUntil(lambda: page.capped_note.isVisible(), timeout=15_000)
    page.capped_note.linkActivated.emit("documents")
    assert window.navigation.currentItem().text() == "公文"


def test_a_short_list_is_not_said_to_be_capped(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    fill(office, documents=3, claims=2)
    _window, page = open_workbench(qtbot, office, prefs)
    assert page.tiles["all"].number.text() == "5" and not page.capped_note.isVisible()
    page.tiles["documents"].clicked.emit()
    assert page.model.rowCount() == 3 and not page.capped_note.isVisible()


def test_the_reading_tile_lists_what_was_sent_to_read(qtbot: QtBot, sqlite_ctx, prefs: Prefs) -> None:  # type: ignore[no-untyped-def]
    office = build_office(sqlite_ctx)
    doc = new_incoming(office, title="江州市关于加强安全生产工作的通报")
    advance_incoming(office, doc, "instruct")
    office.run(incoming.instruct, office.mayor, doc, "请各位领导阅", needs_handling=False)
    office.run(incoming.circulate, office.clerk, doc, [office.vice.id])
    window = MainWindow(office.ctx, office.vice, prefs)
    qtbot.addWidget(window)
    window.show()
    page = window.workbench
    qtbot.waitUntil(lambda: page.result is not None, timeout=15_000)
    assert page.tiles["read"].number.text() == "1" and page.tiles["all"].number.text() == "0"
    page.tiles["read"].clicked.emit()
    assert page.list_caption.text() == "我的待阅" and page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == "江州市关于加强安全生产工作的通报"
    assert page.model.index(0, 2).data() == "阅文" and page.model.index(0, 3).data() not in ("", "—")
    # Someone it was not sent to has nothing to read.
    other = MainWindow(office.ctx, office.director, prefs)
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(lambda: other.workbench.result is not None, timeout=15_000)
    assert other.workbench.tiles["read"].number.text() == "0"
    other.workbench.tiles["read"].clicked.emit()
    assert other.workbench.table.showing_empty_state and "暂无待阅文件" in other.workbench.table.empty_label.text()
    other.workbench.table.clear_filters_button.click()
    assert other.workbench.list_caption.text() == "我的待办"


def test_a_liaison_sees_the_cosigning_and_an_urge_with_its_note(  # type: ignore[no-untyped-def]
    qtbot: QtBot, sqlite_ctx, prefs: Prefs, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from app.models import Urge, WorkflowInstance
    from tests.helpers.document_office import advance_outgoing, new_draft

    office = build_office(sqlite_ctx)
    doc = new_draft(office, title="关于联合开展森林防火检查的通知", cosigner_unit_ids=[office.units["财政局"]])
    advance_outgoing(office, doc, "cosign")
    with office.ctx.uow() as uow:
        instance_id = uow.session.execute(
            select(WorkflowInstance.id).where(WorkflowInstance.entity_id == doc)
        ).scalar_one()
        uow.session.add(Urge(instance_id=instance_id, by_name="王主任", method="电话", note="请今天反馈会签意见"))
        uow.commit()
    window = MainWindow(office.ctx, office.liaison_fin, prefs)
    qtbot.addWidget(window)
    window.show()
    page = window.workbench
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15_000)
    row = [page.model.index(0, c).data() for c in range(6)]
    assert row[0] == "关于联合开展森林防火检查的通知" and row[2] == "填写会签意见"
    assert "王主任催办（电话）：请今天反馈会签意见" in row[5]
    assert page.tiles["urged"].number.text() == "1" and page.tiles["all"].number.text() == "1"
    window.resize(1366, 768)
    qtbot.wait(50)
    window.grab().save(str(tmp_path / "workbench-liaison.png"))
    assert cut_cells(page) == []
    unrelated = MainWindow(office.ctx, office.liaison_edu, prefs)
    qtbot.addWidget(unrelated)
    unrelated.show()
    qtbot.waitUntil(lambda: unrelated.workbench.result is not None, timeout=15_000)
    assert unrelated.workbench.tiles["all"].number.text() == "0"


@pytest.mark.parametrize("size", ["medium", "large"])
def test_the_workbench_fits_1366_by_768(qtbot: QtBot, office: Office, prefs: Prefs, size: str, tmp_path: Path) -> None:
    """At 中 and 大 every tile shows its caption and number whole, and the capped note is not cut."""
    fill(office, documents=280, claims=658)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # The windows of earlier tests go first: a table refits its columns a turn after a font change, and
    # one deleted meanwhile would fail. The next test's fixture puts the text size back.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    apply_theme(app, size)
    window, page = open_workbench(qtbot, office, prefs)
    window.resize(1366, 768)
    qtbot.wait(100)
    window.grab().save(str(tmp_path / f"workbench-{size}.png"))
    for key, tile in page.tiles.items():
        for label in (tile.number, *tile.findChildren(type(tile.number))):
            if label.text():
                assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), (key, label.text())
        assert tile.geometry().right() <= page.width(), key
    note = page.capped_note
    assert note.isVisible() and note.sizeHint().width() <= note.width() + 1
    # Every column in view, the 说明 of a 催办 too, and nothing cut short.
    assert not page.table.view.horizontalScrollBar().isVisible()
    assert cut_cells(page) == []
