"""Declarative base and the mixins of editable records (id, times, version); the column types are in
app.db.tables."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.db.tables import UTCDateTime, utcnow
from app.db.tables import metadata as shared_metadata


class Base(DeclarativeBase):
    # The start's tables (app.db.tables) are declared on this MetaData in Core; the other areas'
    # tables join them through their mapped classes.
    metadata = shared_metadata


class TableRecordMixin:
    """For a class mapped onto a Core table of app.db.tables that ends in record_columns(): the version
    checked on every UPDATE, and the record columns' types for type checkers (the table already has
    the columns)."""

    if TYPE_CHECKING:
        id: Mapped[int]
        created_at: Mapped[datetime]
        updated_at: Mapped[datetime]
        version: Mapped[int]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class RecordMixin(TableRecordMixin):
    """id, created/updated times, and an optimistic-lock version checked on every UPDATE, declared with
    the class's own table."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
