"""Alembic environment: runs on the connection GovDesk hands it, or on the URL in the config."""

from __future__ import annotations

from alembic import context

from app.db.engine import make_engine
from app.models import Base, load_all_models

load_all_models()
config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # A migration may rewrite a large table: no statement limit, as for `govdesk db upgrade`.
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", statement_timeout=None)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("GovDesk migrations run online only: use `govdesk db upgrade`.")
run_migrations_online()
