"""Trying a connection and saying plainly what failed: unreachable, wrong password, no such database,
or a schema too old or too new."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from app.core.errors import ValidationError
from app.db.engine import make_engine, normalize_url
from app.db.faults import MESSAGES, explain

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


def explain_connection_error(error: BaseException) -> tuple[Problem, str]:
    """The problem and its Chinese message, from the one mapping in app.db.faults."""
    fault = explain(error)
    if fault is None:
        return "other", MESSAGES["other"].format(code="")
    problem: Problem = "foreign" if fault.kind == "not_a_database" else _PROBLEMS.get(fault.kind, "other")
    return problem, fault.message


_PROBLEMS: dict[str, Problem] = {
    "unreachable": "unreachable", "refused": "unreachable", "shutting_down": "unreachable",
    "timeout": "unreachable", "auth": "auth", "missing_database": "missing_database",
}


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
        engine = make_engine(parsed, connect_timeout=timeout_seconds)
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
