"""meetings and topics by unit: indexes for the rule that shows a unit's 联络员 the meetings their unit organizes
or proposed a topic to (综合查询 and the meetings list read every meeting and topic without them)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# On MariaDB, the index each foreign key had before 0017, which going back puts in again (see downgrade).
_KEY_INDEXES = (('meeting_topics', 'fk_meeting_topics_unit_id_units'), ('meetings', 'fk_meetings_organizer_unit_id_units'))


def _on_mariadb() -> bool:
    return op.get_bind().dialect.name in ('mysql', 'mariadb')


def _index_names(table: str) -> set[str]:
    return {str(index['name']) for index in sa.inspect(op.get_bind()).get_indexes(table)}


def upgrade() -> None:
    op.create_index('ix_meetings_organizer', 'meetings', ['organizer_unit_id', 'id'], unique=False)
    op.create_index('ix_meeting_topics_unit', 'meeting_topics', ['unit_id', 'meeting_id'], unique=False)
    if _on_mariadb():
        # InnoDB drops the index it made itself for a key once ours can serve it, but not one that going back
        # from 0017 made: dropped here, so the schema is the same however often it went back and forth.
        for table, name in _KEY_INDEXES:
            if name in _index_names(table):
                op.drop_index(name, table_name=table)


def downgrade() -> None:
    if _on_mariadb():
        # InnoDB dropped the index it had made for each foreign key when ours could serve it, and refuses to
        # drop ours while the key needs it: the key's own index comes back first, as 0016 had it.
        columns = {'meeting_topics': ['unit_id'], 'meetings': ['organizer_unit_id']}
        for table, name in _KEY_INDEXES:
            if name not in _index_names(table):
                op.create_index(name, table, columns[table], unique=False)
    op.drop_index('ix_meeting_topics_unit', table_name='meeting_topics')
    op.drop_index('ix_meetings_organizer', table_name='meetings')
