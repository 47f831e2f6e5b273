"""The audit log (hash-chained, append-only), the change feed and named sequences, mapped onto the
Core tables of app.db.tables (every commit writes them, before the ORM is loaded if need be)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from app.db import tables
from app.models.base import Base


class AuditEntry(Base):
    __table__ = tables.audit_log

    seq: Mapped[int]
    at: Mapped[datetime]
    user_id: Mapped[int | None]
    username: Mapped[str]
    action: Mapped[str]
    entity_type: Mapped[str]
    entity_id: Mapped[int | None]
    detail: Mapped[str]
    prev_hash: Mapped[str]
    hash: Mapped[str]


class ChangeFeedEntry(Base):
    """What changed, for open clients to refresh. position follows commit order (see app.services.kernel.changes)."""

    __table__ = tables.change_feed

    id: Mapped[int]
    position: Mapped[int]
    entity_type: Mapped[str]
    entity_id: Mapped[int | None]
    op: Mapped[str]
    at: Mapped[datetime]


class Sequence(Base):
    __table__ = tables.sequences

    id: Mapped[int]
    key: Mapped[str]
    year: Mapped[int]
    last_value: Mapped[int]
