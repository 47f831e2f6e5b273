"""`govdesk screenshots DIR`: a PNG of every main window and dialog, filled with demo data, on the office
laptop's 1366×768 screen, at text size 中, and the key windows again at 大.

The README shows these, and a reviewer can look at every window without a screen. Main windows are shot
maximised (the whole screen); dialogs and record windows at the size they open at."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidgetItem, QWidget

from app.core.errors import ValidationError


def _settle(app: QApplication, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


SCREEN = {"name": "office-laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpiX": 96,
          "logicalDpiY": 96, "dpr": 1}


def _use_laptop_screen(work: Path) -> None:
    """Qt's offscreen platform with one 1366×768 screen, unless the caller chose a platform (or Qt is up)."""
    if os.environ.get("QT_QPA_PLATFORM") or QApplication.instance() is not None:
        return
    config = work / "screen.json"
    config.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
                                  "screens": [SCREEN]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _use_office_clock() -> None:
    """The office's time zone for the whole run, whatever the machine taking the pictures uses.

    The demo office works 8:30 to 17:30 China time, and every window shows times on the machine's clock: taken
    on a machine set to UTC, the pictures would show the office at work at one in the morning.
    """
    if hasattr(time, "tzset"):  # Unix; a Windows machine taking the pictures keeps its own zone
        os.environ["TZ"] = "Asia/Shanghai"
        time.tzset()


