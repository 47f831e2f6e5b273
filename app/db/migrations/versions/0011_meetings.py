"""meetings: rooms and bookings, meetings with attendees, topics, plan tasks and decisions; record_links.source_part

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:20:00

New tables, and one nullable column on record_links: the part of the source a linked record came from (the
decision of a meeting that became a supervision item).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision makes it (app.db.tables' UTCDateTime now), spelled
    out: a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade() -> None:
    op.create_table('meeting_rooms',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('location', sa.String(length=100), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('booking_count', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_rooms')),
    sa.UniqueConstraint('name', name=op.f('uq_meeting_rooms_name'))
    )
    op.create_table('meetings',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('meeting_type', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', utc_datetime(), nullable=False),
    sa.Column('ends_at', utc_datetime(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('host_name', sa.String(length=50), nullable=False),
    sa.Column('organizer_unit_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('hall_per_row', sa.Integer(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_meetings_instance_id_workflow_instances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organizer_unit_id'], ['units.id'], name=op.f('fk_meetings_organizer_unit_id_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['room_id'], ['meeting_rooms.id'], name=op.f('fk_meetings_room_id_meeting_rooms'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_meetings_year'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_meetings_starts', ['starts_at', 'id'], unique=False)

    op.create_table('meeting_attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('post', sa.String(length=60), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('zone', sa.String(length=8), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=True),
    sa.Column('attendance', sa.String(length=12), nullable=False),
    sa.Column('leave_reason', sa.String(length=200), nullable=False),
    sa.Column('substitute_name', sa.String(length=50), nullable=False),
    sa.Column('signed_at', utc_datetime(), nullable=True),
    sa.Column('signed_by_name', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendees_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_meeting_attendees_unit_id_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendees_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendees'))
    )
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_attendees_meeting', ['meeting_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendees_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendees_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', utc_datetime(), nullable=False),
    sa.Column('ends_at', utc_datetime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_bookings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['meeting_rooms.id'], name=op.f('fk_meeting_bookings_room_id_meeting_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_bookings')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_meeting_bookings_meeting_id'))
    )
    with op.batch_alter_table('meeting_bookings', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_bookings_room', ['room_id', 'starts_at'], unique=False)

    op.create_table('meeting_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_meeting_decisions_lead_unit_id_units'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_decisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_decisions'))
    )
    with op.batch_alter_table('meeting_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_decisions_meeting', ['meeting_id', 'position'], unique=False)

    op.create_table('meeting_plan_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_at', utc_datetime(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_at', utc_datetime(), nullable=True),
    sa.Column('done_by_name', sa.String(length=50), nullable=False),
    sa.Column('work_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_plan_tasks_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_meeting_plan_tasks_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['work_item_id'], ['workflow_work_items.id'], name=op.f('fk_meeting_plan_tasks_work_item_id_workflow_work_items'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_plan_tasks'))
    )
    with op.batch_alter_table('meeting_plan_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_plan_tasks_meeting', ['meeting_id', 'phase', 'position'], unique=False)

    op.create_table('meeting_topics',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('reporter', sa.String(length=50), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('review_note', sa.String(length=500), nullable=False),
    sa.Column('reviewed_by_name', sa.String(length=50), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('proposed_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_topics_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_meeting_topics_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_topics'))
    )
    with op.batch_alter_table('meeting_topics', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_topics_meeting', ['meeting_id', 'position'], unique=False)

    with op.batch_alter_table('record_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_part', sa.Integer(), nullable=True))



def downgrade() -> None:
    # The tables go with their indexes: MariaDB will not drop an index a foreign key still needs, so none is
    # dropped first.
    with op.batch_alter_table('record_links', schema=None) as batch_op:
        batch_op.drop_column('source_part')
    for table in ('meeting_topics', 'meeting_plan_tasks', 'meeting_decisions', 'meeting_bookings',
                  'meeting_attendees', 'meetings', 'meeting_rooms'):
        op.drop_table(table)
