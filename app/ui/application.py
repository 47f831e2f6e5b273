"""Starting the desktop program: theme, fonts and translations; then connection, login and the main window."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QLocale, QTimer, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_TITLE
from app.bootstrap import DATABASE_ENV, AppContext, bootstrap, resume_gc_after_start
from app.paths import resources_dir
from app.ui.i18n import install_qt_translations, tr
from app.ui.icons import app_icon
from app.ui.prefs import APPLICATION, ORGANISATION, Prefs
from app.ui.theme import FUSION, STYLE_SET_PROPERTY, UI_FONT_FAMILIES, apply_theme

if TYPE_CHECKING:
    from app.db import profile as profiles
    from app.services.kernel.actor import Actor
    from app.ui.main_window import MainWindow
    from app.ui.workbench.reading import WorkbenchReading

# The modules for choosing, probing and checking a database are imported where they are used: a start
# with --database (or GOVDESK_DATABASE) skips the saved profile and the probe, and the first window
# appears sooner for every module that is not loaded before it.

_translators: list[QTranslator] = []




# The screen needs one CJK face; the Song and Kai files are for printing (reportlab reads them itself).
UI_FONT_FILE = "wqy-microhei.ttc"


def register_fonts() -> list[str]:
    """The bundled Hei font, unless the machine has one of the faces the theme asks for (UI_FONT_FAMILIES).

    Any other Chinese face is not enough: a machine may have only a fallback font that a package brought
    along (Droid Sans Fallback comes with Ghostscript, which CUPS needs), whose wider glyphs cut the lists'
    columns at 大 and whose Latin letters come from another font."""
    if set(QFontDatabase.families()) & set(UI_FONT_FAMILIES):
        return []
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / UI_FONT_FILE))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def load_translations(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    _translators.extend(install_qt_translations(app))


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # The style named at construction, not set afterwards: QApplication.setStyle returns the style,
        # and wrapping it for Python builds the QStyle class with its enums (some 8 ms of the start).
        app = QApplication([*(argv or sys.argv[:1]), "-style", FUSION])
        app.setProperty(STYLE_SET_PROPERTY, True)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_TITLE)
    if not app.property("govdesk_ready"):
        from app.ui.unexpected import install_excepthook

        install_excepthook()
        app.setWindowIcon(app_icon())
        register_fonts()
        load_translations(app)
        app.setProperty("govdesk_ready", True)
        # The garbage collector, paused for the start (pause_gc_for_start), comes back at the first turn
        # of the event loop: when the first window (login, wizard or a message) is on screen.
        QTimer.singleShot(0, resume_gc_after_start)
    apply_theme(app, Prefs().text_size)
    return app


def connect(explicit_url: str | None) -> AppContext | None:
    """The database to use: --database / GOVDESK_DATABASE, else the saved profile, else the first-run wizard."""
    url = explicit_url or os.environ.get(DATABASE_ENV)
    if url:
        return bootstrap(url)
    from app.db import profile as profiles
    from app.ui.connecting import open_saved

    profile = profiles.load_profile()
    if profile is None:
        return run_wizard(None)
    opened = open_saved(profile)
    if opened == "change":
        return run_wizard(profile)
    return bootstrap(opened) if opened is not None else None


def ensure_ready(ctx: AppContext) -> AppContext | None:
    """An empty database is set up, an old local file upgraded (after a backup), a wrong version explained."""
    from app.db.migrate import backup_sqlite_before_upgrade, check_schema, upgrade
    from app.services.admin import auth

    status = check_schema(ctx.engine)
    if status.state == "too_old" and ctx.backend == "sqlite":
        answer = QMessageBox.question(
            None, tr('升级数据库'),
            tr('{0}\n\n现在升级吗？升级前会自动备份数据文件。').format(status.message()),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        backup_sqlite_before_upgrade(ctx.engine)
        upgrade(ctx.engine)
        status = check_schema(ctx.engine)
        if status.ok:
            _rebuild_search_index(ctx)
    if status.state == "empty":
        upgrade(ctx.engine)
        status = check_schema(ctx.engine)
    if not status.ok:
        QMessageBox.warning(None, tr('数据库版本不符'), status.message())
        return None
    with ctx.uow() as uow:
        has_users = auth.has_users(uow)
    if not has_users:
        from app.db import profile as profiles

        ctx.dispose()
        return run_wizard(profiles.load_profile() or profiles.ConnectionProfile.local(ctx.url.database))
    return ctx


def _rebuild_search_index(ctx: AppContext) -> None:
    """After the program upgraded the local file: the 综合查询 index built from its records, with progress (the
    window stays live); a failure is said and the program starts anyway, the index then marked incomplete."""
    from PySide6.QtCore import QEventLoop

    from app.services.search.query import index_complete
    from app.services.search.reindex import reindex
    from app.ui.widgets.worker import run_with_progress

    with ctx.uow() as uow:
        if index_complete(uow):
            return
    waiting = QEventLoop()
    failure: list[BaseException] = []

    def failed(error: BaseException) -> None:
        failure.append(error)
        waiting.quit()

    run_with_progress(
        None, tr('正在建立查询索引…'), lambda progress: reindex(ctx.uow, progress),  # type: ignore[arg-type]
        lambda _report: waiting.quit(), failed,
    )
    waiting.exec()
    if failure:
        QMessageBox.warning(
            None, tr('查询索引'),
            tr('查询索引没有建好（{0}）。程序照常使用，综合查询的结果可能不全，可由系统管理员在综合查询窗口中重建。')
            .format(failure[0]),
        )


def run_wizard(initial: profiles.ConnectionProfile | None) -> AppContext | None:
    from app.ui.wizard import FirstRunWizard

    wizard = FirstRunWizard(initial)
    if not wizard.exec() or wizard.ctx is None:
        return None
    if wizard.password_note:
        QMessageBox.information(None, tr('关于数据库密码'), wizard.password_note)
    return wizard.ctx


def run_gui(database_url: str | None = None) -> int:
    app = create_application()
    prefs = Prefs()
    ctx = connect(database_url)
    while ctx is not None:
        ready = ensure_ready(ctx)
        if ready is None:
            return 1
        ctx = ready
        from app.ui.login import LoginDialog

        shell: list[MainWindow] = []

        def build_shell(ctx: AppContext = ctx) -> None:
            # Once per connection: a wrong password keeps the shell for the next try.
            if not shell:
                from app.ui.main_window import MainWindow

                shell.append(MainWindow(ctx, None, prefs))

        def read_first_page(actor: Actor, ctx: AppContext = ctx) -> WorkbenchReading:
            from app.ui.workbench.reading import read_workbench

            return read_workbench(ctx, actor)

        login = LoginDialog(ctx, prefs, prepare=build_shell, prefetch=read_first_page)
        outcome = login.exec()
        if outcome == 2:
            from app.db import profile as profiles

            ctx.dispose()
            ctx = run_wizard(profiles.load_profile())
            continue
        if login.actor is None:
            return 0
        build_shell()
        window = shell[0]
        window.sign_in(login.actor, cast("WorkbenchReading | None", login.prefetched))
        switch_user = []
        window.logoutRequested.connect(lambda: switch_user.append(True))
        window.show()
        app.exec()
        if not switch_user:
            ctx.dispose()
            return 0
    return 0
