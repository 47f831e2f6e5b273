"""报账 page: my claims, claims waiting for me, all claims, reports, budgets and (for the administrator)
the flow editor, in tabs; the 报账流程图 is a button away from every tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import ServerUnavailable, WorkCancelled
from app.core.roles import Role
from app.forms import PrintContext
from app.services.admin import users as admin
from app.services.claims import budgets
from app.services.claims import reports as claim_reports
from app.services.kernel.actor import Actor
from app.ui.claims.lists import list_spec, make_fetch
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.list_page import ListPage, ListTabsPage


class ClaimsPage(ListTabsPage):
    title = QT_TRANSLATE_NOOP("GovDesk", "报账")

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        units = self._unit_choices()
        printing = PrintContext(ctx, actor)
        self.mine = ListPage(list_spec("mine", units), make_fetch(ctx, actor, "mine"), prefs, self.open_row,
                             self.new_claim, print_as=printing)
        self.waiting = ListPage(list_spec("waiting", units), make_fetch(ctx, actor, "waiting"), prefs, self.open_row,
                                print_as=printing)
        self.all = ListPage(list_spec("all", units), make_fetch(ctx, actor, "all"), prefs, self.open_row,
                            print_as=printing)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.mine, area_icon("reimbursement", ACCENT), tr("我的报销单"))
        self.tabs.addTab(self.waiting, action_icon("done"), tr("待我审批"))
        self.tabs.addTab(self.all, area_icon("reimbursement", ACCENT), tr("全部报销单"))
        self.reports: QWidget | None = None
        if actor.has(*claim_reports.REPORT_ROLES):
            from app.ui.claims.reports import ClaimReportsTab

            self.reports = ClaimReportsTab(ctx, actor)
            self.tabs.addTab(self.reports, action_icon("print"), tr("统计"))
        self.budgets: QWidget | None = None
        if actor.has(*budgets.BUDGET_ROLES, Role.DIRECTOR, Role.DEPUTY_DIRECTOR):
            from app.ui.claims.budgets_tab import BudgetsTab

            self.budgets = BudgetsTab(ctx, actor)
            self.tabs.addTab(self.budgets, action_icon("calendar"), tr("预算"))
        self.flow_editor: QWidget | None = None
        if actor.has(Role.ADMIN):
            from app.ui.claims.flow_editor import FlowEditorTab

            self.flow_editor = FlowEditorTab(ctx, actor)
            self.tabs.addTab(self.flow_editor, action_icon("flow"), tr("流程设置"))
        chart = QPushButton(action_icon("flow"), tr("报账流程图"))
        chart.setToolTip(tr("查看整个报账流程，或某张报销单走到了哪一步"))
        chart.clicked.connect(lambda: self.open_flowchart())
        self.tabs.setCornerWidget(chart)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        # Someone with claims to approve lands on them; everyone else on their own claims.
        if actor.has(Role.FINANCE, Role.CASHIER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR):
            self.tabs.setCurrentWidget(self.waiting)

    def _unit_choices(self) -> list[tuple[str, int]]:
        """The 部门 filter's units. Without a server the page still opens, only without units to filter by:
        the lists themselves say that the server cannot be reached."""

        def load() -> list[tuple[str, int]]:
            with self.ctx.uow() as uow:
                return [(u.name, u.id) for u in admin.list_units(uow, self.actor)]

        try:
            return db_call(self, load)
        except (ServerUnavailable, WorkCancelled):
            return []

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"claim", "budget", "flow"})

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        refresh = getattr(current, "refresh", None)
        if callable(refresh):
            refresh()

    def new_record(self) -> bool:
        self.new_claim()
        return True

    def open_row(self, row: Any) -> None:
        self.open_claim(row.id)

    def open_claim(self, claim_id: int) -> None:
        from app.ui.claims.window import ClaimWindow

        self.show_record(lambda: ClaimWindow(self.ctx, self.actor, claim_id, self))

    def new_claim(self) -> None:
        from app.ui.claims.editor import ClaimEditor

        saved = self.run_editor(lambda: ClaimEditor(self.ctx, self.actor, parent=self))
        if saved is not None:
            # The new claim is the user's own: shown where they will look for it.
            self.tabs.setCurrentWidget(self.mine)
            self.refresh()
            self.open_claim(saved.id)

    def open_flowchart(self, claim_id: int | None = None) -> None:
        from app.ui.claims.flowchart_window import FlowchartWindow

        FlowchartWindow(self.ctx, self.actor, claim_id, self, prefs=self.prefs).exec()
