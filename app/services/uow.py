"""Unit of work: one transaction that rolls back unless commit() is called.

Audit entries and change-feed rows are queued while the work runs and written by commit(), last,
under the audit sequence lock. Taking that lock last keeps lock order the same in every transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import ConflictError, ValidationError


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
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self.pending: list[PendingAudit] = []
        # Lookups that do not change within one short unit of work (flow definitions, the calendar).
        self.cache: dict[object, Any] = {}

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._session_factory()
        self.pending = []
        self.cache = {}
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
            self.session.close()
            self._session = None

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

    def flush(self) -> None:
        with translate_db_errors():
            self.session.flush()

    def commit(self) -> None:
        from app.services.audit import write_pending

        with translate_db_errors():
            self.session.flush()
            write_pending(self.session, self.pending)
            self.session.commit()
        self.pending = []

    def rollback(self) -> None:
        self.pending = []
        if self._session is not None:
            self._session.rollback()


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
        if isinstance(exc, StaleDataError):
            raise ConflictError() from exc
        if isinstance(exc, IntegrityError):
            raise ValidationError("数据与已有记录冲突（可能重复），请检查后重试") from exc


UowFactory = Callable[[], UnitOfWork]
