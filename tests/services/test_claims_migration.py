"""Revision 0003 (报账) upgrades a 0002 database that holds data, works with the claim services, and
downgrades back, on every database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Table, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError

from app.bootstrap import bootstrap
from app.core.claims import LineInput
from app.core.roles import Role
from app.core.workflow import flow_to_dict
from app.core.workflow.approval_chain import DEFAULT_CHAIN, compile_chain
from app.db import migrate
from app.db.engine import make_engine
from app.models import ClaimLineItem
from app.services.claims import budgets
from app.services.claims import flow as claim_flow
from app.services.claims import lists as claim_lists
from app.services.claims import records as claims
from app.services.claims import reports as claim_reports
from app.services.kernel.actor import Actor
from tests.helpers.databases import reflected

NEW_TABLES = {"claims", "claim_lines", "budgets"}
OLD_TABLES = ("units", "users", "user_roles", "workflow_instances", "workflow_history", "flow_definitions")
NOW = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
TODAY = date(2026, 11, 27)

CLAIMANT = Actor(1, "zhang", "张报销", frozenset(), unit_id=1)
HEAD = Actor(2, "li", "李股长", frozenset(), unit_id=1)
FINANCE = Actor(3, "wang", "王会计", frozenset({Role.FINANCE.value}), unit_id=2)


def table(conn: Connection, name: str) -> Table:
    """The table as the database holds it at this revision (app.models describes the newest)."""
    return reflected(conn, name)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _old_columns(engine: Engine) -> dict[str, list[str]]:
    """The columns each table 0002 had, as the database holds them at 0002."""
    with engine.connect() as conn:
        return {name: [c.name for c in table(conn, name).columns] for name in OLD_TABLES}


def _old_rows(engine: Engine, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables 0002 already had, in its 0002 columns (later revisions add columns)."""
    with engine.connect() as conn:
        found = {}
        for name in OLD_TABLES:
            held = table(conn, name)
            picked = [held.c[column] for column in columns[name]]
            found[name] = [tuple(row) for row in conn.execute(select(*picked).order_by(*held.primary_key))]
        return found


def _user(user_id: int, username: str, full_name: str, unit_id: int) -> dict[str, Any]:
    return {
        "id": user_id, "username": username, "full_name": full_name, "password_hash": "x", "unit_id": unit_id,
        "title": "", "is_principal": False, "rank_order": 100, "phone": "", "active": True, "failed_logins": 0,
        "locked_by_admin": False, "must_change_password": False, "created_at": NOW, "updated_at": NOW, "version": 1,
    }


def _fill_0002(engine: Engine) -> None:
    """What a 0002 office database held: people, units, and a demo claim that was only a workflow instance,
    plus a 报账 flow an administrator saved before the approval-list editor existed (no "chain")."""
    unit = {"short_name": "", "kind": "section", "active": True, "created_at": NOW, "updated_at": NOW, "version": 1}
    old_flow = flow_to_dict(compile_chain(DEFAULT_CHAIN, version=2))
    with engine.begin() as conn:
        conn.execute(insert(table(conn, "units")), [
            {**unit, "id": 1, "name": "综合股", "sort_order": 0}, {**unit, "id": 2, "name": "办公室", "sort_order": 1},
        ])
        conn.execute(insert(table(conn, "users")), [
            _user(1, "zhang", "张报销", 1), _user(2, "li", "李股长", 1), _user(3, "wang", "王会计", 2),
        ])
        units = table(conn, "units")
        conn.execute(update(units).where(units.c.id == 1).values(head_user_id=2))
        conn.execute(insert(table(conn, "user_roles")), [{"user_id": 3, "role_code": Role.FINANCE.value}])
        # No explicit id: the services add instances later, and PostgreSQL's sequence must know of this one.
        key = conn.execute(insert(table(conn, "workflow_instances")).values({
            "flow_key": "reimbursement", "flow_version": 1, "entity_type": "claim", "entity_id": None,
            "title": "张报销 差旅费 1,200.00元", "state": "finance_review", "closed": False, "unit_id": 1,
            "owner_id": 1, "urgency": "", "entered_at": NOW, "due_date": date(2026, 12, 2),
            "due_provisional": False, "created_at": NOW, "updated_at": NOW, "version": 3,
        })).inserted_primary_key
        assert key is not None
        instance = key[0]
        conn.execute(insert(table(conn, "workflow_history")), [
            {"instance_id": instance, "from_state": None, "to_state": "fill", "action": "start", "action_label": "创建",
             "actor_id": 1, "actor_name": "张报销", "opinion": "", "at": NOW},
            {"instance_id": instance, "from_state": "fill", "to_state": "dept_review", "action": "submit",
             "action_label": "提交", "actor_id": 1, "actor_name": "张报销", "opinion": "", "at": NOW},
            {"instance_id": instance, "from_state": "dept_review", "to_state": "finance_review", "action": "approve",
             "action_label": "审核同意", "actor_id": 2, "actor_name": "李股长", "opinion": "同意。", "at": NOW},
        ])
        conn.execute(insert(table(conn, "flow_definitions")), [{
            "flow_key": "reimbursement", "flow_version": 2, "created_at": NOW, "created_by": None,
            "definition": json.dumps(old_flow, ensure_ascii=False),
        }])


