"""From a new item to a printed issue, all through the windows: a group's member opens 信息调研, 写信息, types the
item and 保存并报送; the editor finds it in 待编审, goes to 《政务信息》, 编辑新一期, 加入稿件, previews the issue
(its PDF read back, with the typed text in it) and 印发; the member's list then shows the item 已编入期刊 in that
issue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.ui.information import issue_window as issue_window_module
from app.ui.information import window as item_window_module
from app.ui.information.editor import ItemEditor
from app.ui.information.issue_window import AddItemsDialog
from app.ui.information.issues_tab import IssuesTab
from app.ui.information.page import InformationPage
from app.ui.prefs import Prefs
from app.ui.widgets import print_preview
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office
from tests.helpers.loading import wait_loaded
from tests.helpers.meeting_tabs import agree
from tests.helpers.pdfcheck import compact, page_text

TITLE = "我县“一窗受理”改革让群众办事少跑腿"
BODY = "今年以来，县政务服务中心推行“一窗受理、集成服务”，设综合受理窗口12个，办理时限平均压缩40%。"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


def page_of(qtbot: QtBot, o: Office, who: str, prefs: Prefs) -> InformationPage:
    page = InformationPage(o.ctx, o.people[who], prefs)
    qtbot.addWidget(page)
    return page


def listed(qtbot: QtBot, page: InformationPage, box: str) -> list[dict[str, str]]:
    """The 稿件 list's rows in ``box``, each as {column title: text}."""
    listing = page.items
    listing.show_box(box)
    listing.refresh()
    wait_loaded(qtbot, listing.model)
    model = listing.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [{titles[c]: str(model.index(r, c).data() or "") for c in range(model.columnCount())}
            for r in range(model.rowCount())]


def test_a_new_item_goes_through_review_into_a_printed_issue(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    opened: list[int] = []
    monkeypatch.setattr(item_window_module.ItemWindow, "exec", lambda window: opened.append(window.item_id) or 0)

    # 孙接待 of 第一信息组 writes the item and reports it.
    def write(editor: ItemEditor) -> int:
        editor.title_edit.setFocus()
        editor.title_edit.insert(TITLE)
        editor.body.setFocus()
        editor.body.insertPlainText(BODY)
        editor.submit_button.click()
        return editor.result()

    monkeypatch.setattr(ItemEditor, "exec", write)
    writer = page_of(qtbot, o, "petition", prefs)
    assert writer.new_record()
    (item_id,) = opened
    (row,) = listed(qtbot, writer, "mine")
    assert (row["标题"], row["状态"], row["信息组"]) == (TITLE, "编审", "第一信息组")

    # 张文秘, an editor, finds it waiting for review and opens it.
    editor_page = page_of(qtbot, o, "clerk", prefs)
    assert [r["标题"] for r in listed(qtbot, editor_page, "review")] == [TITLE]
    editor_page.open_item(item_id)
    assert opened == [item_id, item_id]

    # 《政务信息》 → 编辑新一期 → 加入稿件.
    issues_tab = next(tab for tab in editor_page.others if isinstance(tab, IssuesTab))
    editor_page.tabs.setCurrentWidget(issues_tab)
    assert not issues_tab.new_button.isHidden()
    issues_tab.new_button.click()
    (window,) = issues_tab.windows
    qtbot.addWidget(window)
    offered: list[list[str]] = []

    def pick(dialog: AddItemsDialog) -> int:
        offered.append([dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())])
        dialog.table.selectAll()
        dialog.add_button.click()
        return int(dialog.result())

    monkeypatch.setattr(AddItemsDialog, "exec", pick)
    window.add_button.click()
    assert offered == [[TITLE]]
    assert [window.items.item(r, 1).text() for r in range(window.items.rowCount())] == [TITLE]

    # 预览打印: the issue as it will print, with what was typed.
    shown: list[bytes] = []
    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", lambda dialog: shown.append(dialog.pdf) or 0)
    window.preview_button.click()
    (pdf,) = shown
    text = compact(page_text(pdf))
    assert window.info is not None
    assert text.startswith(f"政务信息第{window.info.seq}期青山县人民政府办公室")
    assert compact(TITLE) in text and compact(BODY) in text and "青山县人民政府办公室" in text

    asked = agree(monkeypatch, issue_window_module)
    window.publish_button.click()
    assert asked and "1篇稿件" in asked[0]
    assert window.state.text().startswith("已印发")

    # Back with the writer: the item is in the issue.
    (row,) = listed(qtbot, writer, "mine")
    assert row["状态"] == "已编入期刊"
    assert any(window.info.label in value for value in row.values()), row
