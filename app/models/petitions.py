"""信访: petitions (信访件) and their 复查 and 复核, a group visit's representatives, follow-up visits (回访), a unit's
objection to its assignment, and the problems the screening (排查) assigns to units.

Where a case stands in its flow, who answers for it (首问负责), its clocks (受理, 办理 with its extension), the
assigned unit's task with its handling report, and the links between a case, its repeats and its reviews
live in the workflow's tables, never here. A case's scanned letters and materials are attachments (entity
type 'petition').
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.tables import UTCDateTime
from app.models.base import Base, RecordMixin, utcnow


class Petition(RecordMixin, Base):
    __tablename__ = "petitions"
    __table_args__ = (
        UniqueConstraint("stage", "year", "seq"),
        # The ledger's order and period filter; the repeat check and a petitioner's history look cases up by ID
        # number, and by phone (and name); the screening counts by category and by place over a period.
        Index("ix_petitions_received", "received_on", "id"),
        Index("ix_petitions_id_number", "id_number"),
        Index("ix_petitions_phone", "phone", "name"),
        Index("ix_petitions_category", "category", "received_on"),
        Index("ix_petitions_place", "place", "received_on"),
    )

    # initial (信访件), review (复查) or re_review (复核): app.core.petitions.terms.
    stage: Mapped[str] = mapped_column(String(10), nullable=False, default="initial")
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # A 复查's case, a 复核's 复查.
    reviews_id: Mapped[int | None] = mapped_column(
        ForeignKey("petitions.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    channel: Mapped[str] = mapped_column(String(10), nullable=False)
    channel_detail: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    # The leader who received the petitioner at a 领导大接访.
    reception_leader: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    id_number: Mapped[str] = mapped_column(String(18), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    people_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    request: Mapped[str] = mapped_column(Text, nullable=False)
    facts: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category: Mapped[str] = mapped_column(String(30), nullable=False)
    place: Mapped[str] = mapped_column(String(50), nullable=False)
    # The unit a case is assigned to (交办, 谁主管、谁负责), and the authority a forwarded one went to (转送).
    handling_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    forwarded_to: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    # The 处理意见书: what was found, the decision (支持, 解释说明, 不予支持) and its basis; dated when signed.
    findings: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decision: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    decision_basis: Mapped[str] = mapped_column(Text, nullable=False, default="")
    replied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    concluded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    registered_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # Flagged at registration as repeating earlier cases (重复信访), which the record links name.
    is_repeat: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    representatives: Mapped[list[PetitionRepresentative]] = relationship(
        back_populates="petition", order_by="PetitionRepresentative.position", cascade="all, delete-orphan"
    )
    visits: Mapped[list[PetitionVisit]] = relationship(
        back_populates="petition", order_by="PetitionVisit.id", cascade="all, delete-orphan"
    )


class PetitionRepresentative(Base):
    """One of a group visit's representatives besides the petitioner registered on the case (at most 5 in all)."""

    __tablename__ = "petition_representatives"
    __table_args__ = (UniqueConstraint("petition_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    id_number: Mapped[str] = mapped_column(String(18), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(30), nullable=False, default="")

    petition: Mapped[Petition] = relationship(back_populates="representatives")


class PetitionVisit(Base):
    """A follow-up visit (回访) and what it found; 不满意 says what the case became (重新办理 or 提级办理) and why."""

    __tablename__ = "petition_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    visited_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    satisfaction: Mapped[str] = mapped_column(String(10), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # "", reopen or escalate (app.core.petitions.terms.UNSATISFIED_ACTIONS), with the reason.
    action: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    petition: Mapped[Petition] = relationship(back_populates="visits")


class PetitionObjection(Base):
    """An assigned unit's dispute of its assignment (5 working days), and the office's answer."""

    __tablename__ = "petition_objections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    objected_on: Mapped[date] = mapped_column(Date, nullable=False)
    by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # "" while undecided; upheld (the case goes to another unit) or rejected (the unit keeps it), with why.
    outcome: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # The day of the answer: an upheld objection's case goes to its new unit that day, and that unit's 5
    # working days to dispute it count from then.
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class PetitionProblem(RecordMixin, Base):
    """A problem the screening (排查) found, assigned to the unit that answers for it with a deadline."""

    __tablename__ = "petition_problems"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(30), nullable=False)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    place: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # The screening's period and how many cases it counted, as the problem was found.
    period_from: Mapped[date] = mapped_column(Date, nullable=False)
    period_to: Mapped[date] = mapped_column(Date, nullable=False)
    case_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False, index=True)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    solved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
