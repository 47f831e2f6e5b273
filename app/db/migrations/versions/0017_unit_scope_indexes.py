"""meetings and topics by unit: indexes for the rule that shows a unit's 联络员 the meetings their unit organizes
or proposed a topic to (综合查询 and the meetings list read every meeting and topic without them)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_meetings_organizer', 'meetings', ['organizer_unit_id', 'id'], unique=False)
    op.create_index('ix_meeting_topics_unit', 'meeting_topics', ['unit_id', 'meeting_id'], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name in ('mysql', 'mariadb'):
        # InnoDB dropped the index it had made for each foreign key when ours could serve it, and refuses to
        # drop ours while the key needs it: the key's own index comes back first, as 0016 had it.
        op.create_index('fk_meeting_topics_unit_id_units', 'meeting_topics', ['unit_id'], unique=False)
        op.create_index('fk_meetings_organizer_unit_id_units', 'meetings', ['organizer_unit_id'], unique=False)
    op.drop_index('ix_meeting_topics_unit', table_name='meeting_topics')
    op.drop_index('ix_meetings_organizer', table_name='meetings')
