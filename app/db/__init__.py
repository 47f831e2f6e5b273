"""Storage: engines, migrations, backup and copy."""

# The Alembic head this program's models match; tests/db checks it against the migration scripts.
SCHEMA_REVISION = "0017"
