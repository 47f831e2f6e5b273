"""Revision 0002 (documents) upgrades a 0001 database that holds data, and downgrades back, on every database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from app.db import migrate
from app.db.engine import make_engine
from app.models import Document
from tests.helpers.databases import reflected

NEW_TABLES = {
    "documents", "document_archives", "document_circulations", "document_co_handlers", "document_cosigners",
    "document_distributions", "document_errors",
}
# Made by 0002, gone since 0010: their rows are the engine's work items now (test_document_work_items_migration).
BECAME_WORK_ITEMS = {"document_circulations", "document_cosigners", "document_distributions"}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _old_rows(engine: Engine) -> tuple[int, int, int, int]:
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (reflected(conn, name) for name in ("units", "users", "workflow_instances", "workflow_history"))
        )


def test_upgrade_from_0001_with_data_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    now = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
    try:
        migrate.downgrade(engine, "0001")
        assert not _tables(engine) & NEW_TABLES
        assert migrate.check_schema(engine).state == "too_old"
        with engine.begin() as conn:
            conn.execute(insert(reflected(conn, "units")), [{
                "id": 1, "name": "秘书股", "short_name": "", "kind": "section", "sort_order": 0, "active": True,
                "created_at": now, "updated_at": now, "version": 1,
            }])
            conn.execute(insert(reflected(conn, "users")), [{
                "id": 1, "username": "zhang", "full_name": "张文秘", "password_hash": "x", "unit_id": 1, "title": "",
                "is_principal": False, "rank_order": 100, "phone": "", "active": True, "failed_logins": 0,
                "locked_by_admin": False, "must_change_password": False, "created_at": now, "updated_at": now,
                "version": 1,
            }])
            conn.execute(insert(reflected(conn, "workflow_instances")), [{
                "id": 1, "flow_key": "outgoing_document", "flow_version": 1, "entity_type": "document",
                "entity_id": None, "title": "关于做好冬季森林防火工作的通知", "state": "review", "closed": False,
                "unit_id": 1, "owner_id": 1, "urgency": "", "entered_at": now, "due_date": date(2026, 12, 1),
                "due_provisional": False, "created_at": now, "updated_at": now, "version": 2,
            }])
            conn.execute(insert(reflected(conn, "workflow_history")), [
                {"instance_id": 1, "from_state": None, "to_state": "draft", "action": "start", "action_label": "创建",
                 "actor_id": 1, "actor_name": "张文秘", "opinion": "", "at": now},
                {"instance_id": 1, "from_state": "draft", "to_state": "review", "action": "submit",
                 "action_label": "送核稿", "actor_id": 1, "actor_name": "张文秘", "opinion": "请审核", "at": now},
            ])
        before = _old_rows(engine)

        migrate.upgrade(engine)
        assert NEW_TABLES - BECAME_WORK_ITEMS <= _tables(engine)
        assert not BECAME_WORK_ITEMS & _tables(engine)
        assert migrate.check_schema(engine).ok
        assert _old_rows(engine) == before
        row = {
            "direction": "out", "workflow_instance_id": 1, "title": "关于做好冬季森林防火工作的通知", "doc_type": "通知",
            "urgency": "", "secrecy": "", "disclosure": "主动公开", "disclosure_reason": "", "important": False,
            "doc_date": date(2026, 11, 27), "remark": "", "main_recipients": "", "copy_recipients": "",
            "drafting_unit_id": 1, "drafter_id": 1, "drafter_name": "张文秘", "prefix": "", "signer_name": "",
            "proofreader": "", "source_unit": "", "source_number": "", "needs_handling": False,
            "needs_circulation": False, "handling_provisional": False, "result": "", "created_at": now,
            "updated_at": now, "version": 1,
        }
        with engine.begin() as conn:
            conn.execute(insert(reflected(conn, "documents")), [row])
        # The schema itself refuses a classified mark, whatever writes to it.
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(insert(reflected(conn, "documents")), [{**row, "workflow_instance_id": None, "secrecy": "机密"}])
        with engine.begin() as conn:
            assert conn.execute(select(Document.title)).scalar_one() == "关于做好冬季森林防火工作的通知"
            conn.execute(text("DELETE FROM documents"))

        migrate.downgrade(engine, "0001")
        assert not _tables(engine) & NEW_TABLES
        assert _old_rows(engine) == before
    finally:
        migrate.upgrade(engine)
        engine.dispose()
