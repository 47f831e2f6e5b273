"""信访 page: the lists of app.services.petitions.listing in tabs (我的在办, 全部在办, 临期逾期, 重复信访, 全部信访件),
each with its filters and search; 登记信访 (Ctrl+N) for those who handle petitions; a double-click opens the case.
A unit's 联络员 sees the cases assigned to their unit, and nobody but the handlers sees ID numbers and phones."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import ServerUnavailable, WorkCancelled
from app.services.kernel.actor import Actor
from app.services.petitions import listing, records
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.petitions.lists import list_spec, make_fetch
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT
from app.ui.widgets.list_page import ListPage, ListTabsPage
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

        # ----- for the lead to wire in (the other 信访 helpers' parts):
        # 排查: helper pet-screen's app.ui.petitions.screening_tab.ScreeningTab(ctx, actor, parent) goes here, as a
        #       tab after the lists, for those who see every case (records.sees_all):
        #           self.tabs.addTab(ScreeningTab(ctx, actor, self), action_icon("chart"), tr("排查"))
        # 台账: helper pet-forms' import dialog (app.ui.petitions.import_dialog) and ledger export
        #       (app.ui.petitions.ledger_export) go into the corner row below, beside 登记信访 (self.corner_row).
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
