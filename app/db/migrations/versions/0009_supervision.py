"""supervision: 督办事项 with their co-units, 综合督查 campaigns with their findings, and 责任追究 records

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 23:45:55

New tables only. Where an item stands, who answers for it, its reports and its units' tasks are the
workflow's tables (0008).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision makes it (app.db.tables' UTCDateTime now), spelled
    out: a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade() -> None:
    op.create_table('supervision_campaigns',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_campaigns'))
    )
    with op.batch_alter_table('supervision_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_campaigns_year'), ['year'], unique=False)

    op.create_table('accountability_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=50), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', utc_datetime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_accountability_records_person_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_accountability_records_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountability_records')),
    sa.UniqueConstraint('kind', 'entity_type', 'entity_id', 'occurred_on', name=op.f('uq_accountability_records_kind'))
    )
    with op.batch_alter_table('accountability_records', schema=None) as batch_op:
        batch_op.create_index('ix_accountability_occurred', ['occurred_on', 'unit_id'], unique=False)

    op.create_table('supervision_items',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_supervision_items_instance_id_workflow_instances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_supervision_items_lead_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_items')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_supervision_items_year'))
    )
    with op.batch_alter_table('supervision_items', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_items_closed', ['closed_on', 'deadline'], unique=False)
        batch_op.create_index('ix_supervision_items_deadline', ['deadline', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_items_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_supervision_items_unit', ['lead_unit_id', 'deadline'], unique=False)

    op.create_table('supervision_co_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['supervision_items.id'], name=op.f('fk_supervision_co_units_item_id_supervision_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_co_units_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_co_units')),
    sa.UniqueConstraint('item_id', 'unit_id', name=op.f('uq_supervision_co_units_item_id'))
    )
    with op.batch_alter_table('supervision_co_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_co_units_unit_id'), ['unit_id'], unique=False)

    op.create_table('supervision_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['supervision_campaigns.id'], name=op.f('fk_supervision_findings_campaign_id_supervision_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['supervision_items.id'], name=op.f('fk_supervision_findings_item_id_supervision_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supervision_findings_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_findings'))
    )
    with op.batch_alter_table('supervision_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_findings_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_findings_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes; MariaDB would refuse to drop an index a foreign key still uses.
    for table in ('supervision_findings', 'supervision_co_units', 'supervision_items', 'accountability_records',
                  'supervision_campaigns'):
        op.drop_table(table)
