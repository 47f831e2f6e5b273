"""Backup, restore and copying a database to another URL.

Two kinds of backup file:
- a SQLite file (``.sqlite3``) made with SQLite's online backup API: the local database, byte for byte;
- a ``.govdesk-backup`` file: a zip of manifest.json and one JSON-lines file per table. It does not depend
  on the database kind, so it can be restored into SQLite, PostgreSQL or MariaDB alike.

Every table is read in one snapshot and written in one transaction, and checksums over a canonical form of
each row (the same on every backend for the same data) prove that nothing was lost on the way.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, and_, bindparam, create_engine, func, or_, select, text
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.pool import NullPool, PoolProxiedConnection

from app.core.errors import ValidationError
from app.db import backup_signature as signatures
from app.db.backup_signature import BackupMaker, BackupOrigin
from app.db.migrate import alembic_config, check_schema, program_revision, upgrade
from app.db.mysql_blobs import ROW_ALLOWANCE, PacketLimit, advised_packet_mb, blob_wire_size, mb, packet_limit
from app.db.office_key import OfficeKey, load_office_key
from app.db.tables import type_kind

if TYPE_CHECKING:
    from sqlalchemy import Table

# The office key and who signs with it; None makes an unsigned backup (this PC has no key).
Signer = tuple[OfficeKey, BackupMaker]

ProgressCallback = Callable[[int, int, str], None]

FORMAT_NAME = "govdesk-backup"
FORMAT_VERSION = 1
BACKUP_SUFFIX = ".govdesk-backup"
SQLITE_SUFFIX = ".sqlite3"
MANIFEST_NAME = "manifest.json"
SQLITE_HEADER = b"SQLite format 3\x00"

# Rows per INSERT, cut short at about BATCH_BYTES of text and blobs: a batch of 1,000 attachments of
# 50 MB each would not fit in memory. Tables with blobs are also fetched a row at a time.
BATCH_ROWS = 1000
BATCH_BYTES = 16 * 1024 * 1024

# The migrations seed these rows; a freshly migrated database with only these is still empty.
SEEDED_TABLES = frozenset({"roles"})


# ----- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupManifest:
    format_version: int
    program_version: str
    schema_revision: str
    created_at: datetime
    source_backend: str
    # In the order the tables were written: parents before children.
    tables: dict[str, TableChecksum]
    columns: dict[str, list[str]]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables.values())

    @staticmethod
    def member(table: str) -> str:
        return f"tables/{table}.jsonl"

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT_NAME,
                "format_version": self.format_version,
                "program": "GovDesk",
                "program_version": self.program_version,
                "schema_revision": self.schema_revision,
                "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
                "source_backend": self.source_backend,
                "tables": [
                    {
                        "name": name,
                        "file": self.member(name),
                        "rows": checksum.rows,
                        "sha256": checksum.sha256,
                        "columns": self.columns[name],
                    }
                    for name, checksum in self.tables.items()
                ],
            },
            ensure_ascii=False,
            indent=2,
        )

    @classmethod
    def from_json(cls, data: bytes, source: Path) -> BackupManifest:
        broken = ValidationError(f"备份文件“{source.name}”的说明部分（manifest.json）已损坏，无法恢复，请换一个备份文件")
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise broken from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
            raise _not_a_backup(source)
        try:
            version = int(raw["format_version"])
            if version > FORMAT_VERSION:
                raise ValidationError(
                    f"备份文件“{source.name}”由更新版本的 GovDesk（{raw.get('program_version', '?')}）制作，"
                    "本程序读不懂它的格式，请先安装新版本的本程序再恢复"
                )
            tables: dict[str, TableChecksum] = {}
            columns: dict[str, list[str]] = {}
            for item in raw["tables"]:
                name = str(item["name"])
                tables[name] = TableChecksum(int(item["rows"]), str(item["sha256"]))
                columns[name] = [str(c) for c in item["columns"]]
            return cls(
                format_version=version,
                program_version=str(raw["program_version"]),
                schema_revision=str(raw["schema_revision"]),
                created_at=datetime.fromisoformat(str(raw["created_at"])),
                source_backend=str(raw["source_backend"]),
                tables=tables,
                columns=columns,
            )
        except (KeyError, TypeError, ValueError):
            raise broken from None


@dataclass(frozen=True)
class TableComparison:
    name: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str
    ok: bool

    @classmethod
    def of(cls, name: str, source: TableChecksum, target: TableChecksum | None) -> TableComparison:
        target = target or TableChecksum(0, "")
        return cls(name, source.rows, target.rows, source.sha256, target.sha256, source == target)


@dataclass(frozen=True)
class CopyReport:
    tables: list[TableComparison]
    ok: bool

    def summary(self) -> str:
        total = sum(t.source_rows for t in self.tables)
        if self.ok:
            return f"复制完成：{len(self.tables)} 张表共 {total} 行，两边的行数和校验值全部一致"
        lines = ["复制后核对发现不一致，目标数据库中的数据可能不完整，请不要投入使用，并联系技术支持："]
        for t in self.tables:
            if not t.ok:
                what = "行数不同" if t.source_rows != t.target_rows else "内容不同"
                lines.append(f"  {t.name} 表：源 {t.source_rows} 行，目标 {t.target_rows} 行（{what}）")
        return "\n".join(lines)


# ----- values: the file form and the canonical form -----------------------------------------------


def _kind(column_type: sqltypes.TypeEngine[Any]) -> str:
    """The kind of value a column holds, looking through TypeDecorators such as UTCDateTime."""
    # Float is a Numeric, so it is tested first. A new column type must be taught here before a backup can
    # silently mangle it.
    return type_kind(column_type, (
        ("bool", sqltypes.Boolean),
        ("datetime", sqltypes.DateTime),
        ("date", sqltypes.Date),
        ("time", sqltypes.Time),
        ("float", sqltypes.Float),
        ("decimal", sqltypes.Numeric),
        ("bytes", sqltypes._Binary),
        ("int", sqltypes.Integer),
        ("str", sqltypes.String),
        ("json", sqltypes.JSON),
    ), "backup does not know how to store a column of this type")


@dataclass(frozen=True)
class _Column:
    key: str
    name: str
    kind: str
    scale: int | None


@dataclass(frozen=True)
class _TableCodec:
    table: Table
    columns: tuple[_Column, ...]
    pk_keys: tuple[str, ...]
    # Integer keys sort alike on every database; text keys do not (collations differ), so those
    # tables are put in order in Python before hashing.
    sorted_by_database: bool
    has_blob: bool

    @classmethod
    def of(cls, table: Table) -> _TableCodec:
        columns = tuple(
            _Column(c.key, c.name, _kind(c.type), getattr(c.type, "scale", None)) for c in table.columns
        )
        kinds = {c.key: c.kind for c in columns}
        pk_keys = tuple(c.key for c in table.primary_key.columns)
        return cls(
            table=table,
            columns=columns,
            pk_keys=pk_keys,
            sorted_by_database=all(kinds[k] == "int" for k in pk_keys),
            has_blob=any(c.kind == "bytes" for c in columns),
        )

    @property
    def fetch_rows(self) -> int:
        return 1 if self.has_blob else BATCH_ROWS


def _encode(column: _Column, value: Any) -> Any:
    """The JSON form written to a backup file."""
    if value is None:
        return None
    match column.kind:
        case "bytes":
            return base64.b64encode(bytes(value)).decode("ascii")
        case "json":
            return value
        case _:
            return _canonical(column, value)


def _canonical(column: _Column, value: Any) -> Any:
    """The backend-independent form that checksums are computed over."""
    if value is None:
        return None
    match column.kind:
        case "bool":
            return bool(value)
        case "int":
            return int(value)
        case "str":
            return str(value)
        case "datetime":
            if value.tzinfo is not None:
                value = value.astimezone(UTC)
            return value.isoformat(timespec="microseconds")
        case "date" | "time":
            return value.isoformat()
        case "decimal":
            number = Decimal(value)
            if column.scale is not None:
                number = number.quantize(Decimal(1).scaleb(-column.scale))
            return str(number)
        case "float":
            return repr(float(value))
        case "bytes":
            # Hashing the hash keeps a 50 MB attachment from being turned into a 50 MB string.
            return hashlib.sha256(bytes(value)).hexdigest()
        case _:
            # PostgreSQL's jsonb does not keep the key order it was given.
            return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _BrokenRow(ValueError):
    pass


def _decode(column: _Column, value: Any) -> Any:
    """The inverse of _encode, strict: a file that was edited by hand must not slip wrong types in."""
    if value is None:
        return None
    match column.kind:
        case "bool" if isinstance(value, bool):
            return value
        case "int" if isinstance(value, int) and not isinstance(value, bool):
            return value
        case "str" if isinstance(value, str):
            return value
        case "datetime" if isinstance(value, str):
            return datetime.fromisoformat(value)
        case "date" if isinstance(value, str):
            return date.fromisoformat(value)
        case "time" if isinstance(value, str):
            return time.fromisoformat(value)
        case "decimal" if isinstance(value, str):
            return Decimal(value)
        case "float" if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            return float(value)
        case "bytes" if isinstance(value, str):
            return base64.b64decode(value, validate=True)
        case "json":
            return value
    raise _BrokenRow(f"{column.name} 列的值类型不对")


class _Hasher:
    """sha256 over the canonical rows in primary-key order: sha256 of the concatenated row digests."""

    def __init__(self, codec: _TableCodec) -> None:
        self.codec = codec
        self.rows = 0
        self._digest = hashlib.sha256()
        self._pending: list[tuple[tuple[Any, ...], bytes]] = []

    def add(self, row: dict[str, Any]) -> None:
        values = [_canonical(c, row[c.key]) for c in self.codec.columns]
        line = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        row_digest = hashlib.sha256(line).digest()
        self.rows += 1
        if self.codec.sorted_by_database:
            self._digest.update(row_digest)
        else:
            key = tuple(values[i] for i, c in enumerate(self.codec.columns) if c.key in self.codec.pk_keys)
            self._pending.append((key, row_digest))

    def result(self) -> TableChecksum:
        for _, row_digest in sorted(self._pending):
            self._digest.update(row_digest)
        self._pending = []
        return TableChecksum(self.rows, self._digest.hexdigest())


# ----- the schema ------------------------------------------------------------------------------------


def _tables() -> list[Table]:
    from app.models import Base, load_all_models

    load_all_models()
    return [table for table in Base.metadata.sorted_tables if not table.info.get("derived")]


def _derived_tables() -> list[Table]:
    """Tables rebuilt from the others (the 综合查询 index): never in a backup or a copy, emptied when a database
    is replaced, so that its index says it must be rebuilt rather than answer from the old data."""
    from app.models import Base, load_all_models

    load_all_models()
    return [table for table in Base.metadata.sorted_tables if table.info.get("derived")]


def _table_label(table: Table) -> str:
    label = table.info.get("label")
    return f"{label}（{table.name}）" if label else table.name


def _deferred_columns(tables: list[Table]) -> dict[str, tuple[str, ...]]:
    """Foreign keys that cannot be satisfied in table order: a unit's parent unit, a unit's head user.

    Rows go in with these set to NULL, and the values are filled in once every table is loaded. This
    works on every database without switching off foreign-key checks, which PostgreSQL allows only to
    a superuser."""
    position = {t.name: i for i, t in enumerate(tables)}
    result: dict[str, tuple[str, ...]] = {}
    for table in tables:
        keys: list[str] = []
        for fk in table.foreign_keys:
            if position.get(fk.column.table.name, -1) >= position[table.name] and fk.parent.key not in keys:
                if not fk.parent.nullable:
                    raise TypeError(f"{table.name}.{fk.parent.name} refers forward and cannot be NULL")
                keys.append(fk.parent.key)
        if keys:
            result[table.name] = tuple(keys)
    return result


def _backend(bind: Engine | Connection) -> str:
    name = bind.dialect.name
    return "mysql" if name == "mariadb" else name


def _check_current(engine: Engine, which: str) -> str:
    """The database's revision, which must be this program's: the tables are read through its models."""
    status = check_schema(engine)
    if not status.ok:
        raise ValidationError(f"{which}：{status.message()}")
    assert status.database_revision is not None
    return status.database_revision


def _revision_mismatch(found: str, wanted: str, what: str, how_to_upgrade: str) -> ValidationError:
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if found in known:
        return ValidationError(
            f"{what}的数据库结构版本是 {found}，比当前数据库（{wanted}）旧，不能直接恢复。{how_to_upgrade}"
        )
    return ValidationError(
        f"{what}的数据库结构版本 {found} 比本程序（{wanted}）新，是用更新版本的 GovDesk 制作的。"
        "请先安装新版本的本程序，并对数据库运行 govdesk db upgrade，再恢复"
    )


# ----- reading ---------------------------------------------------------------------------------------


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection for reading that sees one moment of the database, while other clients keep writing."""
    if _backend(engine) == "sqlite":
        with engine.connect() as conn:
            # pysqlite opens a transaction only before a write, so each SELECT would see its own moment.
            conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                conn.rollback()
    else:
        # READ COMMITTED (MariaDB's setting in make_engine, PostgreSQL's default) gives each statement
        # its own snapshot; a backup needs one for all the tables.
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            yield conn
            conn.rollback()


