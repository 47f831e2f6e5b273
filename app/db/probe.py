"""Trying a connection and saying plainly what failed: unreachable, wrong password, no such database,
or a schema too old or too new."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from app.core.errors import ValidationError
from app.db.engine import make_engine, normalize_url

Problem = Literal["ok", "empty", "unreachable", "auth", "missing_database", "too_old", "too_new", "foreign", "other"]


@dataclass(frozen=True)
class ProbeResult:
    problem: Problem
    message: str

    @property
    def ok(self) -> bool:
        return self.problem == "ok"

    @property
    def usable_after_init(self) -> bool:
        return self.problem in ("ok", "empty")


def explain_connection_error(error: DBAPIError) -> tuple[Problem, str]:
    text_ = str(error.orig).lower()
    wrong_login = ("password authentication failed", "access denied", "no password supplied")
    unreachable = (
        "connection refused", "can't connect", "could not connect", "timeout", "timed out", "lost connection",
        "name or service not known", "could not translate host", "no route to host",
    )
    if re.search(r'role "[^"]*" does not exist', text_) or any(p in text_ for p in wrong_login):
        return "auth", "数据库用户名或密码不正确"
    if re.search(r'database "[^"]*" does not exist', text_) or "unknown database" in text_:
        return "missing_database", "服务器上没有这个数据库，请先让服务器管理员建库"
    if any(p in text_ for p in unreachable):
        return "unreachable", "连不上数据库服务器：请检查服务器地址、端口，以及服务器是否已开机"
    if "unable to open database file" in text_:
        return "other", "打不开数据库文件：请检查路径是否存在、是否有写权限"
    if "database is locked" in text_:
        return "other", "数据库文件正被其他程序占用，请稍后再试"
    if "file is not a database" in text_:
        return "foreign", "这个文件不是数据库文件，请另选一个位置"
    first = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
    return "other", f"数据库出错：{first}"


def probe(url: str | URL, timeout_seconds: int = 5) -> ProbeResult:
    from app.db.migrate import check_schema

    try:
        parsed = normalize_url(url)
    except ValidationError as error:
        return ProbeResult("other", error.message)
    if parsed.get_backend_name() == "sqlite":
        engine = make_engine(parsed)
    else:
        # Fail within seconds when the server is off, rather than after the driver's long default.
        engine = make_engine(parsed, connect_args={"connect_timeout": timeout_seconds})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        status = check_schema(engine)
    except (OperationalError, DBAPIError) as error:
        problem, message = explain_connection_error(error)
        return ProbeResult(problem, message)
    finally:
        engine.dispose()
    if status.state == "current":
        return ProbeResult("ok", "连接成功，数据库结构是最新的")
    if status.state == "empty":
        return ProbeResult("empty", "连接成功，数据库是空的，将为它建立 GovDesk 的表")
    if status.state == "unversioned":
        return ProbeResult("foreign", status.message())
    return ProbeResult(status.state, status.message())