def save_screenshots(target: Path) -> list[Path]:
    work = Path(tempfile.mkdtemp(prefix="govdesk-shots-"))
    _use_laptop_screen(work)
    _use_office_clock()
    from app.bootstrap import bootstrap
    from app.db.migrate import upgrade
    from app.demo.generate import generate_demo_data
    from app.services.admin import auth
    from app.services.documents import records as documents
    from app.services.workflow import urges
    from app.ui.application import create_application
    from app.ui.prefs import Prefs

    app = create_application()
    ctx = bootstrap(f"sqlite:///{work / 'demo.sqlite3'}")
    upgrade(ctx.engine)
    summary = generate_demo_data(ctx, size=200)
    prefs = Prefs(QSettings(str(work / "prefs.ini"), QSettings.Format.IniFormat))
    accounts = {a.role_label: a.username for a in summary.accounts}

    def login(role_label: str):  # type: ignore[no-untyped-def]
        with ctx.uow() as uow:
            return auth.login(uow, accounts[role_label], summary.password)

    saved: list[Path] = []

    def shoot(name: str, widget: QWidget, before: Callable[[], None] | None = None, close: bool = False) -> None:
        """Saves the widget as the next picture; close: a window shown only for it is closed after."""
        if isinstance(widget, QMainWindow):
            widget.showMaximized()
        else:
            widget.show()
        _settle(app)
        if before is not None:
            before()
            _settle(app)
        path = target / f"{len(saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)
        if close:
            widget.close()

    from app.ui.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    shoot("wizard-connection", wizard)
    wizard.connection.path.setText(str(work / "new.sqlite3"))
    wizard.next()
    wizard.setup.office.setText("青山县人民政府办公室")
    wizard.setup.full_name.setText("赵宇海")
    shoot("wizard-administrator", wizard, close=True)

    from app.ui.login import LoginDialog

    dialog = LoginDialog(ctx, prefs)
    dialog.username.setText(accounts["文秘人员"])
    shoot("login", dialog, close=True)

    from app.forms import build_registry
    from app.ui.main_window import MainWindow
    from app.ui.widgets.print_preview import PrintPreviewDialog

    clerk = login("文秘人员")
    director = login("办公室主任")
    window = MainWindow(ctx, clerk, prefs)
    shoot("workbench", window, lambda: _wait_for_rows(app, window))
    window.show_area("information")
    shoot("information", window, lambda: _pause(app, 0.5))
    window.show_area("workbench")
    _server_lost_screenshots(window, shoot, "")
    window.close()

    administrator = login("系统管理员")
    admin_window = MainWindow(ctx, administrator, prefs)
    admin_window.show_area("admin")
    page = admin_window.pages["admin"]
    for index, name in enumerate(("admin-users", "admin-units", "admin-unit-groups", "admin-settings", "admin-holidays",
                                  "admin-backup", "admin-audit")):
        page.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
        if name == "admin-audit":
            # The log loads in the background: shot before it arrives, the tab looked empty.
            audit_model = page.audit.model  # type: ignore[attr-defined]
            shoot(name, admin_window, lambda: _wait_until(app, lambda: audit_model.rowCount() > 0))
        else:
            shoot(name, admin_window)

    from app.ui.admin.users import UserDialog

    new_user = UserDialog(ctx, administrator, None)
    new_user.username.setText("li si")
    new_user.form.show_error(ValidationError("用户名不能含空格，且不超过64个字符", field="username"))
    shoot("admin-new-user", new_user, close=True)
    admin_window.close()

    from app.ui.documents.draft_dialog import DraftDialog
    from app.ui.documents.window import DocumentWindow

    clerk_window = MainWindow(ctx, clerk, prefs)
    clerk_window.show_area("documents")
    documents_page = clerk_window.pages["documents"]
    shoot("documents-outgoing", clerk_window)
    documents_page.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    shoot("documents-incoming", clerk_window, close=True)
    draft = DraftDialog(ctx, clerk)
    draft.title_edit.setText("关于做好2027年元旦春节期间安全生产工作的通知")
    draft.main_recipients.setText("各乡镇人民政府，县政府各部门")
    shoot("document-new-draft", draft, close=True)
    with ctx.uow() as uow:
        held = documents.list_documents(uow, director, direction="in", circulating=True, limit=1).rows
        # An archived one: its window and 发文稿纸 show the whole trail from 拟稿 to 归档.
        archived = documents.list_documents(
            uow, director, direction="out", state="archived", order_by="id", descending=False, limit=1
        ).rows
    circulating = held[0].id if held else None
    signing = archived[0].id if archived else None
    if signing is not None:
        doc_window = DocumentWindow(ctx, director, signing)
        shoot("document-window", doc_window)
        doc_window.tabs.setCurrentIndex(doc_window.flow_index)
        shoot("document-flowchart", doc_window, doc_window.flowchart.fit, close=True)
        pdf = build_registry().load_and_render("outgoing-draft", ctx, signing)
        draft_preview = PrintPreviewDialog("发文稿纸", pdf)
        shoot("print-outgoing-draft", draft_preview, lambda: _pause(app, 1.5), close=True)
    if circulating is not None:
        doc_window = DocumentWindow(ctx, director, circulating)
        doc_window.tabs.setCurrentIndex(doc_window.parties_index)
        shoot("document-circulation", doc_window, close=True)

    claim_id = _claim_screenshots(ctx, prefs, login, shoot, app)

    from app.ui.widgets.conflict import ConflictDialog

    conflict = ConflictDialog(
        "该记录已被其他人修改，请重新载入后再保存", {"title": "科员"}, {"title": "副科长"}, {"title": "职务"}
    )
    conflict.differences.show()
    shoot("conflict", conflict, close=True)

    with ctx.uow() as uow:
        overdue = urges.overdue_open(uow, __import__("datetime").date.today())
    if overdue:
        with ctx.uow() as uow:
            urges.urge(uow, director, overdue[0], "电话", "请于两日内办结并反馈")
        pdf = build_registry().load_and_render("urge-slip", ctx, overdue[0])
        preview = PrintPreviewDialog("催办单", pdf)
        # QPdfView renders pages on a worker thread: give it a moment before the picture.
        shoot("print-preview", preview, lambda: _pause(app, 1.5), close=True)
    _large_screenshots(ctx, prefs, login, shoot, app, signing, claim_id)
    _supervision_screenshots(ctx, prefs, login, shoot, app)
    _meetings_screenshots(ctx, prefs, login, shoot, app)
    _petitions_screenshots(ctx, prefs, login, shoot, app)
    from app.ui.information.screenshots import information_screenshots

    information_screenshots(ctx, prefs, login, shoot, app, _pause)
    from app.ui.documents.screenshots import official_screenshots

    official_screenshots(ctx, login, shoot, app, _pause)
    from app.ui.search.screenshots import search_screenshots

    search_screenshots(ctx, prefs, login, shoot, app, _pause)
    ctx.dispose()
    return saved


