"""The 信息组 tab: everyone reads the groups, the quotas and the points in force; the director sets the default
8 up where there are none and edits one (name, leader, members), someone already in another group refused with
its name; a clerk has no buttons; looked at, at 1366×768, at 中 and 大."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.information import groups
from app.ui.information.dialogs import GroupDialog
from app.ui.information.groups_tab import GroupsTab
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office, build_office
from tests.helpers.information_office import build_information_office
from tests.helpers.layout_check import cut_labels, window_problems
from tests.helpers.meeting_tabs import answer_dialog

SHOTS = Path("/tmp/shots-ui")


def _tab(qtbot: QtBot, o: Office, who: str, prefs: Prefs) -> GroupsTab:
    tab = GroupsTab(o.ctx, o.people[who], prefs)
    qtbot.addWidget(tab)
    tab.refresh()
    return tab


def _column(tab: GroupsTab, column: int) -> list[str]:
    return [tab.table.item(r, column).text() for r in range(tab.table.rowCount())]  # type: ignore[union-attr]


def _check(dialog: GroupDialog, user_id: int, checked: bool = True) -> None:
    for row in range(dialog.members.count()):
        item = dialog.members.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == user_id:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            return
    raise AssertionError(f"user {user_id} not offered")


def test_the_director_sets_up_the_default_groups(qtbot: QtBot, sqlite_ctx: AppContext, prefs: Prefs) -> None:
    o = build_office(sqlite_ctx)
    tab = _tab(qtbot, o, "director", prefs)
    assert tab.table.isHidden() and not tab.empty.isHidden() and "建立默认8个信息组" in tab.empty.text()
    assert not tab.defaults_button.isHidden()
    tab.defaults_button.click()
    assert _column(tab, 0) == [f"第{n}信息组" for n in "一二三四五六七八"]
    assert tab.defaults_button.isHidden() and not tab.edit_button.isHidden()
    assert "每周报送政务信息5篇" in tab.settings.text() and "市级3分、省级5分、国家级10分" in tab.settings.text()


def test_the_director_edits_a_group(qtbot: QtBot, sqlite_ctx: AppContext, prefs: Prefs,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    o = build_information_office(sqlite_ctx)
    tab = _tab(qtbot, o, "director", prefs)
    assert _column(tab, 1)[:3] == ["李副主任", "王主任", "未指定"]
    assert _column(tab, 4)[:2] == ["张文秘、孙接待", "赵文秘、钱会计"]

    def clash(d: GroupDialog) -> None:
        leaders = [d.leader.itemText(i) for i in range(d.leader.count())]
        assert any("李副主任" in t for t in leaders) and not any("张文秘" in t for t in leaders)
        assert any("孙接待" in d.members.item(r).text() and "已在第一信息组" in d.members.item(r).text()
                   for r in range(d.members.count()))
        d.leader.setCurrentIndex(d.leader.findData(o.deputy.id))
        _check(d, o.petition.id)

    shown = answer_dialog(monkeypatch, GroupDialog, clash)
    tab.table.selectRow(2)
    tab.edit_button.click()
    assert "孙接待已在第一信息组" in shown[0].form.error_text("member_ids")

    def fine(d: GroupDialog) -> None:
        d.name.setText("第三信息组（综合）")
        d.leader.setCurrentIndex(d.leader.findData(o.deputy.id))
        _check(d, o.cashier.id)

    answer_dialog(monkeypatch, GroupDialog, fine)
    tab.edit_row(2)
    assert _column(tab, 0)[2] == "第三信息组（综合）" and _column(tab, 4)[2] == "周出纳"
    info = next(g for g in o.run(groups.list_groups, o.clerk) if g.name == "第三信息组（综合）")
    assert info.leader_id == o.deputy.id and [m.user_id for m in info.members] == [o.cashier.id]


def test_a_clerk_reads_only(qtbot: QtBot, sqlite_ctx: AppContext, prefs: Prefs) -> None:
    o = build_information_office(sqlite_ctx)
    tab = _tab(qtbot, o, "clerk", prefs)
    assert tab.table.rowCount() == 8
    assert tab.defaults_button.isHidden() and tab.new_button.isHidden() and tab.edit_button.isHidden()
    assert "系统管理 → 系统设置" in " ".join(label.text() for label in tab.findChildren(type(tab.settings)))


def test_the_tab_and_its_dialog_at_1366_by_768(qtbot: QtBot, sqlite_ctx: AppContext, prefs: Prefs) -> None:
    o = build_information_office(sqlite_ctx)
    tab = _tab(qtbot, o, "director", prefs)
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems: list[str] = []
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        tab.resize(1366, 680)
        tab.show()
        tab.refresh()
        qtbot.wait(30)
        tab.grab().save(str(SHOTS / f"groups-{size}.png"))
        problems += [f"{size} tab: {p}" for p in cut_labels(tab)]
        dialog = tab.group_dialog(tab.view.groups[0] if tab.view else None)
        assert dialog is not None
        dialog.show()
        qtbot.wait(30)
        dialog.grab().save(str(SHOTS / f"group-dialog-{size}.png"))
        problems += [f"{size} dialog: {p}" for p in window_problems(dialog) + cut_labels(dialog)]
        dialog.close()
    apply_theme(app, "medium")
    assert problems == []
