"""The audit-log viewer shows what a person reads: the user's name, the record's kind and name, the changes."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.services.admin import users as admin
from app.ui.admin.page import AdminPage
from app.ui.prefs import Prefs
from tests.helpers.ui import Office


def test_the_audit_tab_reads_in_chinese(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    with office.ctx.uow() as uow:
        admin.create_unit(uow, office.admin, name="县应急管理局", kind="department")
    page = AdminPage(office.ctx, office.admin, prefs)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.audit)
    page.audit.refresh()
    model = page.audit.model
    # The list reads off the GUI thread (LazyTableModel): its rows land a moment later.
    qtbot.waitUntil(lambda: model.rowCount() >= 1, timeout=5000)
    shown = [[model.index(0, column).data() for column in range(model.columnCount())]]
    assert shown[0][2:] == ["赵管理（admin）", "新建", "单位 县应急管理局", "名称：县应急管理局；类别：县政府部门"]
    # The cell's tooltip lists the changes one a line.
    assert model.columns[5].tooltip is not None