def _claim_screenshots(ctx, prefs, login, shoot, app: QApplication) -> int | None:  # type: ignore[no-untyped-def]
    """报账: the page, a new claim, a claim waiting for the principal leader, its flowchart, the flow editor,
    budgets, reports and the printed 报销单. Returns the waiting claim's id."""
    from app.forms import build_registry
    from app.services.claims import lists as claim_lists
    from app.ui.claims.editor import ClaimEditor
    from app.ui.claims.flowchart_window import FlowchartWindow
    from app.ui.claims.page import ClaimsPage
    from app.ui.claims.window import ClaimWindow
    from app.ui.main_window import MainWindow
    from app.ui.widgets.print_preview import PrintPreviewDialog

    finance, director, clerk = login("财务人员"), login("办公室主任"), login("文秘人员")
    window = MainWindow(ctx, finance, prefs)
    window.show_area("reimbursement")
    page = window.pages["reimbursement"]
    assert isinstance(page, ClaimsPage)
    shoot("claims-waiting", window, before=lambda: _pause(app, 0.5))
    for name, tab in (("claims-all", page.all), ("claims-reports", page.reports), ("claims-budgets", page.budgets)):
        if tab is not None:
            page.tabs.setCurrentWidget(tab)
            shoot(name, window, before=lambda: _pause(app, 0.5))
    window.close()
    administrator = login("系统管理员")
    admin_window = MainWindow(ctx, administrator, prefs)
    admin_window.show_area("reimbursement")
    admin_page = admin_window.pages["reimbursement"]
    assert isinstance(admin_page, ClaimsPage)
    if admin_page.flow_editor is not None:
        admin_page.tabs.setCurrentWidget(admin_page.flow_editor)
        shoot("claims-flow-editor", admin_window)
    admin_window.close()

    editor = ClaimEditor(ctx, clerk)
    _fill_claim(editor)
    shoot("claim-new", editor, close=True)

    with ctx.uow() as uow:
        waiting = claim_lists.list_claims(uow, director, box="waiting", state="principal_approval", limit=1).rows
        booked = claim_lists.list_claims(uow, director, box="all", state="closed", limit=5).rows
    if waiting:
        claim_window = ClaimWindow(ctx, director, waiting[0].id)
        claim_window.opinion.insertPlainText("同意报销。")
        shoot("claim-window", claim_window, close=True)
        chart = FlowchartWindow(ctx, director, waiting[0].id)
        shoot("claim-flowchart", chart, close=True)
    closed = [row for row in booked if not row.withdrawn]
    if closed:
        pdf = build_registry().load_and_render("claim-form", ctx, closed[0].id)
        preview = PrintPreviewDialog("报销单", pdf)
        shoot("print-claim-form", preview, lambda: _pause(app, 1.5), close=True)
    return waiting[0].id if waiting else None


def _supervision_screenshots(ctx, prefs, login, shoot, app: QApplication) -> None:  # type: ignore[no-untyped-def]
    """督查督办: the ledger, an item being carried out (its facts and its 责任与进展), the register form, the notice
    and the campaigns; the ledger and the item again at 大."""
    from datetime import date

    from app.services.supervision import ledger
    from app.ui.main_window import MainWindow
    from app.ui.supervision.editor import ItemEditor
    from app.ui.supervision.page import SupervisionPage
    from app.ui.supervision.window import ItemWindow
    from app.ui.theme import apply_theme

    clerk, director = login("文秘人员"), login("办公室主任")
    window = MainWindow(ctx, director, prefs)
    window.show_area("supervision")
    page = window.pages["supervision"]
    assert isinstance(page, SupervisionPage)
    page.tabs.setCurrentWidget(page.lists["active"])
    shoot("supervision-ledger", window, before=lambda: _pause(app, 0.5))
    if page.notice is not None:
        page.tabs.setCurrentWidget(page.notice)
        page.notice.kind.setCurrentIndex(page.notice.kind.findData("year"))  # type: ignore[attr-defined]
        shoot("supervision-notice", window, before=page.notice.refresh)  # type: ignore[attr-defined]
    if page.campaigns is not None:
        page.tabs.setCurrentWidget(page.campaigns)
        shoot("supervision-campaigns", window, before=page.campaigns.refresh)  # type: ignore[attr-defined]
    window.close()
    with ctx.uow() as uow:
        rows = ledger.list_items(uow, director, ledger.LedgerFilter(box="active"), limit=100, today=date.today()).rows
    handled = [row for row in rows if row.state == "handle" and row.latest_report] or rows
    if handled:
        item_window = ItemWindow(ctx, director, handled[0].id)
        shoot("supervision-item", item_window)
        item_window.tabs.setCurrentWidget(item_window.record_features)
        shoot("supervision-item-progress", item_window, close=True)
    editor = ItemEditor(ctx, clerk)
    editor.title_edit.setText("新建城区公共停车位500个")
    editor.requirement.setPlainText("年内建成并投入使用，按季度报送建设进度")
    shoot("supervision-new-item", editor, close=True)
    prefs.text_size = "large"
    apply_theme(app, "large")
    large = MainWindow(ctx, director, prefs)
    large.show_area("supervision")
    shoot("supervision-ledger-large", large, before=lambda: _pause(app, 0.5), close=True)
    if handled:
        item_window = ItemWindow(ctx, director, handled[0].id)
        shoot("supervision-item-large", item_window, close=True)
    prefs.text_size = "medium"
    apply_theme(app, "medium")


