"""The 《政务信息》 tab and an issue's window, driven as the editor does: items written and 报送 through the services,
then 编辑新一期 → 加入稿件 (the real dialog, several picked) → 上移/下移 → 保存 the foot's lists → 预览打印 (the PDF
read back) → 印发, after which every item reads 已编入期刊 and the window is read-only; a reader who is not an
editor sees only issued issues and no edit buttons; both looked at in 1366×768 at text sizes 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QDialog, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.information import issues, records
from app.ui.information import issue_window as window_module
from app.ui.information.issue_window import AddItemsDialog, IssueWindow
from app.ui.information.issues_tab import IssuesTab
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from app.ui.widgets import print_preview
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, new_item
from tests.helpers.layout_check import layout_problems
from tests.helpers.meeting_tabs import agree
from tests.helpers.pdfcheck import compact, page_text

SHOTS = Path("/tmp/shots-issues")
TITLES = ("我县农村公路提质改造取得新进展", "城关镇推进老旧小区改造惠及千户居民", "县医院远程会诊平台投入使用")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


@pytest.fixture
def prefs(tmp_path: Path) -> Prefs:
    return Prefs(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _tab(qtbot: QtBot, o: Office, who: str, prefs: Prefs) -> IssuesTab:
    tab = IssuesTab(o.ctx, o.people[who], prefs)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


def _pick_all(monkeypatch: pytest.MonkeyPatch, seen: list[list[str]]) -> None:
    """加入稿件: the real dialog, every listed item picked, 加入本期 clicked."""

    def exec_(dialog: AddItemsDialog) -> int:
        seen.append([cell(dialog.table, r, 1) for r in range(dialog.table.rowCount())])
        dialog.table.selectAll()
        assert dialog.add_button.isEnabled()
        dialog.add_button.click()
        return int(dialog.result())

    monkeypatch.setattr(AddItemsDialog, "exec", exec_)


def _titles(window: IssueWindow) -> list[str]:
    return [cell(window.items, r, 1) for r in range(window.items.rowCount())]


def _select(window: IssueWindow, title: str) -> None:
    window.items.selectRow(_titles(window).index(title))


def test_an_editor_compiles_orders_previews_and_publishes_an_issue(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch,
) -> None:
    o = office
    ids = [new_item(o, title=title, by="petition" if i != 1 else "finance") for i, title in enumerate(TITLES)]
    tab = _tab(qtbot, o, "clerk", prefs)
    assert not tab.new_button.isHidden() and tab.table.isHidden() and "编辑新一期" in tab.empty.text()

    window = tab.new_issue()
    assert window is not None and window.info is not None
    qtbot.addWidget(window)
    assert window.heading.text() == f"《政务信息》{window.info.label}" and window.state.text() == "编辑中"
    assert window.editor_unit.text() == "青山县人民政府办公室" and window.report_to.text() == "市政府办公室"
    assert tab.table.rowCount() == 1 and cell(tab.table, 0, 3) == "编辑中"
    assert not window.publish_button.isEnabled() and "加入稿件" in window.items_empty.text()

    seen: list[list[str]] = []
    _pick_all(monkeypatch, seen)
    window.add_button.click()
    assert seen == [list(TITLES)]
    assert _titles(window) == list(TITLES)
    assert cell(tab.table, 0, 2) == "3篇"

    # The third to the top, then the first down one place.
    _select(window, TITLES[2])
    assert window.up_button.isEnabled() and not window.down_button.isEnabled()
    window.up_button.click()
    window.up_button.click()
    assert _titles(window) == [TITLES[2], TITLES[0], TITLES[1]]
    assert not window.up_button.isEnabled()
    _select(window, TITLES[0])
    window.down_button.click()
    assert _titles(window) == [TITLES[2], TITLES[1], TITLES[0]]
    # Taken out, and back in at the end.
    _select(window, TITLES[1])
    window.remove_button.click()
    assert _titles(window) == [TITLES[2], TITLES[0]]
    window.add_button.click()
    assert seen[-1] == [TITLES[1]] and _titles(window) == [TITLES[2], TITLES[0], TITLES[1]]

    # The foot's lists and the copies, typed and saved.
    window.send_to.setText("县政府各位领导")
    window.copies.setValue(60)
    assert window.save_button.isEnabled()
    window.save_button.click()
    assert not window.save_button.isEnabled()
    assert o.run(issues.get_issue, o.clerk, window.issue_id).send_to == "县政府各位领导"

    # A bad value shows beside its field and nothing is saved.
    window.editor_unit.setText("  ")
    window.save_button.click()
    assert window.form.error_text("editor_unit")
    window.editor_unit.setText("县政府办公室信息科")

    shown: list[bytes] = []

    def preview(dialog: print_preview.PrintPreviewDialog) -> int:
        shown.append(dialog.pdf)
        return 0

    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", preview)
    window.preview_button.click()
    # The unsaved unit was saved before the preview.
    assert o.run(issues.get_issue, o.clerk, window.issue_id).editor_unit == "县政府办公室信息科"
    (pdf,) = shown
    text = compact(page_text(pdf))
    assert text.startswith("政务信息") and "第1期" in text and "县政府办公室信息科" in text
    assert text.index(compact(TITLES[2])) < text.index(compact(TITLES[0])) < text.index(compact(TITLES[1]))
    assert "送：县政府各位领导" in text and "（共印60份）" in text

    asked = agree(monkeypatch, window_module)
    window.publish_button.click()
    assert asked and "3篇稿件" in asked[0]
    assert window.state.text() == "已印发（张文秘）"
    for item_id in ids:
        info = o.run(records.get_item, o.clerk, item_id)
        assert (info.state_label, info.issue_label) == ("已编入期刊", window.info.label)
    # Fixed: nothing left to edit.
    assert window.add_button.isHidden() and window.publish_button.isHidden() and window.save_button.isHidden()
    assert not window.editor_unit.isEnabled()
    assert not window.preview_button.isHidden()
    assert cell(tab.table, 0, 3) == "已印发" and cell(tab.table, 0, 4) == "张文秘"
    window.close()


def test_a_reader_sees_issued_issues_only_and_cannot_edit(
    qtbot: QtBot, office: Office, prefs: Prefs,
) -> None:
    o = office
    item = new_item(o)
    issued = o.run(issues.create_issue, o.clerk)
    o.run(issues.add_items, o.clerk, issued.id, [item])
    o.run(issues.publish_issue, o.clerk, issued.id)
    o.run(issues.create_issue, o.clerk)
    tab = _tab(qtbot, o, "cashier", prefs)
    assert tab.new_button.isHidden()
    assert [cell(tab.table, r, 0) for r in range(tab.table.rowCount())] == ["第1期"]
    window = tab.open_row(0)
    assert window is not None
    qtbot.addWidget(window)
    assert _titles(window) == ["我县农村公路提质改造取得新进展"]
    assert window.add_button.isHidden() and window.save_button.isHidden() and not window.send_to.isEnabled()
    tab.year.setValue(tab.year.value() - 1)
    assert tab.table.isHidden() and "还没有印发" in tab.empty.text()
    window.close()


def test_the_tab_and_the_window_at_1366_by_768(
    qtbot: QtBot, office: Office, prefs: Prefs,
) -> None:
    o = office
    long_title = "我县扎实推进农村人居环境整治提升行动全力打造生态宜居美丽乡村群众获得感幸福感持续增强"
    ids = [new_item(o, title=t) for t in (*TITLES, long_title)]
    first = o.run(issues.create_issue, o.clerk)
    o.run(issues.add_items, o.clerk, first.id, ids[:2])
    o.run(issues.publish_issue, o.clerk, first.id)
    second = o.run(issues.create_issue, o.clerk)
    o.run(issues.add_items, o.clerk, second.id, ids[2:])
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    host = QWidget()
    qtbot.addWidget(host)
    tab = IssuesTab(o.ctx, o.clerk, prefs, host)
    problems: list[str] = []
    try:
        for size in ("medium", "large"):
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            apply_theme(app, size)
            host.resize(1100, 600)
            tab.resize(1100, 600)
            host.show()
            tab.refresh()
            problems += [f"tab {size}: {p}" for p in layout_problems(tab, SHOTS / f"tab-{size}.png")
                         if "cannot shrink" not in p and "not within" not in p]
            window = IssueWindow(o.ctx, o.clerk, second.id)
            qtbot.addWidget(window)
            window.show()
            problems += [f"window {size}: {p}" for p in layout_problems(window, SHOTS / f"window-{size}.png")]
            window._dirty = False
            window.close()
            picker = AddItemsDialog(o.ctx, o.clerk, second.label)
            qtbot.addWidget(picker)
            extra: Any = new_item(o, title=f"待编稿件（{size}）")
            picker.refresh()
            picker.show()
            problems += [f"picker {size}: {p}" for p in layout_problems(picker, SHOTS / f"picker-{size}.png")]
            picker.done(QDialog.DialogCode.Rejected)
            assert extra
    finally:
        apply_theme(app, "medium")
    (SHOTS / "problems.txt").write_text("\n".join(problems), encoding="utf-8")
    assert problems == []
