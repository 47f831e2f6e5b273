"""The item window: the editor sends a reported item back with an opinion (refused without one), the author
reports it again, the editor files it; adoptions with the points of the table in force, and 批示, each refused
beside its field when wrong and removable by the editors; the author sees no 登记 buttons; a member of another
group cannot open it. Each tab and each dialog looked at, at 1366×768, at 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.kernel import settings
from app.ui.information import window as window_module
from app.ui.information.dialogs import AdoptionDialog, CommentDialog
from app.ui.information.window import ItemWindow
from app.ui.theme import apply_theme
from app.ui.widgets.qt_helpers import to_qdate as qdate
from app.ui.widgets.step_dialog import StepDialog
from tests.helpers.document_office import TODAY, Office
from tests.helpers.document_ui import buttons, click
from tests.helpers.information_office import WRITTEN, build_information_office, new_item
from tests.helpers.layout_check import cut_cells, cut_labels, cut_spin_boxes, window_problems
from tests.helpers.meeting_tabs import agree, answer_dialog, refusals

SHOTS = Path("/tmp/shots-ui")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


def _window(qtbot: QtBot, o: Office, who: str, item_id: int) -> ItemWindow:
    window = ItemWindow(o.ctx, o.people[who], item_id, today=TODAY)
    qtbot.addWidget(window)
    return window


def _header(window: ItemWindow) -> str:
    return " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window))


def _column(table: object, column: int) -> list[str]:
    from PySide6.QtWidgets import QTableWidget

    assert isinstance(table, QTableWidget)
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_the_editor_returns_the_author_reports_again_the_editor_files(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = office
    item = new_item(o)
    editor = _window(qtbot, o, "clerk2", item)
    assert [editor.tabs.tabText(i) for i in range(editor.tabs.count())] == [
        "正文", "采用与批示", "办理记录", "流程图", "附件"]
    assert "当前环节：编审" in _header(editor) and "第一信息组" in _header(editor) and "孙接待" in _header(editor)
    assert "我县农村公路提质改造取得新进展" in editor.body_tab.heading.text()
    assert "农村公路" in editor.body_tab.text.toPlainText()
    assert set(buttons(editor)) == {"存档", "退回修改", "修改…"}
    # 退回修改 asks what to change: refused under the opinion box, nothing sent.
    click(editor, "退回修改")
    assert "写明要改什么" in editor.opinion_error.text() and editor.info.state == "submitted"
    editor.opinion.setPlainText("请补充具体数据和群众反映")
    click(editor, "退回修改")
    assert editor.info.state == "draft" and editor.changed
    history = editor.history
    assert "请补充具体数据和群众反映" in _column(history, 4)

    author = _window(qtbot, o, "petition", item)
    assert "当前环节：撰写" in _header(author)
    assert set(buttons(author)) == {"报送", "修改…"}
    assert author.facts_tab.add_adoption.isHidden() and author.facts_tab.add_comment.isHidden()
    asked = agree(monkeypatch, window_module)
    click(author, "报送")
    assert asked and author.info.state == "submitted" and author.info.submitted_on == TODAY
    assert set(buttons(author)) == {"撤回"}, "once reported the author waits, or takes it back"

    editor.load()
    click(editor, "存档")
    assert editor.info.state == "filed" and "已存档" in _header(editor)
    assert set(buttons(editor)) == set()


def test_adoptions_and_comments(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    item = new_item(o)
    window = _window(qtbot, o, "clerk", item)
    tab = window.facts_tab
    assert not tab.add_adoption.isHidden() and not tab.remove_adoption.isEnabled()
    assert tab.total.text() == "尚未被采用"

    def no_body(d: AdoptionDialog) -> None:
        assert [d.level.itemText(i) for i in range(d.level.count())] == ["市级（3分）", "省级（5分）", "国家级（10分）"]

    shown = answer_dialog(monkeypatch, AdoptionDialog, no_body)
    tab.add_adoption.click()
    assert shown[0].form.error_text("body") == "请填写采用单位" and window.info.adoptions == ()

    def too_early(d: AdoptionDialog) -> None:
        d.adopter.setText("市政府办公室")
        d.adopted.setDate(qdate(WRITTEN.replace(day=1)))

    shown = answer_dialog(monkeypatch, AdoptionDialog, too_early)
    tab.add_adoption.click()
    assert "不能早于稿件的报送日期" in shown[0].form.error_text("adopted_on")
    assert shown[0].adopter.text() == "市政府办公室", "what was typed stays"

    def province(d: AdoptionDialog) -> None:
        d.adopter.setText("省政府办公厅")
        d.level.setCurrentIndex(d.level.findData("省级"))

    answer_dialog(monkeypatch, AdoptionDialog, province)
    tab.add_adoption.click()
    assert _column(tab.adoptions, 0) == ["省政府办公厅"] and _column(tab.adoptions, 3) == ["5分"]
    assert "得分：</b>5分" in _header(window) and tab.total.text() == "共1次，5分"

    # The table in force changes: the dialog shows the new points, and what was earned stays.
    with o.ctx.uow() as uow:
        settings.update_settings(uow, o.admin, {"adoption_points": {"市级": "4", "省级": "6", "国家级": "12"}})
        uow.commit()
    window.load()

    def city(d: AdoptionDialog) -> None:
        assert d.level.itemText(0) == "市级（4分）"
        d.adopter.setText("市政府办公室")

    answer_dialog(monkeypatch, AdoptionDialog, city)
    tab.add_adoption.click()
    assert _column(tab.adoptions, 3) == ["5分", "4分"] and window.info.points == 9

    shown = answer_dialog(monkeypatch, CommentDialog, lambda d: d.leader.setText("王县长"))
    tab.add_comment.click()
    assert shown[0].form.error_text("text") == "请填写批示内容"

    def comment(d: CommentDialog) -> None:
        d.leader.setText("王县长")
        d.text.setPlainText("此做法很好，请在全县推广。")

    answer_dialog(monkeypatch, CommentDialog, comment)
    tab.add_comment.click()
    assert _column(tab.comments, 0) == ["王县长"] and _column(tab.comments, 3) == ["此做法很好，请在全县推广。"]
    assert window.tabs.tabText(window.facts_index) == "采用与批示（3）"

    # Removing: the one chosen, after a confirmation.
    agree(monkeypatch, window_module)
    tab.adoptions.selectRow(0)
    tab.remove_adoption.click()
    assert _column(tab.adoptions, 0) == ["市政府办公室"] and window.info.points == 4
    tab.remove_comment.click()
    assert tab.comments.rowCount() == 0

    # The author reads the adoptions, and records none.
    author = _window(qtbot, o, "petition", item)
    assert author.facts_tab.adoptions.rowCount() == 1 and author.facts_tab.add_adoption.isHidden()


def test_another_groups_member_cannot_open_it(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    item = new_item(o)
    said = refusals(monkeypatch)
    window = ItemWindow(o.ctx, o.finance, item, today=TODAY)
    qtbot.addWidget(window)
    assert window.detail is None and any("不是您所在信息组的" in text for text in said)


def test_the_window_and_its_dialogs_at_1366_by_768(qtbot: QtBot, office: Office) -> None:
    o = office
    item = new_item(o)
    o.run(window_module.adoptions.record_adoption, o.clerk, item, body="市政府办公室", level="市级",
          adopted_on=TODAY, today=TODAY)
    o.run(window_module.adoptions.record_comment, o.clerk, item, leader="王县长",
          text="此做法很好，请县交通运输局总结经验，在全县推广。", commented_on=TODAY, today=TODAY)
    window = _window(qtbot, o, "clerk", item)
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems: list[str] = []
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        window.resize(1366, 768)
        window.show()
        window.load()
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            qtbot.wait(30)
            window.grab().save(str(SHOTS / f"window-{index}-{size}.png"))
            found = cut_labels(window) + cut_spin_boxes(window) + cut_cells(window)
            problems += [f"{size} {window.tabs.tabText(index)}: {p}" for p in found]
        if window.tabs.tabBar().sizeHint().width() > window.tabs.width():
            problems.append(f"{size}: the tab titles do not all show")
        dialogs: list[StepDialog] = [
            AdoptionDialog(window._summary(), window.view.points, TODAY, window),
            CommentDialog(window._summary(), TODAY, window),
        ]
        for dialog in dialogs:
            dialog.show()
            qtbot.wait(30)
            dialog.grab().save(str(SHOTS / f"{type(dialog).__name__}-{size}.png"))
            problems += [f"{size} {type(dialog).__name__}: {p}"
                         for p in window_problems(dialog) + cut_labels(dialog) + cut_spin_boxes(dialog)]
            dialog.close()
    apply_theme(app, "medium")
    assert problems == []
