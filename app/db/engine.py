"""Engines for a local SQLite file or a LAN PostgreSQL / MariaDB server."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError

from app.core.errors import ValidationError

APP_DIR_NAME = "GovDesk"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def data_dir() -> Path:
    override = os.environ.get("GOVDESK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def default_sqlite_path() -> Path:
    return data_dir() / "govdesk.sqlite3"


def default_database_url() -> str:
    return f"sqlite:///{default_sqlite_path()}"


# A password with @ (or :, /, #, ?, %) written as it is into a URL splits it in the wrong place: the rest of
# the password becomes the host, and the server seems unreachable.
PASSWORD_SPECIAL_CHARACTERS = (
    "数据库地址中的密码含有 @ 等特殊字符，地址因此被拆错了：请把密码中的特殊字符改写成百分号编码"
    "（@ 写成 %40，# 写成 %23，: 写成 %3A，/ 写成 %2F，% 写成 %25），"
    "或者地址中不写密码，改用 --db-password-stdin 从标准输入给出密码"
)


def _without_password(url: str | URL) -> str:
    """The URL as typed, its password (if it can be told) replaced by ***, for a message."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(url))


def normalize_url(url: str | URL) -> URL:
    """Pins the drivers this program ships: psycopg 3 for PostgreSQL and PyMySQL (utf8mb4) for MariaDB."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        raise ValidationError(
            f"数据库地址“{_without_password(url)}”格式不正确，例如：sqlite:///D:/govdesk.sqlite3 或 "
            "postgresql://用户名@服务器:5432/数据库名",
            field="database",
        ) from None
    except ValueError:  # a port that is not a number: what a password with @ or : leaves behind
        raise ValidationError(PASSWORD_SPECIAL_CHARACTERS, field="database") from None
    if parsed.host and "@" in parsed.host:
        raise ValidationError(PASSWORD_SPECIAL_CHARACTERS, field="database")
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend in ("mysql", "mariadb"):
        parsed = parsed.set(drivername="mysql+pymysql")
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    elif backend != "sqlite":
        raise ValidationError(
            f"不支持“{backend}”数据库，请使用本机 SQLite 文件、PostgreSQL 或 MariaDB/MySQL", field="database"
        )
    return parsed


def describe_url(url: str | URL) -> str:
    """Where the data lives, for a status bar or a message: never shows the password."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"本机文件 {parsed.database or '（内存）'}"
    kind = "PostgreSQL" if parsed.get_backend_name() == "postgresql" else "MariaDB/MySQL"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{kind} {parsed.host}{port}/{parsed.database}"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# ----- servers on a LAN that may fail ------------------------------------------------------------------
# A server that vanishes (a power cut, a pulled cable) sends no reset: without these, a call waits for the
# kernel's retransmissions, up to about 18 minutes. With them, a dead link is noticed within about 10 s.
CONNECT_TIMEOUT_S = 5
KEEPALIVE_IDLE_S = 5  # quiet seconds before the first probe
KEEPALIVE_INTERVAL_S = 2
KEEPALIVE_COUNT = 3  # unanswered probes before the link is dead: 5 + 3 × 2 = 11 s of silence
TCP_USER_TIMEOUT_MS = 10_000  # sent data left unacknowledged this long: dead, even while probes cannot run
# A statement still running after this long is stopped by the server, so a window never waits for ever on
# a stuck query. Administration (backup, restore, copy, upgrade) passes statement_timeout=None.
STATEMENT_TIMEOUT_S = 60
# PyMySQL's read timeout is the only guard against a MariaDB that is alive on the network but frozen; it
# must outlast the server's own statement limit, or a long legitimate statement would be cut short.
MYSQL_READ_MARGIN_S = 15
# The same for PostgreSQL, whose driver has no read timeout: see _SilentServerWatch.
CLIENT_MARGIN_S = MYSQL_READ_MARGIN_S
# A pooled connection that sat idle this long is pinged before use (a fresh or recently used one is not:
# on a slow LAN a ping per checkout costs a round trip per unit of work). A connection that dies between
# pings is caught by SQLAlchemy's disconnect handling, which empties the pool, so the next use reconnects.
IDLE_PING_AFTER_S = 30
# The server, too, should notice a client that vanished while holding locks, long before its 2-hour default.
SERVER_KEEPALIVE_S = (10, 2, 3)


def make_engine(
    url: str | URL,
    *,
    statement_timeout: float | None = STATEMENT_TIMEOUT_S,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    **kwargs: Any,
) -> Engine:
    """An engine for ``url``. On a server, ``statement_timeout`` (seconds, None for none) bounds each
    statement and ``connect_timeout`` each connection attempt; ``kwargs`` go to create_engine."""
    parsed = normalize_url(url)
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {"future": True}
    connect_args: dict[str, Any] = {}
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["timeout"] = SQLITE_BUSY_TIMEOUT_MS / 1000
    elif backend == "mysql":
        # The same visibility rules as PostgreSQL, so services behave alike on both servers.
        options["isolation_level"] = "READ COMMITTED"
        options["pool_recycle"] = 3600
        connect_args.update(_mysql_connect_args(statement_timeout, connect_timeout))
    else:
        connect_args.update(_postgresql_connect_args(statement_timeout, connect_timeout))
    connect_args.update(kwargs.pop("connect_args", {}))
    options["connect_args"] = connect_args
    options.update(kwargs)
    engine = create_engine(parsed, **options)
    if backend == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    else:
        event.listen(engine.pool, "checkin", _note_checkin)
        event.listen(engine.pool, "checkout", _ping_if_idle(engine.dialect))
    if backend == "mysql":
        event.listen(engine, "connect", _mysql_session_setup(statement_timeout))
    if backend == "postgresql" and statement_timeout is not None and os.name == "posix":
        _SilentServerWatch(statement_timeout + CLIENT_MARGIN_S).listen(engine)
    return engine