def _meetings_screenshots(ctx, prefs, login, shoot, app: QApplication) -> None:  # type: ignore[no-untyped-def]
    """会议: the calendar's week and month, the coming meetings, a new meeting, the rooms, a meeting being
    prepared and one held; the week and the meeting again at 大."""
    from datetime import date

    from app.services.meetings import agenda, listing
    from app.ui.main_window import MainWindow
    from app.ui.meetings.agenda_tab import AgendaTab
    from app.ui.meetings.attendance_tab import AttendanceTab
    from app.ui.meetings.decisions_tab import DecisionsTab
    from app.ui.meetings.editor import MeetingEditor
    from app.ui.meetings.page import MeetingsPage
    from app.ui.meetings.plan_tab import PlanTab
    from app.ui.meetings.rooms_dialog import RoomsDialog
    from app.ui.meetings.seating_tab import SeatingTab
    from app.ui.meetings.window import MeetingWindow
    from app.ui.theme import apply_theme

    clerk = login("文秘人员")
    window = MainWindow(ctx, clerk, prefs)
    window.show_area("meetings")
    page = window.pages["meetings"]
    assert isinstance(page, MeetingsPage)
    with ctx.uow() as uow:
        coming = listing.list_meetings(uow, clerk, listing.MeetingFilter(box="upcoming"), limit=20).rows
        held = listing.list_meetings(uow, clerk, listing.MeetingFilter(box="all", state="follow_up"), limit=1).rows
    # The week of the next meeting, so the calendar has something in it.
    page.calendar.show_day(coming[0].local_start.date() if coming else date.today(), "week")
    shoot("meetings-week", window, before=page.calendar.refresh)
    page.calendar.set_mode("month")
    shoot("meetings-month", window, before=page.calendar.refresh)
    page.tabs.setCurrentWidget(page.lists["upcoming"])
    shoot("meetings-upcoming", window, before=lambda: _pause(app, 0.5))
    window.close()
    editor = MeetingEditor(ctx, clerk)
    editor.title_edit.setText("县政府第13次常务会议")
    editor.host.setText("陈县长")
    shoot("meeting-new", editor, close=True)
    shoot("meeting-rooms", RoomsDialog(ctx, clerk), close=True)
    chosen = coming[0].id if coming else None
    if chosen is not None:
        shoot("meeting-window", MeetingWindow(ctx, clerk, chosen), close=True)
        # The agenda of the coming meeting with the most topics proposed.
        with ctx.uow() as uow:
            standing = max(coming[:10], key=lambda m: len(agenda.topics_of(uow, clerk, m.id))).id
        for name, meeting_id, kind in (("meeting-agenda", standing, AgendaTab), ("meeting-plan", chosen, PlanTab),
                                       ("meeting-seating", chosen, SeatingTab)):
            shoot(name, _meeting_on_tab(ctx, clerk, meeting_id, kind), before=lambda: _pause(app, 0.5), close=True)
    if held:
        held_window = MeetingWindow(ctx, clerk, held[0].id)
        held_window.tabs.setCurrentIndex(held_window.history_index)
        shoot("meeting-window-held", held_window, close=True)
        for name, tab_kind in (("meeting-sign-in", AttendanceTab), ("meeting-decisions", DecisionsTab)):
            shoot(name, _meeting_on_tab(ctx, clerk, held[0].id, tab_kind), before=lambda: _pause(app, 0.5), close=True)
    prefs.text_size = "large"
    apply_theme(app, "large")
    large = MainWindow(ctx, clerk, prefs)
    large.show_area("meetings")
    large_page = large.pages["meetings"]
    assert isinstance(large_page, MeetingsPage)
    large_page.calendar.show_day(coming[0].local_start.date() if coming else date.today(), "week")
    shoot("meetings-week-large", large, before=large_page.calendar.refresh, close=True)
    if chosen is not None:
        shoot("meeting-window-large", MeetingWindow(ctx, clerk, chosen), close=True)
    prefs.text_size = "medium"
    apply_theme(app, "medium")


