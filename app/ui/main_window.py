"""The main window: navigation on the left, one page per area, the user and the data location below."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE, __version__
from app.bootstrap import AppContext
from app.core.areas import area_of_navigation, resolve
from app.core.roles import Role
from app.services.kernel import access, changes
from app.services.kernel.actor import Actor
from app.services.workflow import todo
from app.ui.areas import AREA_BY_KEY, AREAS
from app.ui.i18n import tr
from app.ui.icons import action_icon, app_icon, area_icon
from app.ui.prefs import Prefs
from app.ui.search.box import SearchHook
from app.ui.session_end import session_end_notice
from app.ui.theme import TEXT_SIZES, apply_theme
from app.ui.widgets.connection_monitor import as_server_fault, connection_monitor
from app.ui.widgets.db_call import SILENT_SERVER_AFTER_S
from app.ui.widgets.pages import Page, PlaceholderPage
from app.ui.widgets.screen import fit_to_screen, keep_on_screen
from app.ui.widgets.worker import run_in_background
from app.ui.workbench.arrival import ArrivalWatch, Arrived
from app.ui.workbench.page import WorkbenchPage
from app.ui.workbench.reading import WorkbenchReading

if TYPE_CHECKING:
    from app.services.kernel.uow import UnitOfWork

POLL_INTERVAL_MS = 3000


class ChangePoller:
    """Asks the change feed every few seconds, off the GUI thread, what other clients changed.

    A poll that hangs (a server that froze, or whose cable was pulled) makes the connection monitor look
    at the server; once it is back, the hung poll is left behind (its late answer is ignored) and polling
    starts afresh."""

    def __init__(self, ctx: AppContext, on_changes: Callable[[set[str]], None]) -> None:
        self.ctx = ctx
        self.on_changes = on_changes
        # Whose window this is: each poll that sees no change to their account renews what
        # app.services.kernel.access remembers of them, so their own calls need not ask again.
        self.actor: Actor | None = None
        self.on_session_ended: Callable[[str], None] | None = None
        self.position: int | None = None
        self.busy = False
        self.busy_since = 0.0
        # Which poll is current: an answer from an older one (left behind by restart()) is ignored.
        self.generation = 0
        # Tells the person what arrived for them (app.ui.workbench.arrival), from the same poll.
        self.arrival: ArrivalWatch | None = None
        self.timer = QTimer()
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Starts polling. Where the feed stands is read off the GUI thread, so showing the window
        never waits for the database (a round trip to a LAN server)."""
        self.timer.start()
        self._read_position()

    def restart(self) -> None:
        """After the server came back: a poll still waiting on the old connection is not waited for."""
        self.generation += 1
        self.busy = False

    def _begin(self) -> int:
        self.busy = True
        self.busy_since = time.monotonic()
        return self.generation

    def _read_position(self) -> None:
        if self.busy or self.position is not None:
            return
        generation = self._begin()

        def work(_progress: object) -> int:
            with self.ctx.uow() as uow:
                return changes.latest_position(uow)

        run_in_background(
            work, lambda position: self._started(generation, position), lambda error: self._failed(generation, error)
        )

    def _started(self, generation: int, position: int) -> None:
        if generation != self.generation:
            return
        self.busy = False
        connection_monitor().confirm_alive()
        if self.position is None:
            self.position = position

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self.busy:
            if time.monotonic() - self.busy_since >= SILENT_SERVER_AFTER_S:
                connection_monitor().suspect()
            return
        if self.position is None:
            # The first read failed (a dropped connection): try again at this tick.
            self._read_position()
            return
        generation = self._begin()
        since = self.position
        actor = self.actor

        arrival = self.arrival

        def work(_progress: object) -> tuple[list[changes.Change], int, str | None, Arrived | None]:
            with self.ctx.uow() as uow:
                found = changes.changes_since(uow, since)
                latest = changes.latest_position(uow)
                ended = self._account_check(uow, actor, found)
                arrived = arrival.check(uow, found) if arrival is not None and ended is None else None
                return found, latest, ended, arrived

        run_in_background(
            work, lambda outcome: self._received(generation, outcome), lambda error: self._failed(generation, error)
        )

    def _account_check(self, uow: UnitOfWork, actor: Actor | None, found: list[changes.Change]) -> str | None:
        """On the worker thread: why the signed-in user may no longer act, or None. The account is read
        only when the feed says it changed; otherwise the poll itself vouches for it."""
        if actor is None or actor.id is None:
            return None
        if any(c.entity_type == "user" and c.entity_id == actor.id for c in found):
            access.forget(uow.engine, actor.id)
            reason = access.why_not_current(uow, actor)
            if reason is not None:
                return reason
        access.confirm(uow.engine, actor)
        return None

    def _received(
        self, generation: int, outcome: tuple[list[changes.Change], int, str | None, Arrived | None]
    ) -> None:
        if generation != self.generation:
            return
        self.busy = False
        connection_monitor().confirm_alive()
        found, latest, ended, arrived = outcome
        if ended is not None:
            self.stop()
            session_end_notice().announce(ended)
            return
        if arrived is not None and self.arrival is not None:
            self.arrival.show(arrived)
        if self.position is not None and latest < self.position:
            # The database was restored from a backup: its feed starts again below where we were.
            self.position = latest
            self.on_changes({"*"})
            return
        if found:
            self.position = max(c.position for c in found)
            self.on_changes({c.entity_type for c in found})

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self.generation:
            return
        # A dropped LAN connection is retried at the next tick; the monitor tells the user meanwhile.
        self.busy = False
        fault = as_server_fault(error)
        if fault is not None:
            connection_monitor().report_lost(fault)