def _use_the_claim_services(url: str) -> int:
    """The upgraded database works with the services; returns the new claim's id."""
    ctx = bootstrap(url)
    try:
        with ctx.uow() as uow:
            # The old saved flow has no approval list: the editor starts from the default, at its version.
            assert claim_flow.chain_for(uow) == (DEFAULT_CHAIN, 2)
            # The old demo claim has no claim row, so the lists do not show it.
            assert claim_lists.list_claims(uow, FINANCE, box="all", today=TODAY).total == 0
            budgets.set_budget(uow, FINANCE, year=2026, unit_id=1, category="差旅费", amount="1000")
        with ctx.uow() as uow:
            info = claims.create_claim(uow, CLAIMANT, claims.ClaimInput(
                1, TODAY, [LineInput("赴市参加培训住宿费", "差旅费", "1234.56")], 2, "500"), submit=True, today=TODAY)
        assert (info.number, info.state, info.flow_version) == ("BX2026-00001", "dept_review", 2)
        assert (info.total, info.top_up, info.over_budget) == (Decimal("1234.56"), Decimal("734.56"), True)
        with ctx.uow() as uow:
            assert claims.decide(uow, HEAD, info.id, "approve", "同意。", today=TODAY).state == "finance_review"
        with ctx.uow() as uow:
            rows = claim_lists.list_claims(uow, FINANCE, box="all", today=TODAY).rows
            (by_unit,) = claim_reports.totals_by_unit(uow, FINANCE, date(2026, 1, 1), TODAY)
        assert [(r.id, r.state) for r in rows] == [(info.id, "finance_review")]
        assert (by_unit.unit_name, by_unit.total, by_unit.open_total) == ("综合股", Decimal("1234.56"),
                                                                          Decimal("1234.56"))
        return info.id
    finally:
        ctx.dispose()


def test_upgrade_from_0002_with_data_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.downgrade(engine, "0002")
        assert not _tables(engine) & NEW_TABLES
        assert migrate.check_schema(engine).state == "too_old"
        _fill_0002(engine)
        old_columns = _old_columns(engine)
        before = _old_rows(engine, old_columns)

        migrate.upgrade(engine)
        assert NEW_TABLES <= _tables(engine)
        assert migrate.check_schema(engine).ok
        assert _old_rows(engine, old_columns) == before

        claim_id = _use_the_claim_services(db_url)
        with engine.connect() as conn:
            # Money keeps its 分 exactly on every database.
            assert conn.execute(select(ClaimLineItem.amount)).scalar_one() == Decimal("1234.56")
            row = conn.execute(select(claims_table := table(conn, "claims")).where(claims_table.c.id == claim_id)).mappings().one()
        # A claim number is given once a year: the schema itself refuses a second BX2026-00001.
        copy = {k: v for k, v in row.items() if k not in ("id", "instance_id")}
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(insert(table(conn, "claims")), [copy])
        # Nor can a claim name a department that does not exist.
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(insert(table(conn, "claims")), [{**copy, "seq": 2, "number": "BX2026-00002", "unit_id": 99}])

        after_use = _old_rows(engine, old_columns)
        assert len(after_use["workflow_instances"]) == 2
        migrate.downgrade(engine, "0002")
        assert not _tables(engine) & NEW_TABLES
        assert migrate.check_schema(engine).state == "too_old"
        # Going back drops only what 0003 added: the people, units and every flow's history stay.
        assert _old_rows(engine, old_columns) == after_use
    finally:
        migrate.upgrade(engine)
        engine.dispose()