def _row_counts(conn: Connection, tables: list[Table]) -> dict[str, int]:
    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables}


def _db_rows(conn: Connection, codec: _TableCodec) -> Iterator[dict[str, Any]]:
    """Rows in primary-key order through a server-side cursor where there is one, so that a large table
    is never in memory at once."""
    table = codec.table
    query = select(table).order_by(*table.primary_key.columns)
    streaming = conn.execution_options(stream_results=True, yield_per=codec.fetch_rows)
    with streaming.execute(query) as result:
        for row in result.mappings():
            yield dict(row)


def _batched(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for row in rows:
        batch.append(row)
        size += sum(len(v) for v in row.values() if isinstance(v, (bytes, str)))
        if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _db_batches(conn: Connection, codec: _TableCodec) -> Iterator[list[dict[str, Any]]]:
    return _batched(_db_rows(conn, codec))


class _Progress:
    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0

    def report(self, message: str, advance: int = 0) -> None:
        self.done = min(self.done + advance, self.total)
        if self.callback is not None:
            self.callback(self.done, self.total, message)

    def finish(self, message: str) -> None:
        self.done = self.total
        self.report(message)


def table_checksums(
    bind: Engine | Connection, progress: ProgressCallback | None = None
) -> dict[str, TableChecksum]:
    """Row count and checksum of every table, the same on SQLite, PostgreSQL and MariaDB for the same data."""
    if isinstance(bind, Engine):
        with _snapshot(bind) as conn:
            return table_checksums(conn, progress)
    tables = _tables()
    tracker = _Progress(progress, sum(_row_counts(bind, tables).values()) if progress else 0)
    result = _checksums(bind, tables, tracker)
    tracker.finish("核对完成")
    return result


def _checksums(conn: Connection, tables: list[Table], tracker: _Progress) -> dict[str, TableChecksum]:
    result: dict[str, TableChecksum] = {}
    for table in tables:
        codec = _TableCodec.of(table)
        hasher = _Hasher(codec)
        label = _table_label(table)
        for batch in _db_batches(conn, codec):
            for row in batch:
                hasher.add(row)
            tracker.report(f"正在核对 {label} 表：已核对 {hasher.rows} 行", len(batch))
        result[table.name] = hasher.result()
    return result


# ----- writing ---------------------------------------------------------------------------------------


def _clear(conn: Connection, tables: list[Table], deferred: dict[str, tuple[str, ...]]) -> None:
    """Deletes every row, children first. The forward references are cut first, so that a unit's head
    (a user) and a unit's parent (a unit) do not block the delete on any database."""
    for table in tables:
        keys = deferred.get(table.name)
        if keys:
            columns = [table.c[k] for k in keys]
            conn.execute(table.update().where(or_(*(c.isnot(None) for c in columns))).values(dict.fromkeys(keys)))
    for table in reversed(tables):
        conn.execute(table.delete())
    for table in _derived_tables():
        conn.execute(table.delete())


@dataclass
class _Fixups:
    """Values of forward references held back while loading, with the columns an UPDATE would change."""

    keys: tuple[str, ...]
    rows: list[dict[str, Any]]


def _load(
    conn: Connection,
    tables: list[Table],
    batches: Callable[[_TableCodec], Iterable[list[dict[str, Any]]]],
    progress: _Progress,
    verb: str,
) -> dict[str, TableChecksum]:
    """Inserts every table's rows in foreign-key order and returns the checksums of what was read."""
    deferred = _deferred_columns(tables)
    # On MariaDB this also makes the connection send blobs at their own size rather than as hex.
    limit = packet_limit(conn)
    fixups: dict[str, _Fixups] = {}
    read: dict[str, TableChecksum] = {}
    for table in tables:
        codec = _TableCodec.of(table)
        hasher = _Hasher(codec)
        label = _table_label(table)
        held = deferred.get(table.name, ())
        # An UPDATE would stamp updated_at anew; the held-back row sets it back to what it was.
        restore_keys = held + tuple(c.key for c in table.columns if c.onupdate is not None and c.key not in held)
        pending: list[dict[str, Any]] = []
        progress.report(f"正在{verb} {label} 表")
        for batch in batches(codec):
            for row in batch:
                if limit is not None and codec.has_blob:
                    _check_row_fits(label, row, limit)
                hasher.add(row)
                if held and any(row[k] is not None for k in held):
                    pending.append({k: row[k] for k in codec.pk_keys + restore_keys})
            rows = [{**row, **dict.fromkeys(held)} for row in batch] if held else batch
            try:
                conn.execute(table.insert(), rows)
            except StatementError as error:
                raise _write_failed(label, error, codec, limit) from error
            progress.report(f"正在{verb} {label} 表：已完成 {hasher.rows} 行", len(batch))
        if pending:
            fixups[table.name] = _Fixups(restore_keys, pending)
        read[table.name] = hasher.result()
    for table in tables:
        fix = fixups.get(table.name)
        if fix is None:
            continue
        codec = _TableCodec.of(table)
        statement = (
            table.update()
            .where(and_(*(table.c[k] == bindparam(f"pk_{k}") for k in codec.pk_keys)))
            .values({k: bindparam(f"v_{k}") for k in fix.keys})
        )
        params = [
            {**{f"pk_{k}": row[k] for k in codec.pk_keys}, **{f"v_{k}": row[k] for k in fix.keys}}
            for row in fix.rows
        ]
        try:
            conn.execute(statement, params)
        except StatementError as error:
            raise _write_failed(_table_label(table), error, codec, limit) from error
    return read


# MariaDB refuses (1153) or drops the connection (2006, 2013) for a statement larger than its
# max_allowed_packet, which is 16 MB unless the server is configured otherwise. _check_row_fits catches a
# blob that cannot fit before it is sent; these codes are the last resort if the estimate was short.
_MYSQL_PACKET_ERRORS = frozenset({1153, 1301, 2006, 2013})


def _check_row_fits(label: str, row: dict[str, Any], limit: PacketLimit) -> None:
    blobs = [v for v in row.values() if isinstance(v, bytes)]
    needed = sum(blob_wire_size(b, limit.no_backslash_escapes) for b in blobs) + ROW_ALLOWANCE
    if needed > limit.max_allowed_packet:
        raise _packet_too_small(label, limit, needed)


def _packet_too_small(label: str, limit: PacketLimit | None, needed: int | None) -> ValidationError:
    found = ""
    advice = "64M 或更大（至少要大于最大的附件）"
    if limit is not None:
        found = f"：它的 max_allowed_packet 是 {mb(limit.max_allowed_packet)} MB"
        if needed is not None:
            found += f"，而这个附件写入时要占 {mb(needed)} MB"
            advice = f"至少 {advised_packet_mb(needed)}M"
    return ValidationError(
        f"写入 {label} 表时，有附件超过了 MariaDB/MySQL 服务器允许的单次写入上限{found}。"
        "已全部撤销，目标数据库没有改变。"
        f"请服务器管理员在 MariaDB 配置的 [mysqld] 段把 max_allowed_packet 设为{advice}，重启数据库服务后再试"
    )


def _write_failed(
    label: str, error: StatementError, codec: _TableCodec | None = None, limit: PacketLimit | None = None
) -> ValidationError:
    code = error.orig.args[0] if error.orig is not None and error.orig.args else None
    if codec is not None and codec.has_blob and code in _MYSQL_PACKET_ERRORS:
        return _packet_too_small(label, limit, None)
    detail = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
    return ValidationError(
        f"写入 {label} 表时目标数据库报错，已全部撤销，目标数据库没有改变。数据库的原话是：{detail}"
    )


def _fix_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL's serial sequences do not move when ids are given explicitly; the next new record would
    collide with a copied one. MariaDB and SQLite move their counters past the largest id themselves."""
    if _backend(conn) != "postgresql":
        return
    preparer = conn.dialect.identifier_preparer
    for table in tables:
        for column in table.primary_key.columns:
            if _kind(column.type) != "int":
                continue
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": preparer.format_table(table), "column": column.name},
            ).scalar_one()
            if sequence is None:
                continue
            conn.execute(
                text(
                    f"SELECT setval(:sequence, COALESCE((SELECT MAX({preparer.quote(column.name)}) "
                    f"FROM {preparer.format_table(table)}), 0) + 1, false)"
                ),
                {"sequence": sequence},
            )


def _differences(expected: dict[str, TableChecksum], actual: dict[str, TableChecksum]) -> list[str]:
    lines = []
    for name, want in expected.items():
        got = actual.get(name, TableChecksum(0, ""))
        if got.rows != want.rows:
            lines.append(f"{name} 表应有 {want.rows} 行，实际 {got.rows} 行")
        elif got.sha256 != want.sha256:
            lines.append(f"{name} 表的内容与校验值不符")
    return lines


def _transfer(
    source: Engine,
    target: Engine,
    progress: ProgressCallback | None,
    verb: str,
    strict: bool,
) -> tuple[dict[str, TableChecksum], dict[str, TableChecksum]]:
    """Replaces everything in target with source's data in one target transaction.

    strict: a difference after the copy raises and rolls back, otherwise both sides' checksums are
    returned after the commit for the caller to report."""
    tables = _tables()
    with _snapshot(source) as src:
        counts = _row_counts(src, tables)
        total = sum(counts.values())
        tracker = _Progress(progress, total * 2)
        with target.begin() as conn:
            _clear(conn, tables, _deferred_columns(tables))
            read = _load(conn, tables, lambda codec: _db_batches(src, codec), tracker, verb)
            _fix_sequences(conn, tables)
            written = _checksums(conn, tables, tracker)
            tracker.finish("核对完成")
            problems = _differences(read, written)
            if strict and problems:
                raise ValidationError("核对不一致，已全部撤销，目标数据库没有改变：" + "；".join(problems))
    return read, written


# ----- SQLite files ----------------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _same_file(a: Path | None, b: Path) -> bool:
    try:
        return a is not None and b.exists() and a.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def sqlite_online_backup(
    engine: Engine, target: Path, progress: ProgressCallback | None = None, signer: Signer | None = None
) -> None:
    """Copies a live SQLite database to target with SQLite's backup API, consistent while others write.

    The copy is written beside target and renamed into place, so a failed backup never leaves half a
    file under the name a user would later restore from."""
    if _backend(engine) != "sqlite":
        raise ValidationError("只有本机 SQLite 数据库可以备份成 .sqlite3 文件；服务器数据库请备份成 .govdesk-backup 文件")
    target = Path(target)
    if _same_file(_sqlite_path(engine), target):
        raise ValidationError("备份文件不能就是正在使用的数据库文件，请另选一个位置或文件名")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    tracker = _Progress(progress, 1)
    tracker.report("正在备份本机数据库文件")
    raw = engine.raw_connection()
    try:
        _copy_sqlite(raw, partial, None if signer is None else lambda copy: signatures.sign_sqlite_file(copy, *signer))
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise ValidationError(f"备份失败：{error}。请检查目标位置是否可写、磁盘空间是否足够") from error
    finally:
        raw.close()
    os.replace(partial, target)
    tracker.finish("备份完成")


def _copy_sqlite(raw: PoolProxiedConnection, target: Path,
                 finish: Callable[[sqlite3.Connection], object] | None = None) -> None:
    """Copies the SQLite database behind raw to target as one self-contained file, without -wal and -shm
    beside it; finish (signing) runs on the copy before it is closed."""
    destination = sqlite3.connect(target)
    try:
        # One step: the read snapshot lasts the whole copy. Copying in steps would restart from
        # the beginning whenever another connection writes in between.
        raw.driver_connection.backup(destination)  # type: ignore[union-attr]
        destination.execute("PRAGMA journal_mode=DELETE")
        _drop_derived_rows(destination)
        if finish is not None:
            finish(destination)
    finally:
        destination.close()


def _drop_derived_rows(copy: sqlite3.Connection) -> None:
    """The 综合查询 index is rebuilt after a restore: a backup file leaves it out, and is no larger for it."""
    present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    emptied = False
    for name in signatures.DERIVED_TABLES:
        if name in present and copy.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is not None:
            copy.execute(f'DELETE FROM "{name}"')
            emptied = True
    copy.commit()
    if emptied:
        copy.execute("VACUUM")


def _is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


@contextmanager
def _open_sqlite_readonly(path: Path) -> Iterator[Engine]:
    """An engine on a SQLite file that writes nothing, not even -wal and -shm files beside it.

    immutable=1 also skips locking, which is right for a backup file; a file with a -wal beside it may
    be some program's live database, so that one is read the careful way."""
    uri = _source_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def _known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _check_govdesk_sqlite(source: Engine, path: Path) -> str:
    """The schema revision of a sound GovDesk SQLite file, which this program's migrations must know."""
    from sqlalchemy import inspect

    not_ours = ValidationError(
        f"“{path.name}”是一个 SQLite 数据库文件，但不是 GovDesk 的数据库，不能用来恢复，请选择 GovDesk 的备份文件"
    )
    try:
        with source.connect() as conn:
            status = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if status != "ok":
                raise ValidationError(f"备份文件“{path.name}”已损坏（{status}），不能用来恢复，请换一个备份文件")
            if "alembic_version" not in set(inspect(conn).get_table_names()):
                raise not_ours
            found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except sqlite3.DatabaseError as error:
        raise ValidationError(f"无法读取“{path.name}”：{error}。文件可能已损坏") from error
    except DBAPIError as error:
        raise ValidationError(f"无法读取“{path.name}”：{error.orig}。文件可能已损坏") from error
    if found is None:
        raise not_ours
    if str(found) not in _known_revisions():
        raise _revision_mismatch(str(found), program_revision(), f"备份文件“{path.name}”", "")
    return str(found)


def _page_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


def _source_uri(path: Path) -> str:
    uri = path.resolve().as_uri() + "?mode=ro"
    if not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return uri


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_rows_into_clean_schema(staging: Path, source: Path, label: str) -> None:
    """Rows of the program's own tables at the backup's revision go into a file whose schema the program's
    migrations made. Nothing else of the backup comes along: its triggers, views, extra tables and indexes
    stay behind, and being in the attached file they never fire, since nothing writes to it."""
    not_ours = ValidationError(
        f"备份文件“{label}”的数据表与本程序的数据库结构不一致，可能被改动过，不能恢复，请换一个备份文件"
    )
    conn = sqlite3.connect(staging.resolve().as_uri(), uri=True)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("ATTACH DATABASE ? AS backup", (_source_uri(source),))
        names = [
            row[0] for row in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version' ORDER BY name"
            )
        ]
        kinds = dict(conn.execute("SELECT name, type FROM backup.sqlite_master").fetchall())
        for name in names:
            if kinds.get(name) != "table":
                raise not_ours
            ours = [row[1] for row in conn.execute(f"PRAGMA main.table_info({_quoted(name)})")]
            theirs = [row[1] for row in conn.execute(f"PRAGMA backup.table_info({_quoted(name)})")]
            if sorted(ours) != sorted(theirs):
                raise not_ours
            columns = ", ".join(_quoted(c) for c in ours)
            conn.execute(f"DELETE FROM main.{_quoted(name)}")
            conn.execute(
                f"INSERT INTO main.{_quoted(name)} ({columns}) SELECT {columns} FROM backup.{_quoted(name)}"
            )
        conn.commit()
        conn.execute("DETACH DATABASE backup")
    except sqlite3.DatabaseError as error:
        raise ValidationError(f"无法读取备份文件“{label}”：{error}。文件可能已损坏") from error
    finally:
        conn.close()