def _petitions_screenshots(ctx, prefs, login, shoot, app: QApplication) -> None:  # type: ignore[no-untyped-def]
    """信访: the cases as the 信访接待员 lists them, the registration form and its repeats, a case's window on each
    of its own tabs; the list, the form and the window again at 大; the 排查 counts and a screened problem."""
    from app.services.petitions import listing, problems, repeats
    from app.ui.main_window import MainWindow
    from app.ui.petitions.editor import PetitionEditor, RepeatsDialog
    from app.ui.petitions.page import PetitionsPage
    from app.ui.petitions.problem_window import ProblemWindow
    from app.ui.petitions.window import PetitionWindow
    from app.ui.theme import apply_theme

    officer = login("信访接待员")
    with ctx.uow() as uow:
        answered = listing.list_petitions(uow, officer, listing.PetitionFilter(box="all", state="concluded", stage="initial"),
                                          limit=30).rows
    # The answered case with the most to show: a unit's task, visits, and a petitioner with history.
    chosen = next((row for row in answered if row.handling_unit_name), answered[0] if answered else None)

    def page_window() -> MainWindow:
        window = MainWindow(ctx, officer, prefs)
        window.show_area("petitions")
        page = window.pages["petitions"]
        assert isinstance(page, PetitionsPage)
        page.tabs.setCurrentWidget(page.lists["all"])
        return window

    def new_form() -> PetitionEditor:
        editor = PetitionEditor(ctx, officer)
        editor.channel.setCurrentIndex(editor.channel.findData("来访"))
        editor.name.setText("王建国")
        editor.phone.setText("13812345678")
        editor.address.setText("城关镇幸福小区3栋2单元501")
        editor.request.setPlainText("反映城关镇幸福小区商品房交房五年仍未办理不动产权证书，要求开发商尽快协助办证")
        editor.category.setEditText("商品房两证办理")
        editor.place.setEditText("城关镇")
        return editor

    def on_tab(title: str) -> PetitionWindow:
        assert chosen is not None
        window = PetitionWindow(ctx, officer, chosen.id)
        window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                         if window.tabs.tabText(i).startswith(title)))
        return window

    for name, size in (("petitions-all", "medium"), ("petitions-all-large", "large")):
        prefs.text_size = size
        apply_theme(app, size)
        shoot(name, page_window(), before=lambda: _pause(app, 0.5), close=True)
    for name, size in (("petition-new", "medium"), ("petition-new-large", "large")):
        prefs.text_size = size
        apply_theme(app, size)
        shoot(name, new_form(), close=True)
    prefs.text_size = "medium"
    apply_theme(app, "medium")
    form = new_form()
    with ctx.uow() as uow:
        found = repeats.check_repeats(uow, officer, form.data())
    shoot("petition-repeats", RepeatsDialog(found, form), close=True)
    form.close()
    if chosen is not None:
        shoot("petition-window", PetitionWindow(ctx, officer, chosen.id), close=True)
        for name, title in (("petition-assignment", "交办与办理"), ("petition-reply", "处理意见书"),
                            ("petition-visits", "回访"), ("petition-history", "信访历史")):
            shoot(name, on_tab(title), close=True)
        prefs.text_size = "large"
        apply_theme(app, "large")
        shoot("petition-window-large", PetitionWindow(ctx, officer, chosen.id), close=True)
        prefs.text_size = "medium"
        apply_theme(app, "medium")
    window = page_window()
    page = window.pages["petitions"]
    assert isinstance(page, PetitionsPage)
    page.tabs.setCurrentWidget(page.screening)
    shoot("petition-screening", window, before=lambda: _pause(app, 0.5), close=True)
    with ctx.uow() as uow:
        made = problems.list_problems(uow, officer)
    if made:
        shoot("petition-problem", ProblemWindow(ctx, officer, made[0].id), close=True)


def _meeting_on_tab(ctx, actor, meeting_id: int, kind: type):  # type: ignore[no-untyped-def]
    """A meeting's window opened on one of its own tabs (议题, 会议方案, 签到, 座次, 议定事项)."""
    from app.ui.meetings.window import MeetingWindow

    window = MeetingWindow(ctx, actor, meeting_id)
    window.tabs.setCurrentWidget(next(tab for tab in window.area_tabs if isinstance(tab, kind)))
    return window


