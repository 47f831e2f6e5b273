"""The item editor: a member writes for their own group as themselves, each mistake beside its field and
nothing typed lost on a refusal (the editor's checks and the service's); an editor enters a piece for another
group and author; correcting a draft keeps its author; a stale version offers to reload; at 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.information import groups, items, records
from app.ui.information.editor import ItemEditor
from app.ui.theme import apply_theme
from app.ui.widgets.conflict import ConflictDialog
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, item_input, new_item
from tests.helpers.layout_check import cut_labels, window_problems
from tests.helpers.meeting_tabs import refusals

SHOTS = Path("/tmp/shots-ui")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


def _editor(qtbot: QtBot, o: Office, who: str, info: records.ItemInfo | None = None, kind: str = "item") -> ItemEditor:
    editor = ItemEditor(o.ctx, o.people[who], info, kind=kind)
    qtbot.addWidget(editor)
    return editor


def test_a_member_writes_for_their_group_each_mistake_beside_its_field(qtbot: QtBot, office: Office) -> None:
    o = office
    editor = _editor(qtbot, o, "petition")
    assert editor.group.count() == 1 and editor.group.currentText() == "第一信息组"
    assert editor.author.isReadOnly() and editor.author.text() == "孙接待"
    assert not editor.submit_button.isHidden() and editor.draft_button.text() == "保存草稿"
    editor.body.setPlainText("今年以来……")
    editor.draft_button.click()
    assert editor.form.error_text("title") == "请填写标题" and editor.saved is None
    assert editor.body.toPlainText() == "今年以来……"
    # The service's own check, beside its field: the text is kept.
    editor.title_edit.setText("我县信访积案化解取得新成效")
    editor.body.setPlainText("字" * (items.MAX_BODY + 1))
    editor.draft_button.click()
    assert "正文不能超过30000个字" in editor.form.error_text("body") and editor.saved is None
    assert editor.title_edit.text() == "我县信访积案化解取得新成效"
    editor.body.setPlainText("今年以来，县信访局开展积案化解专项行动。")
    assert editor.form.error_text("body") == "", "a fixed mistake clears"
    editor.draft_button.click()
    assert editor.saved is not None and editor.saved.state == "draft" and editor.saved.author_name == "孙接待"
    assert editor.saved.group_name == "第一信息组" and editor.result() == ItemEditor.DialogCode.Accepted


def test_an_editor_enters_a_piece_for_another_group_and_author(qtbot: QtBot, office: Office) -> None:
    o = office
    editor = _editor(qtbot, o, "clerk2", kind="article")
    assert editor.windowTitle() == "写调研文章" and not editor.author.isReadOnly()
    assert editor.group.currentData() == "" and editor.group.count() == 9
    editor.title_edit.setText("关于我县乡村旅游发展的调研报告")
    editor.body.setPlainText("一、基本情况")
    editor.submit_button.click()
    assert editor.form.error_text("group_id") == "请选择信息组" and editor.saved is None
    editor.group.setCurrentIndex(editor.group.findText("第三信息组"))
    editor.author.setText("刘调研")
    editor.submit_button.click()
    saved = editor.saved
    assert saved is not None and saved.kind == "article" and saved.state == "submitted"
    assert saved.author_name == "刘调研" and saved.group_name == "第三信息组"


def test_correcting_a_draft_keeps_its_author_and_reports_it(qtbot: QtBot, office: Office) -> None:
    o = office
    item = new_item(o, submit=False)
    info = o.run(records.get_item, o.petition, item)
    editor = _editor(qtbot, o, "petition", info)
    assert editor.windowTitle() == "修改政务信息" and editor.title_edit.text() == info.title
    editor.title_edit.setText("我县农村公路提质改造取得新成效")
    editor.submit_button.click()
    saved = editor.saved
    assert saved is not None and saved.state == "submitted" and saved.title == "我县农村公路提质改造取得新成效"
    assert saved.author_name == "孙接待" and saved.author_id == o.petition.id

    # The editor polishes it while editing (编审): 保存 only, and the author stays.
    polishing = _editor(qtbot, o, "clerk2", saved)
    assert polishing.submit_button.isHidden() and polishing.draft_button.text() == "保存"
    polishing.body.setPlainText(saved.body + "群众满意度明显提升。")
    polishing.draft_button.click()
    assert polishing.saved is not None and polishing.saved.author_id == o.petition.id
    mine = o.run(records.get_item, o.petition, item)
    assert mine.body.endswith("群众满意度明显提升。")


def test_a_stale_version_offers_to_reload(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    item = new_item(o)
    seen = o.run(records.get_item, o.clerk, item)
    o.run(items.update_item, o.clerk2, item, item_input(title="另一位文秘改过的标题"), expected_version=seen.version)
    asked: list[str] = []

    def reload(_parent: object, message: str, *_args: object) -> int:
        asked.append(message)
        return ConflictDialog.RELOAD

    monkeypatch.setattr(ConflictDialog, "ask", staticmethod(reload))
    editor = _editor(qtbot, o, "clerk", seen)
    editor.title_edit.setText("我改的标题")
    editor.draft_button.click()
    assert asked and "已被其他人修改" in asked[0]
    assert editor.saved is None and editor.result() == ItemEditor.DialogCode.Rejected
    assert o.run(records.get_item, o.clerk, item).title == "另一位文秘改过的标题"


def test_a_refusal_is_said_and_the_text_stays(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    o = office
    editor = _editor(qtbot, o, "petition")
    # Meanwhile the director takes 孙接待 out of 第一信息组: he writes for no group now.
    first = o.run(groups.list_groups, o.admin)[0]
    o.run(groups.save_group, o.admin, first.id, name=first.name, leader_id=first.leader_id,
          member_ids=[m.user_id for m in first.members if m.user_id != o.petition.id],
          expected_version=first.version)
    said = refusals(monkeypatch)
    editor.title_edit.setText("我县信访积案化解取得新成效")
    editor.body.setPlainText("今年以来……")
    editor.submit_button.click()
    assert said and "只有信息组成员" in said[0] and editor.saved is None
    assert editor.title_edit.text() == "我县信访积案化解取得新成效" and editor.body.toPlainText() == "今年以来……"


def test_the_editor_at_1366_by_768(qtbot: QtBot, office: Office) -> None:
    o = office
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems: list[str] = []
    for size in ("medium", "large"):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        for who in ("petition", "clerk"):
            editor = _editor(qtbot, o, who)
            editor.show()
            editor.draft_button.click()  # every mistake shown at once
            qtbot.wait(30)
            editor.grab().save(str(SHOTS / f"editor-{who}-{size}.png"))
            problems += [f"{size} {who}: {p}" for p in window_problems(editor) + cut_labels(editor)]
            editor.close()
    apply_theme(app, "medium")
    assert problems == []
