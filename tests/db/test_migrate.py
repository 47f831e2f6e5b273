"""Schema versions: the program knows its revision, and a database says whether it matches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect, text

from app.bootstrap import AppContext
from app.db import SCHEMA_REVISION, migrate
from app.db.engine import make_engine
from app.db.migrate import check_schema, program_revision, upgrade


def test_the_schema_revision_constant_matches_the_migrations() -> None:
    assert SCHEMA_REVISION == program_revision()


def test_states_of_a_database(ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert check_schema(ctx.engine).state == "current"
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    status = check_schema(ctx.engine)
    assert status.state == "too_new" and "请安装新版本" in status.message()
    with ctx.engine.begin() as conn:
        conn.execute(text(f"UPDATE alembic_version SET version_num = '{SCHEMA_REVISION}'"))
    empty = make_engine(f"sqlite:///{tmp_path}/empty.sqlite3")
    assert check_schema(empty).state == "empty"
    upgrade(empty)
    assert check_schema(empty).ok
    foreign = make_engine(f"sqlite:///{tmp_path}/foreign.sqlite3")
    with foreign.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id INTEGER)"))
    assert check_schema(foreign).state == "unversioned"


def test_no_migration_imports_the_program() -> None:
    """A revision describes the schema as it was when it was written: it may not take its tables or
    types from app.models or app.db.tables, which describe the schema as it is now (and importing them
    loads the ORM and every dialect whenever Alembic reads the scripts)."""
    import ast
    from pathlib import Path

    from app.db.migrate import MIGRATIONS_DIR

    found = []
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            found += [f"{Path(script).name}: {name}" for name in names if name == "app" or name.startswith("app.")]
    assert found == []


def test_the_migrations_make_the_schema_the_program_declares(ctx: AppContext) -> None:
    """Every table, column, index and foreign key of the models is what the migrations made, on each
    database: a column added to a model but not to a revision fails here, not in an office's upgrade."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base, load_all_models

    load_all_models()
    with ctx.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = [
            d for d in compare_metadata(context, Base.metadata)
            # Alembic's own bookkeeping table is not the program's.
            if not (d[0] == "remove_table" and d[1].name == "alembic_version")
        ]
    assert differences == []


def test_the_derived_tables_are_the_ones_a_signature_leaves_out() -> None:
    from app.db.backup_signature import DERIVED_TABLES
    from app.models import Base, load_all_models

    load_all_models()
    assert DERIVED_TABLES == {t.name for t in Base.metadata.sorted_tables if t.info.get("derived")}


def _indexes_and_keys(engine: Engine, tables: tuple[str, ...]) -> dict[str, Any]:
    """Each table's indexes and foreign keys as the database reports them, in a comparable form."""
    found: dict[str, Any] = {}
    inspector = inspect(engine)
    for name in tables:
        found[name] = (
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(name)),
            sorted((k["name"], tuple(k["constrained_columns"]), k["referred_table"]) for k in inspector.get_foreign_keys(name)),
        )
    return found


def test_going_back_from_0017_leaves_the_meetings_tables_as_0016_had_them(db_url: str) -> None:
    """0017's indexes can serve the foreign keys on unit ids, so InnoDB drops its own index for each key when
    they arrive and will not drop ours while the key needs it: going back must still work, and leave what 0016 had."""
    engine = make_engine(db_url)
    tables = ("meetings", "meeting_topics")
    try:
        # Back to before the meetings tables were made, then up to 0016: the tables as 0016 made them.
        migrate.downgrade(engine, "0010")
        migrate.upgrade(engine, "0016")
        at_0016 = _indexes_and_keys(engine, tables)
        migrate.upgrade(engine, "0017")
        at_0017 = _indexes_and_keys(engine, tables)
        assert at_0017 != at_0016
        # Back and forth twice: the same schema each way every time (the CI run after the first fix went back
        # from a 0017 that had been back and forth once, and met the index going back had made).
        for _ in range(2):
            migrate.downgrade(engine, "0016")
            assert _indexes_and_keys(engine, tables) == at_0016
            migrate.upgrade(engine, "0017")
            assert _indexes_and_keys(engine, tables) == at_0017
    finally:
        migrate.upgrade(engine)
        engine.dispose()
