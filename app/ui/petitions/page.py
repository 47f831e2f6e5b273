"""信访 page: the lists of app.services.petitions.listing in tabs (我的在办, 全部在办, 临期逾期, 重复信访, 全部信访件),
each with its filters and search; 登记信访 (Ctrl+N) for those who handle petitions; a double-click opens the case.
A unit's 联络员 sees the cases assigned to their unit, and nobody but the handlers sees ID numbers and phones."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ServerUnavailable, WorkCancelled
from app.core.roles import Role
from app.services.kernel.actor import Actor
from app.services.petitions import listing, records
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.petitions.lists import BOX_TITLES, list_spec, make_fetch, petition_filter
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.list_page import ListPage, ListTabsPage
from app.ui.widgets.messages import show_error
from app.ui.widgets.units import read_units

# Each list and its tab's icon; 我的在办 only for those who answer for cases (首问负责).
BOXES: tuple[tuple[listing.Box, str], ...] = (
    ("mine", "users"), ("open", "petitions"), ("due", "overdue"), ("repeats", "link"), ("all", "petitions"))


class PetitionsPage(ListTabsPage):
    title = QT_TRANSLATE_NOOP("GovDesk", "信访")

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.handler = records.may_handle(actor) and actor.id is not None
        places = self._place_choices()
        new = self.new_petition if self.handler else None
        self.tabs = QTabWidget()
        self.lists: dict[str, ListPage] = {}
        for box, icon in BOXES:
            if box in ("mine", "repeats") and not self.handler:
                continue
            page = ListPage(list_spec(box, places, handler=self.handler), make_fetch(ctx, actor, box), prefs,
                            self.open_row, new)
            self.lists[box] = page
            tab_icon = area_icon("petitions", ACCENT) if icon == "petitions" else action_icon(icon)
            self.tabs.addTab(page, tab_icon, page.title)

        # 排查: the county's counts for those who see every case; a unit's 联络员 sees its own screened problems.
        if records.sees_all(actor) or actor.has(Role.LIAISON):
            from app.ui.petitions.screening_tab import ScreeningTab

            self.screening = ScreeningTab(ctx, actor, self)
            self.tabs.addTab(self.screening, action_icon("chart"), tr("排查"))
        corner = QWidget()
        self.corner_row = QHBoxLayout(corner)
        # Off the window's edge: the last button's border was cut.
        self.corner_row.setContentsMargins(0, 0, 6, 0)
        self.new_button: QPushButton | None = None
        if self.handler:
            self.new_button = QPushButton(action_icon("new", "white"), tr("登记信访"))
            self.new_button.setObjectName("primary")
            self.new_button.setToolTip(tr("登记一件来信、来访、来电或网上信访（Ctrl+N）"))
            self.new_button.clicked.connect(self.new_petition)
            self.corner_row.addWidget(self.new_button)
        ledger = self._ledger_button()
        if ledger is not None:
            self.corner_row.addWidget(ledger)
        refresh = QPushButton(action_icon("refresh"), tr("刷新"))
        refresh.setToolTip(tr("重新读取列表（F5）；查找信访件用 Ctrl+F"))
        refresh.clicked.connect(self.refresh)
        self.corner_row.addWidget(refresh)
        self.tabs.setCornerWidget(corner)
        self.tabs.currentChanged.connect(self._tab_shown)
        self._tab_shown(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _ledger_button(self) -> QPushButton | None:
        """台账: the 信访台账 exported to Excel as the current list's filters select it (the office), and an existing
        ledger imported, with its template (those who handle petitions)."""
        from app.ui.petitions.import_dialog import save_ledger_template
        from app.ui.petitions.ledger_export import LedgerExportAction

        menu = QMenu(self)
        export = LedgerExportAction(self.ctx, self.actor, self._current_filter, self)
        if export.isVisible():
            menu.addAction(action_icon("print"), tr("打印台账…"), self.print_ledger)
            menu.addAction(export)
        if self.handler:
            menu.addAction(action_icon("import"), tr("导入台账…"), self.import_ledger)
            menu.addAction(tr("保存导入模板…"), lambda: save_ledger_template(self))
        if menu.isEmpty():
            return None
        button = QPushButton(action_icon("read"), tr("台账"))
        button.setToolTip(tr("导出信访台账（按当前列表的筛选条件），导入已有的台账"))
        button.setMenu(menu)
        return button

    def _current_filter(self) -> tuple[listing.PetitionFilter, str]:
        """The list shown and its filters, with the caption the exported sheet carries."""
        current = self.current_list
        box = next((key for key, page in self.lists.items() if page is current), "all")
        filters = current.filters() if current is not None else {}
        return petition_filter(cast(listing.Box, box), filters), tr(BOX_TITLES[box])

    def print_ledger(self) -> None:
        """The 信访台账 of the list shown, as filtered, in the print preview (printing it is audited)."""
        from app.forms import PrintContext
        from app.forms.petitions import ledger_sheet
        from app.printing.petitions.ledger import render_ledger
        from app.ui.widgets.print_preview import PrintPreviewDialog

        f, caption = self._current_filter()
        source = PrintContext(self.ctx, self.actor)
        try:
            pdf = db_call(self, lambda: render_ledger(ledger_sheet(source, f, caption)))
        except GovDeskError as error:
            show_error(self, error)
            return
        PrintPreviewDialog(tr("信访台账"), pdf, tr("信访台账.pdf"), self).exec()

    def import_ledger(self) -> None:
        from app.ui.petitions.import_dialog import PetitionImportDialog

        dialog = PetitionImportDialog(self.ctx, self.actor, self)
        dialog.exec()
        if dialog.imported is not None:
            self.refresh()

    def _tab_shown(self, _index: int) -> None:
        # A list has its own 登记信访 (and offers it when empty); the corner's is for a tab that is no list.
        if self.new_button is not None:
            self.new_button.setVisible(self.current_list is None)
        self.refresh()

    def _place_choices(self) -> list[str]:
        """The 属地 filter's choices: the county's townships (a case's place is where the problem is)."""
        try:
            units = read_units(self, self.ctx, self.actor)
        except (ServerUnavailable, WorkCancelled):
            return []
        return [unit.name for unit in units if unit.kind == "township"]

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"petition", "attachment"})

    def refresh(self) -> None:
        refresh = getattr(self.tabs.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()

    def new_record(self) -> bool:
        if not self.handler:
            return False
        self.new_petition()
        return True

    def open_row(self, row: Any) -> None:
        self.open_petition(row.id)

    def open_petition(self, petition_id: int) -> None:
        from app.ui.petitions.window import PetitionWindow

        self.show_record(lambda: PetitionWindow(self.ctx, self.actor, petition_id, self))

    def new_petition(self) -> None:
        from app.ui.petitions.editor import PetitionEditor

        saved = self.run_editor(lambda: PetitionEditor(self.ctx, self.actor, parent=self))
        if saved is not None:
            self.open_petition(saved.id)
