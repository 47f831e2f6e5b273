"""What a database driver's error means for the user, in Chinese: one mapping for every window and command.

Drivers speak English (PyMySQL, libpq's own messages) or the server's language (a PostgreSQL server's
``lc_messages``), and their words often mislead: libpq says "server closed the connection unexpectedly"
when the kernel said No route to host. So the kind of fault is read from the driver's error CODE where
there is one (psycopg's ``sqlstate``, PyMySQL's errno in ``args[0]``, the OS errno of a socket error), and
from the driver's fixed English phrases only where there is none (libpq reports failures while connecting
as text alone). The message never repeats the driver's text: it says what happened and what to do.
"""

from __future__ import annotations

import errno
import re
import socket
from dataclasses import dataclass
from typing import Literal

from app.core.errors import GovDeskError, ServerUnavailable, ValidationError

FaultKind = Literal[
    "unreachable", "refused", "shutting_down", "auth", "missing_database", "too_large", "timeout",
    "locked", "cannot_open", "not_a_database", "other",
]

# The kinds that come and go with the server or the network: the program waits and reconnects by itself.
CONNECTION_KINDS: frozenset[str] = frozenset({"unreachable", "refused", "shutting_down", "timeout"})

MESSAGES: dict[str, str] = {
    "unreachable": (
        "连不上数据库服务器（网络不通，或服务器没有响应）：请检查本机网络和网线，并确认服务器已开机；"
        "网络恢复后程序会自动重新连接"
    ),
    "refused": (
        "连不上数据库服务器：服务器拒绝了连接（该地址和端口上没有运行数据库服务）。请检查连接设置中的"
        "服务器地址和端口，并请服务器管理员确认数据库服务已启动"
    ),
    "shutting_down": "数据库服务器正在关闭或重新启动：请稍等一两分钟再试；服务器恢复后程序会自动重新连接",
    "auth": "数据库用户名或密码不正确：请在连接设置中检查用户名和密码，或向服务器管理员确认",
    "missing_database": "服务器上没有这个数据库：请检查连接设置中的数据库名，或请服务器管理员先建库",
    "too_large": (
        "要保存的内容超过了数据库服务器允许的大小：请缩小附件后重试，或请服务器管理员调大服务器的数据包上限"
        "（MariaDB 的 max_allowed_packet，建议 64M）"
    ),
    "timeout": "数据库服务器处理这次操作超时：服务器可能正忙，请稍后再试；如果反复出现，请联系系统管理员",
    "locked": "其他人或其他程序正在修改同一批数据，请稍后再试",
    "cannot_open": "打不开数据库文件：请检查路径是否存在、是否有写权限",
    "not_a_database": "这个文件不是数据库文件，请另选一个位置",
    "other": "数据库出错{code}：请重试；如果反复出现，请把错误代码告诉系统管理员",
}


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    message: str


# ----- PostgreSQL: SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)

_PG_CODES: dict[str, FaultKind] = {
    "28P01": "auth",  # invalid_password
    "28000": "auth",  # invalid_authorization_specification: no such role, pg_hba refuses
    "3D000": "missing_database",  # invalid_catalog_name
    "57P01": "shutting_down",  # admin_shutdown (a fast shutdown, or an administrator ended our session)
    "57P02": "shutting_down",  # crash_shutdown
    "57P03": "shutting_down",  # cannot_connect_now: starting up, shutting down, in recovery
    "57P05": "unreachable",  # idle_session_timeout: the server dropped an idle connection
    "57014": "timeout",  # query_canceled: statement_timeout
    "54000": "too_large",  # program_limit_exceeded: a value beyond what the server can hold
    "55P03": "locked",  # lock_not_available
    "40001": "locked",  # serialization_failure
    "40P01": "locked",  # deadlock_detected
}
_PG_CLASSES: dict[str, FaultKind] = {"08": "unreachable"}  # connection_exception

# ----- MariaDB / MySQL: client (2xxx) and server error numbers

_MYSQL_CODES: dict[int, FaultKind] = {
    2002: "unreachable",  # can't connect through the socket
    2003: "unreachable",  # can't connect to the server (refused is told apart by its errno below)
    2005: "unreachable",  # unknown server host
    2006: "unreachable",  # server has gone away
    2013: "unreachable",  # lost connection during query
    2055: "unreachable",  # lost connection at …, system error
    1927: "unreachable",  # connection was killed
    4031: "unreachable",  # disconnected by the server because of inactivity
    1053: "shutting_down",  # server shutdown in progress
    1077: "shutting_down",  # normal shutdown
    1078: "shutting_down",  # got signal, aborting
    1079: "shutting_down",  # shutdown complete
    1045: "auth",  # access denied (user or password)
    1044: "auth",  # access denied to this database
    1698: "auth",  # access denied (unix_socket / plugin)
    1049: "missing_database",  # unknown database
    1153: "too_large",  # got a packet bigger than max_allowed_packet
    1301: "too_large",  # result larger than max_allowed_packet
    1969: "timeout",  # max_statement_time exceeded (MariaDB)
    3024: "timeout",  # max_execution_time exceeded (MySQL)
    1205: "locked",  # lock wait timeout
    1213: "locked",  # deadlock
}

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_SQLITE_CODES: dict[int, FaultKind] = {5: "locked", 6: "locked", 14: "cannot_open", 26: "not_a_database"}

_OS_ERRNOS: dict[int, FaultKind] = {
    errno.ECONNREFUSED: "refused",
    errno.ETIMEDOUT: "unreachable",
    errno.EHOSTUNREACH: "unreachable",
    errno.ENETUNREACH: "unreachable",
    errno.EHOSTDOWN: "unreachable",
    errno.ENETDOWN: "unreachable",
    errno.ECONNRESET: "unreachable",
    errno.ECONNABORTED: "unreachable",
    errno.EPIPE: "unreachable",
}

