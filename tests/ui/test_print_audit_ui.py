"""Prints in the program are the user's and are audited: the 归档与报表 tab's registers and notices, and a batch
from a list. A print the services refuse shows no preview and leaves no print in the audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.core.roles import Role
from app.db.tables import audit_log
from app.forms import PrintContext
from app.models.documents import Document
from app.services.documents import outgoing
from app.ui.documents.reports import ReportsTab
from app.ui.widgets import batch_print_action, print_preview
from app.ui.widgets.batch_print_action import BatchRun, PrintForm, Selected
from tests.helpers import add_unit, add_user
from tests.helpers.ui import Office


def prints(office: Office) -> list[tuple[int | None, int | None, dict[str, Any]]]:
    """(user, record, detail) of each print in the audit log, oldest first."""
    with office.ctx.uow() as uow:
        rows = uow.execute(
            select(audit_log.c.user_id, audit_log.c.entity_id, audit_log.c.detail)
            .where(audit_log.c.action == "print").order_by(audit_log.c.seq)
        )
        return [(row.user_id, row.entity_id, json.loads(row.detail)) for row in rows]


def test_the_reports_tab_prints_as_its_user_and_each_print_is_audited(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    previews: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", lambda dialog: previews.append(dialog.title) or 0)
    monkeypatch.setattr("app.ui.documents.reports.show_error", lambda _parent, error, *_: errors.append(error.message))
    tab = ReportsTab(office.ctx, office.clerk)
    qtbot.addWidget(tab)
    tab.print_notice()
    tab.print_register()
    assert previews == ["公文运转及差错情况通报", "收文登记簿"] and errors == []
    (notice_user, _, notice), (register_user, _, register) = prints(office)
    assert notice_user == register_user == office.clerk.id
    assert notice["form"] == "document-notice" and notice["quarter"] == tab.quarter.currentData()
    assert register["form"] == "receipt-register" and register["count"] == 0
    # Printed in the program: no 途径 or 本机账户, which a print from the command line records.
    assert "via" not in notice and "account" not in register

    # The 系统管理员 holds none of the roles that read the office's reports: refused, nothing shown or logged.
    refused = ReportsTab(office.ctx, office.admin)
    qtbot.addWidget(refused)
    refused.print_notice()
    assert previews == ["公文运转及差错情况通报", "收文登记簿"]
    assert errors == ["只有办公室主任、副主任、文秘人员、县领导可以查看公文运转及差错情况通报"]
    assert len(prints(office)) == 2


def test_a_batch_logs_each_record_it_printed_and_none_it_refused(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = ("关于做好冬季森林防火工作的通知", "关于召开防汛工作会议的通知", "关于开展安全生产大检查的通知")
    ids = []
    for title in titles:
        with office.ctx.uow() as uow:
            ids.append(outgoing.create_draft(uow, office.clerk, title=title, doc_type="通知", disclosure="主动公开").id)
    liaison = add_user(office.ctx, "lianluo", [Role.LIAISON], office.unit_id, full_name="陈联络")
    # The second draft now belongs to another unit: the 联络员 may no longer see it.
    other = add_unit(office.ctx, "县应急管理局")
    with office.ctx.uow() as uow:
        uow.execute(update(Document).where(Document.id == ids[1]).values(drafting_unit_id=other))
        uow.commit()
    messages: list[str] = []
    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", lambda _dialog: 0)
    monkeypatch.setattr(batch_print_action, "inform", lambda _parent, _title, text: messages.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    finished: list[BatchRun] = []
    batch_print_action.print_selected(
        parent, PrintContext(office.ctx, liaison), PrintForm("发文稿纸", "outgoing-draft"),
        [Selected(i, t) for i, t in zip(ids, titles, strict=True)], finished.append,
    )
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    assert finished[0].report.printed == [ids[0], ids[2]]
    assert "这份公文不属于您所在的单位" in messages[0]
    assert [(user, record) for user, record, _ in prints(office)] == [(liaison.id, ids[0]), (liaison.id, ids[2])]
    assert {detail["form_title"] for _, _, detail in prints(office)} == {"发文稿纸"}
