"""The tables every start reads, declared in SQLAlchemy Core, with the column types all tables share.

The login, the audit chain, the number sequences, the change feed, the settings and the 工作台's
to-dos run before the first window is up. They are written on these tables, so that a start needs
neither SQLAlchemy's ORM nor the mapped classes: importing them costs about as much as the rest of
the database layer together (some 390 million instructions, 80–130 ms here), and they are loaded
while the user types the password instead (app.ui.login) or at their first use. `app.models` maps
its classes of these areas onto the same Table objects, and declares the other areas' tables on
the same MetaData.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

# Stable constraint names, so Alembic migrations can address them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MYSQL_NAMES = ("mysql", "mariadb")

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def type_kind(column_type: TypeEngine[Any], kinds: Iterable[tuple[str, type[TypeEngine[Any]]]], unknown: str) -> str:
    """The first of kinds whose type class a column's type is, looking through TypeDecorators (UTCDateTime is
    a DateTime, LongText a Text); a subclass goes before its base (Float before Numeric). A type no kind fits
    is a TypeError saying `unknown`: the caller must be taught it before it mangles such values."""
    base: Any = column_type
    while isinstance(base, TypeDecorator):
        base = base.impl_instance
    for kind, cls in kinds:
        if isinstance(base, cls):
            return kind
    raise TypeError(f"{unknown}: {column_type!r}")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC with microseconds on every database and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in MYSQL_NAMES:
            from sqlalchemy.dialects import mysql

            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class _LongBlob(TypeDecorator[bytes]):
    """MySQL's plain BLOB holds only 64 KiB; attachments need LONGBLOB there."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in MYSQL_NAMES:
            from sqlalchemy.dialects import mysql

            return dialect.type_descriptor(mysql.LONGBLOB())
        return dialect.type_descriptor(LargeBinary())


