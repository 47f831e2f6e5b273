"""A page of text pasted into a list's search (issue 13, Low): the box keeps the first 100 characters, the
most the services accept, and the list still loads instead of failing on the database's own error."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.services.documents import outgoing
from app.services.workflow.worklist import MAX_SEARCH_LENGTH
from app.ui.documents.page import DocumentsPage
from app.ui.prefs import Prefs
from tests.helpers.loading import wait_loaded
from tests.helpers.ui import Office


def test_a_pasted_huge_search_is_cut_to_what_the_services_accept(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    title = "关于开展安全生产大检查的通知"
    with office.ctx.uow() as uow:
        outgoing.create_draft(uow, office.clerk, title=title, doc_type="通知", disclosure="主动公开")
    page = DocumentsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    listing = page.outgoing
    wait_loaded(qtbot, listing.model)
    failures: list[object] = []
    listing.model.loadFailed.connect(failures.append)
    listing.search.setText(title + "检" * 200_000)
    listing.refresh()
    wait_loaded(qtbot, listing.model)
    assert len(listing.search.text()) == MAX_SEARCH_LENGTH and listing.search.text().startswith(title)
    assert failures == [] and listing.model.rowCount() == 0
    listing.search.setText(title)
    listing.refresh()
    wait_loaded(qtbot, listing.model)
    assert failures == [] and listing.model.rowCount() == 1
