"""reimbursement: claims (报销单), their line items, and departments' budgets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 15:00:00

New tables, and an index on workflow_instances that the to-do query and 待我审批 read. Claims of
earlier demo databases had workflow instances only (entity_type 'claim'); they stay instances without
a claim row, which the claim services do not list.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision made it (app.db.tables' UTCDateTime then):
    DATETIME(6) on MySQL/MariaDB, plain DATETIME / TIMESTAMP elsewhere. Spelled out here, not imported:
    a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade() -> None:
    op.create_table('budgets',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_budgets_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    sa.UniqueConstraint('year', 'unit_id', 'category', name=op.f('uq_budgets_year'))
    )
    op.create_table('claims',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('claimant_id', sa.Integer(), nullable=True),
    sa.Column('claimant_name', sa.String(length=50), nullable=False),
    sa.Column('claim_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('receipts_count', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('advance', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('over_budget', sa.Boolean(), nullable=False),
    sa.Column('submitted', sa.Boolean(), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_method', sa.String(length=10), nullable=False),
    sa.Column('paid_by_name', sa.String(length=50), nullable=False),
    sa.Column('paid_at', utc_datetime(), nullable=True),
    sa.Column('voucher_number', sa.String(length=30), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=True),
    sa.Column('booked_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claimant_id'], ['users.id'], name=op.f('fk_claims_claimant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_claims_instance_id_workflow_instances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_claims_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_claims_year'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_claimant_date', ['claimant_id', 'claim_date'], unique=False)
        batch_op.create_index('ix_claims_date', ['claim_date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_claims_unit_date', ['unit_id', 'claim_date'], unique=False)

    op.create_table('claim_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('summary', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_lines_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_lines'))
    )
    with op.batch_alter_table('claim_lines', schema=None) as batch_op:
        batch_op.create_index('ix_claim_lines_category', ['category', 'claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_lines_claim_id'), ['claim_id'], unique=False)
    with op.batch_alter_table('workflow_instances', schema=None) as batch_op:
        batch_op.create_index(
            'ix_wf_actionable',
            ['closed', 'flow_key', 'state', 'flow_version', 'assignee_id', 'owner_id', 'unit_id'], unique=False,
        )


def downgrade() -> None:
    # No foreign key needs this index (its first column is closed), so MariaDB lets it go on its own.
    with op.batch_alter_table('workflow_instances', schema=None) as batch_op:
        batch_op.drop_index('ix_wf_actionable')
    # Dropping a table drops its indexes and foreign keys; children first. MariaDB refuses to drop an
    # index a foreign key needs, so no other index is dropped on its own.
    op.drop_table('claim_lines')
    op.drop_table('claims')
    op.drop_table('budgets')
