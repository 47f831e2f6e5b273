"""督查督办: supervision items (督办事项) with their co-units, and 综合督查 campaigns with their findings.

Where an item stands in its flow, who answers for it (一事一人), its progress reports and its units' tasks
live in the workflow's tables (the instance, its duties and its parallel work items), never here. Its
evidence of completion and the reports' files are attachments (entity_type 'supervision_item').
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, RecordMixin


class SupervisionItem(RecordMixin, Base):
    __tablename__ = "supervision_items"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        # The ledger's order and its filters; the notice reads items by deadline and by 销号 date, and its sweep
        # finds the open ones (no 销号 date) past their deadline in one range (bench/supervision.py).
        Index("ix_supervision_items_deadline", "deadline", "id"),
        Index("ix_supervision_items_unit", "lead_unit_id", "deadline"),
        Index("ix_supervision_items_closed", "closed_on", "deadline"),
    )

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="SET NULL"), nullable=True, index=True
    )
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    requirement: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    priority: Mapped[str] = mapped_column(String(10), nullable=False)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    # The local date of its 销号, kept with the item so the notice and the ledger need no history.
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")

    co_units: Mapped[list[SupervisionCoUnit]] = relationship(
        back_populates="item", order_by="SupervisionCoUnit.position", cascade="all, delete-orphan"
    )


class SupervisionCoUnit(Base):
    """A 协办单位 of an item, in the order the item names them."""

    __tablename__ = "supervision_co_units"
    __table_args__ = (UniqueConstraint("item_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id", ondelete="CASCADE"), nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)

    item: Mapped[SupervisionItem] = relationship(back_populates="co_units")


class SupervisionCampaign(RecordMixin, Base):
    """A 综合督查 campaign: what was inspected, when, and what it found."""

    __tablename__ = "supervision_campaigns"

    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    scope: Mapped[str] = mapped_column(Text, nullable=False, default="")
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")

    findings: Mapped[list[SupervisionFinding]] = relationship(
        back_populates="campaign", order_by="SupervisionFinding.position", cascade="all, delete-orphan"
    )


class SupervisionFinding(Base):
    """One problem a campaign found, against a unit; once it becomes an item, the item it became."""

    __tablename__ = "supervision_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_campaigns.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), nullable=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_items.id", ondelete="SET NULL"), nullable=True, index=True
    )

    campaign: Mapped[SupervisionCampaign] = relationship(back_populates="findings")