def _fill_claim(editor) -> None:  # type: ignore[no-untyped-def]
    """A trip to a training in the city, as a clerk types it."""
    for row, (summary, category, amount) in enumerate((
        ("赴江州市参加全市政务信息工作培训往返车票", "差旅费", "236.50"),
        ("培训期间住宿费（2晚）", "差旅费", "760.00"),
        ("伙食补助 3天", "差旅补助", "300"),
    )):
        editor.lines.setItem(row, 0, QTableWidgetItem(summary))
        combo = editor.lines.cellWidget(row, 1)
        combo.setCurrentIndex(combo.findData(category))
        editor.lines.setItem(row, 2, QTableWidgetItem(amount))
    editor.receipts.setValue(4)
    editor.advance.setText("1000")
    editor.recalc()


def _large_screenshots(  # type: ignore[no-untyped-def]
    ctx, prefs, login, shoot, app: QApplication, document_id: int | None, claim_id: int | None
) -> None:
    """The key windows again at text size 大, on the same 1366×768 screen."""
    from app.ui.admin.page import AdminPage
    from app.ui.claims.editor import ClaimEditor
    from app.ui.claims.window import ClaimWindow
    from app.ui.documents.draft_dialog import DraftDialog
    from app.ui.documents.page import DocumentsPage
    from app.ui.documents.window import DocumentWindow
    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_theme

    prefs.text_size = "large"
    apply_theme(app, "large")
    clerk, director, administrator = login("文秘人员"), login("办公室主任"), login("系统管理员")
    window = MainWindow(ctx, clerk, prefs)
    shoot("workbench-large", window, lambda: _wait_for_rows(app, window))
    _server_lost_screenshots(window, shoot, "-large")
    window.show_area("documents")
    documents_page = window.pages["documents"]
    assert isinstance(documents_page, DocumentsPage)
    shoot("documents-outgoing-large", window)
    documents_page.tabs.setCurrentIndex(1)
    shoot("documents-incoming-large", window)
    window.show_area("reimbursement")
    shoot("claims-waiting-large", window, lambda: _pause(app, 0.5), close=True)
    draft = DraftDialog(ctx, clerk)
    shoot("document-new-draft-large", draft, close=True)
    if document_id is not None:
        doc_window = DocumentWindow(ctx, director, document_id)
        shoot("document-window-large", doc_window, close=True)
    editor = ClaimEditor(ctx, clerk)
    _fill_claim(editor)
    shoot("claim-new-large", editor, close=True)
    if claim_id is not None:
        claim_window = ClaimWindow(ctx, director, claim_id)
        shoot("claim-window-large", claim_window, close=True)
    admin_window = MainWindow(ctx, administrator, prefs)
    admin_window.show_area("admin")
    admin_page = admin_window.pages["admin"]
    assert isinstance(admin_page, AdminPage)
    admin_page.tabs.setCurrentWidget(admin_page.audit)
    shoot("admin-audit-large", admin_window, lambda: _wait_until(app, lambda: admin_page.audit.model.rowCount() > 0), close=True)
    prefs.text_size = "medium"
    apply_theme(app, "medium")


def _server_lost_screenshots(window, shoot, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """What a user sees when the server is gone: the main window's strip, the busy dialog once the server
    has been silent, and the choice for a save it never took. Shown as they are, without a real fault."""
    import errno

    from app.db.faults import explain
    from app.ui.widgets.db_call import SILENT_SERVER_AFTER_S, BusyDialog
    from app.ui.widgets.typed_copy import KeepTypedDialog

    fault = explain(OSError(errno.EHOSTUNREACH, "No route to host"))
    message = fault.message if fault is not None else ""
    window._server_lost(message)
    shoot(f"server-lost{suffix}", window)
    busy = BusyDialog(window, saving=True)
    busy.server_silent(SILENT_SERVER_AFTER_S, saving=True)
    shoot(f"server-silent{suffix}", busy, close=True)
    keep = KeepTypedDialog(window, message)
    shoot(f"save-kept{suffix}", keep, close=True)
    window._server_back()
    window.statusBar().clearMessage()


def _pause(app: QApplication, seconds: float) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _wait_until(app: QApplication, ready: Callable[[], bool]) -> None:
    import time

    deadline = time.monotonic() + 10
    while not ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _wait_for_rows(app: QApplication, window: QWidget) -> None:
    import time

    deadline = time.monotonic() + 10
    page = window.current_page  # type: ignore[attr-defined]
    while page.result is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


__all__ = ["save_screenshots"]
