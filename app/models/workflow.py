"""Workflow instances (one per record in a flow), their history and stored flow versions, mapped
onto the Core tables of app.db.tables (the 工作台's to-dos read them at the start)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped, relationship

from app.db import tables
from app.models.base import Base, TableRecordMixin


class FlowDefinition(Base):
    """An administrator-edited flow version. Records in flight keep the version they started with."""

    __table__ = tables.flow_definitions

    id: Mapped[int]
    flow_key: Mapped[str]
    flow_version: Mapped[int]
    definition: Mapped[str]
    created_at: Mapped[datetime]
    created_by: Mapped[int | None]


class WorkflowInstance(TableRecordMixin, Base):
    """Where one record stands in its flow. The to-do list and the overdue logic read only this table."""

    __table__ = tables.workflow_instances

    flow_key: Mapped[str]
    flow_version: Mapped[int]
    entity_type: Mapped[str]
    entity_id: Mapped[int | None]
    title: Mapped[str]
    state: Mapped[str]
    closed: Mapped[bool]
    unit_id: Mapped[int | None]
    owner_id: Mapped[int | None]
    assignee_id: Mapped[int | None]
    responsible_id: Mapped[int | None]
    moved_by_id: Mapped[int | None]
    opened_at: Mapped[datetime | None]
    urgency: Mapped[str]
    entered_at: Mapped[datetime]
    due_date: Mapped[date | None]
    due_provisional: Mapped[bool]
    closed_at: Mapped[datetime | None]

    history: Mapped[list[WorkflowHistory]] = relationship(
        back_populates="instance", order_by=tables.workflow_history.c.id, cascade="all, delete-orphan"
    )


class WorkflowHistory(Base):
    """Append-only: who moved the record from where to where, when, and with what opinion (签批意见)."""

    __table__ = tables.workflow_history

    id: Mapped[int]
    instance_id: Mapped[int]
    from_state: Mapped[str | None]
    to_state: Mapped[str]
    action: Mapped[str]
    action_label: Mapped[str]
    actor_id: Mapped[int | None]
    actor_name: Mapped[str]
    opinion: Mapped[str]
    at: Mapped[datetime]
    on_behalf_of_id: Mapped[int | None]
    on_behalf_of_name: Mapped[str]

    instance: Mapped[WorkflowInstance] = relationship(back_populates="history")