@contextmanager
def _clean_copy(snapshot: Path, label: str, revision: str) -> Iterator[Engine]:
    """The backup's data in a temporary file built by this program's migrations, upgraded to its revision."""
    staging = snapshot.with_name("staging.sqlite3")
    engine = create_engine("sqlite:///" + staging.as_posix(), poolclass=NullPool)
    try:
        upgrade(engine, revision)
        _copy_rows_into_clean_schema(staging, snapshot, label)
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def _snapshot_file(path: Path, folder: Path) -> Path:
    """A private copy of the backup file: what was checked and verified is what is restored, even if the
    file on the shared folder changes meanwhile."""
    snapshot = folder / "backup.sqlite3"
    with _open_sqlite_readonly(path) as source:
        raw = source.raw_connection()
        try:
            _copy_sqlite(raw, snapshot)
        except sqlite3.DatabaseError as error:
            raise ValidationError(f"无法读取“{path.name}”：{error}。文件可能已损坏") from error
        finally:
            raw.close()
    return snapshot


def inspect_backup(path: Path) -> BackupOrigin:
    """Who made a backup file, when, and whether its signature holds, before anything is restored."""
    path = Path(path)
    _check_exists(path)
    if _is_sqlite_file(path):
        with _open_sqlite_readonly(path) as source:
            _check_govdesk_sqlite(source, path)
            return _sqlite_origin(source)
    with _open_backup(path) as (archive, _manifest, manifest_bytes):
        return _zip_origin(archive, manifest_bytes)


