"""documents: 发文 and 收文 with their cosigners, distribution, circulation, errors and archive records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:00:00

Only new tables, so an upgrade leaves every row of 0001 as it was. The documents of the demo and of
earlier test databases had workflow instances only (entity_type 'document'); they stay instances
without a document row, which the services treat as records of another kind.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision made it (app.db.tables' UTCDateTime then):
    DATETIME(6) on MySQL/MariaDB, plain DATETIME / TIMESTAMP elsewhere. Spelled out here, not imported:
    a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('doc_type', sa.String(length=10), nullable=False),
    sa.Column('urgency', sa.String(length=4), nullable=False),
    sa.Column('secrecy', sa.String(length=10), nullable=False),
    sa.Column('disclosure', sa.String(length=10), nullable=False),
    sa.Column('disclosure_reason', sa.String(length=200), nullable=False),
    sa.Column('important', sa.Boolean(), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('remark', sa.String(length=500), nullable=False),
    sa.Column('main_recipients', sa.String(length=1000), nullable=False),
    sa.Column('copy_recipients', sa.String(length=1000), nullable=False),
    sa.Column('drafting_unit_id', sa.Integer(), nullable=True),
    sa.Column('drafter_id', sa.Integer(), nullable=True),
    sa.Column('drafter_name', sa.String(length=50), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('doc_year', sa.Integer(), nullable=True),
    sa.Column('doc_seq', sa.Integer(), nullable=True),
    sa.Column('doc_number', sa.String(length=60), nullable=True),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=50), nullable=False),
    sa.Column('signed_at', utc_datetime(), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=True),
    sa.Column('proofreader', sa.String(length=50), nullable=False),
    sa.Column('receipt_year', sa.Integer(), nullable=True),
    sa.Column('receipt_seq', sa.Integer(), nullable=True),
    sa.Column('receipt_number', sa.String(length=40), nullable=True),
    sa.Column('received_at', utc_datetime(), nullable=True),
    sa.Column('source_unit', sa.String(length=100), nullable=False),
    sa.Column('source_number', sa.String(length=100), nullable=False),
    sa.Column('source_date', sa.Date(), nullable=True),
    sa.Column('copies_received', sa.Integer(), nullable=True),
    sa.Column('needs_handling', sa.Boolean(), nullable=False),
    sa.Column('needs_circulation', sa.Boolean(), nullable=False),
    sa.Column('handling_unit_id', sa.Integer(), nullable=True),
    sa.Column('handling_deadline', sa.Date(), nullable=True),
    sa.Column('handling_provisional', sa.Boolean(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('out', 'in')", name=op.f('ck_documents_direction')),
    sa.CheckConstraint("secrecy = ''", name=op.f('ck_documents_non_classified')),
    sa.ForeignKeyConstraint(['drafter_id'], ['users.id'], name=op.f('fk_documents_drafter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['drafting_unit_id'], ['units.id'], name=op.f('fk_documents_drafting_unit_id_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['handling_unit_id'], ['units.id'], name=op.f('fk_documents_handling_unit_id_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], name=op.f('fk_documents_signer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_documents_workflow_instance_id_workflow_instances'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('doc_number', name=op.f('uq_documents_doc_number')),
    sa.UniqueConstraint('receipt_number', name=op.f('uq_documents_receipt_number')),
    sa.UniqueConstraint('workflow_instance_id', name=op.f('uq_documents_workflow_instance_id'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_date', ['doc_date', 'id'], unique=False)
        batch_op.create_index('ix_documents_direction_date', ['direction', 'doc_date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_drafting_unit_id'), ['drafting_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_handling_unit_id'), ['handling_unit_id'], unique=False)
        batch_op.create_index('ix_documents_type_date', ['doc_type', 'doc_date'], unique=False)

    op.create_table('document_archives',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('retention', sa.String(length=3), nullable=False),
    sa.Column('item_no', sa.Integer(), nullable=False),
    sa.Column('archive_code', sa.String(length=60), nullable=False),
    sa.Column('fonds', sa.String(length=20), nullable=False),
    sa.Column('org_code', sa.String(length=20), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('remark', sa.String(length=200), nullable=False),
    sa.Column('archived_at', utc_datetime(), nullable=False),
    sa.Column('archived_by_id', sa.Integer(), nullable=True),
    sa.Column('archived_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("retention IN ('Y', 'D30', 'D10')", name=op.f('ck_document_archives_retention')),
    sa.ForeignKeyConstraint(['archived_by_id'], ['users.id'], name=op.f('fk_document_archives_archived_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_archives_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_archives')),
    sa.UniqueConstraint('archive_code', name=op.f('uq_document_archives_archive_code')),
    sa.UniqueConstraint('document_id', name=op.f('uq_document_archives_document_id')),
    sa.UniqueConstraint('year', 'retention', 'item_no', name=op.f('uq_document_archives_year'))
    )
    op.create_table('document_circulations',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('reader_id', sa.Integer(), nullable=True),
    sa.Column('reader_name', sa.String(length=50), nullable=False),
    sa.Column('sent_by_name', sa.String(length=50), nullable=False),
    sa.Column('sent_at', utc_datetime(), nullable=False),
    sa.Column('read_at', utc_datetime(), nullable=True),
    sa.Column('remark', sa.Text(), nullable=False),
    sa.Column('recalled', sa.Boolean(), nullable=False),
    sa.Column('recalled_at', utc_datetime(), nullable=True),
    sa.Column('recalled_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_circulations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reader_id'], ['users.id'], name=op.f('fk_document_circulations_reader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_circulations'))
    )
    with op.batch_alter_table('document_circulations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_circulations_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_document_circulations_reader', ['reader_id', 'read_at'], unique=False)

    op.create_table('document_co_handlers',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_co_handlers_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_co_handlers_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_co_handlers')),
    sa.UniqueConstraint('document_id', 'unit_id', name=op.f('uq_document_co_handlers_document_id'))
    )
    with op.batch_alter_table('document_co_handlers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_co_handlers_unit_id'), ['unit_id'], unique=False)

    op.create_table('document_cosigners',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('agreed', sa.Boolean(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sa.String(length=50), nullable=False),
    sa.Column('at', utc_datetime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_document_cosigners_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_cosigners_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_cosigners_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_cosigners')),
    sa.UniqueConstraint('document_id', 'unit_id', name=op.f('uq_document_cosigners_document_id'))
    )
    with op.batch_alter_table('document_cosigners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_cosigners_unit_id'), ['unit_id'], unique=False)

    op.create_table('document_distributions',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('sent_at', utc_datetime(), nullable=False),
    sa.Column('sent_by_name', sa.String(length=50), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('received_by_name', sa.String(length=50), nullable=False),
    sa.Column('received_at', utc_datetime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_distributions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['received_by_id'], ['users.id'], name=op.f('fk_document_distributions_received_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_distributions_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_distributions')),
    sa.UniqueConstraint('document_id', 'unit_id', name=op.f('uq_document_distributions_document_id'))
    )
    with op.batch_alter_table('document_distributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_distributions_unit_id'), ['unit_id'], unique=False)

    op.create_table('document_errors',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=50), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=50), nullable=False),
    sa.Column('history_id', sa.Integer(), nullable=True),
    sa.Column('at', utc_datetime(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_errors_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['history_id'], ['workflow_history.id'], name=op.f('fk_document_errors_history_id_workflow_history'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_document_errors_person_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_document_errors_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_document_errors_unit_id_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_errors'))
    )
    with op.batch_alter_table('document_errors', schema=None) as batch_op:
        batch_op.create_index('ix_document_errors_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_errors_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes and foreign keys; children first. MariaDB refuses to drop an
    # index a foreign key needs, so no index is dropped on its own.
    op.drop_table('document_errors')
    op.drop_table('document_distributions')
    op.drop_table('document_cosigners')
    op.drop_table('document_co_handlers')
    op.drop_table('document_circulations')
    op.drop_table('document_archives')
    op.drop_table('documents')
