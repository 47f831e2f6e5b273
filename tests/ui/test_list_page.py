"""The shared list page: filters, Chinese substring search, paging, Excel export, empty state."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from app.services.workflow import moves as workflow
from app.services.workflow import worklist
from app.services.workflow.moves import InstanceInfo
from app.ui.prefs import Prefs
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, ListPage, ListSpec
from tests.helpers.loading import fetch_more_now, wait_loaded
from tests.helpers.ui import Office

COLUMNS: list[Column[InstanceInfo]] = [
    Column("标题", lambda i: i.title, sort_key="title", width=300),
    Column("环节", lambda i: i.state_label),
]


def make_page(qtbot: QtBot, office: Office, prefs: Prefs, opened: list[Any], created: list[bool]) -> ListPage:
    def fetch(filters: dict[str, Any], offset: int, limit: int, key: str | None, desc: bool) -> worklist.Page[Any]:
        with office.ctx.uow() as uow:
            return worklist.list_instances(
                uow, office.admin, offset=offset, limit=limit, order_by=key or "id", descending=desc, **filters
            )

    spec = ListSpec(
        title="测试列表", columns=COLUMNS, state_key="test/list", empty_text="还没有记录。",
        search_hint="按标题搜索", choices=[Choice("flow_key", "流程", [("全部流程", None), ("发文", "outgoing_document")])],
        overdue_filter=True, new_label="新建", export_name="测试",
    )
    page = ListPage(spec, fetch, prefs, opened.append, lambda: created.append(True))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_loaded(qtbot, page.model)
    return page


def start(office: Office, title: str, flow: str = "outgoing_document", started: date | None = None) -> None:
    with office.ctx.uow() as uow:
        workflow.start(uow, office.clerk, flow_key=flow, entity_type="t", title=title, today=started or date.today())
        uow.commit()


def test_empty_state_offers_the_first_action(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    created: list[bool] = []
    page = make_page(qtbot, office, prefs, [], created)
    assert page.table.showing_empty_state
    assert page.table.empty_button is not None
    page.table.empty_button.click()
    assert created == [True]


def test_filters_search_and_overdue(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    start(office, "关于开展安全生产检查的通知")
    start(office, "关于做好防汛工作的通知", started=date.today() - timedelta(days=30))
    start(office, "培训费报销", flow="reimbursement")
    opened: list[Any] = []
    page = make_page(qtbot, office, prefs, opened, [])
    assert page.model.rowCount() == 3
    page.combos["flow_key"].setCurrentIndex(1)
    wait_loaded(qtbot, page.model)
    assert page.model.rowCount() == 2
    page.search.setText("安全")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert page.model.index(0, 0).data() == "关于开展安全生产检查的通知"
    page.search.clear()
    page.refresh()
    assert page.overdue_only is not None
    page.overdue_only.setChecked(True)
    wait_loaded(qtbot, page.model)
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == ["关于做好防汛工作的通知"]
    page.table.activated.emit(page.model.row_object(0))
    assert opened and opened[0].title == "关于做好防汛工作的通知"
    assert page.focus_search()


def test_export_writes_every_matching_row(qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path) -> None:
    for i in range(7):
        start(office, f"第{i}号通知")
    page = make_page(qtbot, office, prefs, [], [])
    from app.ui.widgets.list_page import export_rows

    target = tmp_path / "列表.xlsx"
    count = export_rows(target, page.spec.title, page.spec.columns, page.filters(), page.fetch_page)
    assert count == 7
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("标题", "环节")
    assert sorted(r[0] for r in rows[1:]) == sorted(f"第{i}号通知" for i in range(7))


def test_a_search_that_finds_nothing_says_so_and_offers_to_clear_it(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    start(office, "关于开展安全生产检查的通知")
    created: list[bool] = []
    page = make_page(qtbot, office, prefs, [], created)
    page.search.setText("防汛")
    qtbot.waitUntil(lambda: page.table.showing_empty_state, timeout=3000)
    assert page.table.empty_label.text() == "没有找到符合条件的测试列表。"
    assert page.table.empty_button is not None and page.table.empty_button.isHidden()
    assert page.table.clear_filters_button.isVisible()
    page.table.clear_filters_button.click()
    wait_loaded(qtbot, page.model)
    assert page.search.text() == "" and page.model.rowCount() == 1
    # With no filter on, an empty list is again the list that has nothing yet.
    page.combos["flow_key"].setCurrentIndex(1)
    page.search.setText("没有这个标题")
    qtbot.waitUntil(lambda: page.table.showing_empty_state, timeout=3000)
    page.table.clear_filters_button.click()
    wait_loaded(qtbot, page.model)
    assert page.combos["flow_key"].currentIndex() == 0 and page.model.rowCount() == 1


def test_every_empty_list_without_filters_still_offers_the_first_action(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    page = make_page(qtbot, office, prefs, [], [])
    assert page.table.empty_label.text() == "还没有记录。"
    assert page.table.empty_button is not None and page.table.empty_button.isVisible()
    assert page.table.clear_filters_button.isHidden()


def test_a_change_on_another_client_keeps_the_users_place(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    for i in range(60):
        start(office, f"第{i:03d}号通知")

    def newest_first(filters: dict[str, Any], offset: int, limit: int, key: str | None, desc: bool) -> worklist.Page[Any]:
        with office.ctx.uow() as uow:
            return worklist.list_instances(
                uow, office.admin, offset=offset, limit=limit, order_by="id", descending=True, **filters)

    spec = ListSpec(title="测试列表", columns=COLUMNS, state_key="test/place", empty_text="还没有记录。")
    page = ListPage(spec, newest_first, prefs, lambda _row: None)
    page.model.page_size = 20
    qtbot.addWidget(page)
    page.resize(800, 400)
    page.show()
    page.refresh()
    wait_loaded(qtbot, page.model)
    view = page.table.view
    # Scrolled down past the first page, as the user did, with one record chosen below the top.
    while page.model.rowCount() < 45:
        fetch_more_now(qtbot, page.model)
    view.selectRow(33)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 30)
    view.scrollTo(page.model.index(30, 0), view.ScrollHint.PositionAtTop)
    assert view.rowAt(0) == 30
    top_title = page.model.index(30, 0).data()
    chosen = page.model.row_object(33).id
    # Another client adds two records, which go above the user's place in this order; the change feed
    # then refreshes the page.
    start(office, "新来的一号通知")
    start(office, "新来的二号通知")
    page.refresh()
    wait_loaded(qtbot, page.model)
    top = view.rowAt(0)
    assert page.model.index(top, 0).data() == top_title
    assert top == 32
    selected = view.selectionModel().selectedRows()
    assert [page.model.row_object(index.row()).id for index in selected] == [chosen]
    # Changing a filter is a new list: it starts at the top.
    page.search.setText("通知")
    qtbot.waitUntil(lambda: view.rowAt(0) == 0, timeout=3000)