# Phrases, for errors that carry no code: libpq's while connecting, SQLite's. Checked in this order.
_PHRASES: tuple[tuple[str, FaultKind], ...] = (
    (r"password authentication failed|no password supplied|fe_sendauth|authentication failed"
     r"|role \"[^\"]*\" does not exist|pg_hba\.conf rejects", "auth"),
    (r"database \"[^\"]*\" does not exist|unknown database", "missing_database"),
    (r"database system is (shutting down|starting up|in recovery mode|not yet accepting)"
     r"|terminating connection due to administrator command|server shutdown in progress", "shutting_down"),
    (r"connection refused", "refused"),
    (r"statement timeout|max_statement_time", "timeout"),
    (r"max_allowed_packet", "too_large"),
    (r"no route to host|network is unreachable|timed? ?out|timeout expired|name or service not known"
     r"|could not translate host name|failed to resolve host|temporary failure in name resolution"
     r"|server closed the connection|connection is (closed|lost)|consuming input failed"
     r"|could not (receive|send) data|ssl syscall error|connection reset|broken pipe|lost connection"
     r"|gone away|can't connect|could not connect|connection to server .* failed", "unreachable"),
    (r"database is locked", "locked"),
    (r"file is not a database", "not_a_database"),
    (r"unable to open database file", "cannot_open"),
)


def explain(error: BaseException) -> Fault | None:
    """The kind of database or network fault behind ``error`` (a SQLAlchemy error, a driver's, a socket's),
    with its Chinese message; None for an error that is not one."""
    for cause in _causes(error):
        kind, code = _kind_of(cause)
        if kind is not None:
            return Fault(kind, _message(kind, code, cause))
    if _is_database_error(error):
        code = next((c for c in (_code_of(cause) for cause in _causes(error)) if c), "")
        return Fault("other", _message("other", code, error))
    return None


def user_error(error: BaseException) -> GovDeskError | None:
    """``error`` as the program's own error, to raise or show: ServerUnavailable (with its kind) for a server
    that is away, busy or slow, which comes back by itself; a plain GovDeskError for a setting to change."""
    fault = explain(error)
    if fault is None:
        return None
    if fault.kind in CONNECTION_KINDS:
        return ServerUnavailable(fault.message, kind=fault.kind)
    if fault.kind == "too_large":
        return ValidationError(fault.message)
    return GovDeskError(fault.message)


def _causes(error: BaseException) -> list[BaseException]:
    """The error, the driver's error inside a SQLAlchemy error, and what caused each, outermost first."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or any(current is s for s in seen) or len(seen) > 10:
            continue
        seen.append(current)
        pending.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return seen


def _kind_of(error: BaseException) -> tuple[FaultKind | None, str]:
    sqlstate = _pg_sqlstate(error)
    if sqlstate:
        kind = _PG_CODES.get(sqlstate) or _PG_CLASSES.get(sqlstate[:2])
        return (kind or "other"), sqlstate
    mysql_errno = _mysql_errno(error)
    if mysql_errno is not None:
        kind = _MYSQL_CODES.get(mysql_errno)
        if mysql_errno == 2003 and _says_refused(error):
            kind = "refused"
        if kind is None and (too_large := _phrase_kind(error)) == "too_large":
            kind = too_large
        return (kind or "other"), str(mysql_errno)
    sqlite_code = getattr(error, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int) and sqlite_code & 0xFF in _SQLITE_CODES:
        return _SQLITE_CODES[sqlite_code & 0xFF], str(sqlite_code)
    if isinstance(error, socket.gaierror):
        return "unreachable", ""
    if isinstance(error, TimeoutError):
        return "unreachable", ""
    if isinstance(error, OSError) and error.errno in _OS_ERRNOS:
        return _OS_ERRNOS[error.errno], ""
    if _is_driver_error(error):
        return _phrase_kind(error), ""
    return None, ""


def _phrase_kind(error: BaseException) -> FaultKind | None:
    text = str(error).lower()
    for pattern, kind in _PHRASES:
        if re.search(pattern, text):
            return kind
    return None


def _says_refused(error: BaseException) -> bool:
    text = str(error)
    return f"[Errno {errno.ECONNREFUSED}]" in text or "refused" in text.lower()


def _mysql_errno(error: BaseException) -> int | None:
    if type(error).__module__.split(".")[0] != "pymysql":
        return None
    args = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _pg_sqlstate(error: BaseException) -> str | None:
    """psycopg's SQLSTATE (PyMySQL's errors carry a ``sqlstate`` too, too coarse to tell faults apart)."""
    if type(error).__module__.split(".")[0] != "psycopg":
        return None
    sqlstate = getattr(error, "sqlstate", None)
    return sqlstate if isinstance(sqlstate, str) and sqlstate else None


def _code_of(error: BaseException) -> str:
    sqlstate = _pg_sqlstate(error)
    if sqlstate:
        return sqlstate
    number = _mysql_errno(error)
    return str(number) if number is not None else ""


def _is_driver_error(error: BaseException) -> bool:
    """A DB-API error of one of our drivers (psycopg, PyMySQL, sqlite3)."""
    return type(error).__module__.split(".")[0] in ("psycopg", "pymysql", "sqlite3")


def _is_database_error(error: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, DisconnectionError

    return any(isinstance(cause, (DBAPIError, DisconnectionError)) or _is_driver_error(cause)
               for cause in _causes(error))


def _message(kind: FaultKind, code: str, error: BaseException) -> str:
    if kind == "other":
        return MESSAGES["other"].format(code=f"（错误代码 {code}）" if code else "")
    return MESSAGES[kind]
