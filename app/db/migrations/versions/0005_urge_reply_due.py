"""urges: the 反馈时限 each 催办 sets

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:00:00

- urges.reply_due / reply_due_provisional: the day the hastened unit must reply by, N working days
  after the urge (app.services.workflow.urges), and whether it rests on a year whose holidays are not published
  (待国务院公布). Stored as the urge gave it, so a reprinted 催办单 shows the same deadline. Urges made
  before this revision keep NULL; their slip computes the deadline from the urge's day.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('urges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_due', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('reply_due_provisional', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('urges', schema=None) as batch_op:
        batch_op.drop_column('reply_due_provisional')
        batch_op.drop_column('reply_due')