class _LongText(TypeDecorator[str]):
    """MySQL's plain TEXT holds only 64 KiB; stored flows and audit details may need LONGTEXT there."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in MYSQL_NAMES:
            from sqlalchemy.dialects import mysql

            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(Text())


# The MySQL dialect is imported only when a MySQL database is used: loading it costs every start
# on a local SQLite file about 25 ms.
Blob = _LongBlob()
LongText = _LongText()
BigId = BigInteger().with_variant(Integer(), "sqlite")


def record_columns() -> list[Column[Any]]:
    """id, created/updated times and the optimistic-lock version, last in the table as
    app.models.RecordMixin puts them; the mapped class names `version` as its version_id_col."""
    return [
        Column("id", Integer, primary_key=True),
        Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
        Column("updated_at", UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
        Column("version", Integer, nullable=False, default=1),
    ]


# ----- people and units ------------------------------------------------------------------------------

units = Table(
    "units",
    metadata,
    Column("name", String(100), nullable=False, unique=True),
    Column("short_name", String(40), nullable=False, default=""),
    Column("kind", String(20), nullable=False, default="department"),
    Column("parent_id", Integer, ForeignKey("units.id", ondelete="RESTRICT"), nullable=True, index=True),
    Column("head_user_id", Integer, ForeignKey("users.id", ondelete="SET NULL", use_alter=True), nullable=True),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    *record_columns(),
)

# The fixed roles of app.core.roles, as rows so user-role links have a foreign key.
roles = Table(
    "roles",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("label", String(40), nullable=False),
    Column("description", String(200), nullable=False, default=""),
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(50), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="RESTRICT"), nullable=True, index=True),
    Column("title", String(50), nullable=False, default=""),
    # A principal leader (主要领导, e.g. 县长 or 办公室主任) signs important and upward documents.
    Column("is_principal", Boolean, nullable=False, default=False),
    # Protocol order for seating and lists: smaller sits nearer the centre.
    Column("rank_order", Integer, nullable=False, default=100),
    Column("phone", String(30), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime(), nullable=True),
    # Locked by an administrator, as opposed to the temporary lock after failed logins.
    Column("locked_by_admin", Boolean, nullable=False, default=False),
    Column("last_login_at", UTCDateTime(), nullable=True),
    Column("must_change_password", Boolean, nullable=False, default=False),
    *record_columns(),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role_code", String(32), ForeignKey("roles.code", ondelete="RESTRICT"), nullable=False),
    UniqueConstraint("user_id", "role_code"),
)

# ----- the audit log (hash-chained, append-only), the change feed and named sequences -----------------

audit_log = Table(
    "audit_log",
    metadata,
    # seq is gap-free and assigned under the 'audit' sequence lock, so the chain has one order.
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
    Column("user_id", Integer, nullable=True, index=True),
    Column("username", String(64), nullable=False, default=""),
    Column("action", String(40), nullable=False),
    Column("entity_type", String(40), nullable=False, default=""),
    Column("entity_id", Integer, nullable=True),
    # JSON: changed fields as {"field": [old, new]} or other detail.
    Column("detail", LongText, nullable=False, default="{}"),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Anchors of the audit chain: the head's seq and hash, signed with the office key (HMAC-SHA256) by a PC
# that has it, every so many entries and when the administrator asks. Someone with write access to the
# database but not the key can recompute the chain, but not sign an anchor for it (app.services.kernel.audit_anchors).
audit_anchors = Table(
    "audit_anchors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("head_hash", String(64), nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("made_by", String(64), nullable=False),
    Column("fingerprint", String(19), nullable=False),
    Column("signature", String(64), nullable=False),
)

# What changed, for open clients to refresh. position follows commit order (see app.services.kernel.changes).
change_feed = Table(
    "change_feed",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False, index=True),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("op", String(10), nullable=False),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
)

sequences = Table(
    "sequences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(60), nullable=False),
    Column("year", Integer, nullable=False),
    Column("last_value", BigInteger, nullable=False, default=0),
    UniqueConstraint("key", "year"),
)

# ----- office settings and holiday overrides ---------------------------------------------------------

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), nullable=False, unique=True),
    # JSON text; the registry in app.services.kernel.settings knows each key's type and default.
    Column("value", LongText, nullable=False),
    *record_columns(),
)

# A day an administrator declared a holiday or a make-up working day (调休).
holiday_overrides = Table(
    "holiday_overrides",
    metadata,
    Column("day", Date, nullable=False, unique=True),
    Column("is_workday", Boolean, nullable=False),
    Column("note", String(100), nullable=False, default=""),
    *record_columns(),
)

# ----- workflow: stored flow versions, instances and their history ----------------------------------

# An administrator-edited flow version. Records in flight keep the version they started with.
flow_definitions = Table(
    "flow_definitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("flow_key", String(40), nullable=False),
    Column("flow_version", Integer, nullable=False),
    Column("definition", LongText, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    UniqueConstraint("flow_key", "flow_version"),
)

# Where one record stands in its flow. The to-do list and the overdue logic read only this table.
workflow_instances = Table(
    "workflow_instances",
    metadata,
    Column("flow_key", String(40), nullable=False),
    Column("flow_version", Integer, nullable=False),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("title", String(300), nullable=False),
    Column("state", String(40), nullable=False),
    Column("closed", Boolean, nullable=False, default=False),
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="SET NULL"), nullable=True),
    Column("owner_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    # A named person at the current step; None means anyone holding the step's role.
    Column("assignee_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    # 一事一人 (首问负责): the person answerable for the record across moves, until a recorded hand-over.
    Column("responsible_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    # Who made the last move, and when its next handler first opened the record since: 撤回 is allowed
    # to the mover until the next handler has opened the record or acted on it.
    Column("moved_by_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("opened_at", UTCDateTime(), nullable=True),
    Column("urgency", String(10), nullable=False, default=""),
    Column("entered_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("due_date", Date, nullable=True),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("closed_at", UTCDateTime(), nullable=True),
    *record_columns(),
    Index("ix_wf_open_state", "closed", "flow_key", "state"),
    Index("ix_wf_open_due", "closed", "due_date"),
    Index("ix_wf_entity", "entity_type", "entity_id"),
    # The to-do query and 待我审批 ask, per flow version and step, who may act: all answered here. The due
    # date last, so the 工作台's counts of what is overdue and due soon read the index alone (0006).
    Index(
        "ix_wf_actionable",
        "closed", "flow_key", "state", "flow_version", "assignee_id", "owner_id", "unit_id", "due_date",
    ),
)

# Append-only: who moved the record from where to where, when, and with what opinion (签批意见).
workflow_history = Table(
    "workflow_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "instance_id",
        Integer,
        ForeignKey("workflow_instances.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("from_state", String(40), nullable=True),
    Column("to_state", String(40), nullable=False),
    Column("action", String(40), nullable=False),
    Column("action_label", String(40), nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("actor_name", String(50), nullable=False),
    Column("opinion", Text, nullable=False, default=""),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
    # A delegate's act is recorded as done on behalf of the person who delegated (代理).
    Column("on_behalf_of_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("on_behalf_of_name", String(50), nullable=False, default=""),
)

# ----- workflow: clocks, delegation, links, recurring duties and parallel work items (0008) ------------


def _instance_id() -> Column[int]:
    return Column(
        "instance_id", Integer, ForeignKey("workflow_instances.id", ondelete="CASCADE"), nullable=False, index=True
    )


def _user_id(name: str, *, nullable: bool = True, ondelete: str = "SET NULL") -> Column[int]:
    return Column(name, Integer, ForeignKey("users.id", ondelete=ondelete), nullable=nullable)


# Where each clock of a record (app.core.workflow.clocks) stands, kept with every event so that the
# 工作台 and the lists read a due date instead of replaying the events.
workflow_clocks = Table(
    "workflow_clocks",
    metadata,
    Column("id", Integer, primary_key=True),
    _instance_id(),
    Column("clock_key", String(40), nullable=False),
    Column("phase", String(12), nullable=False),
    Column("started_on", Date, nullable=True),
    Column("due_date", Date, nullable=True),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("extended_by", Integer, nullable=False, default=0),
    Column("paused_since", Date, nullable=True),
    Column("stopped_on", Date, nullable=True),
    UniqueConstraint("instance_id", "clock_key"),
    Index("ix_workflow_clocks_phase_due", "phase", "due_date"),
)

# Append-only: each start, pause, resumption, extension and stop of a record's clock, with its reason.
workflow_clock_events = Table(
    "workflow_clock_events",
    metadata,
    Column("id", Integer, primary_key=True),
    _instance_id(),
    Column("clock_key", String(40), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("amount", Integer, nullable=False, default=0),
    Column("reason", Text, nullable=False, default=""),
    _user_id("actor_id"),
    Column("actor_name", String(50), nullable=False, default=""),
    # A delegate's pause, resumption or extension is recorded as done on behalf of the person (代理).
    _user_id("on_behalf_of_id"),
    Column("on_behalf_of_name", String(50), nullable=False, default=""),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
)

# 代理/委托: while away, a person's to-dos show for a colleague, who acts on their behalf within the period.
delegations = Table(
    "delegations",
    metadata,
    Column("id", Integer, primary_key=True),
    _user_id("principal_id", nullable=False, ondelete="CASCADE"),
    _user_id("delegate_id", nullable=False, ondelete="CASCADE"),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("reason", String(200), nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    _user_id("created_by"),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Index("ix_delegations_delegate", "delegate_id", "ends_on"),
    Index("ix_delegations_principal", "principal_id", "ends_on"),
)

# 常用意见 a person keeps for themself, beside the office's (a setting).
common_opinions = Table(
    "common_opinions",
    metadata,
    Column("id", Integer, primary_key=True),
    _user_id("user_id", nullable=False, ondelete="CASCADE"),
    Column("text", String(200), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_common_opinions_user", "user_id", "position"),
)

# 分发组: units picked together (all 乡镇, all 县直部门, 县领导) wherever units are picked.
unit_groups = Table(
    "unit_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(50), nullable=False, unique=True),
    Column("position", Integer, nullable=False, default=0),
)

unit_group_members = Table(
    "unit_group_members",
    metadata,
    Column("group_id", Integer, ForeignKey("unit_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# One record opened from another (复查 of a petition, a meeting decision's supervision item), read both ways.
record_links = Table(
    "record_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_type", String(40), nullable=False),
    Column("source_id", Integer, nullable=False),
    Column("target_type", String(40), nullable=False),
    Column("target_id", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    _user_id("created_by"),
    # The part of the source the target came from, where the source has parts of its own (a meeting's
    # decision, app.models.meetings.MeetingDecision); None for the whole record.
    Column("source_part", Integer, nullable=True),
    UniqueConstraint("source_type", "source_id", "target_type", "target_id", "kind"),
    Index("ix_record_links_target", "target_type", "target_id"),
)

# A report due on a rhythm (every week, every month, within N working days) chosen per record.
workflow_duties = Table(
    "workflow_duties",
    metadata,
    Column("id", Integer, primary_key=True),
    _instance_id(),
    Column("duty_key", String(40), nullable=False),
    Column("rhythm", String(10), nullable=False),
    Column("every", Integer, nullable=False, default=1),
    Column("starts_on", Date, nullable=False),
    Column("next_due", Date, nullable=True),
    Column("next_due_provisional", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="SET NULL"), nullable=True),
    _user_id("user_id"),
    UniqueConstraint("instance_id", "duty_key"),
    Index("ix_workflow_duties_active_due", "active", "next_due"),
)

# Append-only: each report made for a duty, and the due date it answered.
workflow_duty_reports = Table(
    "workflow_duty_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("duty_id", Integer, ForeignKey("workflow_duties.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("due_date", Date, nullable=True),
    Column("reported_on", Date, nullable=False),
    Column("text", Text, nullable=False, default=""),
    _user_id("by_id"),
    Column("by_name", String(50), nullable=False, default=""),
    _user_id("on_behalf_of_id"),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
)

# Parallel work under one record: each unit's or person's own task, deadline, feedback and state
# (主办/协办, 会签, 传阅 …). A transition may wait until all are done, or until the 主办 is.
# kind: "task" (app.services.workflow.parallel), or the 公文's "cosign" (a unit's 会签 opinion), "receipt" (a
# unit's 签收 of a distributed copy) and "read" (a reader's 传阅 copy), app.services.documents.work_items.
# state: sent → reported (feedback given, not yet accepted; a 会签 that disagreed) → done; or recalled (收回).
# reported_*: who gave the feedback and when; given_by and basis when someone else recorded it for the holder
# (who at the holder gave it, and how: 电话, 书面意见 …); on_behalf_of_*: the holder a delegate (代理) reported
# for; done_* also says who recalled an item.
workflow_work_items = Table(
    "workflow_work_items",
    metadata,
    Column("id", Integer, primary_key=True),
    _instance_id(),
    Column("step_key", String(40), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("lead", Boolean, nullable=False, default=False),
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="SET NULL"), nullable=True),
    _user_id("user_id"),
    Column("task", Text, nullable=False, default=""),
    Column("due_date", Date, nullable=True),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("state", String(12), nullable=False),
    Column("feedback", Text, nullable=False, default=""),
    Column("sent_at", UTCDateTime(), nullable=False, default=utcnow),
    _user_id("sent_by_id"),
    Column("done_at", UTCDateTime(), nullable=True),
    _user_id("done_by_id"),
    Column("done_by_name", String(50), nullable=False, default=""),
    Column("sent_by_name", String(50), nullable=False, default="", server_default=""),
    Column("reported_at", UTCDateTime(), nullable=True),
    _user_id("reported_by_id"),
    Column("reported_by_name", String(50), nullable=False, default="", server_default=""),
    Column("given_by", String(50), nullable=False, default="", server_default=""),
    Column("basis", String(20), nullable=False, default="", server_default=""),
    # The copies a unit was sent (分发).
    Column("copies", Integer, nullable=True),
    _user_id("on_behalf_of_id"),
    Column("on_behalf_of_name", String(50), nullable=False, default="", server_default=""),
    Index("ix_workflow_work_items_unit", "state", "unit_id"),
    Index("ix_workflow_work_items_user", "state", "user_id"),
    # A unit's links to records through their items (which 公文 a 联络员 sees).
    Index("ix_workflow_work_items_unit_kind", "unit_id", "kind", "instance_id"),
)


# ----- the 综合查询 index (app.services.search) -------------------------------------------------------------
# Derived from the areas' records and rebuilt from them (`govdesk db reindex`): a backup or a copy leaves it
# out and the restored database's index is rebuilt, so a backup is no larger for it.


class _MatchText(TypeDecorator[str]):
    """Folded text that LIKE checks needles in: compared byte for byte on MariaDB too (its default collation
    would take a for A and ä, and the three databases would disagree), and long enough for a document's body."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in MYSQL_NAMES:
            from sqlalchemy.dialects import mysql

            return dialect.type_descriptor(mysql.LONGTEXT(charset="utf8mb4", collation="utf8mb4_bin"))
        return dialect.type_descriptor(Text())


