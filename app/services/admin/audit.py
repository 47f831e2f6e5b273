"""The audit log's query and verify side: the viewer's pages and the check of the hash chain.

Entries are appended by app.services.kernel.audit_chain, at every commit."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring  # json.dumps's own string encoder with ensure_ascii=False
from typing import Any, Unpack, cast

from sqlalchemy import CursorResult, Result, TextClause, func, select, text
from sqlalchemy.exc import DBAPIError

from app.core.errors import WorkCancelled
from app.core.roles import Role
from app.db.office_key import OfficeKey
from app.db.tables import audit_log
from app.services.admin.audit_server_check import MYSQL_PAYLOAD, RangeChecker, server_check
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.audit_anchors import Anchor, stored_anchors
from app.services.kernel.audit_chain import AUDIT_SEQUENCE, GENESIS_HASH, entry_hash
from app.services.kernel.sequences import current_number
from app.services.kernel.uow import UnitOfWork

CANCELLED = "已取消核验"


@dataclass(frozen=True)
class ChainProblem:
    """One break in the audit chain, by entry number."""

    seq: int
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the audit chain, and what its anchors said (notes: not problems)."""

    checked: int
    problems: tuple[ChainProblem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            lines = [f"审计日志完整：共核对 {self.checked} 条记录，未发现删除或篡改"]
        else:
            lines = [f"审计日志发现 {len(self.problems)} 处问题（共核对 {self.checked} 条）："]
            lines += [f"  第 {p.seq} 条：{p.message}" for p in self.problems[:50]]
        return "\n".join(lines + list(self.notes))


def _anchor_name(anchor: Anchor, from_file: bool) -> str:
    made = anchor.at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{'锚点文件' if from_file else '锚点'}（{made}，{anchor.made_by}）"


def _check_anchors(
    key: OfficeKey | None, stored: list[Anchor], exported: Anchor | None,
    hashes: dict[int, str], last_seq: int,
) -> tuple[list[ChainProblem], list[str]]:
    """Each anchor against the chain as it is now: a signature the key does not verify is a forged or
    altered anchor; an anchored entry with another hash was rewritten, the chain recomputed after it;
    a chain that stops before an anchor's seq lost its end."""
    candidates = [(a, False) for a in stored] + ([(exported, True)] if exported is not None else [])
    if key is None:
        # Said even when the table holds no anchor: someone may have emptied it.
        return [], ["本机没有办公室密钥，无法核对审计日志锚点：以上只说明日志自身前后一致，不能排除被整体重算或截去末尾。"
                    "请在有办公室密钥的电脑上核验，或导入密钥（govdesk key import）"]
    problems: list[ChainProblem] = []
    valid: list[tuple[Anchor, bool]] = []
    for anchor, from_file in candidates:
        name = _anchor_name(anchor, from_file)
        if anchor.fingerprint != key.fingerprint:
            problems.append(ChainProblem(anchor.seq, f"{name}由另一把密钥（指纹 {anchor.fingerprint}）签名，"
                                         f"与本机办公室密钥（指纹 {key.fingerprint}）不符：锚点是伪造的，或本机的密钥不是办公室的密钥"))
        elif not anchor.signed_by(key):
            problems.append(ChainProblem(anchor.seq, f"{name}的签名不符：锚点被伪造或篡改"))
        else:
            valid.append((anchor, from_file))
    for anchor, from_file in valid:
        name = _anchor_name(anchor, from_file)
        if last_seq < anchor.seq:
            problems.append(ChainProblem(last_seq + 1, f"日志末尾被截去：{name}记录到第 {anchor.seq} 条（共 {anchor.count} 条），"
                                         f"现在只到第 {last_seq} 条"))
        elif anchor.seq in hashes and hashes[anchor.seq] != anchor.head_hash:
            problems.append(ChainProblem(anchor.seq, f"校验值与{name}不符：该条或之前的记录被改写，其后的校验值被重新计算"))
    notes: list[str] = []
    if not valid:
        notes.append("还没有有效的审计日志锚点：无法排除日志被整体重算或截去末尾。管理员可点“生成锚点”（govdesk audit anchor）")
    else:
        newest, from_file = max(valid, key=lambda item: (item[0].seq, item[0].at))
        notes.append(f"最新的有效锚点：{_anchor_name(newest, from_file)}，第 {newest.seq} 条，密钥指纹 {newest.fingerprint}")
    return problems, notes


# How each database hands over the entries for the walk to hash, as plain tuples, where the server does not
# hash them itself (SQLite; see audit_server_check). Each side stores naive UTC, and
# entry_hash hashed the aware datetime's isoformat(): the same text with "+00:00" after it, and no
# microseconds at a whole second. PostgreSQL's column comes as psycopg's naive datetime (to_char would cost
# the server some 10 µs an entry); SQLite's as the text SQLAlchemy wrote ("2026-12-06 23:00:00.123456").
_COLUMNS = "SELECT seq, {at}, user_id, username, action, entity_type, entity_id, detail, prev_hash, hash FROM audit_log"
_AT = {"sqlite": "replace(at, ' ', 'T')", "postgresql": "at"}


# PyMySQL reads each column of each row in Python: where the server cannot hash, it still writes the json
# list (entry_hash's payload after prev_hash) and four columns come back, not ten.
_MYSQL_TAIL = f"SELECT seq, prev_hash, hash, {MYSQL_PAYLOAD} FROM audit_log"
_CONTROL = re.compile(r"[\x00-\x1f]")


# SQLite's json_array writes what json.dumps writes (its separators, its escapes, the text as it is), in C:
# four columns come back instead of ten, about 2 µs an entry less. At a whole second isoformat() has no
# microseconds.
_SQLITE_TAIL = (
    "SELECT seq, prev_hash, hash, json_array(seq, CASE WHEN substr(at, 20) = '.000000' "
    "THEN replace(substr(at, 1, 19), ' ', 'T') ELSE replace(at, ' ', 'T') END || '+00:00', "
    "user_id, username, action, entity_type, entity_id, detail) FROM audit_log"
)


_SQLITE_JSON_PROBE = "SELECT json_array(1)"


def _fast_walk(uow: UnitOfWork, chain: _Chain) -> tuple[TextClause, Callable[[Sequence[tuple[Any, ...]]], bool]]:
    """The statement that reads a batch for this database, where the server does not check the entries
    itself, and the walk that checks its rows."""
    dialect = uow.dialect_name
    if dialect == "sqlite":
        try:
            uow.execute(text(_SQLITE_JSON_PROBE))
        except DBAPIError:  # an SQLite built without its JSON functions (before 3.38 they were optional)
            pass
        else:
            return _batch(_SQLITE_TAIL), chain.walk_tail
    if dialect in _AT:
        return _batch(_COLUMNS.format(at=_AT[dialect])), chain.walk_fast
    return _batch(_MYSQL_TAIL), chain.walk_tail


def _batch(select_from: str) -> TextClause:
    return text(select_from + " WHERE seq > :after ORDER BY seq LIMIT :batch")


ChainProgress = Callable[[int, int], None]
# Entries read at a time: few round trips, a few MB in memory, and progress about 20 times on 100,000.
VERIFY_BATCH = 5000


def _plain_rows(result: Result[Unpack[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    """The DB-API cursor's own tuples: SQLAlchemy's Row for each would cost about 1 µs an entry. The
    statement went through SQLAlchemy (its events, its errors); psycopg and PyMySQL have every row in
    memory by then, and SQLite reads a local file."""
    cursor = cast(CursorResult[Unpack[tuple[Any, ...]]], result).cursor
    try:
        return list(cursor.fetchall())
    finally:
        result.close()


class _BatchReader:
    """Reads the batches of the log; on a server the next one in a thread while the walk checks this one, so the
    server's time producing it (about 7 µs an entry on PostgreSQL) is spent while the walk hashes (about 10).
    The connection is used by one thread at a time: the walk waits for the reader before reading itself, and
    leaving the walk (done, cancelled or failed) waits for a batch still being read."""

    def __init__(self, read: Callable[[int], list[tuple[Any, ...]]], overlapped: bool) -> None:
        self._read = read
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-verify") if overlapped else None
        self._pending: Future[list[tuple[Any, ...]]] | None = None
        self._after: int | None = None

    def first(self, after: int) -> list[tuple[Any, ...]]:
        return self._read(after)

    def ask_after(self, after: int) -> None:
        """The batch after this entry is wanted next."""
        self._after = after
        if self._pool is not None:
            self._pending = self._pool.submit(self._read, after)

    def wait(self) -> None:
        if self._pending is not None:
            self._pending.exception()

    def next_rows(self) -> list[tuple[Any, ...]]:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            return pending.result()
        assert self._after is not None
        return self._read(self._after)

    def __enter__(self) -> _BatchReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self.wait()
            self._pool.shutdown(wait=True)


class _Chain:
    """Where the walk is: the next seq and hash it expects, what it found, the anchored entries' hashes."""

    def __init__(self, wanted: set[int]) -> None:
        self.wanted = wanted
        self.hashes: dict[int, str] = {}
        self.problems: list[ChainProblem] = []
        self.expected_seq = 1
        self.prev_hash = GENESIS_HASH
        self.checked = 0
        self.last_seq = 0
        # json of [user_id, username, action, entity_type] without its brackets, by those four values: an
        # office has a few hundred of them, so each is encoded once.
        self.middles: dict[tuple[Any, ...], str] = {}

    def walk_fast(self, rows: Sequence[tuple[Any, ...]]) -> bool:
        """The batch's rows as plain tuples (seq, at as text or naive datetime, user_id, username, action,
        entity_type, entity_id, detail, prev_hash, hash): True when every one is the next in the chain, linked
        and with its hash, and then the walk is past them. False, with nothing changed, at the first row that
        is not (or is of a type the writer never writes): walk_exact then reads the batch the way it was
        written and says what is wrong. The payload is built as entry_hash builds it (json.dumps of a list is
        its items' json joined by commas) from what the driver decoded: no ORM, one encode per row."""
        expected, prev, middles, encode_text, sha256 = self.expected_seq, self.prev_hash, self.middles, encode_basestring, hashlib.sha256
        try:
            for seq, at, user_id, username, action, entity_type, entity_id, detail, prev_hash, stored in rows:
                if seq != expected or prev_hash != prev:
                    return False
                middle = middles.get((user_id, username, action, entity_type))
                if middle is None:
                    middle = middles[(user_id, username, action, entity_type)] = _json_items(user_id, username, action, entity_type)
                if type(entity_id) is not int:
                    if entity_id is not None:
                        return False
                    entity_id = "null"
                if type(at) is str:
                    if at.endswith(".000000"):
                        at = at[:-7]
                else:
                    at = at.isoformat()
                payload = f'{prev}[{seq},"{at}+00:00",{middle},{entity_id},{encode_text(detail)}]'
                if sha256(payload.encode("utf-8")).hexdigest() != stored:
                    return False
                prev, expected = stored, seq + 1
        except (TypeError, AttributeError, UnicodeEncodeError):  # a value of a type the writer never writes
            return False
        self._passed(rows, expected, prev, 9)
        return True

    def walk_tail(self, rows: Sequence[tuple[Any, ...]]) -> bool:
        """As walk_fast, for rows (seq, prev_hash, hash, the payload's json list as the database wrote it).
        A control character in it means a string the database did not escape as json.dumps does (MariaDB's
        REPLACE leaves them): the batch is read again the typed way."""
        expected, prev, control, sha256 = self.expected_seq, self.prev_hash, _CONTROL.search, hashlib.sha256
        try:
            for seq, prev_hash, stored, tail in rows:
                if seq != expected or prev_hash != prev or control(tail) is not None:
                    return False
                if sha256((prev + tail).encode("utf-8")).hexdigest() != stored:
                    return False
                prev, expected = stored, seq + 1
        except (TypeError, UnicodeEncodeError):  # no list written (a NULL), or not text
            return False
        self._passed(rows, expected, prev, 2)
        return True

    def walk_checked(self, rows: Sequence[tuple[Any, ...]]) -> bool:
        """As walk_fast, for what the server said of a batch (audit_server_check): its first and last entries,
        the anchored ones and any it found wrong, as (seq, prev_hash, hash, hashes_right, linked). Every
        entry after the first that the server did not hand back follows the one before it, seq and hash,
        so the batch is the entries from the first seq to the last, none missing."""
        first_seq, first_prev = rows[0][0], rows[0][1]
        if first_seq != self.expected_seq or first_prev != self.prev_hash:
            return False
        for seq, _prev, _stored, hashes_right, linked in rows:
            if hashes_right != 1 or (linked != 1 and seq != first_seq):
                return False
        for seq, _prev, stored, _right, _linked in rows:
            if seq in self.wanted:
                self.hashes[seq] = stored
        last_seq, last_hash = rows[-1][0], rows[-1][2]
        self.checked += last_seq - first_seq + 1
        self.expected_seq, self.prev_hash, self.last_seq = last_seq + 1, last_hash, last_seq
        return True

    def _passed(self, rows: Sequence[tuple[Any, ...]], expected: int, prev: str, hash_column: int) -> None:
        first = self.expected_seq
        for seq in self.wanted:
            if first <= seq < expected:
                self.hashes[seq] = rows[seq - first][hash_column]
        self.checked += len(rows)
        self.expected_seq, self.prev_hash, self.last_seq = expected, prev, expected - 1

    def walk_exact(self, uow: UnitOfWork, until: int) -> None:
        """The entries after last_seq up to `until`, read through the table's types (the datetime as the
        writer had it) and checked one by one, saying what is wrong."""
        log = audit_log.c
        rows = uow.execute(select(audit_log).where(log.seq > self.last_seq, log.seq <= until).order_by(log.seq)).all()
        for row in rows:
            self.checked += 1
            if row.seq != self.expected_seq:
                self.problems.append(ChainProblem(self.expected_seq, f"缺少第 {self.expected_seq}–{row.seq - 1} 条记录（已被删除）"))
            if row.prev_hash != self.prev_hash:
                self.problems.append(ChainProblem(row.seq, "与前一条记录的链接不符"))
            recomputed = entry_hash(
                row.prev_hash, row.seq, row.at, row.user_id, row.username, row.action,
                row.entity_type, row.entity_id, row.detail,
            )
            if recomputed != row.hash:
                self.problems.append(ChainProblem(row.seq, "内容与校验值不符（已被修改）"))
            if row.seq in self.wanted:
                self.hashes[row.seq] = row.hash
            self.prev_hash = row.hash
            self.expected_seq = row.seq + 1
            self.last_seq = row.seq


def _highest_seq(uow: UnitOfWork) -> int:
    return int(uow.execute(select(func.max(audit_log.c.seq))).scalar() or 0)


def _walk_batches(uow: UnitOfWork, chain: _Chain, batch: int, walk_batch: Callable[..., None]) -> None:
    """The walk where the server does not check the entries: it reads them, the next batch after the last
    entry read, and hashes them here."""
    query, walk = _fast_walk(uow, chain)

    def read(after: int) -> list[tuple[Any, ...]]:
        return _plain_rows(uow.execute(query, {"after": after, "batch": batch}))

    with _BatchReader(read, overlapped=uow.dialect_name != "sqlite") as reader:
        rows = reader.first(chain.last_seq)
        while rows:
            reader.ask_after(rows[-1][0])
            # The connection is the reader's until its batch is in.
            walk_batch(rows, walk, before_exact=reader.wait)
            rows = reader.next_rows()


def _json_items(*values: Any) -> str:
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))[1:-1]


def verify_chain(
    uow: UnitOfWork,
    batch: int = VERIFY_BATCH,
    *,
    key: OfficeKey | None = None,
    anchor_file: Anchor | None = None,
    progress: ChainProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ChainReport:
    """Walks the chain in order; a deleted row shows as a gap, an altered one as a wrong hash. Then the
    anchors, with the office key: a recomputed chain and a cut end show against them.

    The entries are read in batches of plain tuples; a batch that is all in order is checked without the
    ORM's types (a few µs an entry), and one that is not is read again the usual way, which names the
    problems. `progress(done, total)` is called before the first batch and after each one (it may raise
    WorkCancelled to stop); `cancelled()` true between batches raises WorkCancelled. Nothing is written
    either way."""
    stored = stored_anchors(uow)
    wanted = {a.seq for a in stored} | ({anchor_file.seq} if anchor_file is not None else set())
    chain = _Chain(wanted)
    # The total for the progress: the entries issued so far (a cut end is not in the table to count).
    total = current_number(uow, AUDIT_SEQUENCE, 0)
    if progress is not None:
        progress(0, total)

    def walk_batch(rows: Sequence[tuple[Any, ...]], walk: Callable[[Sequence[tuple[Any, ...]]], bool],
                   before_exact: Callable[[], None] = lambda: None) -> None:
        if cancelled is not None and cancelled():
            raise WorkCancelled(CANCELLED)
        if not walk(rows):
            before_exact()
            chain.walk_exact(uow, rows[-1][0])
        if progress is not None:
            progress(chain.checked, max(total, chain.checked))

    checked_by_server = server_check(uow, chain.wanted)
    if checked_by_server is not None:
        with RangeChecker(uow.engine, checked_by_server, batch) as checker:
            for rows in checker.batches(lambda: _highest_seq(uow)):
                walk_batch(rows, chain.walk_checked)
    else:
        _walk_batches(uow, chain, batch, walk_batch)
    issued = current_number(uow, AUDIT_SEQUENCE, 0)
    problems = chain.problems
    if issued >= chain.expected_seq:
        problems.append(ChainProblem(chain.expected_seq, f"最后 {issued - chain.expected_seq + 1} 条记录缺失（已被删除）"))
    anchor_problems, notes = _check_anchors(key, stored, anchor_file, chain.hashes, chain.last_seq)
    return ChainReport(chain.checked, tuple(problems + anchor_problems), tuple(notes))


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the viewer lists it: the stored codes, and what a person reads (who, the
    record's kind and number or title, the changes as 字段：旧值 → 新值)."""

    seq: int
    at: datetime
    username: str
    action: str
    action_label: str
    entity_type: str
    entity_id: int | None
    detail: dict[str, Any]
    who: str = ""
    subject: str = ""
    description: str = ""


@acting
def verify(
    uow: UnitOfWork,
    actor: Actor,
    key: OfficeKey | None = None,
    anchor_file: Anchor | None = None,
    progress: ChainProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ChainReport:
    require_role(actor, [Role.ADMIN], "核验审计日志")
    return verify_chain(uow, VERIFY_BATCH, key=key, anchor_file=anchor_file, progress=progress, cancelled=cancelled)


@acting
def list_entries(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[AuditRow], int]:
    """A page of the log, newest first, with the total that matches the filters."""
    require_role(actor, [Role.ADMIN], "查看审计日志")
    # Here, not at the top: `govdesk audit verify` imports this module and needs neither.
    from app.services.admin.audit_text import ACTION_LABELS, Entry, describe, load_names, subject, who
    from app.services.workflow.worklist import search_text

    username, action, entity_type = (
        search_text(value, field) for value, field in
        ((username, "username"), (action, "action"), (entity_type, "entity_type"))
    )
    log = audit_log.c
    query = select(audit_log, func.count().over().label("total"))
    if username:
        query = query.where(log.username == username)
    if action:
        query = query.where(log.action == action)
    if entity_type:
        query = query.where(log.entity_type == entity_type)
    if since:
        query = query.where(log.at >= since)
    if until:
        query = query.where(log.at < until)
    rows = uow.execute(query.order_by(log.seq.desc()).offset(offset).limit(limit)).all()
    total = int(rows[0].total) if rows else 0
    entries = [
        Entry(e.user_id, e.username, e.action, e.entity_type, e.entity_id, json.loads(e.detail or "{}")) for e in rows
    ]
    names = load_names(uow, entries)
    return [
        AuditRow(
            seq=e.seq,
            at=e.at,
            username=e.username,
            action=e.action,
            action_label=ACTION_LABELS.get(e.action, e.action),
            entity_type=e.entity_type,
            entity_id=e.entity_id,
            detail=dict(entry.detail),
            who=who(entry, names),
            subject=subject(entry, names),
            description=describe(entry, names),
        )
        for e, entry in zip(rows, entries, strict=True)
    ], total
