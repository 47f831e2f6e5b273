"""Issue 15, point 2 on screen: 常用意见 in the opinion box and its dialog, 分发组 in the unit pickers and the
系统管理 tab, the 工作台's 待办 / 待阅 / 已办, and arrival (a tray message and the count beside 工作台)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QListWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import AppContext
from app.models import Document, Urge
from app.services.admin import opinions, unit_groups
from app.services.documents import outgoing
from app.ui.admin.page import AdminPage
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.documents.window import DocumentWindow
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from app.ui.widgets.opinion import OpinionsDialog
from app.ui.widgets.qt_helpers import checkable_item
from app.ui.widgets.units import GroupPicker
from app.ui.workbench.page import DONE_VIEW, READ_VIEW, TODO_VIEW
from tests.helpers.document_office import TODAY, Office, advance_outgoing, build_office, new_draft

SHOTS = Path("/tmp")


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


@pytest.fixture(params=["medium", "large"])
def text_size(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    apply_theme(app, request.param)
    yield request.param


def shoot(widget: QWidget, name: str, qtbot: QtBot, size: tuple[int, int] | None = None) -> None:
    if size is not None:
        widget.resize(*size)
    qtbot.wait(60)
    widget.grab().save(str(SHOTS / f"h4-{name}.png"))


def _phrases(window: DocumentWindow) -> list[str]:
    combo = window.opinion_box.phrases
    return [combo.itemText(i) for i in range(combo.count()) if combo.itemText(i)]


# ----- 常用意见 ---------------------------------------------------------------------------------------------

def test_the_opinion_box_offers_ones_own_then_the_offices(qtbot: QtBot, office: Office, text_size: str) -> None:
    o = office
    doc = new_draft(o, title="关于冬季防火的通知")
    advance_outgoing(o, doc, "sign")
    o.run(opinions.add_opinion, o.mayor, "同意，请县应急局牵头落实。")
    window = DocumentWindow(o.ctx, o.mayor, doc)
    qtbot.addWidget(window)
    window.show()
    offered = _phrases(window)
    assert offered[:3] == ["常用意见…", "同意，请县应急局牵头落实。", "同意。"]
    assert offered[-2:] == ["管理我的常用意见…", "把当前意见存为常用意见"]
    combo = window.opinion_box.phrases
    combo.activated.emit(1)
    assert window.opinion_text() == "同意，请县应急局牵头落实。"
    # Another person's window does not show it.
    other = DocumentWindow(o.ctx, o.vice, doc)
    qtbot.addWidget(other)
    assert "同意，请县应急局牵头落实。" not in _phrases(other)
    shoot(window, f"opinion-box-{text_size}", qtbot, (1366, 768))
    combo.showPopup()
    popup = combo.view().window()
    qtbot.waitUntil(popup.isVisible)
    shoot(popup, f"opinion-list-{text_size}", qtbot)
    # The list is wide enough for a usual opinion whole.
    assert combo.view().width() >= combo.fontMetrics().horizontalAdvance("同意，请县应急局牵头落实。")
    combo.hidePopup()


def test_the_current_opinion_is_saved_as_a_common_one_and_a_refusal_shows_under_the_box(
    qtbot: QtBot, office: Office
) -> None:
    o = office
    doc = new_draft(o, title="关于冬季防火的通知")
    advance_outgoing(o, doc, "sign")
    window = DocumentWindow(o.ctx, o.mayor, doc)
    qtbot.addWidget(window)
    window.show()
    box = window.opinion_box
    combo = box.phrases
    save_at = combo.count() - 1
    combo.activated.emit(save_at)
    assert box.error.isVisibleTo(window) and "意见框是空的" in box.error.text()
    window.opinion.setPlainText("请分管副县长阅示。")
    combo.activated.emit(save_at)
    assert not box.error.isVisibleTo(window)
    assert _phrases(window)[1] == "请分管副县长阅示。"
    # The same again: refused, and said where it was typed.
    combo.activated.emit(combo.count() - 1)
    assert "已在您的常用意见中" in box.error.text()
    with o.ctx.uow() as uow:
        assert [m.text for m in opinions.my_opinions(uow, o.mayor)] == ["请分管副县长阅示。"]


def test_the_dialog_adds_removes_and_reorders_ones_own(qtbot: QtBot, office: Office, text_size: str) -> None:
    o = office
    dialog = OpinionsDialog(o.ctx, o.mayor)
    qtbot.addWidget(dialog)
    dialog.show()
    for text in ("同意。", "请办公室研究。", "已阅。"):
        dialog.new_text.setText(text)
        dialog.add()
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["同意。", "请办公室研究。", "已阅。"]
    assert dialog.list.currentRow() == 2 and not dialog.down_button.isEnabled()
    dialog.move_selected(-1)
    assert [o.text for o in dialog.opinions] == ["同意。", "已阅。", "请办公室研究。"]
    assert dialog.list.currentRow() == 1
    dialog.new_text.setText("同" * 201)
    dialog.add()
    assert dialog.error.isVisibleTo(dialog) and "不能超过200个字" in dialog.error.text()
    assert dialog.new_text.text() == "同" * 201, "what was typed stays"
    dialog.list.setCurrentRow(0)
    dialog.remove()
    assert [o.text for o in dialog.opinions] == ["已阅。", "请办公室研究。"]
    dialog.new_text.clear()
    shoot(dialog, f"opinions-dialog-{text_size}", qtbot)
    with o.ctx.uow() as uow:
        assert [m.text for m in opinions.my_opinions(uow, o.mayor)] == ["已阅。", "请办公室研究。"]


# ----- 分发组 -----------------------------------------------------------------------------------------------

def test_a_group_ticks_all_its_units_that_the_list_offers(qtbot: QtBot, office: Office) -> None:
    o = office
    groups = o.run(unit_groups.make_default_groups, o.admin)
    target = QListWidget()
    qtbot.addWidget(target)
    for name in ("城关镇", "财政局", "秘书股"):
        target.addItem(checkable_item(name, o.units[name]))
    picker = GroupPicker(target, groups)
    qtbot.addWidget(picker)
    assert picker.offers_groups
    assert [picker.itemText(i) for i in range(picker.count())] == ["按分发组勾选…", "全部乡镇（1个单位）", "全部县直部门（1个单位）"]
    picker.activated.emit(2)
    ticked = [target.item(i).text() for i in range(target.count()) if target.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == ["财政局"] and picker.currentIndex() == 0
    picker.activated.emit(1)
    ticked = [target.item(i).text() for i in range(target.count()) if target.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == ["城关镇", "财政局"]
    # A list none of whose units is in a group offers no groups.
    lone = QListWidget()
    qtbot.addWidget(lone)
    lone.addItem(checkable_item("秘书股", o.units["秘书股"]))
    assert not GroupPicker(lone, groups).offers_groups


def test_the_draft_dialogs_cosigners_can_be_ticked_by_group(qtbot: QtBot, office: Office, text_size: str) -> None:
    o = office
    o.run(unit_groups.make_default_groups, o.admin)
    dialog = DraftDialog(o.ctx, o.clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    picker = dialog.cosign_groups
    assert picker.isVisibleTo(dialog)
    picker.activated.emit(picker.findText("全部县直部门", Qt.MatchFlag.MatchStartsWith))
    assert set(dialog.cosigner_ids()) >= {o.units["财政局"], o.units["教育局"]}
    shoot(dialog, f"draft-groups-{text_size}", qtbot)


def test_the_administrator_edits_groups_in_their_tab(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch, text_size: str
) -> None:
    o = office
    page = AdminPage(o.ctx, o.admin, prefs)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.unit_groups)
    tab = page.unit_groups
    assert "还没有分发组" in tab.members_caption.text()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("县领导", True))
    tab.new_group()
    assert [g.name for g in tab.groups] == ["县领导"]
    for row in range(tab.unit_list.count()):
        item = tab.unit_list.item(row)
        if item.text().startswith("青山县人民政府　"):
            item.setCheckState(Qt.CheckState.Checked)
    tab.save_members()
    assert tab.groups[0].unit_ids == (o.units["县政府"],)
    assert tab.group_list.item(0).text() == "县领导（1个单位）"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("县政府领导", True))
    tab.rename()
    assert tab.groups[0].name == "县政府领导"
    # A refused name says why and changes nothing.
    shown: list[str] = []
    monkeypatch.setattr("app.ui.widgets.db_call.show_error", lambda _p, error, *a: shown.append(str(error)))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    tab.new_group()
    assert shown and "名称不能为空" in shown[0]
    assert [g.name for g in tab.groups] == ["县政府领导"]
    shoot(page, f"admin-unit-groups-{text_size}", qtbot, (1200, 700))


# ----- 待办 / 待阅 / 已办 -----------------------------------------------------------------------------------

def open_main(qtbot: QtBot, office: Office, prefs: Prefs, who: str) -> MainWindow:
    window = MainWindow(office.ctx, office.people[who], prefs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.workbench.result is not None, timeout=15_000)
    return window


def test_the_workbench_has_todo_reading_and_done_apart(
    qtbot: QtBot, office: Office, prefs: Prefs, text_size: str
) -> None:
    o = office
    first = new_draft(o, title="关于冬季防火的通知")
    advance_outgoing(o, first, "sign")
    second = new_draft(o, title="关于春耕生产的通知")
    advance_outgoing(o, second, "review")
    window = open_main(qtbot, o, prefs, "deputy")
    page = window.workbench
    buttons = page.switch_buttons
    assert buttons[TODO_VIEW].isChecked() and buttons[TODO_VIEW].text() == "待办（1）"
    assert buttons[READ_VIEW].text() == "待阅（0）"
    assert page.model.index(0, 0).data() == "关于春耕生产的通知"
    assert window.nav_items["workbench"].text() == "工作台 1"
    buttons[DONE_VIEW].click()
    assert page.lists.currentWidget() is page.done_table
    qtbot.waitUntil(lambda: page.done_model.rowCount() == 1, timeout=5_000)
    row = [page.done_model.index(0, c).data() for c in range(5)]
    assert row[0] == "关于冬季防火的通知" and row[2] and row[3]
    window.resize(1366, 768)
    shoot(window, f"workbench-done-{text_size}", qtbot)
    opened: list[object] = []
    page.open_record = opened.append
    page.done_table.activated.emit(page.done_model.row_object(0))
    assert opened and opened[0].info.title == "关于冬季防火的通知"  # type: ignore[attr-defined]
    buttons[READ_VIEW].click()
    assert page.lists.currentWidget() is page.table and page.list_caption.text() == "我的待阅"
    # A tile of the 待办 takes the switch back to 待办.
    page.tiles["overdue"].clicked.emit()
    assert buttons[TODO_VIEW].isChecked()


# ----- arrival ----------------------------------------------------------------------------------------------

def test_a_to_do_sent_from_another_pc_arrives_with_a_message_and_the_count(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    o = office
    doc = new_draft(o, title="关于冬季防火的通知", urgency="特急")
    window = open_main(qtbot, o, prefs, "deputy")
    said: list[tuple[str, str]] = []
    window.arrival.announced.connect(lambda title, text: said.append((title, text)))
    # The first poll notes where the deputy stands: nothing to say.
    qtbot.waitUntil(lambda: window.arrival.mark is not None, timeout=10_000)
    assert said == [] and window.nav_items["workbench"].text() == "工作台"
    # The clerk, on another PC (another session on the same database), sends the draft on.
    o.run(outgoing.submit, o.clerk, doc, today=TODAY)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == [("新的待办事项", "您有1件新的待办：《关于冬季防火的通知》")]
    assert window.nav_items["workbench"].text() == "工作台 1"
    assert "您有1件新的待办" in window.statusBar().currentMessage()
    # A 催办 aimed at the deputy.
    with o.ctx.uow() as uow:
        instance_id = uow.session.execute(select(Document.workflow_instance_id).where(Document.id == doc)).scalar_one()
    with o.ctx.uow() as uow:
        # Written as the worklist's 催办 writes it, aimed at the holder, in one commit with its feed entry.
        uow.session.add(Urge(instance_id=instance_id, by_id=o.mayor.id, by_name="陈县长", method="电话",
                             note="请今天办结", aimed_at_id=o.deputy.id))
        uow.record(o.mayor.id, o.mayor.username, "urge", "document", doc, {"method": "电话"}, change_op="update")
        uow.commit()
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    assert said[1] == ("新的催办", "陈县长（电话）催办《关于冬季防火的通知》：请今天办结")
    # The deputy's own move is no news to him; the count follows it.
    o.run(outgoing.review, o.deputy, doc, "approve", "同意", today=TODAY)
    qtbot.waitUntil(lambda: window.nav_items["workbench"].text() == "工作台", timeout=10_000)
    assert len(said) == 2


def test_the_distribution_and_handling_lists_offer_groups(qtbot: QtBot, office: Office, text_size: str) -> None:
    from app.ui.documents.inputs import HandlingDialog, PickDialog
    from app.ui.documents.window import _offer_groups

    o = office
    groups = o.run(unit_groups.make_default_groups, o.admin)
    units = [(name, o.units[name]) for name in ("城关镇", "财政局", "教育局", "秘书股")]
    pick = PickDialog("分发", "勾选要分发到的单位；各单位签收后在“会签与分发”中可见。", units, "分发")
    qtbot.addWidget(pick)
    _offer_groups(pick, pick.list, groups, 2)
    pick.show()
    picker = pick.findChild(GroupPicker)
    assert picker is not None and picker.isVisible()
    picker.activated.emit(picker.findText("全部县直部门", Qt.MatchFlag.MatchStartsWith))
    assert sorted(pick.chosen()) == sorted([o.units["财政局"], o.units["教育局"]])
    shoot(pick, f"distribute-groups-{text_size}", qtbot)
    handling = HandlingDialog(units, opinion_needed=True)
    qtbot.addWidget(handling)
    _offer_groups(handling, handling.co_units, groups, 1, "协办单位可按分发组一次勾选：")
    handling.show()
    found = handling.findChild(GroupPicker)
    assert found is not None
    found.activated.emit(found.findText("全部乡镇", Qt.MatchFlag.MatchStartsWith))
    assert handling.co_unit_ids() == [o.units["城关镇"]]
    shoot(handling, f"handling-groups-{text_size}", qtbot)


def test_where_the_desktop_has_a_tray_the_message_goes_there(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

    from app.services.workflow.arrivals import ArrivalMark, Arrivals
    from app.ui.workbench.arrival import ArrivalWatch

    window = QMainWindow()
    qtbot.addWidget(window)
    watch = ArrivalWatch(window)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda self: None)
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, title, text, *a: shown.append((title, text)))
    counts: list[int] = []
    watch.countChanged.connect(counts.append)
    got = Arrivals(5, 1, ["甲", "乙", "丙", "丁"], 5, ["戊"], 1)
    watch.show((got, ArrivalMark(5, 1, frozenset(), 0)))
    assert counts == [5]
    assert shown == [("新的待办事项", "您有5件新的待办：《甲》《乙》《丙》等\n您有1件新的待阅：《戊》")]
    # Nothing new: the count follows, no message.
    watch.show((Arrivals(4, 1), ArrivalMark(4, 1, frozenset(), 0)))
    assert counts == [5, 4] and len(shown) == 1
    watch.stop()