MatchText = _MatchText()

# One row per indexed record: what the results show (title, the fields' text for snippets) and what needles
# longer than two characters are checked against (the folded text). A petition's ID numbers, phones and
# addresses are kept apart (private_*), for those who read them unmasked only.
search_records = Table(
    "search_records",
    metadata,
    # The area's record kind (app.core.areas SearchSpec.code) and the record's id in its own table.
    Column("kind", Integer, primary_key=True, autoincrement=False),
    Column("record_id", Integer, primary_key=True, autoincrement=False),
    Column("year", Integer, nullable=False),
    Column("state", String(40), nullable=False),
    Column("closed", Boolean, nullable=False),
    Column("title", String(500), nullable=False),
    Column("title_match", MatchText, nullable=False),
    # "label\tvalue" lines, as typed.
    Column("shown", LongText, nullable=False),
    Column("text_match", MatchText, nullable=False),
    Column("private_shown", LongText, nullable=False),
    Column("private_match", MatchText, nullable=False),
    Column("indexed_at", UTCDateTime(), nullable=False, default=utcnow),
    Index("ix_search_records_year", "kind", "year"),
    info={"derived": True, "label": "综合查询索引"},
)

# The postings: every distinct character and neighbouring pair (app.core.search_text.gram_code) of a record's
# text, with whether it is in a field everyone who sees the record may search (public) or only in the
# private fields. All four columns in the key: a page of one kind's records holding a gram, newest first, is
# read from the index alone.
search_postings = Table(
    "search_postings",
    metadata,
    Column("gram", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", Integer, primary_key=True, autoincrement=False),
    Column("record_id", Integer, primary_key=True, autoincrement=False),
    Column("public", Boolean, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
    info={"derived": True, "label": "综合查询索引"},
)

# Records indexed but not yet posted: a record the upkeep added (a new one, or one the index did not hold) has
# its row in search_records and none in search_postings until enough wait here to be posted together. Posting
# one record writes to a page per distinct gram (about 200); posting 64 at once shares most of those pages, which
# keeps a write's commit short. The query reads the waiting records' folded text instead of their postings.
search_pending = Table(
    "search_pending",
    metadata,
    Column("kind", Integer, primary_key=True, autoincrement=False),
    Column("record_id", Integer, primary_key=True, autoincrement=False),
    info={"derived": True, "label": "综合查询索引"},
)

# The text read out of an attachment (.docx, .pdf with a text layer) when it was added, so that a record's
# entry is rebuilt at every change without opening its files again.
search_file_texts = Table(
    "search_file_texts",
    metadata,
    Column("attachment_id", Integer, primary_key=True, autoincrement=False),
    Column("content", LongText, nullable=False),
    info={"derived": True, "label": "综合查询索引"},
)

# One row once the index holds every record (a new database, or `govdesk db reindex` finished): an upgraded or
# restored database has none until it is rebuilt, and 综合查询 says so instead of missing records silently.
search_state = Table(
    "search_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("built_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("format", Integer, nullable=False),
    info={"derived": True, "label": "综合查询索引"},
)