def _sqlite_origin(source: Engine) -> BackupOrigin:
    raw = source.raw_connection()
    try:
        return signatures.verify_sqlite(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()


def _trusted(origin: BackupOrigin, accept_unsigned: bool) -> None:
    if not origin.good and not accept_unsigned:
        raise origin.refusal()


def _restore_sqlite_file(
    engine: Engine, path: Path, progress: ProgressCallback | None, accept_unsigned: bool
) -> BackupOrigin:
    import tempfile

    local = _backend(engine) == "sqlite"
    if not local:
        _check_current(engine, "要恢复到的数据库")
    if _same_file(_sqlite_path(engine), path):
        raise ValidationError("选择的备份文件就是正在使用的数据库文件，请选择另存的备份文件")
    tracker = _Progress(progress, 1)
    tracker.report("正在检查并整理备份中的数据")
    with tempfile.TemporaryDirectory(prefix="govdesk-restore-") as folder:
        snapshot = _snapshot_file(path, Path(folder))
        with _open_sqlite_readonly(snapshot) as source:
            revision = _check_govdesk_sqlite(source, path)
            origin = _sqlite_origin(source)
        _trusted(origin, accept_unsigned)
        with _clean_copy(snapshot, path.name, revision) as clean:
            if local:
                _replace_local_file(engine, clean, progress)
            else:
                _transfer(clean, engine, progress, "恢复", strict=True)
    tracker.finish("恢复完成")
    return origin


def _replace_local_file(engine: Engine, clean: Engine, progress: ProgressCallback | None) -> None:
    raw_source = clean.raw_connection()
    raw_target = engine.raw_connection()
    try:
        source_db: sqlite3.Connection = raw_source.driver_connection  # type: ignore[assignment]
        target_db: sqlite3.Connection = raw_target.driver_connection  # type: ignore[assignment]
        # The clean copy's schema is this program's own, so the local file may take it whole: a damaged
        # or half-upgraded local file is recovered too.
        if _page_size(source_db) == _page_size(target_db):
            # One write transaction on the live file: other clients see the old data or the new.
            source_db.backup(target_db)
            return
    finally:
        raw_target.close()
        raw_source.close()
    # A database in WAL mode cannot take pages of another size; copy rows instead.
    _check_current(engine, "要恢复到的数据库")
    _transfer(clean, engine, progress, "恢复", strict=True)


# ----- .govdesk-backup files -------------------------------------------------------------------------


def _not_a_backup(path: Path) -> ValidationError:
    return ValidationError(
        f"“{path.name}”不是 GovDesk 备份文件。请选择由本程序“备份”功能生成的 {BACKUP_SUFFIX} 文件"
        f"或本机数据库备份（{SQLITE_SUFFIX}）文件"
    )


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise ValidationError(f"找不到备份文件“{path}”，请检查路径是否正确")


def export_database(
    engine: Engine, target: Path, progress: ProgressCallback | None = None, signer: Signer | None = None
) -> BackupManifest:
    """Writes every table into a .govdesk-backup file that any supported database can be restored from."""
    import app

    revision = _check_current(engine, "要备份的数据库")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    tables = _tables()
    sums: dict[str, TableChecksum] = {}
    columns: dict[str, list[str]] = {}
    try:
        with _snapshot(engine) as conn, zipfile.ZipFile(
            partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
        ) as archive:
            created_at = datetime.now(UTC)
            counts = _row_counts(conn, tables)
            tracker = _Progress(progress, sum(counts.values()))
            for table in tables:
                codec = _TableCodec.of(table)
                hasher = _Hasher(codec)
                label = _table_label(table)
                tracker.report(f"正在导出 {label} 表")
                with archive.open(BackupManifest.member(table.name), "w", force_zip64=True) as member:
                    for batch in _db_batches(conn, codec):
                        for row in batch:
                            hasher.add(row)
                            record = {c.name: _encode(c, row[c.key]) for c in codec.columns}
                            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
                            member.write(line.encode("utf-8"))
                        tracker.report(f"正在导出 {label} 表：已完成 {hasher.rows} 行", len(batch))
                sums[table.name] = hasher.result()
                columns[table.name] = [c.name for c in codec.columns]
            manifest = BackupManifest(
                format_version=FORMAT_VERSION,
                program_version=app.__version__,
                schema_revision=revision,
                created_at=created_at,
                source_backend=_backend(engine),
                tables=sums,
                columns=columns,
            )
            manifest_bytes = manifest.to_json().encode("utf-8")
            archive.writestr(MANIFEST_NAME, manifest_bytes)
            if signer is not None:
                # The manifest's checksums are checked against every row at restore; signing it covers them.
                content = signatures.manifest_content(manifest_bytes)
                archive.writestr(signatures.ZIP_MEMBER, signatures.sign(signer[0], signer[1], content))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    tracker.finish(f"导出完成：{len(tables)} 张表共 {manifest.total_rows} 行")
    return manifest


@contextmanager
def _open_backup(path: Path) -> Iterator[tuple[zipfile.ZipFile, BackupManifest, bytes]]:
    _check_exists(path)
    if not zipfile.is_zipfile(path):
        raise _not_a_backup(path)
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                data = archive.read(MANIFEST_NAME)
            except KeyError:
                raise _not_a_backup(path) from None
            yield archive, BackupManifest.from_json(data, path), data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise ValidationError(f"备份文件“{path.name}”已损坏（{error}），无法恢复，请换一个备份文件") from error


def _file_rows(archive: zipfile.ZipFile, path: Path, codec: _TableCodec) -> Iterator[dict[str, Any]]:
    name = codec.table.name
    by_name = {c.name: c for c in codec.columns}
    try:
        handle: IO[bytes] = archive.open(BackupManifest.member(name))
    except KeyError:
        raise ValidationError(f"备份文件“{path.name}”缺少 {name} 表的数据，文件不完整，请换一个备份文件") from None
    with handle, io.TextIOWrapper(handle, encoding="utf-8", newline="\n") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict) or set(raw) != set(by_name):
                    raise _BrokenRow("列与本程序的数据表不符")
                row = {c.key: _decode(c, raw[c.name]) for c in codec.columns}
            except (ValueError, TypeError) as error:
                reason = str(error) if isinstance(error, _BrokenRow) else "无法解析"
                raise ValidationError(
                    f"备份文件“{path.name}”已损坏：{name} 表第 {number} 行{reason}，无法恢复，请换一个备份文件"
                ) from error
            yield row