class _SilentServerWatch:
    """A client-side limit for PostgreSQL statements, which libpq lacks (PyMySQL has its read timeout).

    A server that is frozen (or a machine that hangs) still has a kernel that acknowledges our packets and
    answers keepalives, so neither keepalives nor tcp_user_timeout notice it, and its own statement_timeout
    cannot fire: a call would wait for ever. A statement still unanswered ``limit`` seconds after it was
    sent (the server's own limit plus a margin, so a live server always answers first) has its socket shut
    down: the call then fails as a lost connection, and SQLAlchemy's disconnect handling empties the pool."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.running: dict[int, tuple[float, int]] = {}  # thread -> (deadline, socket's file descriptor)
        self.thread: threading.Thread | None = None

    def listen(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self.started)
        event.listen(engine, "after_cursor_execute", self.ended)
        event.listen(engine, "handle_error", self.ended)

    def started(self, conn: Any, *_args: Any) -> None:
        pgconn = getattr(conn.connection.dbapi_connection, "pgconn", None)
        if pgconn is None:
            return
        with self.lock:
            self.running[threading.get_ident()] = (time.monotonic() + self.limit, pgconn.socket)
            if self.thread is None:
                self.thread = threading.Thread(target=self._watch, name="govdesk-db-watch", daemon=True)
                self.thread.start()

    def ended(self, *_args: Any) -> None:
        with self.lock:
            self.running.pop(threading.get_ident(), None)

    def _watch(self) -> None:
        while True:
            time.sleep(1)
            now = time.monotonic()
            with self.lock:
                if not self.running:
                    # Nothing sent is waiting: the watch ends, and the next statement starts another. An engine
                    # disposed of (a test's, a database copied) leaves no thread behind.
                    self.thread = None
                    return
                expired = [key for key, (deadline, _fd) in self.running.items() if deadline < now]
                sockets = [self.running.pop(key)[1] for key in expired]
            for fd in sockets:
                _shut_down(fd)


def _shut_down(fd: int) -> None:
    """Ends the connection on ``fd`` (owned by libpq) without closing libpq's descriptor."""
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already gone
    finally:
        sock.close()


def _postgresql_connect_args(statement_timeout: float | None, connect_timeout: float) -> dict[str, Any]:
    idle, interval, count = SERVER_KEEPALIVE_S
    server_settings = [
        f"-c tcp_keepalives_idle={idle}", f"-c tcp_keepalives_interval={interval}",
        f"-c tcp_keepalives_count={count}",
    ]
    if statement_timeout is not None:
        server_settings.append(f"-c statement_timeout={int(statement_timeout * 1000)}")
    return {
        "connect_timeout": max(1, round(connect_timeout)),
        "keepalives": 1,
        "keepalives_idle": KEEPALIVE_IDLE_S,
        "keepalives_interval": KEEPALIVE_INTERVAL_S,
        "keepalives_count": KEEPALIVE_COUNT,
        "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
        "options": " ".join(server_settings),
    }


def _mysql_connect_args(statement_timeout: float | None, connect_timeout: float) -> dict[str, Any]:
    # Without a statement limit (administration) the client waits as long as the link is alive: the
    # keepalives set in _mysql_session_setup still notice a dead one.
    read_timeout = None if statement_timeout is None else statement_timeout + MYSQL_READ_MARGIN_S
    return {"connect_timeout": connect_timeout, "read_timeout": read_timeout, "write_timeout": read_timeout}


def _mysql_session_setup(statement_timeout: float | None) -> Any:
    def setup(dbapi_connection: Any, _record: Any) -> None:
        sock = getattr(dbapi_connection, "_sock", None)
        if sock is not None:
            set_tcp_keepalive(sock)
        if statement_timeout is None:
            return
        # MariaDB's limit covers every statement; MySQL's (max_execution_time) only SELECTs, in ms.
        server = str(dbapi_connection.get_server_info())
        setting = (
            f"max_statement_time={float(statement_timeout)}" if "mariadb" in server.lower()
            else f"max_execution_time={int(statement_timeout * 1000)}"
        )
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET SESSION {setting}")
        finally:
            cursor.close()

    return setup


def set_tcp_keepalive(sock: socket.socket) -> None:
    """The same dead-link detection as libpq's keepalive settings, on a socket of our own (PyMySQL's)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    linux_options = (
        ("TCP_KEEPIDLE", KEEPALIVE_IDLE_S), ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL_S),
        ("TCP_KEEPCNT", KEEPALIVE_COUNT), ("TCP_USER_TIMEOUT", TCP_USER_TIMEOUT_MS),
    )
    for name, value in linux_options:
        if hasattr(socket, name):
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
    if hasattr(socket, "SIO_KEEPALIVE_VALS"):  # Windows: on, idle ms, interval ms
        sock.ioctl(socket.SIO_KEEPALIVE_VALS, (1, KEEPALIVE_IDLE_S * 1000, KEEPALIVE_INTERVAL_S * 1000))  # type: ignore[attr-defined]


_CHECKED_IN_AT = "govdesk_checked_in_at"


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(dialect: Dialect) -> Any:
    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_AFTER_S:
            return
        try:
            # The dialect's own ping: one round trip, and no transaction left open (COM_PING on MariaDB,
            # an autocommit SELECT 1 on PostgreSQL).
            alive = dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("idle pooled connection is dead") from error
        if not alive:
            # The pool then drops this connection and checks out another (a new one, if need be).
            raise DisconnectionError("idle pooled connection is dead")

    return ping
