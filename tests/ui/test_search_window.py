"""综合查询 as the user sees it: the main window's box (Ctrl+K), the window of results grouped by kind, its
filters, 查看更多…, opening a record, what each role sees, the index banner, and the window at 中 and 大 on the
office laptop's screen. Records are made through the areas' own services, and found through their sources."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from app.core.roles import Role
from app.db.tables import search_state
from app.services.documents import incoming, outgoing
from app.services.search import query as search_query
from app.ui.prefs import Prefs
from app.ui.search.rendering import HIT_CLOSE, HIT_OPEN, HTML_ROLE
from app.ui.search.window import SearchWindow
from app.ui.theme import apply_theme
from tests.helpers import add_unit, add_user
from tests.helpers.layout_check import layout_problems
from tests.helpers.ui import Office

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

WAIT_MS = 10_000


# ----- helpers ---------------------------------------------------------------------------------------------------

def draft(office: Office, title: str, **extra: Any) -> int:
    with office.ctx.uow() as uow:
        made = outgoing.create_draft(uow, office.clerk, title=title, doc_type="通知", disclosure="主动公开", **extra)
    return made.id


def receive(office: Office, title: str, source_unit: str, source_number: str = "") -> int:
    with office.ctx.uow() as uow:
        made = incoming.create_incoming(uow, office.clerk, title=title, source_unit=source_unit,
                                        source_number=source_number)
    return made.id


def type_in(widget: QWidget, text: str) -> None:
    """Types Chinese as an input method commits it (QTest's key clicks know ASCII only)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_window(qtbot: QtBot, office: Office, prefs: Prefs, actor: Any = None) -> SearchWindow:
    window = SearchWindow(office.ctx, actor or office.clerk, prefs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_main(qtbot: QtBot, office: Office, prefs: Prefs, actor: Any) -> MainWindow:
    """The main window of the actor, shown."""
    from app.ui.main_window import MainWindow

    main = MainWindow(office.ctx, actor, prefs)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def ask(qtbot: QtBot, window: SearchWindow, text: str) -> None:
    """Types the query and waits for its answer (Enter asks at once)."""
    before = window.asked
    window.query.setFocus()
    window.query.setText(text)
    window.ask_now()
    wait_answer(qtbot, window, before)


def wait_answer(qtbot: QtBot, window: SearchWindow, before: Any = "unset") -> None:
    qtbot.waitUntil(lambda: window.asked is not None and window.asked.number == window.asking
                    and (before == "unset" or window.asked is not before), timeout=WAIT_MS)


def shown_rows(window: SearchWindow) -> list[tuple[str, str]]:
    """(plain text, rich text) of every result row shown."""
    return [(row.text(0), str(row.data(0, HTML_ROLE))) for row in window.results.hit_rows()]


def headings(window: SearchWindow) -> list[str]:
    items = (window.results.topLevelItem(i) for i in range(window.results.topLevelItemCount()))
    return [item.text(0) for item in items if item is not None]


# ----- finding ---------------------------------------------------------------------------------------------------

def test_typing_in_the_main_window_box_finds_a_record_with_its_hits_marked(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    draft(office, "关于加快农村公路建设的通知")
    draft(office, "关于做好安全生产工作的通知")
    main = open_main(qtbot, office, prefs, office.clerk)
    box = main.search.box
    assert box.placeholderText() == "综合查询：标题、文号、姓名、单位…（Ctrl+K）"
    box.setFocus()
    type_in(box, "公路")
    # Typing alone (no Enter) opens the window once the user pauses, and the box keeps the keyboard.
    qtbot.waitUntil(lambda: main.search.window is not None and main.search.window.isVisible(), timeout=WAIT_MS)
    window = main.search.window
    assert window is not None
    qtbot.waitUntil(lambda: len(window.results.hit_rows()) == 1, timeout=WAIT_MS)
    (text, rich), = shown_rows(window)
    assert "关于加快农村公路建设的通知" in text
    assert f"{HIT_OPEN}公路{HIT_CLOSE}" in rich
    assert headings(window) == ["公文 1 条"]
    assert window.pages.currentWidget() is window.results
    # Typing on updates the same window: one window, the newest query.
    type_in(box, " 农村")
    qtbot.waitUntil(lambda: window.query.text() == "公路 农村" and window.asked is not None
                    and window.asked.text == "公路 农村", timeout=WAIT_MS)
    assert f"{HIT_OPEN}农村公路{HIT_CLOSE}" in shown_rows(window)[0][1]
    assert main.search.search_window() is window


def test_the_snippet_shows_the_field_it_was_found_in_with_the_hit_marked(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    receive(office, "关于报送年度统计数据的通知", "江州市统计局", "江统发〔2026〕15号")
    window = open_window(qtbot, office, prefs)
    ask(qtbot, window, "统计局")
    (text, rich), = shown_rows(window)
    assert "来文单位：江州市统计局" in text.replace(" ", "") or "：江州市统计局" in text
    assert f"{HIT_OPEN}统计局{HIT_CLOSE}" in rich
    # The year and an open record's blue state chip on the title line.
    assert f"{date.today().year}年" in text
    assert "#DCE8F4" in rich


def test_record_text_is_shown_as_text_never_as_markup(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    draft(office, '关于<img src="x">和<b>安全</b>的通知')
    window = open_window(qtbot, office, prefs)
    ask(qtbot, window, "安全")
    (text, rich), = shown_rows(window)
    assert "<img" not in rich and "<b>" not in rich
    assert "&lt;img src=&quot;x&quot;&gt;" in rich and f"&lt;b&gt;{HIT_OPEN}安全{HIT_CLOSE}&lt;/b&gt;" in rich
    assert '关于<img src="x">和<b>安全</b>的通知' in text


def test_an_empty_query_gives_the_hint_and_nothing_found_says_so(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    draft(office, "关于加快农村公路建设的通知")
    window = open_window(qtbot, office, prefs)
    assert window.pages.currentWidget() is window.message
    assert "多个词用空格分开" in window.message.text()
    ask(qtbot, window, "<b>水库</b> 公路")
    assert window.pages.currentWidget() is window.message
    said = window.message.text()
    assert "没有找到与“<b>水库</b> 公路”相符的记录" in said
    assert "少输入几个词" in said and "更短的词" in said
    assert window.message.textFormat() == Qt.TextFormat.PlainText
    ask(qtbot, window, "   ")
    assert "多个词用空格分开" in window.message.text()


def test_a_newer_query_supersedes_an_older_one_that_answers_late(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft(office, "关于加快农村公路建设的通知")
    draft(office, "关于做好安全生产工作的通知")
    release = threading.Event()
    real = search_query.search

    def slow_for_roads(uow: Any, actor: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        if text == "公路":
            release.wait(10)
        return real(uow, actor, text, *args, **kwargs)

    monkeypatch.setattr(search_query, "search", slow_for_roads)
    window = open_window(qtbot, office, prefs)
    window.query.setText("公路")
    window.ask_now()
    older = window.asking
    ask(qtbot, window, "安全")
    assert [t.split("\n")[0] for t, _ in shown_rows(window)][0].startswith("关于做好安全生产工作的通知")
    release.set()
    # The late answer to 公路 arrives and is dropped: the results stay those of 安全.
    from app.ui.widgets import worker

    qtbot.waitUntil(lambda: worker._get_dispatcher().pending == 0, timeout=WAIT_MS)
    assert window.asking > older
    assert window.asked is not None and window.asked.text == "安全"
    assert all("农村公路" not in text for text, _ in shown_rows(window))


# ----- narrowing and paging ----------------------------------------------------------------------------------------

def test_filters_narrow_the_results(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    from app.core.claims import LineInput
    from app.services.claims import records as claims

    draft(office, "关于举办全县财务培训班的通知")
    with office.ctx.uow() as uow:
        claims.create_claim(uow, office.clerk, claims.ClaimInput(
            office.unit_id, date.today(), [LineInput("参加财务培训的交通费", "差旅费", "120")], 1))
    window = open_window(qtbot, office, prefs)
    ask(qtbot, window, "培训")
    assert len(headings(window)) == 2
    # 类别: only 公文; the state choices then offer the steps of 公文's flows.
    before = window.asked
    window.kind_box.setCurrentIndex(window.kind_box.findText("公文"))
    wait_answer(qtbot, window, before)
    assert headings(window) == ["公文 1 条"]
    states = [window.state_box.itemText(i) for i in range(window.state_box.count())]
    assert states[:3] == ["全部", "在办", "已办结"] and "拟稿" in states
    # 发文 and 收文 each head their own steps; a heading is not a choice.
    outgoing_at, incoming_at = states.index("【发文办理】"), states.index("【收文办理】")
    assert outgoing_at < states.index("拟稿") < incoming_at < states.index("登记")
    model = window.state_box.model()
    assert not model.item(outgoing_at).isEnabled() and model.item(states.index("拟稿")).isEnabled()
    # 状态: 已办结 leaves nothing (the draft is open), 在办 and its own step keep it.
    for state, count in (("已办结", 0), ("在办", 1), ("拟稿", 1)):
        before = window.asked
        window.state_box.setCurrentIndex(window.state_box.findText(state))
        wait_answer(qtbot, window, before)
        assert len(shown_rows(window)) == count, state
    # 年度: the years records are filed under, and a year with none narrows to nothing.
    qtbot.waitUntil(lambda: window.year_box.count() > 1, timeout=WAIT_MS)
    assert window.year_box.itemText(1) == f"{date.today().year}年"
    window.year_box.addItem("1999年", 1999)
    before = window.asked
    window.year_box.setCurrentIndex(window.year_box.count() - 1)
    wait_answer(qtbot, window, before)
    assert shown_rows(window) == []
    # Back to 全部 kinds: the step choices go, and a step chosen falls back to 全部; 在办 would stay.
    window.year_box.setCurrentIndex(0)
    before = window.asked
    window.kind_box.setCurrentIndex(0)
    wait_answer(qtbot, window, before)
    assert window.state_box.findText("拟稿") < 0 and window.state_box.currentText() == "全部"
    assert len(headings(window)) == 2


def test_more_loads_the_next_page_of_a_group(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    for number in range(8):
        draft(office, f"关于防汛工作的第{number + 1}号通知")
    window = open_window(qtbot, office, prefs)
    ask(qtbot, window, "防汛")
    assert headings(window) == ["公文 8 条"]
    assert len(shown_rows(window)) == 5
    group = window.asked.groups["document"]  # type: ignore[union-attr]
    more = group.more_row
    assert more is not None and more.text(0).startswith("查看更多…")
    rect = window.results.visualItemRect(more)
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(shown_rows(window)) == 8, timeout=WAIT_MS)
    assert group.more_row is None
    titles = [text.split("  ")[0] for text, _ in shown_rows(window)]
    assert len(set(titles)) == 8


# ----- opening ---------------------------------------------------------------------------------------------------

def test_enter_and_double_click_open_the_records_own_window(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.documents.window import DocumentWindow

    document_id = draft(office, "关于加快农村公路建设的通知")
    opened: list[QDialog] = []
    def shown(self: QDialog) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(DocumentWindow, "exec", shown)
    window = open_window(qtbot, office, prefs)
    ask(qtbot, window, "公路")
    window.query.setFocus()
    qtbot.keyClick(window.query, Qt.Key.Key_Down)
    assert window.results.hasFocus() and window.current_hit() is not None
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    assert len(opened) == 1
    assert isinstance(opened[0], DocumentWindow) and opened[0].document_id == document_id
    assert opened[0].parent() is window
    row = window.results.hit_rows()[0]
    rect = window.results.visualItemRect(row)
    # A double-click as a mouse gives it: a press, then the second press that Qt reports as a double-click.
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 2


# ----- who sees what ---------------------------------------------------------------------------------------------

def test_a_liaison_does_not_find_another_units_item(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    from app.services.supervision import items

    roads = add_unit(office.ctx, "县交通运输局")
    water = add_unit(office.ctx, "县水利局")
    roads_liaison = add_user(office.ctx, "roads", [Role.LIAISON], roads, full_name="李联络")
    water_liaison = add_user(office.ctx, "water", [Role.LIAISON], water, full_name="王联络")
    with office.ctx.uow() as uow:
        items.create_item(uow, office.clerk, items.ItemInput(
            source="政府工作报告", title="国道改线工程征地拆迁", requirement="年内完成征地", lead_unit_id=roads,
            co_unit_ids=[], responsible_id=office.clerk.id, priority="重点督办",
            deadline=date(date.today().year + 1, 6, 30)))
    seen = open_window(qtbot, office, prefs, roads_liaison)
    ask(qtbot, seen, "征地")
    assert [t for t, _ in shown_rows(seen)] and "国道改线工程征地拆迁" in shown_rows(seen)[0][0]
    unseen = open_window(qtbot, office, prefs, water_liaison)
    ask(qtbot, unseen, "征地")
    assert shown_rows(unseen) == []
    assert "没有找到" in unseen.message.text()


def test_a_petitioners_phone_is_shown_to_the_handler_only(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    from app.services.petitions import records as petitions

    officer = add_user(office.ctx, "officer", [Role.PETITION_OFFICER], office.unit_id, full_name="周接待")
    with office.ctx.uow() as uow:
        petitions.register_petition(uow, officer, petitions.PetitionInput(
            channel="来访", received_on=date.today(), name="王建国", phone="13812345678", address="城关镇幸福小区3栋",
            request="反映幸福小区商品房交房五年仍未办理不动产权证书", category="商品房两证办理", place="城关镇"))
    handler = open_window(qtbot, office, prefs, officer)
    ask(qtbot, handler, "13812345678")
    (text, rich), = shown_rows(handler)
    assert "13812345678" in text and f"{HIT_OPEN}13812345678{HIT_CLOSE}" in rich
    # The 文秘人员 sees every case, masked: not found by the phone, found by the name without it.
    other = open_window(qtbot, office, prefs, office.clerk)
    ask(qtbot, other, "13812345678")
    assert shown_rows(other) == []
    ask(qtbot, other, "王建国 不动产")
    assert len(shown_rows(other)) == 1
    for text, rich in shown_rows(other):
        assert "13812345678" not in text and "13812345678" not in rich
        assert "幸福小区3栋" not in text


# ----- the index -------------------------------------------------------------------------------------------------

def _forget_index(office: Office) -> None:
    with office.ctx.uow() as uow:
        uow.execute(delete(search_state))
        uow.commit()


def test_an_incomplete_index_says_so_and_only_an_administrator_may_rebuild_it(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft(office, "关于加快农村公路建设的通知")
    _forget_index(office)
    clerk = open_window(qtbot, office, prefs)
    ask(qtbot, clerk, "公路")
    assert clerk.banner.isVisible()
    assert "查询索引尚未建好，结果可能不全" in clerk.banner_text.text()
    assert "系统管理员" in clerk.banner_text.text()
    assert not clerk.rebuild_button.isVisible()

    asked: list[str] = []
    def agree(_parent: object, title: str, _text: str, _yes: str) -> bool:
        asked.append(title)
        return True

    monkeypatch.setattr("app.ui.search.window.confirm", agree)
    admin = open_window(qtbot, office, prefs, office.admin)
    ask(qtbot, admin, "公路")
    assert admin.banner.isVisible() and admin.rebuild_button.isVisible()
    before = admin.asked
    qtbot.mouseClick(admin.rebuild_button, Qt.MouseButton.LeftButton)
    assert asked == ["重建查询索引"]
    wait_answer(qtbot, admin, before)
    qtbot.waitUntil(lambda: admin.rebuilding is None and not admin.banner.isVisible(), timeout=WAIT_MS)
    assert admin.status.text().startswith("已重建查询索引") or "共找到" in admin.status.text()
    assert len(shown_rows(admin)) == 1
    # The clerk's next query finds the index complete.
    ask(qtbot, clerk, "公路")
    assert not clerk.banner.isVisible()


def test_the_rebuild_is_refused_to_anyone_but_an_administrator(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The button is hidden from others; should it be reached all the same, the service refuses."""
    shown: list[str] = []
    monkeypatch.setattr("app.ui.search.window.show_error", lambda _p, error, *_a: shown.append(str(error)))
    monkeypatch.setattr("app.ui.search.window.confirm", lambda *_a: pytest.fail("asked to confirm"))
    clerk = open_window(qtbot, office, prefs)
    clerk.rebuild_index()
    assert shown and "重建查询索引" in shown[0]


# ----- the main window -------------------------------------------------------------------------------------------

def test_ctrl_k_focuses_the_box_and_ctrl_f_keeps_a_lists_own_filter(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    main = open_main(qtbot, office, prefs, office.clerk)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main, timeout=WAIT_MS)
    main.navigation.setFocus()
    qtbot.keyClick(main.navigation, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert main.search.box.hasFocus()
    # On 公文's list Ctrl+F is its own filter box, as before.
    main.show_area("documents")
    documents = main.pages["documents"]
    qtbot.keyClick(main.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert documents.outgoing.search.hasFocus()  # type: ignore[attr-defined]
    assert main.search.window is None or not main.search.window.isVisible()
    # On the 工作台 (no filter box of its own) it opens 综合查询 over every kind.
    main.show_area("workbench")
    qtbot.keyClick(main.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    window = main.search.window
    assert window is not None and window.isVisible()
    assert window.kind_box.currentData() == ""


def test_ctrl_f_on_a_page_without_a_filter_box_narrows_to_its_area(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    main = open_main(qtbot, office, prefs, office.lead)
    main.show_area("supervision")
    page = main.pages["supervision"]
    notice = page.notice  # type: ignore[attr-defined]
    assert notice is not None
    page.tabs.setCurrentWidget(notice)  # type: ignore[attr-defined]
    main.find_action.trigger()
    window = main.search.window
    assert window is not None and window.isVisible()
    assert window.kind_box.currentText() == "督办事项"


def test_the_window_remembers_where_it_was(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = open_window(qtbot, office, prefs)
    window.resize(820, 540)
    window.close()
    again = open_window(qtbot, office, prefs)
    assert (again.width(), again.height()) == (820, 540)


# ----- text size ---------------------------------------------------------------------------------------------------

@pytest.fixture(params=["medium", "large"])
def text_size(request: pytest.FixtureRequest, qapp: QApplication, prefs: Prefs) -> Iterator[str]:
    prefs.text_size = request.param
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "medium")


def test_the_window_fits_the_laptop_at_each_text_size(
    qtbot: QtBot, office: Office, prefs: Prefs, text_size: str, tmp_path: Path
) -> None:
    from app.ui.main_window import MainWindow

    for number in range(7):
        draft(office, f"关于做好2027年元旦春节期间安全生产和森林防火工作的第{number + 1}号紧急通知（县政府办公室）")
    receive(office, "关于开展2026年度安全生产大检查的通知", "江州市人民政府安全生产委员会办公室", "江安委办发〔2026〕123号")
    _forget_index(office)
    main = MainWindow(office.ctx, office.admin, prefs)
    qtbot.addWidget(main)
    main.showMaximized()
    qtbot.waitExposed(main)
    corner = main.search.box
    # The box shows its whole placeholder in the top bar.
    assert corner.width() >= corner.fontMetrics().horizontalAdvance(corner.placeholderText())
    problems = layout_problems(main, tmp_path / f"main-{text_size}.png")
    window = main.search.search_window()
    assert window is not None
    window.show()
    qtbot.waitExposed(window)
    ask(qtbot, window, "安全 通知")
    assert window.banner.isVisible()
    problems += layout_problems(window, tmp_path / f"search-{text_size}.png")
    # Every result row shown is tall enough for its text wrapped to the window's width: nothing is cut.
    tree = window.results
    option = QStyleOptionViewItem()
    option.initFrom(tree)
    option.font = tree.font()
    option.widget = tree
    delegate = tree.itemDelegate()
    for row in tree.hit_rows():
        rect = tree.visualItemRect(row)
        if rect.isEmpty() or rect.top() > tree.viewport().height():
            continue
        need = delegate.needed_height(option, tree.indexFromItem(row), rect.width())  # type: ignore[attr-defined]
        if need > rect.height():
            problems.append(f"row “{row.text(0)[:20]}” needs {need} px, has {rect.height()}")
    # The filters show their choices whole.
    for box in (window.kind_box, window.year_box, window.state_box):
        if box.width() < box.sizeHint().width():
            problems.append(f"{box.objectName()} needs {box.sizeHint().width()} px, has {box.width()}")
    assert not problems, "\n".join(problems)



def test_the_state_choices_of_a_kind_are_the_steps_of_its_own_flows() -> None:
    from app.core.petitions.flow import PETITION, PETITION_PROBLEM, PETITION_REVIEW
    from app.ui.search.window import step_labels

    # A 信访件 goes through 信访 and 复查复核, not the flow of the 排查问题 (records of their own).
    flows = dict(step_labels("petition"))
    assert list(flows) == [PETITION.label, PETITION_REVIEW.label]
    assert PETITION_PROBLEM.label not in flows
    assert flows[PETITION.label] == list(dict.fromkeys(step.label for step in PETITION.steps))
