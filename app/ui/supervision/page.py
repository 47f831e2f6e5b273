"""督查督办 page: the 督办台账's lists in tabs (在办事项, 待我办理, 我负责的, 已销号, 全部事项), the periodic 通报 and
the 综合督查 campaigns; 登记, 导入 and the import template beside the tabs."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ServerUnavailable, WorkCancelled
from app.core.roles import Role
from app.forms import PrintContext
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.services.supervision import ledger
from app.services.supervision.items import REGISTRARS, sees_all
from app.services.workflow.accountability import READERS
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.prefs import Prefs
from app.ui.supervision.lists import list_spec, make_fetch
from app.ui.theme import ACCENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.list_page import ListPage, ListTabsPage
from app.ui.widgets.messages import show_error


class SupervisionPage(ListTabsPage):
    title = QT_TRANSLATE_NOOP("GovDesk", "督查督办")

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        units = self._unit_choices()
        self.units = units
        this_year = date.today().year
        years = list(range(this_year + 1, this_year - 5, -1))
        printing = PrintContext(ctx, actor)
        registrar = actor.has(*REGISTRARS)
        new = self.new_item if registrar else None
        self.lists: dict[ledger.Box, ListPage] = {}
        self.tabs = QTabWidget()
        boxes: tuple[tuple[ledger.Box, str], ...] = (
            ("active", "supervision"), ("waiting", "done"), ("mine", "users"), ("closed", "done"), ("all", "supervision"))
        for box, icon in boxes:
            if box in ("waiting", "mine") and not registrar:
                continue
            page = ListPage(list_spec(box, units, years), make_fetch(ctx, actor, box), prefs, self.open_row,
                            new if box in ("active", "mine") else None, print_as=printing)
            self.lists[box] = page
            tab_icon = area_icon("supervision", ACCENT) if icon == "supervision" else action_icon(icon)
            self.tabs.addTab(page, tab_icon, page.title)
        self.notice: QWidget | None = None
        if actor.has(*READERS):
            from app.ui.supervision.notice_tab import NoticeTab

            self.notice = NoticeTab(ctx, actor)
            self.tabs.addTab(self.notice, action_icon("chart"), tr("督查通报"))
        self.campaigns: QWidget | None = None
        if registrar or actor.has(Role.COUNTY_LEADER):
            from app.ui.supervision.campaigns_tab import CampaignsTab

            self.campaigns = CampaignsTab(ctx, actor, on_item=self.open_item)
            self.tabs.addTab(self.campaigns, action_icon("inspect"), tr("综合督查"))
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 0, 0)
        ledger_print = QPushButton(action_icon("print"), tr("打印台账…"))
        ledger_print.setToolTip(tr("按当前列表的筛选条件打印督办台账"))
        ledger_print.clicked.connect(self.print_ledger)
        # The printed 台账 is the office's (app.forms.supervision); a unit's 联络员 keeps its items in the lists.
        ledger_print.setVisible(sees_all(actor))
        row.addWidget(ledger_print)
        self.tabs.setCornerWidget(corner)
        if registrar:
            imports = QPushButton(action_icon("import"), tr("导入分解表…"))
            imports.setToolTip(tr("从 Excel 目标任务分解表一次导入多项督办事项；有任何一行不对，全部不导入"))
            imports.clicked.connect(self.import_sheet)
            row.addWidget(imports)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        # Whoever keeps items lands on what waits for them; a unit's 联络员 on its items in hand.
        if "waiting" in self.lists:
            self.tabs.setCurrentWidget(self.lists["waiting"])

    def _unit_choices(self) -> list[tuple[str, int]]:
        def load() -> list[tuple[str, int]]:
            with self.ctx.uow() as uow:
                return [(u.name, u.id) for u in admin.list_units(uow, self.actor)]

        try:
            return db_call(self, load)
        except (ServerUnavailable, WorkCancelled):
            return []

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"supervision_item", "supervision_campaign", "attachment"})

    def refresh(self) -> None:
        refresh = getattr(self.tabs.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()

    def new_record(self) -> bool:
        if not self.actor.has(*REGISTRARS):
            return False
        self.new_item()
        return True

    def open_row(self, row: Any) -> None:
        self.open_item(row.id)

    def open_item(self, item_id: int) -> None:
        from app.ui.supervision.window import ItemWindow

        self.show_record(lambda: ItemWindow(self.ctx, self.actor, item_id, self))

    def new_item(self) -> None:
        from app.ui.supervision.editor import ItemEditor

        saved = self.run_editor(lambda: ItemEditor(self.ctx, self.actor, parent=self))
        if saved is not None:
            self.open_item(saved.id)

    def print_ledger(self) -> None:
        """The 督办台账 of the list shown, as filtered (the active ledger from any other tab)."""
        from app.forms import PrintContext
        from app.forms.supervision import ledger_sheet
        from app.printing.supervision.ledger import render_ledger
        from app.ui.supervision.lists import ledger_filter
        from app.ui.widgets.print_preview import PrintPreviewDialog

        box: ledger.Box = next((key for key, page in self.lists.items() if page is self.tabs.currentWidget()),
                               "active")
        page = self.lists[box]
        filters = page.filters()
        unit_name = next((name for name, unit_id in self.units if unit_id == filters.get("unit_id")), "")
        source = PrintContext(self.ctx, self.actor)
        try:
            pdf = db_call(self, lambda: render_ledger(ledger_sheet(source, ledger_filter(box, filters), unit_name)))
        except GovDeskError as error:
            show_error(self, error)
            return
        PrintPreviewDialog(tr("督办台账"), pdf, tr("督办台账.pdf"), self).exec()

    def import_sheet(self) -> None:
        from app.ui.supervision.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, self.actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.tabs.setCurrentWidget(self.lists["active"])
            self.refresh()