def _zip_origin(archive: zipfile.ZipFile, manifest_bytes: bytes) -> BackupOrigin:
    try:
        info = archive.getinfo(signatures.ZIP_MEMBER)
    except KeyError:
        return signatures.verify(None, {})
    document = b"" if info.file_size > signatures.MAX_BYTES else archive.read(info)
    return signatures.verify(document, signatures.manifest_content(manifest_bytes))


def import_database(
    engine: Engine, source: Path, progress: ProgressCallback | None = None, *, accept_unsigned: bool = False
) -> BackupManifest:
    """Replaces all data in engine's database with a .govdesk-backup file's, in one transaction.

    Nothing changes unless every row went in and the checksums match the file's, and the file's signature
    holds (or accept_unsigned: the administrator's deliberate override)."""
    return _import(engine, Path(source), progress, accept_unsigned)[0]


def _import(
    engine: Engine, source: Path, progress: ProgressCallback | None, accept_unsigned: bool
) -> tuple[BackupManifest, BackupOrigin]:
    with _open_backup(source) as (archive, manifest, manifest_bytes):
        wanted = _check_current(engine, "要恢复到的数据库")
        if manifest.schema_revision != wanted:
            raise _revision_mismatch(
                manifest.schema_revision, wanted, f"备份文件“{source.name}”",
                "请用制作这个备份时的 GovDesk 版本把它恢复到一个数据库，对该数据库运行 govdesk db upgrade，"
                "再从该数据库重新备份或复制",
            )
        tables = _tables()
        expected = {t.name: [c.name for c in t.columns] for t in tables}
        if manifest.columns != {name: expected[name] for name in manifest.columns} or set(
            manifest.columns
        ) != set(expected):
            raise ValidationError(
                f"备份文件“{source.name}”的数据表与本程序不一致，可能被改动过，不能恢复，请换一个备份文件"
            )
        origin = _zip_origin(archive, manifest_bytes)
        _trusted(origin, accept_unsigned)
        tracker = _Progress(progress, manifest.total_rows * 2)
        with engine.begin() as conn:
            _clear(conn, tables, _deferred_columns(tables))
            read = _load(conn, tables, lambda codec: _batched(_file_rows(archive, source, codec)), tracker, "恢复")
            damaged = _differences(manifest.tables, read)
            if damaged:
                raise ValidationError(
                    f"备份文件“{source.name}”已损坏或被改动（{'；'.join(damaged)}），已全部撤销，"
                    "数据库没有改变，请换一个备份文件"
                )
            _fix_sequences(conn, tables)
            problems = _differences(manifest.tables, _checksums(conn, tables, tracker))
            if problems:
                raise ValidationError("恢复后核对不一致，已全部撤销，数据库没有改变：" + "；".join(problems))
            tracker.finish(f"恢复完成：{len(tables)} 张表共 {manifest.total_rows} 行")
    return manifest, origin


