"""documents: 会签 opinions the office records for a unit, 答复 to the 来文单位, 复核 in the outgoing flow

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:00:00

- document_cosigners.given_by / basis: a unit's 会签 opinion the office entered on its behalf names who at
  the unit gave it and on what basis (电话, 书面意见, 会议 …); both stay '' when the unit's liaison entered it.
- document_replies: the 答复 to the 来文单位 of an incoming document, as its own act (who, when, how, what).
- Version 2 of the built-in outgoing flow adds 复核 after 签发 (条例 Art. 25). Open documents not yet signed
  move on to it, so they are checked before numbering; documents already signed keep version 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision made it (app.db.tables' UTCDateTime then):
    DATETIME(6) on MySQL/MariaDB, plain DATETIME / TIMESTAMP elsewhere. Spelled out here, not imported:
    a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')

_UNSIGNED = ('draft', 'review', 'cosign', 'sign')
_instances = sa.table(
    'workflow_instances',
    sa.column('flow_key', sa.String()),
    sa.column('flow_version', sa.Integer()),
    sa.column('state', sa.String()),
    sa.column('closed', sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table('document_cosigners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('given_by', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('basis', sa.String(length=20), nullable=False, server_default=''))

    op.create_table('document_replies',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('replied_at', utc_datetime(), nullable=False),
    sa.Column('replied_by_name', sa.String(length=50), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_replies_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_document_replies_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_replies'))
    )
    with op.batch_alter_table('document_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_replies_document_id'), ['document_id'], unique=False)

    op.execute(
        _instances.update()
        .where(
            _instances.c.flow_key == 'outgoing_document',
            _instances.c.flow_version == 1,
            _instances.c.closed == sa.false(),
            _instances.c.state.in_(_UNSIGNED),
        )
        .values(flow_version=2)
    )


def downgrade() -> None:
    # Version 1 has no 复核: a document waiting there goes on to 编号, as it would have without it.
    op.execute(
        _instances.update()
        .where(_instances.c.flow_key == 'outgoing_document', _instances.c.flow_version == 2, _instances.c.state == 'recheck')
        .values(state='number')
    )
    op.execute(
        _instances.update()
        .where(_instances.c.flow_key == 'outgoing_document', _instances.c.flow_version == 2)
        .values(flow_version=1)
    )
    # Dropping the table drops its index; MariaDB refuses to drop the index alone while the foreign key needs it.
    op.drop_table('document_replies')
    with op.batch_alter_table('document_cosigners', schema=None) as batch_op:
        batch_op.drop_column('basis')
        batch_op.drop_column('given_by')
