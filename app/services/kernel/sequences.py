"""Gap-free named sequences (document numbers, receipt numbers, the audit chain).

The number is taken inside the caller's transaction: a rollback gives it back, so no gaps; the
row lock held until commit means no duplicates, however many LAN clients ask at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.sql.dml import Insert

from app.core.errors import ValidationError
from app.db import tables

if TYPE_CHECKING:
    from app.services.kernel.uow import UnitOfWork

# Plain SQL on the table: every commit draws the audit chain's number here, the login's first of all,
# before the ORM is loaded.
_SEQ = tables.sequences


def next_number(uow: UnitOfWork, key: str, year: int, count: int = 1) -> int:
    """The next number, or with count > 1 the last of that many consecutive numbers reserved at once."""
    if not key or len(key) > 60:
        raise ValidationError("编号序列的名称不能为空，且不超过60个字符")
    if count < 1:
        raise ValueError("count must be at least 1")
    if _increment(uow, key, year, count) == 0:
        _ensure_row(uow, key, year)
        _increment(uow, key, year, count)
    value = uow.execute(
        select(_SEQ.c.last_value).where(_SEQ.c.key == key, _SEQ.c.year == year)
    ).scalar_one()
    return int(value)


def current_number(uow: UnitOfWork, key: str, year: int) -> int:
    value = uow.execute(
        select(_SEQ.c.last_value).where(_SEQ.c.key == key, _SEQ.c.year == year)
    ).scalar_one_or_none()
    return int(value or 0)


def _increment(uow: UnitOfWork, key: str, year: int, count: int) -> int:
    result = uow.execute(
        update(_SEQ)
        .where(_SEQ.c.key == key, _SEQ.c.year == year)
        .values(last_value=_SEQ.c.last_value + count)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _ensure_row(uow: UnitOfWork, key: str, year: int) -> None:
    """Creates the row at 0. On a server this commits on its own connection at once, so that two
    clients racing for a new year's first number queue on the row lock instead of deadlocking."""
    backend = uow.dialect_name
    values = {"key": key, "year": year, "last_value": 0}
    # The dialects' insert constructs are imported here: loading them costs start-up time (the login's
    # audit entry draws a number) and each client uses only its own.
    if backend == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        # SQLite has one writer at a time, and this unit of work may already be it.
        uow.execute(sqlite_insert(_SEQ).values(**values).on_conflict_do_nothing())
        return
    statement: Insert
    if backend == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(_SEQ).values(**values).on_conflict_do_nothing()
    else:
        statement = insert(_SEQ).values(**values).prefix_with("IGNORE")
    with uow.engine.begin() as conn:
        conn.execute(statement)


def raise_to(uow: UnitOfWork, key: str, year: int, value: int) -> None:
    """Makes the sequence's last number at least ``value`` (an imported ledger's 第8期 is taken: the next new
    one is 第9期). Never lowers it."""
    if current_number(uow, key, year) >= value:
        return
    _ensure_row(uow, key, year)
    uow.execute(
        update(_SEQ).where(_SEQ.c.key == key, _SEQ.c.year == year, _SEQ.c.last_value < value)
        .values(last_value=value)
    )
