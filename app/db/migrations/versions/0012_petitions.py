"""petitions: 信访件 with their 复查 and 复核, representatives, follow-up visits, objections, screened problems

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 07:15:56

New tables only.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision makes it (app.db.tables' UTCDateTime now), spelled
    out: a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade() -> None:
    op.create_table('petition_problems',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('place', sa.String(length=50), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('case_count', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('solved_on', sa.Date(), nullable=True),
    sa.Column('created_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_petition_problems_instance_id_workflow_instances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_petition_problems_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_problems')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_petition_problems_year'))
    )
    with op.batch_alter_table('petition_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_problems_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_problems_unit_id'), ['unit_id'], unique=False)

    op.create_table('petitions',
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('reviews_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('channel_detail', sa.String(length=20), nullable=False),
    sa.Column('reception_leader', sa.String(length=50), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('people_count', sa.Integer(), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('place', sa.String(length=50), nullable=False),
    sa.Column('handling_unit_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_to', sa.String(length=100), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('decision_basis', sa.Text(), nullable=False),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('registered_by_name', sa.String(length=50), nullable=False),
    sa.Column('is_repeat', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['handling_unit_id'], ['units.id'], name=op.f('fk_petitions_handling_unit_id_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_petitions_instance_id_workflow_instances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviews_id'], ['petitions.id'], name=op.f('fk_petitions_reviews_id_petitions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions')),
    sa.UniqueConstraint('stage', 'year', 'seq', name=op.f('uq_petitions_stage'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index('ix_petitions_category', ['category', 'received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_handling_unit_id'), ['handling_unit_id'], unique=False)
        batch_op.create_index('ix_petitions_id_number', ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_petitions_phone', ['phone', 'name'], unique=False)
        batch_op.create_index('ix_petitions_place', ['place', 'received_on'], unique=False)
        batch_op.create_index('ix_petitions_received', ['received_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_reviews_id'), ['reviews_id'], unique=False)

    op.create_table('petition_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('objected_on', sa.Date(), nullable=False),
    sa.Column('by_name', sa.String(length=50), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_name', sa.String(length=50), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_objections_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_petition_objections_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_objections'))
    )
    with op.batch_alter_table('petition_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_objections_petition_id'), ['petition_id'], unique=False)

    op.create_table('petition_representatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_representatives_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_representatives')),
    sa.UniqueConstraint('petition_id', 'position', name=op.f('uq_petition_representatives_petition_id'))
    )
    op.create_table('petition_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('satisfaction', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_name', sa.String(length=50), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_visits_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_visits'))
    )
    with op.batch_alter_table('petition_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_visits_petition_id'), ['petition_id'], unique=False)


def downgrade() -> None:
    # The tables go with their indexes: MariaDB will not drop an index a foreign key still needs, so none is
    # dropped first.
    for table in ('petition_visits', 'petition_representatives', 'petition_objections', 'petitions',
                  'petition_problems'):
        op.drop_table(table)
