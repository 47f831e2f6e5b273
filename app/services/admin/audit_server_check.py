"""audit verify on PostgreSQL and MariaDB: each entry's hash recomputed by the server, where the entries are.

Each entry holds the hash it links to (prev_hash), so whether it hashes right and whether it links to the
entry before it can be asked of one batch at a time, in SQL: the server writes the payload entry_hash
hashed (json of [seq, at, user_id, username, action, entity_type, entity_id, detail], as json.dumps writes
it), hashes it with its own SHA-256 and compares. A batch hands back only its first and last entries, the
anchored ones and any the server found wrong, not 5,000 rows for the driver to decode in Python (which cost
more than the hashing). The walk still checks in Python that the batch's first entry is the one it expects
and links to the last one it checked, and a batch with anything wrong is read again through the table's
types, which names the problems: the server's answer only ever lets a batch through faster, it never
passes one the exact reading would fail, short of a SHA-256 collision.

The batches are ranges of seq, not "the next 5,000 after the last one read", so that two of them can be
checked at once, each on a connection of its own: the server hashes on two cores, and the walk takes the
batches in order. A range that a deletion emptied yields nothing; the next batch's first entry then does
not follow, and the exact reading names the gap."""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, text
from sqlalchemy.exc import DBAPIError

from app.services.kernel.uow import UnitOfWork

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def json_text(column: str) -> str:
    """A string column as json.dumps writes it (MySQL's literals take backslash escapes: '\\\\' is one
    backslash), but for control characters, which MariaDB's REPLACE leaves as they are: such an entry
    hashes wrong here and its batch is read again the exact way."""
    return rf"""'"', REPLACE(REPLACE({column}, '\\', '\\\\'), '"', '\\"'), '"'"""


# isoformat() of the naive UTC datetime, "+00:00" after it; no microseconds at a whole second.
MYSQL_PAYLOAD = (
    "CONCAT('[', seq, ',\"', "
    "DATE_FORMAT(at, IF(MICROSECOND(at) = 0, '%Y-%m-%dT%H:%i:%s', '%Y-%m-%dT%H:%i:%s.%f')), '+00:00\",', "
    f"IFNULL(user_id, 'null'), ',', {json_text('username')}, ',', {json_text('action')}, ',', "
    f"{json_text('entity_type')}, ',', IFNULL(entity_id, 'null'), ',', {json_text('detail')}, ']')"
)

# PostgreSQL's to_json escapes a string as json.dumps(ensure_ascii=False) does (\" \\ \b \f \n \r \t, other
# control characters as \u00xx). A timestamp's text drops the fraction's trailing zeros ("08:30:00.5"), which
# isoformat() keeps: the fraction is padded back to six digits (to_char would cost the server more).
_PG_AT = "replace(CASE WHEN length(at::text) = 19 THEN at::text ELSE rpad(at::text, 26, '0') END, ' ', 'T')"
_PG_PAYLOAD = (
    f"'[' || seq || ',\"' || {_PG_AT} || '+00:00\",' || COALESCE(user_id::text, 'null') || ',' "
    "|| to_json(username)::text || ',' || to_json(action)::text || ',' || to_json(entity_type)::text || ',' "
    "|| COALESCE(entity_id::text, 'null') || ',' || to_json(detail)::text || ']'"
)

# pg_catalog named: a function called sha256 that someone made in another schema is not the one asked.
_HASH = {
    "postgresql": f"encode(pg_catalog.sha256(convert_to(prev_hash || {_PG_PAYLOAD}, 'UTF8')), 'hex')",
    "mysql": f"SHA2(CONCAT(prev_hash, {MYSQL_PAYLOAD}), 256)",
}
_PROBE = {
    "postgresql": "SELECT encode(pg_catalog.sha256(convert_to('', 'UTF8')), 'hex')",
    "mysql": "SELECT SHA2('', 256)",
}


def _same(dialect: str, left: str, right: str) -> str:
    # MariaDB's string comparison ignores case and trailing spaces: a hash must match byte for byte.
    if dialect == "mysql":
        return f"CAST({left} AS BINARY) = CAST({right} AS BINARY)"
    return f"{left} = {right}"


