"""会议: rooms and their bookings, meetings with their attendees, agenda topics (议题), plan tasks (会议方案),
and decisions (议定事项).

Where a meeting stands in its flow and who answers for it live in the workflow's tables. A plan task's
place on its owner's 工作台 is the engine's parallel work item (kind "checklist") that the task row names; a
decision's supervision item is the record link (kind decision_item) whose source_part is the decision's id.
Topic materials are attachments of entity type "meeting_topic"; the meeting's own files of "meeting".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.tables import UTCDateTime
from app.models.base import Base, RecordMixin


class MeetingRoom(RecordMixin, Base):
    __tablename__ = "meeting_rooms"

    name: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    location: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped by every booking of the room before it looks for clashes: the UPDATE takes the row's lock (the
    # database's write lock on SQLite), so two clients booking the room at once queue, and the second sees
    # the first's booking.
    booking_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Meeting(RecordMixin, Base):
    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        Index("ix_meetings_starts", "starts_at", "id"),
        # A unit's meetings (the rule of what its 联络员 sees: app.services.meetings.records.own_meetings).
        Index("ix_meetings_organizer", "organizer_unit_id", "id"),
    )

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="SET NULL"), nullable=True, index=True
    )
    meeting_type: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_rooms.id", ondelete="RESTRICT"), nullable=True)
    # Where it is held when not in one of the office's rooms (a township's hall, a site).
    place: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    host_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    organizer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    # What the notice asks of attendees (材料, 着装, 报名), as typed.
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Seats per row of the hall for the 座次图; the 主席台 takes the leaders marked for it.
    hall_per_row: Mapped[int] = mapped_column(Integer, nullable=False, default=10)
    cancelled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")

    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", order_by="MeetingAttendee.position", cascade="all, delete-orphan"
    )


class MeetingBooking(Base):
    """A room held for a meeting: from its start up to, not including, its end (app.core.meetings.rooms)."""

    __tablename__ = "meeting_bookings"
    __table_args__ = (Index("ix_meeting_bookings_room", "room_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("meeting_rooms.id", ondelete="CASCADE"), nullable=False)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class MeetingAttendee(Base):
    """One who is to attend: a unit (its head or whom it sends) or a person; with their sign-in."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (Index("ix_meeting_attendees_meeting", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), nullable=True, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    # The name and post printed on the notice, the sign-in sheet and the seat card.
    name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    post: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    # 排名: 1 is the highest; the seating follows it unless a seat was set by hand.
    rank: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # "dais" (主席台) or "hall" (会场).
    zone: Mapped[str] = mapped_column(String(8), nullable=False, default="hall")
    # The seat by hand (dragged), counted from the audience's left in its zone's row order; None: by rank.
    seat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "" (not signed), "present", "leave" (请假), "substitute" (代会).
    attendance: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    leave_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    substitute_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    signed_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class MeetingTopic(RecordMixin, Base):
    """议题: proposed by a unit for a meeting, reviewed by the office, approved and put in order."""

    __tablename__ = "meeting_topics"
    __table_args__ = (
        Index("ix_meeting_topics_meeting", "meeting_id", "position"),
        Index("ix_meeting_topics_unit", "unit_id", "meeting_id"),
    )

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reporter: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # "proposed", "approved", "rejected" (不予上会), "withdrawn".
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="proposed")
    review_note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    reviewed_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # Its place in the agenda once approved (1, 2, …); 0 before.
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    proposed_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")


class MeetingPlanTask(Base):
    """A task of the 会议方案 in one of its five phases (app.core.meetings.plan.PHASES)."""

    __tablename__ = "meeting_plan_tasks"
    __table_args__ = (Index("ix_meeting_plan_tasks_meeting", "meeting_id", "phase", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    phase: Mapped[str] = mapped_column(String(10), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(String(200), nullable=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # The engine's work item that puts it on its owner's 工作台 (app.services.workflow.parallel, "checklist").
    work_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_work_items.id", ondelete="SET NULL"), nullable=True
    )


class MeetingDecision(Base):
    """议定事项: what the meeting decided, with the unit that is to carry it out and by when."""

    __tablename__ = "meeting_decisions"
    __table_args__ = (Index("ix_meeting_decisions_meeting", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