class MainWindow(QMainWindow):
    """Built in two steps: everything that is the same for every user, then sign_in() for the one who
    logged in. The login dialog builds the first part while it checks the password (argon2 leaves the
    GUI thread idle for some 50 ms), so the window is up sooner after the user presses Enter. Nothing
    of a user is shown or read before sign_in()."""

    logoutRequested = Signal()

    def __init__(self, ctx: AppContext, actor: Actor | None, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.prefs = prefs
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        if fit_to_screen(self, (1280, 800), (1024, 640)):
            # A laptop's screen (1366×768): the whole of it, as its users keep the program.
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setFixedWidth(168)
        self.stack = QStackedWidget()
        # Pages are built the first time they are shown: a start needs only the 工作台, which is built
        # now, before anyone has signed in, and told whose it is by sign_in().
        self.pages: dict[str, Page] = {}
        self.nav_items: dict[str, QListWidgetItem] = {}
        for area in AREAS:
            item = QListWidgetItem(area_icon(area.key), tr(area.label))
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            item.setSizeHint(QSize(160, 44))
            self.navigation.addItem(item)
            # Hidden until sign_in() knows whether this user administers the system.
            item.setHidden(area.key == "admin")
            self.nav_items[area.key] = item
        self.navigation.currentRowChanged.connect(self._show_row)
        self.workbench = WorkbenchPage(ctx, None, prefs, self.open_todo)
        self.workbench.area_requested.connect(self.show_area)
        self.pages["workbench"] = self.workbench
        self.stack.addWidget(self.workbench)

        # Shown while the database server cannot be reached: every page says it at once, in one place.
        self.connection_banner = QLabel()
        self.connection_banner.setObjectName("connectionBanner")
        self.connection_banner.setWordWrap(True)
        self.connection_banner.setStyleSheet(
            "QLabel#connectionBanner { background: #FDECEA; color: #922B21; padding: 8px 12px;"
            " border-bottom: 1px solid #E6B0AA; }"
        )
        self.connection_banner.hide()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.connection_banner)
        right.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        self._build_menus()
        # 综合查询: the box in the top bar (Ctrl+K) and its window.
        self.search = SearchHook(self)
        self._build_status_bar()
        self.poller = ChangePoller(ctx, self._changed_elsewhere)
        # New 待办, 待阅 and 催办 said in the tray; the number of 待办 beside 工作台.
        self.arrival = ArrivalWatch(self)
        self.poller.arrival = self.arrival
        self.arrival.countChanged.connect(self.show_todo_count)
        self.arrival.opened.connect(self._bring_workbench)
        self.workbench.loaded.connect(
            lambda: self.show_todo_count(self.workbench.result.count_of("all") if self.workbench.result else 0))
        self.session_ending = False
        self.session_end_box: QMessageBox | None = None
        session_end_notice().ended.connect(self._session_ended)
        monitor = connection_monitor()
        monitor.attach(ctx)
        monitor.lost.connect(self._server_lost)
        monitor.restored.connect(self._server_back)
        saved = prefs.geometry("main")
        if saved is not None:
            self.restoreGeometry(saved)
            keep_on_screen(self)
        if actor is not None:
            self.sign_in(actor)

    def sign_in(self, actor: Actor, first_reading: WorkbenchReading | None = None) -> None:
        """The window becomes this user's: their name, their areas, and their 工作台, which starts
        reading their to-dos now, unless the login read them already (first_reading)."""
        if self.actor is not None:
            raise RuntimeError("a main window serves one user; build a new one for the next")
        self.actor = actor
        self.poller.actor = actor
        session_end_notice().reset()
        self.setWindowTitle(f"{APP_TITLE} — {actor.full_name}")
        self.nav_items["admin"].setHidden(not actor.has(Role.ADMIN))
        self.user_label.setText(tr('  {0}（{1}）').format(actor.full_name, actor.role_labels))
        self.workbench.set_actor(actor, first_reading)
        self.arrival.start(actor, first_reading.todos if first_reading is not None else None)
        self.navigation.setCurrentRow(0)

    def _signed_in(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("sign_in() first")
        return self.actor

    # ----- pages ---------------------------------------------------------------------------------------------
    def _make_page(self, key: str) -> Page:
        from app.ui.areas import AREA_BY_KEY

        actor = self._signed_in()
        manifest = area_of_navigation(key)
        if manifest is not None:
            # The area's page is imported when it is first shown.
            page: Page = resolve(manifest.page)(self.ctx, actor, self.prefs)
            return page
        if key == "admin":
            from app.ui.admin.page import AdminPage

            return AdminPage(self.ctx, actor, self.prefs)
        return PlaceholderPage(AREA_BY_KEY[key])

    def page(self, key: str) -> Page:
        if key not in self.pages:
            self.pages[key] = self._make_page(key)
            self.stack.addWidget(self.pages[key])
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0 or self.navigation.item(row).isHidden():
            return
        key = self.navigation.item(row).data(Qt.ItemDataRole.UserRole)
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        page.refresh()

    def show_area(self, key: str) -> None:
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and not item.isHidden():
                self.navigation.setCurrentRow(row)
                return

    @property
    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def open_todo(self, item: todo.TodoItem) -> None:
        """Opens the record's own window where its area has one, else the generic one."""
        from app.ui.widgets.record_features import record_window

        actor = self._signed_in()
        dialog = record_window(self.ctx, actor, item.info.entity_type, item.info.entity_id, item.info.id, self)
        assert dialog is not None  # a to-do's instance always has the generic window
        # A report's to-do opens on 责任与进展, where it is reported.
        from app.ui.workbench.focus import show_what_is_asked

        show_what_is_asked(dialog, item)
        dialog.exec()
        if getattr(dialog, "changed", False):
            self.current_page.refresh()

    def show_todo_count(self, count: int) -> None:
        # Short, so that it fits the pane at every text size; the tooltip says it in words.
        label, item = tr(AREA_BY_KEY["workbench"].label), self.nav_items["workbench"]
        item.setText(tr('{0} {1}').format(label, count) if count else label)
        item.setToolTip(tr('您有{0}件待办').format(count) if count else "")

    def _bring_workbench(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.show_area("workbench")

    def _changed_elsewhere(self, entity_types: set[str]) -> None:
        page = self.current_page
        watched = page.watched_entities()
        if "*" in watched or "*" in entity_types or watched & entity_types:
            page.refresh()

    def _server_lost(self, message: str) -> None:
        self.connection_banner.setText(tr('{0}\n程序每隔几秒自动重试一次，连上后页面会自动刷新；您填写的内容不会丢失。').format(message))
        self.connection_banner.show()
        self.location_label.setStyleSheet("color: #C0392B;")

    def _server_back(self) -> None:
        self.connection_banner.hide()
        self.location_label.setStyleSheet("")
        self.statusBar().showMessage(tr('已重新连上数据库服务器'), 8000)
        self.poller.restart()
        self.current_page.refresh()

    # ----- menus, shortcuts and status bar -------------------------------------------------------------------
    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(tr('文件(&F)'))
        self.print_action = self._action(tr('打印…'), "print", QKeySequence.StandardKey.Print, self._print)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        self.change_password_action = self._action(tr('修改密码…'), "key", None, self._change_password)
        file_menu.addAction(self.change_password_action)
        self.delegation_action = self._action(tr('委托代办…'), None, None, self._delegation)
        file_menu.addAction(self.delegation_action)
        file_menu.addAction(self._action(tr('切换用户'), "logout", None, self._logout))
        file_menu.addAction(self._action(tr('退出'), None, QKeySequence.StandardKey.Quit, self.close))

        edit_menu = menu.addMenu(tr('编辑(&E)'))
        self.new_action = self._action(tr('新建'), "new", QKeySequence.StandardKey.New, self._new)
        self.find_action = self._action(tr('查找'), "find", QKeySequence.StandardKey.Find, self._find)
        edit_menu.addAction(self.new_action)
        edit_menu.addAction(self.find_action)

        view_menu = menu.addMenu(tr('查看(&V)'))
        self.refresh_action = self._action(tr('刷新'), "refresh", QKeySequence.StandardKey.Refresh, self._refresh)
        view_menu.addAction(self.refresh_action)
        size_menu = view_menu.addMenu(action_icon("text_size"), tr('文字大小'))
        group = QActionGroup(self)
        self.size_actions: dict[str, QAction] = {}
        for key, size in TEXT_SIZES.items():
            action = QAction(tr(size.label), self, checkable=True)
            action.setChecked(key == self.prefs.text_size)
            action.triggered.connect(lambda _=False, key=key: self.set_text_size(key))
            group.addAction(action)
            size_menu.addAction(action)
            self.size_actions[key] = action

        help_menu = menu.addMenu(tr('帮助(&H)'))
        help_menu.addAction(self._action(tr('关于'), None, None, self._about))

    def _action(
        self, text: str, icon: str | None, shortcut: QKeySequence.StandardKey | None, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(action_icon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            if shortcut == QKeySequence.StandardKey.Refresh:
                action.setShortcuts([QKeySequence("F5"), QKeySequence(shortcut)])
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel()
        icon = "database" if self.ctx.backend == "sqlite" else "server"
        where_icon = QLabel()
        where_icon.setPixmap(action_icon(icon).pixmap(16, 16))
        self.location_label = QLabel(self.ctx.location + "  ")
        bar.addWidget(self.user_label)
        bar.addPermanentWidget(where_icon)
        bar.addPermanentWidget(self.location_label)

    def set_text_size(self, key: str) -> None:
        self.prefs.text_size = key
        app = QApplication.instance()
        if isinstance(app, QApplication):
            size = apply_theme(app, key)
            self.navigation.setIconSize(QSize(size.icon_size, size.icon_size))
            self.navigation.setFixedWidth(150 + size.point_size * 2)

    def _refresh(self) -> None:
        self.current_page.refresh()

    def _new(self) -> None:
        if not self.current_page.new_record():
            self.statusBar().showMessage(tr('此页面没有可新建的内容'), 3000)

    def _find(self) -> None:
        if not self.current_page.focus_search():
            # A page without a filter box of its own: 综合查询, narrowed to the page's area.
            self.search.find_in_area(next((k for k, p in self.pages.items() if p is self.current_page), None))

    def _print(self) -> None:
        if not self.current_page.print_current():
            self.statusBar().showMessage(tr('此页面没有可打印的内容'), 3000)

    def _change_password(self) -> None:
        from app.ui.change_password import ChangePasswordDialog

        if self.actor is None:
            return
        dialog = ChangePasswordDialog(self.ctx, self.actor, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(tr('密码已修改，下次登录请使用新密码'), 8000)
        )
        self.change_password_dialog = dialog
        dialog.open()

    def _delegation(self) -> None:
        from app.ui.widgets.delegation_dialog import DelegationDialog

        if self.actor is None:
            return
        dialog = DelegationDialog(self.ctx, self.actor, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.delegation_dialog = dialog
        # The 工作台 shows what the delegations changed once the dialog closes.
        dialog.finished.connect(lambda _result: self._refresh())
        dialog.open()

    def _logout(self) -> None:
        self.logoutRequested.emit()
        self.close()

    def _session_ended(self, message: str) -> None:
        """The user was disabled, locked or given other roles: said once, then back to the login.
        Open dialogs are closed first; nothing more can be saved in this user's name anyway."""
        if self.actor is None or self.session_ending:
            return
        self.session_ending = True
        self.poller.stop()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        box = QMessageBox(
            QMessageBox.Icon.Warning, tr('需要重新登录'), tr('{0}。\n\n点“确定”后回到登录窗口。').format(message),
            QMessageBox.StandardButton.Ok, self,
        )
        box.setObjectName("sessionEndedBox")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _result: self._logout())
        self.session_end_box = box
        box.open()

    def _about(self) -> None:
        QMessageBox.about(
            self, tr('关于'),
            tr('<h3>{0}</h3><p>GovDesk {1}</p><p>数据位置：{2}</p><p>本系统为非涉密系统，严禁处理涉密信息。</p>').format(APP_TITLE, __version__, self.ctx.location),
        )

    # ----- lifecycle -----------------------------------------------------------------------------------------
    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.poller.timer.isActive():
            self.poller.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.poller.stop()
        self.arrival.stop()
        session_end_notice().ended.disconnect(self._session_ended)
        monitor = connection_monitor()
        monitor.lost.disconnect(self._server_lost)
        monitor.restored.disconnect(self._server_back)
        monitor.attach(None)
        self.prefs.set_geometry("main", self.saveGeometry())
        self.prefs.sync()
        super().closeEvent(event)
