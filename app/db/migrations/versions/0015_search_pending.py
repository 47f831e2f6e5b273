"""search_pending: records indexed but not yet posted (the 综合查询 write path posts them in groups)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:40:00

A new table only: an index built before it has every record posted, and nothing waits.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('search_pending',
    sa.Column('kind', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('kind', 'record_id', name=op.f('pk_search_pending'))
    )


def downgrade() -> None:
    op.drop_table('search_pending')
