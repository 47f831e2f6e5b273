"""A 公文 through the UI office's widgets: its window, the act buttons it offers and clicking one, and a
draft already past 审核 to open it at."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.services.documents import outgoing
from app.services.kernel.actor import Actor
from app.ui.documents.window import DocumentWindow
from tests.helpers.document_office import BODY
from tests.helpers.ui import Office


def buttons(window: DocumentWindow) -> dict[str, QPushButton]:
    found = {}
    for i in range(window.actions_row.count()):
        widget = window.actions_row.itemAt(i).widget()
        if isinstance(widget, QPushButton):
            found[widget.text()] = widget
    return found


def click(window: DocumentWindow, label: str) -> None:
    available = buttons(window)
    assert label in available, f"“{label}” not offered; offered: {sorted(available)}"
    available[label].click()
    # The buttons the action replaced go now, as they would when the click returns to the event loop. Left
    # to pile up across windows, their late deletion crashed PySide (a freed slot in QObject::disconnect).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def window_for(qtbot: QtBot, office: Office, actor: Actor, document_id: int) -> DocumentWindow:
    window = DocumentWindow(office.ctx, actor, document_id)
    qtbot.addWidget(window)
    return window


def reviewed_draft(office: Office, cosigners: Sequence[int] = ()) -> int:
    """A 通知 drafted by the clerk, submitted, and approved by the lead at 审核."""
    with office.ctx.uow() as uow:
        info = outgoing.create_draft(
            uow, office.clerk, title="关于做好冬季森林防火工作的通知", doc_type="通知", disclosure="主动公开",
            cosigner_unit_ids=cosigners, body=BODY,
        )
    with office.ctx.uow() as uow:
        outgoing.submit(uow, office.clerk, info.id)
    with office.ctx.uow() as uow:
        outgoing.review(uow, office.lead, info.id, "approve")
    return info.id
