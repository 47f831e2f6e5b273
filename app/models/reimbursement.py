"""Reimbursement (报账): claims (报销单), their line items, and departments' budgets.

Where a claim stands in its flow lives in its workflow instance (instance_id), never here. The
scanned receipts are attachments (entity_type 'claim').
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, RecordMixin, UTCDateTime

Money = Numeric(14, 2)


class Claim(RecordMixin, Base):
    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        # The list's default order and its date filter; by department and period for the reports.
        Index("ix_claims_date", "claim_date", "id"),
        Index("ix_claims_unit_date", "unit_id", "claim_date"),
        Index("ix_claims_claimant_date", "claimant_id", "claim_date"),
        # The drafts never submitted (a few): whom a claim is hidden from is asked as "not one of these".
        Index("ix_claims_submitted", "submitted", "id"),
    )

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="SET NULL"), nullable=True, index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimant_name: Mapped[str] = mapped_column(String(50), nullable=False)
    claim_date: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    receipts_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total: Mapped[Decimal] = mapped_column(Money, nullable=False)
    advance: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0.00"))
    # Decided when the claim is submitted, from the budgets then: it routes the claim to the 主要领导.
    over_budget: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Set once the claim has left 经办人填报 for the first time; a budget counts submitted claims only.
    submitted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    withdrawn: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    paid_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    payment_method: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    paid_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    voucher_number: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    booked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    booked_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")

    lines: Mapped[list[ClaimLineItem]] = relationship(
        back_populates="claim", order_by="ClaimLineItem.position", cascade="all, delete-orphan"
    )


class ClaimLineItem(Base):
    __tablename__ = "claim_lines"
    __table_args__ = (Index("ix_claim_lines_category", "category", "claim_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    summary: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)

    claim: Mapped[Claim] = relationship(back_populates="lines")


class Budget(RecordMixin, Base):
    """What a department may spend on one category in one year."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("year", "unit_id", "category"),)

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), nullable=False)
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
