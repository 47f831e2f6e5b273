"""信息调研 page: the tabs 稿件 (the items list, app.ui.information.lists), 《政务信息》 (the issues), 通报 (the
quarterly and yearly notices), 学习 (the Monday study rotation) and 信息组 (the writing groups, their quotas and
points). 写信息 (Ctrl+N) and 写调研文章 for those who write (a group's members and the editors); a double-click
opens the item's window; the editors import an existing ledger from the 稿件 tab's 台账 menu."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QMenu, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.information import groups, records
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.information.groups_tab import GroupsTab
from app.ui.information.lists import ItemsList, ListContext
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.list_page import ListTabsPage
from app.ui.widgets.messages import show_error


def other_tabs() -> list[tuple[str, str, Any]]:
    """The tabs the other parts of 信息调研 build, as (title, icon, class): each is made as
    ``cls(ctx, actor, prefs, parent)`` and has ``refresh()``."""
    from app.ui.information.issues_tab import IssuesTab
    from app.ui.information.notice_tab import NoticeTab
    from app.ui.information.study_tab import StudyTab

    return [
        (QT_TRANSLATE_NOOP("GovDesk", "《政务信息》"), "read", IssuesTab),
        (QT_TRANSLATE_NOOP("GovDesk", "通报"), "chart", NoticeTab),
        (QT_TRANSLATE_NOOP("GovDesk", "学习"), "calendar", StudyTab),
    ]


@dataclass(frozen=True)
class _Reading:
    editor: bool
    member: bool
    groups: list[tuple[int, str]]


class InformationPage(ListTabsPage):
    title = QT_TRANSLATE_NOOP("GovDesk", "信息调研")

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        reading = self._read_context()
        context = ListContext(editor=reading.editor, member=reading.member,
                              writer=actor.id is not None and (reading.editor or reading.member),
                              groups=reading.groups)
        self.writer = context.writer
        self.tabs = QTabWidget()
        self.items = ItemsList(
            ctx, actor, prefs, context, self.open_row, self.new_item if self.writer else None,
            self.new_article if self.writer else None, self._ledger_menu() if reading.editor else None)
        self.tabs.addTab(self.items, area_icon("information", ACCENT), tr("稿件"))
        self.others: list[QWidget] = []
        for title, icon, cls in other_tabs():
            tab = cls(ctx, actor, prefs, self)
            self.others.append(tab)
            self.tabs.addTab(tab, action_icon(icon), tr(title))
        self.groups_tab = GroupsTab(ctx, actor, prefs, self)
        self.tabs.addTab(self.groups_tab, action_icon("users"), tr("信息组"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _read_context(self) -> _Reading:
        actor = self.actor

        def read() -> _Reading:
            with self.ctx.uow() as uow:
                return _Reading(records.is_editor(actor), records.member_group_id(uow, actor) is not None,
                                [(g.id, g.name) for g in groups.list_groups(uow, actor)])

        try:
            return db_call(self, read)
        except GovDeskError as error:
            # The page still opens; F5 reads the lists again once the server is back.
            show_error(self, error, tr("无法读取信息组"))
            return _Reading(records.is_editor(actor), False, [])

    def _ledger_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(action_icon("import"), tr("导入台账…"), self.import_ledger)
        menu.addAction(action_icon("save"), tr("保存导入模板…"), self.save_template)
        return menu

    def import_ledger(self) -> None:
        from app.ui.information.import_dialog import ImportDialog

        ImportDialog(self.ctx, self.actor, self).exec()
        self.refresh()

    def save_template(self) -> None:
        from app.ui.information.import_dialog import save_template

        save_template(self)

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"information_item", "info_group", "info_issue", "attachment"})

    def refresh(self) -> None:
        refresh = getattr(self.tabs.currentWidget(), "refresh", None)
        if callable(refresh):
            refresh()

    def new_record(self) -> bool:
        if not self.writer:
            return False
        self.tabs.setCurrentWidget(self.items)
        self.new_item()
        return True

    def open_row(self, row: Any) -> None:
        self.open_item(row.id)

    def open_item(self, item_id: int) -> None:
        from app.ui.information.window import ItemWindow

        self.show_record(lambda: ItemWindow(self.ctx, self.actor, item_id, self))

    def new_item(self, kind: str = "item") -> None:
        from app.ui.information.editor import ItemEditor

        saved = self.run_editor(lambda: ItemEditor(self.ctx, self.actor, parent=self, kind=kind))
        if saved is not None:
            self.open_item(saved.id)

    def new_article(self) -> None:
        self.new_item("article")
