"""Official documents (公文): one table for outgoing (发文) and incoming (收文), and their child records.

One table, with ``direction`` 'out' or 'in', because the two share most of what a list shows and
searches (title, 文种, 缓急, 公开属性, number, state, unit, date), the 公文 area lists and searches
both at once, archiving and the quarterly notice treat a 件 the same whichever way it came, and one
list query over one table with one index pages 100,000 rows without a UNION. The columns only one
direction uses are nullable; the services fill them.

Where a document stands in its flow lives in its workflow instance (workflow_instance_id), never here. So do its
parallel work items, the engine's (workflow_work_items): each 会签 unit's opinion, each unit's 签收 of a distributed
copy and each reader's 传阅 copy (app.services.documents.work_items says why).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, RecordMixin, UTCDateTime, utcnow


class Document(RecordMixin, Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("direction IN ('out', 'in')", name="direction"),
        # A non-classified system (《保守国家秘密法》): no 密级 can ever be stored.
        CheckConstraint("secrecy = ''", name="non_classified"),
        # The list's default order, its date-range filter and its paging walk these indexes: all
        # documents, one direction, one 文种.
        Index("ix_documents_date", "doc_date", "id"),
        Index("ix_documents_direction_date", "direction", "doc_date", "id"),
        Index("ix_documents_type_date", "doc_type", "doc_date"),
    )

    direction: Mapped[str] = mapped_column(String(3), nullable=False)
    workflow_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id", ondelete="RESTRICT"), nullable=True, unique=True
    )
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    doc_type: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    urgency: Mapped[str] = mapped_column(String(4), nullable=False, default="")
    secrecy: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    disclosure: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    disclosure_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    important: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # 成文日期 once signed (before that the drafting day) for 发文; the day of receipt for 收文.
    doc_date: Mapped[date] = mapped_column(Date, nullable=False)
    remark: Mapped[str] = mapped_column(String(500), nullable=False, default="")

    # ----- 发文 -----
    main_recipients: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    copy_recipients: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    drafting_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    drafter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    drafter_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    prefix: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    doc_year: Mapped[int | None] = mapped_column(Integer)
    doc_seq: Mapped[int | None] = mapped_column(Integer)
    # 发文字号, e.g. 县政办发〔2026〕12号; given only after 签发.
    doc_number: Mapped[str | None] = mapped_column(String(60), unique=True)
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signer_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    copies: Mapped[int | None] = mapped_column(Integer)  # 印制份数
    proofreader: Mapped[str] = mapped_column(String(50), nullable=False, default="")  # 校对

    # ----- 收文 -----
    receipt_year: Mapped[int | None] = mapped_column(Integer)
    receipt_seq: Mapped[int | None] = mapped_column(Integer)
    # 收文编号, e.g. 收〔2026〕15号, from a gap-free sequence per year.
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # 签收时间
    source_unit: Mapped[str] = mapped_column(String(100), nullable=False, default="")  # 来文单位
    source_number: Mapped[str] = mapped_column(String(100), nullable=False, default="")  # 来文字号
    source_date: Mapped[date | None] = mapped_column(Date)  # 来文的成文日期
    copies_received: Mapped[int | None] = mapped_column(Integer)
    needs_handling: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    needs_circulation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    handling_deadline: Mapped[date | None] = mapped_column(Date)
    # The deadline reaches into a year whose holidays the State Council has not yet announced.
    handling_provisional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    result: Mapped[str] = mapped_column(Text, nullable=False, default="")  # 办理结果


class DocumentCoHandler(RecordMixin, Base):
    """A 协办 unit of an incoming document; the 主办 unit is Document.handling_unit_id."""

    __tablename__ = "document_co_handlers"
    __table_args__ = (UniqueConstraint("document_id", "unit_id"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), nullable=False, index=True)



class DocumentReply(RecordMixin, Base):
    """The 答复 to the 来文单位 of an incoming document: who answered, when, how and what."""

    __tablename__ = "document_replies"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    )
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    recipient: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    replied_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    replied_by_name: Mapped[str] = mapped_column(String(50), nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")




class DocumentError(RecordMixin, Base):
    """A recorded error (差错) in a document: kind, what, against whom; it feeds the quarterly notice."""

    __tablename__ = "document_errors"
    __table_args__ = (Index("ix_document_errors_at", "at"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(4), nullable=False)  # 格式 / 文字 / 文种 / 程序
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    unit_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    # The return (退回/退文) this error was recorded with, when there was one.
    history_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_history.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class DocumentArchive(RecordMixin, Base):
    """A document archived as one 件 (DA/T 22-2015): 件号 run per 年度 and 保管期限."""

    __tablename__ = "document_archives"
    __table_args__ = (
        UniqueConstraint("year", "retention", "item_no"),
        CheckConstraint("retention IN ('Y', 'D30', 'D10')", name="retention"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    retention: Mapped[str] = mapped_column(String(3), nullable=False)
    item_no: Mapped[int] = mapped_column(Integer, nullable=False)
    archive_code: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)  # 档号
    fonds: Mapped[str] = mapped_column(String(20), nullable=False)
    org_code: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    pages: Mapped[int] = mapped_column(Integer, nullable=False)
    remark: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    archived_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    archived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived_by_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
