"""audit_anchors: the audit chain's head, signed with the office key

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 06:20:00

A row anchors the audit chain at one entry: its seq, its hash, the number of entries up to it, when and
by whom, the office key's fingerprint and an HMAC-SHA256 with that key over all of these
(app.services.kernel.audit_anchors). `audit verify` then finds a chain recomputed after an edit (the anchored
entry's hash changed) and a cut end (the chain stops before the anchor). Existing chains stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # DATETIME(6) on MySQL/MariaDB, as every UTC column: an anchor's time is signed to the second.
    datetime_type = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')
    op.create_table(
        'audit_anchors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.Column('count', sa.BigInteger(), nullable=False),
        sa.Column('at', datetime_type, nullable=False),
        sa.Column('made_by', sa.String(length=64), nullable=False),
        sa.Column('fingerprint', sa.String(length=19), nullable=False),
        sa.Column('signature', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_anchors_seq', 'audit_anchors', ['seq'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_anchors_seq', table_name='audit_anchors')
    op.drop_table('audit_anchors')
