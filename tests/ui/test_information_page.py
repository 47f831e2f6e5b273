"""The 信息调研 page: its tabs; a group's member writes an item by typing, saves and reports it, and finds it in
我的稿件; the editor finds it in 待编审; a member of another group does not see it; someone in no group writes
nothing and sees only issued items; the filters and the empty list; looked at, at 1366×768, at 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.ui.information import window as window_module
from app.ui.information.editor import ItemEditor
from app.ui.information.page import InformationPage
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, new_item
from tests.helpers.layout_check import cut_cells, cut_labels, cut_spin_boxes
from tests.helpers.loading import wait_loaded

SHOTS = Path("/tmp/shots-ui")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


def type_into(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Chinese typed as an input method commits it: at the cursor, in the focused box (QTest's key clicks
    carry no Chinese)."""
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.insert(text)
    else:
        widget.insertPlainText(text)


def _page(qtbot: QtBot, o: Office, who: str, prefs: Prefs) -> InformationPage:
    page = InformationPage(o.ctx, o.people[who], prefs)
    qtbot.addWidget(page)
    return page


def _rows(qtbot: QtBot, page: InformationPage, box: str | None = None) -> list[list[str]]:
    listing = page.items
    if box is not None:
        listing.show_box(box)
        assert listing.box == box
    listing.refresh()
    wait_loaded(qtbot, listing.model)
    model = listing.model
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())] for r in range(model.rowCount())]


def _boxes(page: InformationPage) -> list[str]:
    combo = page.items.box_combo
    return [combo.itemText(i) for i in range(combo.count())]


def _column(page: InformationPage, title: str) -> int:
    model = page.items.model
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == title)


