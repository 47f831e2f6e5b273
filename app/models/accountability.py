"""责任追究: a record against a person and a unit, left by an overdue item, a returned document or a recorded
error (DOMAIN.md, shared rules). Every area's notice reads them; each area writes its own kinds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class AccountabilityRecord(Base):
    __tablename__ = "accountability_records"
    __table_args__ = (
        # One record per record, kind and missed date: a reopened item overdue again leaves a second one.
        UniqueConstraint("kind", "entity_type", "entity_id", "occurred_on"),
        Index("ix_accountability_occurred", "occurred_on", "unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    unit_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