def _family(uow: UnitOfWork) -> str | None:
    name = uow.dialect_name
    if name == "postgresql":
        return name
    if name in ("mysql", "mariadb"):
        return "mysql"
    return None


def server_check(uow: UnitOfWork, wanted: Iterable[int]) -> TextClause | None:
    """The statement that checks the entries after :after up to :until on this server, or None where the
    server cannot hash (SQLite; a server without SHA-256): there the walk hashes the rows itself.

    It returns (seq, prev_hash, hash, hashes_right, linked) for the batch's first and last entries, the
    wanted (anchored) ones and any that hash wrong or do not follow the one before (the next seq, linked to
    its hash); hashes_right and linked are 1 or 0, and linked is 0 for the batch's first entry, whose link
    the walk checks. The hash is computed as the batch is read, so the window functions that look at the
    entry before and after carry four short columns, not the detail."""
    dialect = _family(uow)
    if dialect is None:
        return None
    try:
        if uow.execute(text(_PROBE[dialect])).scalar() != EMPTY_SHA256:
            return None
    except DBAPIError:
        return None
    anchored = ", ".join(str(int(seq)) for seq in sorted(set(wanted)))
    keep_anchored = f" OR seq IN ({anchored})" if anchored else ""
    hashes_right = _same(dialect, "hash", _HASH[dialect])
    linked = f"{_same(dialect, 'prev_hash', 'LAG(hash) OVER w')} AND seq = LAG(seq) OVER w + 1"
    return text(
        "SELECT seq, prev_hash, hash, hashes_right, linked FROM ("
        f" SELECT seq, prev_hash, hash, hashes_right, CASE WHEN {linked} THEN 1 ELSE 0 END AS linked,"
        " LEAD(seq) OVER w AS next_seq"
        f" FROM (SELECT seq, prev_hash, hash, CASE WHEN {hashes_right} THEN 1 ELSE 0 END AS hashes_right"
        " FROM audit_log WHERE seq > :after AND seq <= :until) batch"
        " WINDOW w AS (ORDER BY seq)"
        ") checked"
        f" WHERE hashes_right = 0 OR linked = 0 OR next_seq IS NULL{keep_anchored}"
        " ORDER BY seq"
    )


# Batches checked at once, each on its own connection: the server's hashing is the whole of the time.
CONNECTIONS = 2
Rows = list[tuple[Any, ...]]


class RangeChecker:
    """Checks the log's ranges of seq on connections of its own, CONNECTIONS at a time, and hands back what
    the server said of each, in order. Each connection is used by one thread only; leaving waits for the
    ranges still being checked and closes the connections (cancelled or failed, too)."""

    def __init__(self, engine: Engine, statement: TextClause, batch: int) -> None:
        self._engine, self._statement, self._batch = engine, statement, batch
        self._local = threading.local()
        self._connections: list[Connection] = []
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=CONNECTIONS, thread_name_prefix="audit-verify")

    def _connection(self) -> Connection:
        connection: Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._engine.connect()
            with self._lock:
                self._connections.append(connection)
        return connection

    def _check(self, after: int) -> Rows:
        result = self._connection().execute(self._statement, {"after": after, "until": after + self._batch})
        try:
            return [tuple(row) for row in result]
        finally:
            result.close()

    def batches(self, highest: Callable[[], int]) -> Iterator[Rows]:
        """What the server said of each range from the first entry to the highest seq, in order (a range
        with no entries yields nothing). `highest` is asked again once those are done, so that entries
        written meanwhile are checked too."""
        after, top = 0, highest()
        pending: deque[Future[Rows]] = deque()
        while True:
            while len(pending) < CONNECTIONS and after < top:
                pending.append(self._pool.submit(self._check, after))
                after += self._batch
            if pending:
                rows = pending.popleft().result()
                if rows:
                    yield rows
                continue
            top = highest()
            if after >= top:
                return

    def __enter__(self) -> RangeChecker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for connection in self._connections:
            connection.close()