# ----- the entry points ------------------------------------------------------------------------------


def _backup_path(target: Path, suffix: str) -> Path:
    target = Path(target)
    if target.is_dir():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        return target / f"govdesk-{stamp}{suffix}"
    if target.name.endswith(suffix):
        return target
    return target.with_name(target.name + suffix)


def backup(
    engine: Engine, target: Path, progress: ProgressCallback | None = None, maker: BackupMaker | None = None
) -> Path:
    """A local SQLite database is copied as a file; a server database is exported to a .govdesk-backup.

    target may be a folder (a dated file name is made up) or a file name. A name ending in
    .govdesk-backup asks for the portable form on SQLite too. The backup is signed with the office key
    in maker's name; a PC without the key makes an unsigned one (the caller warns)."""
    key = load_office_key()
    signer = None if key is None else (key, maker or BackupMaker.command_line())
    portable = _backend(engine) != "sqlite" or Path(target).name.endswith(BACKUP_SUFFIX)
    path = _backup_path(target, BACKUP_SUFFIX if portable else SQLITE_SUFFIX)
    if portable:
        export_database(engine, path, progress, signer)
    else:
        sqlite_online_backup(engine, path, progress, signer)
    return path


def restore(
    engine: Engine, source: Path, progress: ProgressCallback | None = None, *, accept_unsigned: bool = False
) -> BackupOrigin:
    """Replaces the database's data with a backup: a .govdesk-backup file or a SQLite backup file.

    A backup whose signature does not hold for this office's key is refused unless accept_unsigned; the
    origin returned says what was restored, for the caller's audit record."""
    source = Path(source)
    _check_exists(source)
    if _is_sqlite_file(source):
        return _restore_sqlite_file(engine, source, progress, accept_unsigned)
    return _import(engine, source, progress, accept_unsigned)[1]


