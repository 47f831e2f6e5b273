"""公文 page: the 发文 and 收文 lists in tabs; a row opens the document's window."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.documents import INCOMING, OUTGOING
from app.forms import PrintContext
from app.services.kernel.actor import Actor
from app.ui.documents.lists import list_spec, make_fetch
from app.ui.documents.reports import ReportsTab
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon, area_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT
from app.ui.widgets.list_page import ListPage, ListTabsPage
from app.ui.widgets.units import read_units


class DocumentsPage(ListTabsPage):
    title = QT_TRANSLATE_NOOP("GovDesk", "公文")

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor

        units = [(u.name, u.id) for u in read_units(self, ctx, actor)]
        printing = PrintContext(ctx, actor)
        self.outgoing = ListPage(list_spec(OUTGOING, units), make_fetch(ctx, actor, OUTGOING), prefs, self.open_row,
                                 self.new_outgoing, print_as=printing)
        self.incoming = ListPage(list_spec(INCOMING, units), make_fetch(ctx, actor, INCOMING), prefs, self.open_row,
                                 self.new_incoming, print_as=printing)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.outgoing, area_icon("documents", ACCENT), tr("发文"))
        self.tabs.addTab(self.incoming, area_icon("documents", ACCENT), tr("收文"))
        self.reports = ReportsTab(ctx, actor)
        self.tabs.addTab(self.reports, action_icon("print"), tr("归档与报表"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def watched_entities(self) -> frozenset[str]:
        return frozenset({"document"})

    def refresh(self) -> None:
        current = self.current_list
        if current is None:
            self.reports.refresh()
        else:
            current.refresh()

    def new_record(self) -> bool:
        current = self.current_list
        return current.new_record() if current is not None else False

    def open_row(self, row: Any) -> None:
        self.open_document(row.id)

    def open_document(self, document_id: int) -> None:
        from app.ui.documents.window import DocumentWindow

        window = DocumentWindow(self.ctx, self.actor, document_id, self)
        window.exec()
        if window.changed:
            self.refresh()

    def new_outgoing(self) -> None:
        from app.ui.documents.draft_dialog import DraftDialog

        dialog = DraftDialog(self.ctx, self.actor, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            self.tabs.setCurrentWidget(self.outgoing)
            self.refresh()
            self.open_document(dialog.created.id)

    def new_incoming(self) -> None:
        from app.ui.documents.incoming_dialog import IncomingDialog

        dialog = IncomingDialog(self.ctx, self.actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            self.tabs.setCurrentWidget(self.incoming)
            self.refresh()
            self.open_document(dialog.created.id)
