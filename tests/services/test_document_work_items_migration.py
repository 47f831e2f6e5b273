"""Revision 0010 copies the 公文's 会签, 分发 and 传阅 rows into the engine's work items, and its downgrade makes
them again, on every database; the services read the copied items as they read the old rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, insert, inspect, select

from app.core.roles import Role
from app.db import migrate
from app.db.engine import make_engine
from app.db.tables import workflow_work_items
from app.services.documents import records
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from tests.helpers.databases import reflected

OLD_TABLES = {"document_cosigners", "document_distributions", "document_circulations"}
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
RECORD = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _fill_0009(engine: Engine) -> None:
    """Two documents at 0009: an outgoing one at 会签 with three units (agreed, disagreed by proxy, silent) and
    distributed to two (one signed for); an incoming one sent to three readers (read, recalled, holding)."""
    with engine.begin() as conn:
        conn.execute(insert(reflected(conn, "units")), [
            {"id": uid, "name": name, "short_name": "", "kind": "department", "sort_order": uid, "active": True,
             **RECORD}
            for uid, name in ((1, "秘书股"), (2, "县财政局"), (3, "县教育局"), (4, "县公安局"))
        ])
        conn.execute(insert(reflected(conn, "users")), [
            {"id": uid, "username": login, "full_name": name, "password_hash": "x", "unit_id": 1, "title": "",
             "is_principal": False, "rank_order": 100, "phone": "", "active": True, "failed_logins": 0,
             "locked_by_admin": False, "must_change_password": False, **RECORD}
            for uid, login, name in ((1, "zhang", "张文秘"), (2, "li", "李县长"), (3, "wang", "王副县长"),
                                     (4, "zhao", "赵主任"))
        ])
        conn.execute(insert(reflected(conn, "user_roles")), [{"user_id": 1, "role_code": "secretary"}])
        conn.execute(insert(reflected(conn, "workflow_instances")), [
            {"id": iid, "flow_key": flow, "flow_version": version, "entity_type": "document", "entity_id": iid,
             "title": title, "state": state, "closed": False, "unit_id": 1, "owner_id": 1, "urgency": "",
             "entered_at": NOW, "due_date": date(2026, 12, 3), "due_provisional": False, **RECORD}
            for iid, flow, version, title, state in (
                (1, "outgoing_document", 2, "关于联合开展森林防火检查的通知", "cosign"),
                (2, "incoming_document", 1, "江州市关于加强安全生产工作的通报", "circulate"),
            )
        ])
        common = {
            "doc_type": "通知", "urgency": "", "secrecy": "", "disclosure": "主动公开", "disclosure_reason": "",
            "important": False, "doc_date": date(2026, 12, 1), "remark": "", "main_recipients": "",
            "copy_recipients": "", "drafting_unit_id": 1, "drafter_id": 1, "drafter_name": "张文秘", "prefix": "",
            "signer_name": "", "proofreader": "", "source_unit": "", "source_number": "", "needs_handling": False,
            "needs_circulation": True, "handling_provisional": False, "result": "", **RECORD,
        }
        conn.execute(insert(reflected(conn, "documents")), [
            {**common, "id": 1, "direction": "out", "workflow_instance_id": 1, "title": "关于联合开展森林防火检查的通知"},
            {**common, "id": 2, "direction": "in", "workflow_instance_id": 2, "title": "江州市关于加强安全生产工作的通报"},
        ])
        conn.execute(insert(reflected(conn, "document_cosigners")), [
            {"id": 1, "document_id": 1, "unit_id": 2, "agreed": True, "opinion": "同意", "by_id": 1,
             "by_name": "张文秘", "at": LATER, "given_by": "", "basis": "", **RECORD},
            {"id": 2, "document_id": 1, "unit_id": 3, "agreed": False, "opinion": "经费来源需另行研究", "by_id": 1,
             "by_name": "张文秘", "at": LATER, "given_by": "钱局长", "basis": "电话", **RECORD},
            {"id": 3, "document_id": 1, "unit_id": 4, "agreed": None, "opinion": "", "by_id": None, "by_name": "",
             "at": None, "given_by": "", "basis": "", **RECORD},
        ])
        conn.execute(insert(reflected(conn, "document_distributions")), [
            {"id": 1, "document_id": 1, "unit_id": 2, "copies": 3, "sent_at": NOW, "sent_by_name": "张文秘",
             "received_by_id": None, "received_by_name": "孙科员", "received_at": LATER, **RECORD},
            {"id": 2, "document_id": 1, "unit_id": 3, "copies": 2, "sent_at": NOW, "sent_by_name": "张文秘",
             "received_by_id": None, "received_by_name": "", "received_at": None, **RECORD},
        ])
        conn.execute(insert(reflected(conn, "document_circulations")), [
            {"id": 1, "document_id": 2, "reader_id": 2, "reader_name": "李县长", "sent_by_name": "张文秘",
             "sent_at": NOW, "read_at": LATER, "remark": "已阅，请抓落实", "recalled": False, "recalled_at": None,
             "recalled_by_name": "", **RECORD},
            {"id": 2, "document_id": 2, "reader_id": 3, "reader_name": "王副县长", "sent_by_name": "张文秘",
             "sent_at": NOW, "read_at": None, "remark": "", "recalled": True, "recalled_at": LATER,
             "recalled_by_name": "赵主任", **RECORD},
            {"id": 3, "document_id": 2, "reader_id": 4, "reader_name": "赵主任", "sent_by_name": "张文秘",
             "sent_at": NOW, "read_at": None, "remark": "", "recalled": False, "recalled_at": None,
             "recalled_by_name": "", **RECORD},
        ])


# What the old tables said, as the downgrade must give it back (ids aside: the items are numbered anew).
COSIGNERS = [
    (1, 2, True, "同意", 1, "张文秘", LATER, "", ""),
    (1, 3, False, "经费来源需另行研究", 1, "张文秘", LATER, "钱局长", "电话"),
    (1, 4, None, "", None, "", None, "", ""),
]
DISTRIBUTIONS = [
    (1, 2, 3, NOW, "张文秘", None, "孙科员", LATER),
    (1, 3, 2, NOW, "张文秘", None, "", None),
]
CIRCULATIONS = [
    (2, 2, "李县长", "张文秘", NOW, LATER, "已阅，请抓落实", False, None, ""),
    (2, 3, "王副县长", "张文秘", NOW, None, "", True, LATER, "赵主任"),
    (2, 4, "赵主任", "张文秘", NOW, None, "", False, None, ""),
]
_COLUMNS = {
    "document_cosigners": ("document_id", "unit_id", "agreed", "opinion", "by_id", "by_name", "at", "given_by",
                           "basis"),
    "document_distributions": ("document_id", "unit_id", "copies", "sent_at", "sent_by_name", "received_by_id",
                               "received_by_name", "received_at"),
    "document_circulations": ("document_id", "reader_id", "reader_name", "sent_by_name", "sent_at", "read_at",
                              "remark", "recalled", "recalled_at", "recalled_by_name"),
}


def _as_utc(value: Any) -> Any:
    """A time as the database gave it (naive UTC where reflected), as an aware UTC time."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return value


