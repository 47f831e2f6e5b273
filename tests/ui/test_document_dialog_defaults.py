"""What the 公文 dialogs choose before the user touches them: a routine document is not urgent."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.services.documents import records as documents
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.documents.incoming_dialog import IncomingDialog
from tests.helpers.ui import Office


def test_an_incoming_document_is_not_urgent_unless_the_clerk_says_so(qtbot: QtBot, office: Office) -> None:
    dialog = IncomingDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    assert dialog.urgency.currentData() == ""
    assert [dialog.urgency.itemData(i) for i in range(dialog.urgency.count())] == ["", "加急", "特急"]
    dialog.title_edit.setText("江州市人民政府办公室关于做好冬季森林防火工作的通知")
    dialog.source_unit.setText("江州市人民政府办公室")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.created is not None
    with office.ctx.uow() as uow:
        assert documents.get_document(uow, office.clerk, dialog.created.id).document.urgency == ""


def test_a_new_draft_is_not_urgent(qtbot: QtBot, office: Office) -> None:
    dialog = DraftDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    assert dialog.urgency.currentData() == ""
    assert dialog.urgency.currentText() == "（一般）"
