"""Schema version: upgrade, and tell whether a database matches this program."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, inspect

from app.db import SCHEMA_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

SchemaState = Literal["empty", "current", "too_old", "too_new", "unversioned"]


@dataclass(frozen=True)
class SchemaStatus:
    """How the database's schema compares with this program's."""

    state: SchemaState
    database_revision: str | None
    program_revision: str

    @property
    def ok(self) -> bool:
        return self.state == "current"

    def message(self) -> str:
        match self.state:
            case "current":
                return f"数据库结构是最新的（版本 {self.program_revision}）"
            case "empty":
                return "数据库是空的，请先初始化（govdesk db init）"
            case "too_old":
                return (
                    f"数据库结构版本 {self.database_revision} 比本程序旧（{self.program_revision}），"
                    "请系统管理员先升级数据库（govdesk db upgrade）"
                )
            case "too_new":
                return (
                    f"数据库结构版本 {self.database_revision} 比本程序新，请安装新版本的本程序后再连接"
                )
            case _:
                return "这个数据库里有别的程序的表，不是 GovDesk 数据库"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # The option is read through configparser, which takes "%" as its own: a percent-encoded password
        # ("@" as %40) would stop the upgrade with an interpolation error.
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _stored_revision(engine: Engine) -> str | None:
    """The revision without starting Alembic: a start-up costs one small query, not 150 ms of imports."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    except DBAPIError as error:
        from app.db.faults import explain

        fault = explain(error)
        if fault is not None and fault.kind not in ("other", "not_a_database"):
            # Not a missing table but a server away, a wrong password…: trying again costs another
            # connect timeout (db check took 10 s instead of 5 on a silent host).
            raise
        return None


def program_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the program ships at least one migration"
    return head


def database_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema(engine: Engine) -> SchemaStatus:
    """Asks the database for its revision; reads the migration scripts only when it is not ours."""
    current = _stored_revision(engine)
    if current == SCHEMA_REVISION:
        return SchemaStatus("current", current, SCHEMA_REVISION)
    head = program_revision()
    current = database_revision(engine)
    if current is None:
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        state: SchemaState = "empty" if not tables else "unversioned"
        return SchemaStatus(state, None, head)
    if current == head:
        return SchemaStatus("current", current, head)
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    return SchemaStatus("too_old" if current in known else "too_new", current, head)


def backup_sqlite_before_upgrade(engine: Engine) -> Path | None:
    """A local file is copied aside before its schema changes; a LAN server is the administrator's job."""
    if engine.url.get_backend_name() != "sqlite" or not engine.url.database:
        return None
    source = Path(engine.url.database)
    if not source.exists() or database_revision(engine) is None:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}.before-upgrade-{stamp}{source.suffix}")
    from app.db.backup import sqlite_online_backup

    sqlite_online_backup(engine, target)
    return target


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _run_revisions(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    _run_revisions(engine, lambda config: command.downgrade(config, revision))


def _run_revisions(engine: Engine, run: Callable[[Any], None]) -> None:
    """Runs Alembic in one transaction. On SQLite, foreign keys are off meanwhile, as SQLite asks for a table
    rebuilt in batch mode: dropping the old copy of a table others refer to (workflow_instances, 0008) would
    fail, or cascade. Every reference is checked before the transaction commits, so nothing dangles."""
    config = alembic_config(engine)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Outside a transaction, or SQLite ignores it.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                run(config)
                if sqlite:
                    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if dangling:
                        raise RuntimeError(f"migration left rows referring to missing rows: {dangling[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


__all__ = [
    "SchemaStatus",
    "backup_sqlite_before_upgrade",
    "check_schema",
    "database_revision",
    "program_revision",
    "upgrade",
]