def test_a_member_writes_and_reports_an_item_the_editor_finds_it(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    page = _page(qtbot, o, "petition", prefs)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["稿件", "《政务信息》", "通报", "学习", "信息组"]
    assert _boxes(page) == ["我的稿件", "本组稿件", "全部稿件"]
    assert _rows(qtbot, page) == []
    table = page.items.table
    assert table.showing_empty_state and "点“写信息”写一篇" in table.empty_label.text()
    assert table.empty_button is not None and table.empty_button.text() == "写信息"
    assert page.items.ledger_button is None, "the ledger is the editors'"

    def write(editor: ItemEditor) -> int:
        assert editor.windowTitle() == "写政务信息"
        assert editor.author.isReadOnly() and editor.author.text() == "孙接待"
        assert editor.group.currentText() == "第一信息组" and editor.group.count() == 1
        type_into(editor.title_edit, "我县信访积案化解取得新成效")
        # Reporting with no text is refused beside the 正文, and what was typed stays.
        editor.submit_button.click()
        assert editor.form.error_text("body") == "请先写好正文再报送"
        assert editor.title_edit.text() == "我县信访积案化解取得新成效" and editor.saved is None
        type_into(editor.body, "今年以来，县信访局开展积案化解专项行动，化解信访积案23件。")
        editor.submit_button.click()
        return editor.result()

    monkeypatch.setattr(ItemEditor, "exec", write)
    opened: list[int] = []
    def shown(window: window_module.ItemWindow) -> int:
        opened.append(window.item_id)
        return 0

    monkeypatch.setattr(window_module.ItemWindow, "exec", shown)
    assert page.new_record()
    assert len(opened) == 1, "the saved item opens in its window"
    rows = _rows(qtbot, page, "mine")
    assert len(rows) == 1
    row = rows[0]
    assert row[_column(page, "标题")] == "我县信访积案化解取得新成效"
    assert row[_column(page, "状态")] == "编审" and row[_column(page, "类型")] == "政务信息"
    assert row[_column(page, "作者")] == "孙接待" and row[_column(page, "信息组")] == "第一信息组"

    editor_page = _page(qtbot, o, "clerk2", prefs)
    assert _boxes(editor_page) == ["待编审", "我的稿件", "本组稿件", "全部稿件"]
    assert editor_page.items.ledger_button is not None
    rows = _rows(qtbot, editor_page, "review")
    assert [r[_column(editor_page, "标题")] for r in rows] == ["我县信访积案化解取得新成效"]

    # 钱会计 writes in 第二信息组: not his group's, not in an issued issue.
    other = _page(qtbot, o, "finance", prefs)
    assert _rows(qtbot, other, "all") == [] and _rows(qtbot, other, "group") == []


def test_someone_in_no_group_writes_nothing(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    o = office
    new_item(o)
    page = _page(qtbot, o, "cashier", prefs)
    assert _boxes(page) == ["全部稿件"]
    assert not page.new_record() and page.items.new_button is None and page.items.article_button is None
    assert _rows(qtbot, page) == []
    assert "已印发的《政务信息》" in page.items.table.empty_label.text()


def test_the_filters_and_an_article(qtbot: QtBot, office: Office, prefs: Prefs,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    new_item(o)
    new_item(o, title="城关镇推行“街长制”提升城市管理水平", submit=False)
    new_item(o, by="clerk", kind="article", title="关于我县乡村旅游发展的调研报告")
    page = _page(qtbot, o, "deputy", prefs)
    assert len(_rows(qtbot, page, "all")) == 3
    listing = page.items
    listing.combos["kind"].setCurrentIndex(listing.combos["kind"].findData("article"))
    assert [r[_column(page, "类型")] for r in _rows(qtbot, page)] == ["调研文章"]
    listing.combos["state"].setCurrentIndex(listing.combos["state"].findData("draft"))
    assert _rows(qtbot, page) == []
    assert listing.table.empty_label.text() == "没有找到符合条件的稿件。"
    listing.clear_filters()
    assert listing.box == "all" and len(_rows(qtbot, page)) == 3
    listing.search.setText("街长制")
    assert [r[_column(page, "状态")] for r in _rows(qtbot, page)] == ["撰写"]

    def article(editor: ItemEditor) -> int:
        assert editor.windowTitle() == "写调研文章" and editor.kind.currentData() == "article"
        assert not editor.author.isReadOnly()
        editor.group.setCurrentIndex(editor.group.findText("第二信息组"))
        editor.title_edit.setText("关于农村集体经济发展的调研")
        editor.author.setText("钱会计")
        editor.body.setPlainText("一、基本情况……")
        editor.draft_button.click()
        return editor.result()

    monkeypatch.setattr(ItemEditor, "exec", article)
    monkeypatch.setattr(window_module.ItemWindow, "exec", lambda w: 0)
    assert listing.article_button is not None
    listing.article_button.click()
    listing.clear_filters()
    rows = _rows(qtbot, page, "all")
    found = [r for r in rows if r[_column(page, "标题")] == "关于农村集体经济发展的调研"]
    assert found and found[0][_column(page, "作者")] == "钱会计" and found[0][_column(page, "状态")] == "撰写"
    assert found[0][_column(page, "信息组")] == "第二信息组"


def test_the_page_at_1366_by_768(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    o = office
    new_item(o)
    new_item(o, by="finance", title="县财政局推进预算绩效管理改革")
    new_item(o, by="clerk", kind="article", title="关于我县乡村旅游发展的调研报告", submit=False)
    page = _page(qtbot, o, "clerk", prefs)
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems = []
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        page.resize(1366, 700)
        page.show()
        for index in (0, page.tabs.count() - 1):
            page.tabs.setCurrentIndex(index)
            if index == 0:
                _rows(qtbot, page, "all")
            qtbot.wait(50)
            page.grab().save(str(SHOTS / f"page-{index}-{size}.png"))
            problems += [f"{size} {index}: {p}" for p in cut_labels(page) + cut_spin_boxes(page) + cut_cells(page)]
    apply_theme(app, "medium")
    assert problems == []


def test_an_item_opened_from_the_list(qtbot: QtBot, office: Office, prefs: Prefs,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    item = new_item(o)
    page = _page(qtbot, o, "clerk", prefs)
    _rows(qtbot, page, "review")
    opened: list[int] = []

    def shown(window: QDialog) -> int:
        opened.append(window.item_id)  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(window_module.ItemWindow, "exec", shown)
    page.items.table.activated.emit(page.items.model.row_object(0))
    assert opened == [item]
