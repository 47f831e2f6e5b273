"""系统管理 page: one tab per administrative task."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.ui.admin.audit_tab import AuditTab
from app.ui.admin.backup_tab import BackupTab
from app.ui.admin.holidays import HolidaysTab
from app.ui.admin.settings_tab import SettingsTab
from app.ui.admin.unit_groups_tab import UnitGroupsTab
from app.ui.admin.units import UnitsTab
from app.ui.admin.users import UsersTab
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.widgets.pages import Page


class AdminPage(Page):
    title = QT_TRANSLATE_NOOP("GovDesk", '系统管理')

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(tr('系统管理'))
        heading.setObjectName("pageTitle")
        self.users = UsersTab(ctx, actor, prefs)
        self.units = UnitsTab(ctx, actor)
        self.unit_groups = UnitGroupsTab(ctx, actor)
        self.settings = SettingsTab(ctx, actor)
        self.holidays = HolidaysTab(ctx, actor)
        self.backup = BackupTab(ctx, actor)
        self.audit = AuditTab(ctx, actor, prefs)
        self.tabs = QTabWidget()
        for widget, icon, label in (
            (self.users, "users", tr('用户')),
            (self.units, "units", tr('单位')),
            (self.unit_groups, "units", tr('分发组')),
            (self.settings, "edit", tr('系统设置')),
            (self.holidays, "calendar", tr('节假日')),
            (self.backup, "backup", tr('备份与恢复')),
            (self.audit, "verify", tr('审计日志')),
        ):
            self.tabs.addTab(widget, action_icon(icon), label)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"user", "unit", "settings", "holiday", "unit_group"})

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        current.refresh()  # type: ignore[attr-defined]

    def new_record(self) -> bool:
        if self.tabs.currentWidget() is self.users:
            self.users.new_user()
            return True
        if self.tabs.currentWidget() is self.units:
            self.units.new_unit()
            return True
        return False

    def focus_search(self) -> bool:
        if self.tabs.currentWidget() is self.audit:
            self.audit.username.setFocus()
            return True
        return False
