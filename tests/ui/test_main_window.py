"""The main window: navigation, placeholders, the 工作台, records, shortcuts and live refresh."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.roles import Role
from app.models import WorkflowInstance
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.ui.areas import AREAS
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from app.ui.widgets.pages import PlaceholderPage
from app.ui.workbench.page import WorkbenchPage
from app.ui.workbench.record_dialog import RecordDialog
from tests.helpers.ui import Office


def make_window(qtbot: QtBot, office: Office, prefs: Prefs, who: str = "clerk") -> MainWindow:
    window = MainWindow(office.ctx, getattr(office, who), prefs)
    qtbot.addWidget(window)
    window.show()
    return window


def start_draft(office: Office, title: str, started: date) -> int:
    with office.ctx.uow() as uow:
        instance = workflow.start(
            uow, office.clerk, flow_key="outgoing_document", entity_type="item", title=title, today=started
        )
        uow.commit()
        return instance.id


def test_every_area_is_in_the_navigation_and_never_blank(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs, "admin")
    labels = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert labels == [area.label for area in AREAS]
    placeholders = set()
    for area in AREAS:
        window.show_area(area.key)
        page = window.current_page
        if isinstance(page, PlaceholderPage):
            placeholders.add(area.key)
            texts = " ".join(label.text() for label in page.findChildren(QLabel))
            assert area.summary in texts and "正在建设中" in texts
    assert placeholders == set()


def visible_areas(window: MainWindow) -> list[str]:
    items = [window.navigation.item(i) for i in range(window.navigation.count())]
    return [item.text() for item in items if not item.isHidden()]


def test_only_the_administrator_sees_administration(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs, "clerk")
    assert "系统管理" not in visible_areas(window)
    window.show_area("admin")
    assert "admin" not in window.pages and isinstance(window.current_page, WorkbenchPage)
    assert "系统管理" in visible_areas(make_window(qtbot, office, prefs, "admin"))


def test_the_shell_built_during_the_login_shows_nobody_until_signed_in(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    start_draft(office, "登录前不应读取的文件", date.today())
    shell = MainWindow(office.ctx, None, prefs)
    qtbot.addWidget(shell)
    page = shell.workbench
    assert shell.windowTitle() == "政府办公室综合协调系统"
    assert shell.user_label.text() == "" and page.greeting.text() == ""
    assert "系统管理" not in visible_areas(shell)
    page.refresh()
    qtbot.wait(200)
    assert page.result is None and page.model.rowCount() == 0, "nothing is read before sign_in"

    shell.sign_in(office.admin)
    shell.show()
    assert shell.current_page is page
    assert "系统管理" in visible_areas(shell)
    assert office.admin.full_name in shell.windowTitle() and office.admin.full_name in page.greeting.text()
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    import pytest

    with pytest.raises(RuntimeError):
        shell.sign_in(office.clerk)


def test_status_bar_shows_user_role_and_data_location(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs)
    assert "张文秘（文秘人员）" in window.user_label.text()
    assert window.location_label.text().startswith("本机文件 ")


def test_workbench_shows_todos_due_soon_and_overdue(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    start_draft(office, "关于开展安全生产大检查的通知", date.today() - timedelta(days=30))
    start_draft(office, "关于做好元旦春节期间值班工作的通知", date.today())
    window = make_window(qtbot, office, prefs)
    page = window.current_page
    assert isinstance(page, WorkbenchPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert page.tiles["all"].number.text() == "2"
    assert page.tiles["overdue"].number.text() == "1"
    assert page.tiles["documents"].number.text() == "2"
    first_status = page.model.index(0, 4).data()
    assert first_status == "已逾期"
    page.tiles["overdue"].clicked.emit()
    assert page.model.rowCount() == 1 and page.list_caption.text() == "已逾期"


def test_empty_workbench_says_what_would_be_there(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs, "leader")
    page = window.current_page
    assert isinstance(page, WorkbenchPage)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    assert page.table.showing_empty_state
    assert "暂无待办事项" in page.table.empty_label.text()


def test_a_record_is_moved_on_from_its_window(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    doc = start_draft(office, "关于报送2026年工作总结的通知", date.today())
    dialog = RecordDialog(office.ctx, office.clerk, doc)
    qtbot.addWidget(dialog)
    buttons = {b.text(): b for b in dialog.findChildren(type(dialog.urge_button)) if b.text()}
    assert "送核稿" in buttons and "作废" in buttons
    # 作废 needs a reason: the click without one shows it beside the opinion box.
    qtbot.mouseClick(buttons["作废"], Qt.MouseButton.LeftButton)
    assert "必须填写意见或理由" in dialog.opinion_error.text()
    # Chinese arrives through the input method as committed text, not as key presses.
    dialog.opinion.insertPlainText("请刘主任审核")
    qtbot.mouseClick(buttons["送核稿"], Qt.MouseButton.LeftButton)
    assert dialog.changed
    assert "核稿" in dialog.state_label.text()
    assert dialog.history.rowCount() == 2
    assert dialog.history.item(1, 4).text() == "请刘主任审核"
    # The clerk has no action at 核稿, the deputy director does.
    assert not dialog.opinion.isEnabled()
    lead_view = RecordDialog(office.ctx, office.lead, doc)
    qtbot.addWidget(lead_view)
    assert lead_view.opinion.isEnabled()


def test_change_on_another_client_shows_without_f5(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs, "lead")
    page = window.current_page
    assert isinstance(page, WorkbenchPage)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    assert page.model.rowCount() == 0
    doc = start_draft(office, "另一台电脑送来的文件", date.today())
    with office.ctx.uow() as uow:
        workflow.transition(uow, office.clerk, doc, "submit")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert page.model.index(0, 0).data() == "另一台电脑送来的文件"


def test_text_size_setting_scales_the_font(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    from PySide6.QtWidgets import QApplication

    window = make_window(qtbot, office, prefs)
    window.size_actions["large"].trigger()
    assert QApplication.font().pointSize() == 14 and prefs.text_size == "large"
    window.size_actions["small"].trigger()
    assert QApplication.font().pointSize() == 10
    window.size_actions["medium"].trigger()


def test_shortcuts_are_bound(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs)
    assert window.refresh_action.shortcuts()[0].toString() == "F5"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.print_action.shortcut().toString() == "Ctrl+P"


def test_geometry_is_remembered(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    window = make_window(qtbot, office, prefs)
    window.resize(1111, 700)
    window.close()
    saved = prefs.geometry("main")
    assert saved is not None
    again = MainWindow(office.ctx, office.clerk, prefs)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (1111, 700)


def test_liaison_sees_nothing_of_other_units(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    from tests.helpers import add_unit, add_user

    other = add_unit(office.ctx, "县教育局")
    liaison = add_user(office.ctx, "liaison", [Role.LIAISON], other)
    doc = start_draft(office, "秘书股内部文件", date.today())
    with office.ctx.uow() as uow:
        assert uow.session.get(WorkflowInstance, doc) is not None
    import pytest

    from app.core.errors import PermissionDenied

    with office.ctx.uow() as uow, pytest.raises(PermissionDenied):
        workflow_detail.instance_detail(uow, liaison, doc)


def test_record_window_draws_its_flowchart_with_the_current_step(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    from app.ui.theme import ACCENT, ACCENT_LIGHT

    doc = start_draft(office, "关于印发工作要点的通知", date.today())
    with office.ctx.uow() as uow:
        workflow.transition(uow, office.clerk, doc, "submit")
    dialog = RecordDialog(office.ctx, office.lead, doc)
    qtbot.addWidget(dialog)
    view = dialog.flowchart
    assert set(view.node_items) == {s.key for s in dialog.detail.flow.steps}  # type: ignore[union-attr]
    assert view.node_fill("review").name().upper() == ACCENT.upper()
    assert view.node_fill("draft").name().upper() == ACCENT_LIGHT.upper()
    assert view.node_fill("sign").name().upper() == "#FFFFFF"
    assert view.highlighted_edges, "the edge 拟稿 → 核稿 is drawn as taken"


def test_after_a_restore_the_window_follows_the_restored_feed(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    from sqlalchemy import delete

    from app.models import ChangeFeedEntry

    window = make_window(qtbot, office, prefs, "lead")
    qtbot.waitUntil(lambda: window.poller.position is not None, timeout=5_000)
    doc = start_draft(office, "恢复前的文件", date.today())
    with office.ctx.uow() as uow:
        workflow.transition(uow, office.clerk, doc, "submit")
    qtbot.waitUntil(lambda: (window.poller.position or 0) > 0, timeout=5_000)
    before = window.poller.position or 0
    # A restore brings back an older feed: positions below where this window had got to.
    with office.ctx.engine.begin() as conn:
        conn.execute(delete(ChangeFeedEntry).where(ChangeFeedEntry.position > before - 2))
    qtbot.waitUntil(lambda: (window.poller.position or 0) < before, timeout=5_000)


def test_the_screen_font_is_one_the_theme_asks_for_whatever_else_is_installed(qtbot: QtBot) -> None:
    """A machine with only a fallback Chinese face (Droid Sans Fallback comes with Ghostscript) still shows
    the program in one of the theme's faces: the bundled one when none of them is installed."""
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QApplication

    from app.ui.theme import UI_FONT_FAMILIES

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert QFontInfo(app.font()).family() in UI_FONT_FAMILIES