def copy_database(source: Engine, target: Engine, progress: ProgressCallback | None = None) -> CopyReport:
    """Copies everything to a new, empty database (typically from the local file to a LAN server) and
    compares row counts and checksums of every table on both sides."""
    revision = _check_current(source, "源数据库")
    _check_copy_target(target, revision)
    read, written = _transfer(source, target, progress, "复制", strict=False)
    comparisons = [TableComparison.of(name, checksum, written.get(name)) for name, checksum in read.items()]
    return CopyReport(comparisons, all(c.ok for c in comparisons))


def _check_copy_target(target: Engine, revision: str) -> None:
    status = check_schema(target)
    if status.state == "empty":
        raise ValidationError("目标数据库还没有建表。请先对目标数据库运行 govdesk db upgrade，再复制")
    if status.state == "unversioned":
        raise ValidationError("目标数据库里有别的程序的表，不是 GovDesk 数据库。请新建一个空数据库，运行 govdesk db upgrade 后再复制")
    if status.database_revision != revision:
        raise ValidationError(
            f"目标数据库的结构版本是 {status.database_revision}，源数据库是 {revision}，两者必须相同。"
            "请先对目标数据库运行 govdesk db upgrade（两边要用同一版本的本程序），再复制"
        )
    with target.connect() as conn:
        counts = _row_counts(conn, [t for t in _tables() if t.name not in SEEDED_TABLES])
    filled = [f"{name} 表 {rows} 行" for name, rows in counts.items() if rows]
    if filled:
        raise ValidationError(
            f"目标数据库里已经有数据（{'、'.join(filled[:5])}{'等' if len(filled) > 5 else ''}），"
            "为免覆盖，只能复制到空数据库。请新建一个空数据库并运行 govdesk db upgrade 后再复制；"
            "如果确实要用本机数据替换它，请先备份目标数据库，再用“恢复”功能"
        )


__all__ = [
    "BACKUP_SUFFIX",
    "SQLITE_SUFFIX",
    "BackupManifest",
    "CopyReport",
    "ProgressCallback",
    "TableChecksum",
    "TableComparison",
    "backup",
    "inspect_backup",
    "copy_database",
    "export_database",
    "import_database",
    "restore",
    "sqlite_online_backup",
    "table_checksums",
]
