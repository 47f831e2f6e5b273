"""claims: an index on submitted, for the rule that hides a draft never submitted from everyone but its claimant

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 04:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_claims_submitted', 'claims', ['submitted', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_claims_submitted', table_name='claims')
