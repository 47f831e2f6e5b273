"""Test databases: SQLite always; PostgreSQL and MariaDB when GOVDESK_TEST_DATABASES names their servers.

Each test run creates its own fresh database on each server and drops it at the end, so runs never
see each other's data. Within a run, each test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from app.db import migrate
from app.db.engine import make_engine, normalize_url
from app.models import Base, load_all_models

ENV = "GOVDESK_TEST_DATABASES"
BACKENDS = ("sqlite", "postgresql", "mysql")
# Rows the migrations seed; emptying tables between tests keeps them (an empty database's index is complete).
KEEP_TABLES = {"roles", "alembic_version", "search_state"}


def server_urls() -> dict[str, URL]:
    """The servers named in GOVDESK_TEST_DATABASES, by backend."""
    found: dict[str, URL] = {}
    for item in os.environ.get(ENV, "").replace(",", " ").split():
        url = normalize_url(item)
        found[url.get_backend_name()] = url
    return found


def skip_reason(backend: str) -> str:
    name = {"postgresql": "PostgreSQL", "mysql": "MariaDB/MySQL"}[backend]
    return (
        f"{name} 未配置：把服务器地址写进 {ENV}（例如 .ci/run 中的写法）即可在 {name} 上运行这些测试"
    )


@dataclass
class ServerDatabase:
    """A database created for this test run on one server."""

    backend: str
    admin_url: URL
    url: URL
    engine: Engine

    @classmethod
    def create(cls, admin_url: URL) -> ServerDatabase:
        name = f"govdesk_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if admin_url.get_backend_name() == "postgresql":
                conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
            else:
                conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
        admin.dispose()
        url = admin_url.set(database=name)
        engine = make_engine(url)
        migrate.upgrade(engine)
        return cls(admin_url.get_backend_name(), admin_url, url, engine)

    def empty_tables(self) -> None:
        load_all_models()
        tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
        with self.engine.begin() as conn:
            if self.backend == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("SET FOREIGN_KEY_CHECKS=0"))
                for table in tables:
                    # InnoDB keeps deleted rows until its purge runs. A sequence row deleted here and asked
                    # for again by the next test makes the row-creating INSERT (on its own connection) wait
                    # on the test's session (a working database deletes sequence rows only when restoring, and purge
                    # follows within seconds). TRUNCATE leaves none.
                    verb = "TRUNCATE TABLE" if table == "sequences" else "DELETE FROM"
                    conn.execute(text(f"{verb} `{table}`"))
                conn.execute(text("SET FOREIGN_KEY_CHECKS=1"))

    def drop(self) -> None:
        self.engine.dispose()
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = self.url.database
            if self.backend == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


class SqliteTemplate:
    """A migrated SQLite file copied for each test: faster than migrating every time."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"
        engine = make_engine(f"sqlite:///{self.path}")
        migrate.upgrade(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    def fresh(self, folder: Path) -> str:
        target = folder / "govdesk.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"


def iter_backends() -> Iterator[str]:
    yield from BACKENDS


def reflected(bind: Any, name: str) -> Any:
    """A table as this database holds it now: a test that fills an older schema (before a migration) must not
    insert the columns the program's tables have since gained."""
    from sqlalchemy import MetaData, Table

    return Table(name, MetaData(), autoload_with=bind)
