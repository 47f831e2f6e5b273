"""信息调研: the writing groups and their members, 政务信息 items and research articles with their adoptions by
higher levels and leaders' 批示, the numbered issues of 《政务信息》, and the Monday study sessions (学习) with
their rotation, absences and attendance.

Where an item stands in its flow (撰写, 编审, 已编入期刊, 已存档) and its history live in the workflow's tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.tables import UTCDateTime
from app.models.base import Base, RecordMixin, utcnow


class InfoGroup(RecordMixin, Base):
    """A writing group (信息组), led by a deputy director, with its members (one group per person)."""

    __tablename__ = "info_groups"

    name: Mapped[str] = mapped_column(String(30), nullable=False, unique=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    members: Mapped[list[InfoGroupMember]] = relationship(
        back_populates="group", order_by="InfoGroupMember.position", cascade="all, delete-orphan"
    )


class InfoGroupMember(Base):
    __tablename__ = "info_group_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("info_groups.id", ondelete="CASCADE"), nullable=False, index=True)
    # A person writes in one group only.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    group: Mapped[InfoGroup] = relationship(back_populates="members")


class InfoIssue(RecordMixin, Base):
    """An issue of 《政务信息》 (第N期), numbered per year from the gap-free sequence as it is begun; edited until
    it is issued (印发), then printed in the briefing layout."""

    __tablename__ = "info_issues"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(30), nullable=False, default="政务信息")
    editor_unit: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    # The date printed under the title: the day it is issued, or as the editor set it.
    issue_date: Mapped[date] = mapped_column(Date, nullable=False)
    issued: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    issued_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # The foot's 报 (higher levels), 送 (leaders) and 发 (units) lists, as printed.
    report_to: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    send_to: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    distribute_to: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    edited_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    copies: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class InfoItem(RecordMixin, Base):
    """A 政务信息 item (kind item) or a research article (kind article), written for a group."""

    __tablename__ = "info_items"
    __table_args__ = (
        # The notices count a group's items by the week of their 报送日期; the lists sort by it.
        Index("ix_info_items_group_submitted", "group_id", "submitted_on"),
        Index("ix_info_items_submitted", "submitted_on", "id"),
        Index("ix_info_items_issue", "issue_id", "issue_position"),
    )

    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="item")
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    author_name: Mapped[str] = mapped_column(String(50), nullable=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("info_groups.id", ondelete="RESTRICT"), nullable=False)
    # 报送日期: the day it went to the editors (or as a ledger imported it); a draft has none.
    submitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="SET NULL"), nullable=True, index=True
    )
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("info_issues.id", ondelete="RESTRICT"), nullable=True)
    issue_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    imported: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    adoptions: Mapped[list[InfoAdoption]] = relationship(
        back_populates="item", order_by="InfoAdoption.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list[InfoComment]] = relationship(
        back_populates="item", order_by="InfoComment.id", cascade="all, delete-orphan"
    )


class InfoAdoption(Base):
    """An adoption of an item by a higher level: the adopting body, its level and day, and the points it earned
    by the table in force when it was recorded."""

    __tablename__ = "info_adoptions"
    __table_args__ = (Index("ix_info_adoptions_adopted", "adopted_on", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("info_items.id", ondelete="CASCADE"), nullable=False, index=True)
    body: Mapped[str] = mapped_column(String(60), nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)
    adopted_on: Mapped[date] = mapped_column(Date, nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    recorded_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    item: Mapped[InfoItem] = relationship(back_populates="adoptions")


class InfoComment(Base):
    """A leader's written comment (批示) on an item, as recorded."""

    __tablename__ = "info_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("info_items.id", ondelete="CASCADE"), nullable=False, index=True)
    leader: Mapped[str] = mapped_column(String(50), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    commented_on: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    item: Mapped[InfoItem] = relationship(back_populates="comments")


class StudyTerm(RecordMixin, Base):
    """A term of Monday study sessions: its span and the topics its sessions go round."""

    __tablename__ = "study_terms"

    name: Mapped[str] = mapped_column(String(60), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    # The topics in their order, separated by “、”.
    topics: Mapped[str] = mapped_column(String(500), nullable=False)

    sessions: Mapped[list[StudySession]] = relationship(
        back_populates="term", order_by="StudySession.held_on", cascade="all, delete-orphan"
    )
    absences: Mapped[list[StudyAbsence]] = relationship(
        back_populates="term", order_by="StudyAbsence.away_on", cascade="all, delete-orphan"
    )


class StudySession(RecordMixin, Base):
    """One Monday's session: its presenter and topic from the rotation, and once held, what was studied, the
    notes and the attendance."""

    __tablename__ = "study_sessions"
    __table_args__ = (UniqueConstraint("term_id", "held_on"),)

    term_id: Mapped[int] = mapped_column(ForeignKey("study_terms.id", ondelete="CASCADE"), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    presenter_name: Mapped[str] = mapped_column(String(50), nullable=False)
    topic: Mapped[str] = mapped_column(String(30), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recorded_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")

    term: Mapped[StudyTerm] = relationship(back_populates="sessions")
    attendance: Mapped[list[StudyAttendance]] = relationship(
        back_populates="session", order_by="StudyAttendance.id", cascade="all, delete-orphan"
    )


class StudyAbsence(Base):
    """A day a member of the writing staff is away (出差, 请假): the rotation passes them over that Monday."""

    __tablename__ = "study_absences"
    __table_args__ = (UniqueConstraint("term_id", "user_id", "away_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("study_terms.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    away_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(100), nullable=False, default="")

    term: Mapped[StudyTerm] = relationship(back_populates="absences")


class StudyAttendance(Base):
    """Who attended a session, or why not."""

    __tablename__ = "study_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("study_sessions.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    user_name: Mapped[str] = mapped_column(String(50), nullable=False)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    note: Mapped[str] = mapped_column(String(100), nullable=False, default="")

    session: Mapped[StudySession] = relationship(back_populates="attendance")
