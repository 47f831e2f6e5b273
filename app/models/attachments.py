"""Attachments stored in the database, so a backup of the database is a backup of everything."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.db.tables import Blob
from app.models.base import Base, RecordMixin


class Attachment(RecordMixin, Base):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)

    owner_type: Mapped[str] = mapped_column(String(40), nullable=False)
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # body, attachment, receipt, scan ...
    purpose: Mapped[str] = mapped_column(String(20), nullable=False, default="attachment")
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    mime_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Deferred: lists of attachments must not drag every blob over the LAN.
    data: Mapped[bytes] = deferred(mapped_column(Blob, nullable=False))
