"""Unit of work: one transaction that rolls back unless commit() is called.

Audit entries and change-feed rows are queued while the work runs and written by commit(), last,
under the audit sequence lock. Taking that lock last keeps lock order the same in every transaction.

The transaction is on one Core connection, opened at first use. The ORM session (`uow.session`) is
made the first time a service asks for it and joins that same transaction, so work written on plain
tables (`uow.execute`) and work on mapped objects commit or roll back together.
What runs before the first window (the login, the audit chain, the 工作台's to-dos) never asks for
the session, and the start then needs no ORM at all (see app.db.tables).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from sqlalchemy.exc import IntegrityError

from app.core.errors import ConflictError, NotFound, ValidationError, WorkCancelled

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Executable, Result
    from sqlalchemy.orm import Session

    from app.services.kernel.actor import Actor


T = TypeVar("T")

# Set by whoever runs a unit of work for a user who may stop waiting (app.ui.widgets.db_call): once the
# user has been told "cancelled, nothing saved", a commit that comes later must not save after all.
work_cancelled: ContextVar[threading.Event | None] = ContextVar("work_cancelled", default=None)


@dataclass
class PendingAudit:
    """An audit entry recorded in a unit of work, written to the chain at commit."""

    user_id: int | None
    username: str
    action: str
    entity_type: str
    entity_id: int | None
    detail: dict[str, Any] = field(default_factory=dict)
    # Feed op for open clients; None for audit-only events such as a login or a view.
    change_op: str | None = None


class UnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._open = False
        self._connection: Connection | None = None
        self._session: Session | None = None
        self.pending: list[PendingAudit] = []
        # Lookups that do not change within one short unit of work (flow definitions, the calendar).
        self.cache: dict[object, Any] = {}
        # The user this unit of work acts for, once app.services.kernel.access has found them still current;
        # the commit checks them once more.
        self.acting: Actor | None = None
        # Inside as_one(): how deep; the services called there flush where they would commit.
        self._held = 0

    @property
    def _work_connection(self) -> Connection:
        """The unit's connection, its transaction begun by the first statement."""
        if not self._open:
            raise RuntimeError("UnitOfWork used outside its with-block")
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection

    @property
    def session(self) -> Session:
        """The ORM session, in the unit's transaction: it commits and rolls back with it."""
        if self._session is None:
            # control_fully: the session's commit and rollback are the transaction's, whichever of
            # the two began it. expire_on_commit=False: services hand back detached objects that the
            # UI can still read.
            self._session = _session_class()(
                bind=self._work_connection, expire_on_commit=False, join_transaction_mode="control_fully"
            )
        return self._session

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def dialect_name(self) -> str:
        return self._engine.dialect.name

    def execute(self, statement: Executable, params: Any = None) -> Result[Unpack[tuple[Any, ...]]]:
        """Runs a statement written on plain tables. Once the session exists it runs there, so that
        objects the work has changed but not yet flushed are written first and the query sees them."""
        if self._session is not None:
            return self._session.execute(statement, params)
        return self._work_connection.execute(statement, params)

    def insert_plain(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """Many rows of plain values into a table, straight through the driver: for the 综合查询 index's postings,
        where SQLAlchemy's handling of each row's parameters cost more than the database's insert."""
        if not rows:
            return
        connection = self._session.connection() if self._session is not None else self._work_connection
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        preparer = connection.dialect.identifier_preparer
        names = ", ".join(preparer.quote(column) for column in columns)
        marks = ", ".join([mark] * len(columns))
        connection.exec_driver_sql(f"INSERT INTO {preparer.quote(table)} ({names}) VALUES ({marks})", list(rows))

    def __enter__(self) -> UnitOfWork:
        self._open = True
        self.pending = []
        self.cache = {}
        self.acting = None
        self._held = 0
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            try:
                if self._session is not None:
                    self._session.close()
            finally:
                if self._connection is not None:
                    self._connection.close()
                self._session = None
                self._connection = None
                self._open = False

    def record(
        self,
        actor_id: int | None,
        username: str,
        action: str,
        entity_type: str = "",
        entity_id: int | None = None,
        detail: dict[str, Any] | None = None,
        change_op: str | None = None,
    ) -> None:
        self.pending.append(
            PendingAudit(actor_id, username, action, entity_type, entity_id, detail or {}, change_op)
        )

    def found(self, model: type[T], key: int, missing: str) -> T:
        """The mapped row with this id, or NotFound saying ``missing`` (找不到该单位，可能已被删除)."""
        row = self.session.get(model, key)
        if row is None:
            raise NotFound(missing)
        return row

    def flush(self) -> None:
        if self._session is not None:
            with translate_db_errors():
                self._session.flush()

    @contextmanager
    def as_one(self) -> Iterator[None]:
        """Several services as one act (交办: the move, the units' tasks and the rhythm of reports): each one's
        commit inside the block only flushes, and the caller's commit after the block commits all of it, or
        the unit of work rolls all of it back."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    def commit(self) -> None:
        from app.services.kernel.audit_chain import write_pending

        if self._held:
            self.flush()
            return

        cancelled = work_cancelled.get()
        if cancelled is not None and cancelled.is_set():
            raise WorkCancelled()
        with translate_db_errors():
            if self._session is not None:
                self._session.flush()
            if self.pending:
                # The 综合查询 index in the same transaction: found the moment it commits, and not before.
                from app.services.search.upkeep import keep_index

                keep_index(self, self.pending)
            write_pending(self, self.pending)
            if self._session is not None:
                self._session.commit()
            elif self._connection is not None:
                self._connection.commit()
        changed_users = [item.entity_id for item in self.pending if item.entity_type == "user"]
        self.pending = []
        if changed_users:
            from app.services.kernel.access import forget

            for user_id in changed_users:
                forget(self._engine, user_id)

    def rollback(self) -> None:
        self.pending = []
        if self._session is not None:
            self._session.rollback()
        elif self._connection is not None:
            self._connection.rollback()


class translate_db_errors:  # noqa: N801 - used as a context manager, reads like a statement
    """Turns the database's complaints into errors a user can act on."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            return
        # A StaleDataError comes from the ORM's version check, so only once the ORM is loaded. The
        # ORM may be loading on another thread meanwhile (the login dialog preloads it), its module
        # still without the class: nothing can have raised one yet.
        stale_data_error = getattr(sys.modules.get("sqlalchemy.orm.exc"), "StaleDataError", None)
        if stale_data_error is not None and isinstance(exc, stale_data_error):
            raise ConflictError() from exc
        if isinstance(exc, IntegrityError):
            raise ValidationError("数据与已有记录冲突（可能重复），请检查后重试") from exc


_translating_session: type[Session] | None = None


def _session_class() -> type[Session]:
    """A Session whose every flush says what went wrong in the user's terms: the flush a query makes first
    (autoflush) runs outside any service's error handling, and its StaleDataError, when someone else
    changed the record meanwhile, would otherwise reach the user raw. Made at first use: the start
    imports no ORM."""
    global _translating_session
    if _translating_session is None:
        from sqlalchemy.orm import Session

        class TranslatingSession(Session):
            def flush(self, objects: Any = None) -> None:
                with translate_db_errors():
                    super().flush(objects)

        _translating_session = TranslatingSession
    return _translating_session


UowFactory = Callable[[], UnitOfWork]
