"""Workflow instances (one per record in a flow), their history and stored flow versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, LongText, RecordMixin, UTCDateTime, utcnow


class FlowDefinition(Base):
    """An administrator-edited flow version. Records in flight keep the version they started with."""

    __tablename__ = "flow_definitions"
    __table_args__ = (UniqueConstraint("flow_key", "flow_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flow_key: Mapped[str] = mapped_column(String(40), nullable=False)
    flow_version: Mapped[int] = mapped_column(Integer, nullable=False)
    definition: Mapped[str] = mapped_column(LongText, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class WorkflowInstance(RecordMixin, Base):
    """Where one record stands in its flow. The to-do list and the overdue logic read only this table."""

    __tablename__ = "workflow_instances"
    __table_args__ = (
        Index("ix_wf_open_state", "closed", "flow_key", "state"),
        Index("ix_wf_open_due", "closed", "due_date"),
        Index("ix_wf_entity", "entity_type", "entity_id"),
        # The to-do query and 待我审批 ask, per flow version and step, who may act: all answered here.
        Index("ix_wf_actionable", "closed", "flow_key", "state", "flow_version", "assignee_id", "owner_id", "unit_id"),
    )

    flow_key: Mapped[str] = mapped_column(String(40), nullable=False)
    flow_version: Mapped[int] = mapped_column(Integer, nullable=False)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    state: Mapped[str] = mapped_column(String(40), nullable=False)
    closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # A named person at the current step; None means anyone holding the step's role.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    urgency: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    history: Mapped[list[WorkflowHistory]] = relationship(
        back_populates="instance", order_by="WorkflowHistory.id", cascade="all, delete-orphan"
    )


class WorkflowHistory(Base):
    """Append-only: who moved the record from where to where, when, and with what opinion (签批意见)."""

    __tablename__ = "workflow_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_state: Mapped[str | None] = mapped_column(String(40), nullable=True)
    to_state: Mapped[str] = mapped_column(String(40), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    action_label: Mapped[str] = mapped_column(String(40), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(50), nullable=False)
    opinion: Mapped[str] = mapped_column(Text, nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    instance: Mapped[WorkflowInstance] = relationship(back_populates="history")
