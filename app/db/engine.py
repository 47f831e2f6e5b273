"""Engines for a local SQLite file or a LAN PostgreSQL / MariaDB server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

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


def normalize_url(url: str | URL) -> URL:
    """Pins the drivers this program ships: psycopg 3 for PostgreSQL and PyMySQL (utf8mb4) for MariaDB."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        raise ValidationError(
            f"数据库地址“{url}”格式不正确，例如：sqlite:///D:/govdesk.sqlite3 或 "
            "postgresql://用户名@服务器:5432/数据库名",
            field="database",
        ) from None
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


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    parsed = normalize_url(url)
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {"future": True}
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    elif backend == "mysql":
        # The same visibility rules as PostgreSQL, so services behave alike on both servers.
        options["isolation_level"] = "READ COMMITTED"
        options["pool_pre_ping"] = True
        options["pool_recycle"] = 3600
    else:
        options["pool_pre_ping"] = True
    options.update(kwargs)
    engine = create_engine(parsed, **options)
    if backend == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine
