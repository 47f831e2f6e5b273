"""Blobs to MariaDB/MySQL at their own size, and the server's packet limit measured against what is sent.

PyMySQL writes every ``bytes`` parameter as hex (``X'…'``), which doubles it on the wire: an attachment
larger than half of the server's ``max_allowed_packet`` made the server drop the connection (error 2006).
The cursor here writes bytes as a binary string literal, ``_binary'…'``, with only the backslash and the
quote escaped, so a blob travels at its own size (random data grows by about 0.8 %).

Why that is safe: the connection speaks utf8mb4, in which no byte of a multi-byte character is ever an
ASCII backslash or quote, so the server's parser cannot mistake part of the blob for the end of the
literal; the ``_binary`` introducer makes the server keep the bytes as they are.

PyMySQL is imported only when a MySQL database is used (as app.db.tables does for the dialect).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

# The rest of an INSERT of one attachment: the column names and the other values (a file name of up to
# 255 characters is at most about 2 KiB escaped). Generous, so that nothing but the blob can tip it over.
ROW_ALLOWANCE = 16 * 1024

_LIMIT_KEY = "govdesk_max_allowed_packet"
# The server status flag PyMySQL keeps from each reply (pymysql.constants.SERVER_STATUS).
_NO_BACKSLASH_ESCAPES = 512


def escaped_blob(data: bytes, no_backslash_escapes: bool = False) -> bytes:
    """The literal that carries data in a statement."""
    if no_backslash_escapes:
        body = data.replace(b"'", b"''")
    else:
        body = data.replace(b"\\", b"\\\\").replace(b"'", b"\\'")
    return b"_binary'" + body + b"'"


def blob_wire_size(data: bytes, no_backslash_escapes: bool = False) -> int:
    """len(escaped_blob(data)) without building it."""
    extra = data.count(b"'") + (0 if no_backslash_escapes else data.count(b"\\"))
    return len(data) + extra + len("_binary''")


@dataclass(frozen=True)
class PacketLimit:
    """The largest statement the server takes from this connection (its max_allowed_packet)."""

    max_allowed_packet: int
    no_backslash_escapes: bool

    def wire_size(self, data: bytes) -> int:
        """What one row holding data costs on the wire, the other columns included."""
        return blob_wire_size(data, self.no_backslash_escapes) + ROW_ALLOWANCE

    def fits(self, data: bytes) -> bool:
        return self.wire_size(data) <= self.max_allowed_packet

    @property
    def largest_blob(self) -> int:
        """The largest blob of ordinary (random, compressed) data that still fits, for a message."""
        return max(0, int((self.max_allowed_packet - ROW_ALLOWANCE) / (1 + 2 / 256)))


def mb(size: int) -> str:
    """A size in MB for a message: 3.6, 50, 64."""
    value = size / 1024 / 1024
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def advised_packet_mb(needed: int) -> int:
    """The max_allowed_packet to ask the administrator for: the README's 64M, or the next power of two
    above what the largest statement needs."""
    advised = 64
    while advised * 1024 * 1024 < needed:
        advised *= 2
    return advised


def packet_limit(conn: Connection) -> PacketLimit | None:
    """Readies a MariaDB/MySQL connection to send blobs at their own size and returns its packet limit;
    None on other databases.

    The limit is read once per pooled connection (the server fixes a session's max_allowed_packet when it
    connects), so adding attachments costs no extra round trip after the first."""
    if conn.dialect.name != "mysql":
        return None
    dbapi_connection: Any = conn.connection.dbapi_connection
    use_blob_cursor(dbapi_connection)
    packet = conn.info.get(_LIMIT_KEY)
    if packet is None:
        packet = int(conn.execute(text("SELECT @@max_allowed_packet")).scalar_one())
        conn.info[_LIMIT_KEY] = packet
    escapes_off = bool(getattr(dbapi_connection, "server_status", 0) & _NO_BACKSLASH_ESCAPES)
    return PacketLimit(packet, escapes_off)


def use_blob_cursor(dbapi_connection: Any) -> None:
    """Makes a PyMySQL connection's cursors send bytes as ``_binary'…'`` from now on (for its life in the
    pool: the form means the same to the server, only shorter)."""
    cursor_class = blob_cursor_class()
    if dbapi_connection.cursorclass is not cursor_class and _is_pymysql(dbapi_connection):
        dbapi_connection.cursorclass = cursor_class


def _is_pymysql(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.split(".")[0] == "pymysql"


@functools.cache
def blob_cursor_class() -> type[Any]:
    import pymysql.cursors

    class BlobCursor(pymysql.cursors.Cursor):
        """A PyMySQL cursor whose statements are bytes, with blobs in them as they are."""

        def _mogrify(self, query: str | bytes, args: Any) -> bytes:
            db = self._get_db()
            encoding: str = db.encoding
            escapes_off = bool(db.server_status & _NO_BACKSLASH_ESCAPES)

            def literal(value: Any) -> bytes:
                if isinstance(value, (bytes, bytearray, memoryview)):
                    return escaped_blob(bytes(value), escapes_off)
                return str(db.escape(value)).encode(encoding)

            sql = query.encode(encoding) if isinstance(query, str) else query
            if isinstance(args, dict):
                return sql % {str(k).encode(encoding): literal(v) for k, v in args.items()}
            if isinstance(args, (list, tuple)):
                return sql % tuple(literal(v) for v in args)
            return sql % literal(args)

        def _do_execute_many(
            self, prefix: str | bytes, values: str, postfix: str | bytes, args: Any, max_stmt_length: int,
            encoding: str,
        ) -> int:
            # PyMySQL's own joins rows of str; these rows are bytes already. Same batching, by length.
            encoding = self._get_db().encoding
            head = prefix.encode(encoding) if isinstance(prefix, str) else prefix
            tail = postfix.encode(encoding) if isinstance(postfix, str) else postfix
            rows = 0
            sql = bytearray()
            for arg in args:
                row = self._mogrify(values, arg)
                if sql and len(sql) + len(row) + len(tail) + 1 > max_stmt_length:
                    rows += self.execute(bytes(sql + tail))
                    sql = bytearray()
                sql += (b"," if sql else head) + row
            if sql:
                rows += self.execute(bytes(sql + tail))
            self.rowcount = rows
            return rows

    return BlobCursor
