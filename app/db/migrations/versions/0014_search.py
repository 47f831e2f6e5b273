"""search: the 综合查询 index (records, postings, files' text, whether it is built)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 23:40:00

New tables only. A database that already holds records has no search_state row afterwards: 综合查询 says the
index must be rebuilt (`govdesk db reindex`, which `govdesk db upgrade` runs itself). An empty one is complete.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision makes it, spelled out."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def long_text() -> sa.types.TypeEngine:
    return sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql')


def match_text() -> sa.types.TypeEngine:
    binary = mysql.LONGTEXT(charset='utf8mb4', collation='utf8mb4_bin')
    return sa.Text().with_variant(binary, 'mariadb').with_variant(binary, 'mysql')


def upgrade() -> None:
    op.create_table('search_records',
    sa.Column('kind', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('title_match', match_text(), nullable=False),
    sa.Column('shown', long_text(), nullable=False),
    sa.Column('text_match', match_text(), nullable=False),
    sa.Column('private_shown', long_text(), nullable=False),
    sa.Column('private_match', match_text(), nullable=False),
    sa.Column('indexed_at', utc_datetime(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'record_id', name=op.f('pk_search_records'))
    )
    op.create_index('ix_search_records_year', 'search_records', ['kind', 'year'], unique=False)
    op.create_table('search_postings',
    sa.Column('gram', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('public', sa.Boolean(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('gram', 'kind', 'record_id', 'public', name=op.f('pk_search_postings')),
    sqlite_with_rowid=False
    )
    op.create_table('search_file_texts',
    sa.Column('attachment_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('content', long_text(), nullable=False),
    sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_search_file_texts'))
    )
    state = op.create_table('search_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('built_at', utc_datetime(), nullable=False),
    sa.Column('format', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_state'))
    )
    # Nothing to index yet: the (empty) index is complete. Otherwise it waits for `govdesk db reindex`.
    holds_records = op.get_bind().execute(sa.text('SELECT 1 FROM workflow_instances')).first() is not None
    if not holds_records:
        from datetime import UTC, datetime

        op.bulk_insert(state, [{'id': 1, 'built_at': datetime.now(UTC).replace(tzinfo=None), 'format': 1}])


def downgrade() -> None:
    op.drop_table('search_state')
    op.drop_table('search_file_texts')
    op.drop_table('search_postings')
    op.drop_index('ix_search_records_year', table_name='search_records')
    op.drop_table('search_records')
