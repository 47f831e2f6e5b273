"""A local file the program upgrades at start to the version that brings 综合查询: the index is built from the
records already there, with its progress, before the first window; a search then finds them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.bootstrap import AppContext, bootstrap
from app.services.search import query as search
from app.ui import application
from tests.helpers.document_office import build_office, new_incoming


def _as_before_the_index(ctx: AppContext) -> None:
    """The database as version 0013 left it: no index tables, nor what later versions added."""
    with ctx.engine.begin() as conn:
        for table in ("search_state", "search_file_texts", "search_pending", "search_postings", "search_records"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DROP INDEX ix_claims_submitted"))  # 0016
        conn.execute(text("DROP INDEX ix_meetings_organizer"))  # 0017
        conn.execute(text("DROP INDEX ix_meeting_topics_unit"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0013'"))


def test_the_upgrade_at_start_builds_the_index_of_the_records_there(
    sqlite_ctx: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = build_office(sqlite_ctx)
    doc = new_incoming(office, title="关于升级之前登记的农村公路文件的通知")
    _as_before_the_index(sqlite_ctx)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: pytest.fail(f"warned: {args[2]}"))
    ready = application.ensure_ready(bootstrap(str(sqlite_ctx.url)))
    assert ready is not None and asked and "升级" in asked[0]
    with ready.uow() as uow:
        assert search.index_complete(uow)
        found = search.search_kind(uow, office.director, "document", "农村公路")
    assert [hit.record_id for hit in found.hits] == [doc]
    ready.dispose()
