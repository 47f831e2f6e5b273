"""催办 records: who hastened which item, kept apart from the workflow tables so that a start,
which never reads them, does not pay for their mapping."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class Urge(Base):
    """A 催办: who hastened which item, when, how and with what note."""

    __tablename__ = "urges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="CASCADE"), nullable=False, index=True
    )
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_name: Mapped[str] = mapped_column(String(50), nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # The 反馈时限 the urge set (N working days from its day), kept as given: a later change to the
    # holidays does not move a deadline already printed on a 催办单. None on urges recorded before it.
    reply_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    reply_due_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The person the 催办 is aimed at (the named handler, or the one who holds the item); None: a role.
    aimed_at_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # A 催办 of a missed recurring report (app.services.workflow.duties): the duty's key. None: of the step, as
    # every other 催办; the 工作台 counts the two apart.
    duty_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