def _old_rows(engine: Engine, name: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        table = reflected(conn, name)
        rows = conn.execute(select(*(table.c[c] for c in _COLUMNS[name])).order_by(table.c.id)).all()
    # Flags come back as 0/1 from MariaDB: compare them as flags.
    flags = {"agreed", "recalled"}
    return [
        tuple(
            (None if v is None else bool(v)) if c in flags else _as_utc(v)
            for c, v in zip(_COLUMNS[name], row, strict=True)
        )
        for row in rows
    ]


def test_0010_moves_the_side_tables_onto_work_items_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.downgrade(engine, "0009")
        assert OLD_TABLES <= _tables(engine)
        _fill_0009(engine)

        migrate.upgrade(engine)
        assert not OLD_TABLES & _tables(engine)
        assert migrate.check_schema(engine).ok
        items = workflow_work_items.c
        with engine.connect() as conn:
            rows = conn.execute(
                select(items.instance_id, items.step_key, items.kind, items.unit_id, items.user_id, items.state,
                       items.feedback, items.done_by_name, items.copies, items.given_by, items.basis)
                .order_by(items.id)
            ).all()
        assert [tuple(r) for r in rows] == [
            (1, "cosign", "cosign", 2, None, "done", "同意", "张文秘", None, "", ""),
            (1, "cosign", "cosign", 3, None, "reported", "经费来源需另行研究", "", None, "钱局长", "电话"),
            (1, "cosign", "cosign", 4, None, "sent", "", "", None, "", ""),
            (1, "distribute", "receipt", 2, None, "done", "", "孙科员", 3, "", ""),
            (1, "distribute", "receipt", 3, None, "sent", "", "", 2, "", ""),
            (2, "circulate", "read", None, 2, "done", "已阅，请抓落实", "李县长", None, "", ""),
            (2, "circulate", "read", None, 3, "recalled", "", "赵主任", None, "", ""),
            (2, "circulate", "read", None, 4, "sent", "", "", None, "", ""),
        ]
        # The services read the copied items as the old rows read.
        office = Actor(id=1, username="zhang", full_name="张文秘", unit_id=1, roles=frozenset({Role.SECRETARY}))
        with UnitOfWork(engine) as uow:
            out = records.get_document(uow, office, 1)
            incoming = records.get_document(uow, office, 2)
        assert [(c.unit_name, c.agreed, c.opinion, c.by_name, c.given_by, c.basis) for c in out.cosigners] == [
            ("县财政局", True, "同意", "张文秘", "", ""),
            ("县教育局", False, "经费来源需另行研究", "张文秘", "钱局长", "电话"),
            ("县公安局", None, "", "", "", ""),
        ]
        assert [(d.unit_name, d.copies, d.received_by_name, d.received) for d in out.distributions] == [
            ("县财政局", 3, "孙科员", True), ("县教育局", 2, "", False),
        ]
        assert [(c.reader_name, c.status, c.remark) for c in incoming.circulations] == [
            ("李县长", "已阅", "已阅，请抓落实"), ("王副县长", "已收回", ""), ("赵主任", "未阅", ""),
        ]
        assert incoming.holders == ["赵主任"]
        # The units still to agree, whose opinion the office may record for them.
        assert out.proxy_cosign_unit_ids == (3, 4)

        migrate.downgrade(engine, "0009")
        assert OLD_TABLES <= _tables(engine)
        assert _old_rows(engine, "document_cosigners") == COSIGNERS
        assert _old_rows(engine, "document_distributions") == DISTRIBUTIONS
        assert _old_rows(engine, "document_circulations") == CIRCULATIONS
        with engine.connect() as conn:
            assert conn.execute(select(reflected(conn, "workflow_work_items").c.id)).all() == []
    finally:
        migrate.upgrade(engine)
        engine.dispose()
