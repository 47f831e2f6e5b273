"""The 公文's 会签, 分发 签收 and 传阅 become the engine's parallel work items

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 23:50:00

workflow_work_items gains sent_by_name, reported_at/_by_id/_by_name (who gave the feedback, and when),
given_by and basis (feedback recorded for the holder by someone else: who there gave it, and how), copies
(分发), on_behalf_of_id/_name (the holder a delegate reported for, 代理) and an index of a unit's items by kind. Every row of document_cosigners, document_distributions and
document_circulations becomes an item of the document's flow record (app.services.documents.work_items says
how each maps), and the three tables go. The downgrade makes them again from the items, which it then deletes.
A row of a document without a flow record has nothing to hang on and is not kept (the services never make one).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_COLUMNS = ('on_behalf_of_name', 'on_behalf_of_id', 'copies', 'basis', 'given_by', 'reported_by_name', 'reported_by_id', 'reported_at', 'sent_by_name')
_KINDS = ('cosign', 'receipt', 'read')


def _datetime() -> sa.types.TypeEngine:
    # DATETIME(6) on MySQL/MariaDB, as every UTC column.
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


# The tables as this revision reads and writes them: spelled out, not imported (a migration describes the
# schema as it was, whatever the program's tables say later).
def _t(name: str, *columns: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns))


_RECORD = ('id', 'created_at', 'updated_at', 'version')
_ITEMS = _t(
    'workflow_work_items', 'id', 'instance_id', 'step_key', 'kind', 'lead', 'unit_id', 'user_id', 'task',
    'due_date', 'due_provisional', 'state', 'feedback', 'sent_at', 'sent_by_id', 'done_at', 'done_by_id',
    'done_by_name', 'sent_by_name', 'reported_at', 'reported_by_id', 'reported_by_name', 'given_by', 'basis',
    'copies', 'on_behalf_of_id', 'on_behalf_of_name',
)
_COSIGNERS = _t(
    'document_cosigners', *_RECORD, 'document_id', 'unit_id', 'agreed', 'opinion', 'by_id', 'by_name', 'at',
    'given_by', 'basis',
)
_DISTRIBUTIONS = _t(
    'document_distributions', *_RECORD, 'document_id', 'unit_id', 'copies', 'sent_at', 'sent_by_name',
    'received_by_id', 'received_by_name', 'received_at',
)
_CIRCULATIONS = _t(
    'document_circulations', *_RECORD, 'document_id', 'reader_id', 'reader_name', 'sent_by_name', 'sent_at',
    'read_at', 'remark', 'recalled', 'recalled_at', 'recalled_by_name',
)
_DOCUMENTS = _t('documents', 'id', 'workflow_instance_id')
_USERS = _t('users', 'id', 'full_name')


def _s(text: str) -> sa.ColumnElement:
    """A constant string written into the statement: a bound parameter in INSERT … SELECT leaves PostgreSQL to
    guess its type."""
    return sa.literal_column(f"'{text}'", sa.String())


def _item_values(**values: sa.ColumnElement) -> dict[str, sa.ColumnElement]:
    """An item's columns, the defaults of a 公文 item where not given."""
    none = sa.null()
    return {
        'lead': sa.false(), 'user_id': none, 'unit_id': none, 'due_date': none, 'due_provisional': sa.false(),
        'sent_by_id': none, 'done_at': none, 'done_by_id': none, 'done_by_name': _s(''),
        'sent_by_name': _s(''), 'reported_at': none, 'reported_by_id': none,
        'reported_by_name': _s(''), 'given_by': _s(''), 'basis': _s(''), 'copies': none,
        'feedback': _s(''), 'on_behalf_of_id': none, 'on_behalf_of_name': _s(''), **values,
    }


def _copy_into_items(source: sa.TableClause, values: dict[str, sa.ColumnElement]) -> None:
    document = _DOCUMENTS.c
    names = list(values)
    query = (
        sa.select(*(values[n] for n in names))
        .select_from(source.join(_DOCUMENTS, document.id == source.c.document_id))
        .where(document.workflow_instance_id.is_not(None))
        .order_by(source.c.id)
    )
    op.execute(_ITEMS.insert().from_select(names, query))


def upgrade() -> None:
    with op.batch_alter_table('workflow_work_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_by_name', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reported_at', _datetime(), nullable=True))
        batch_op.add_column(sa.Column('reported_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reported_by_name', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('given_by', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('basis', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('copies', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('on_behalf_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('on_behalf_of_name', sa.String(length=50), nullable=False, server_default=''))
        for column in ('reported_by_id', 'on_behalf_of_id'):
            batch_op.create_foreign_key(
                batch_op.f(f'fk_workflow_work_items_{column}_users'), 'users', [column], ['id'], ondelete='SET NULL'
            )
        batch_op.create_index('ix_workflow_work_items_unit_kind', ['unit_id', 'kind', 'instance_id'], unique=False)

    instance = _DOCUMENTS.c.workflow_instance_id
    c = _COSIGNERS.c
    agreed, disagreed = c.agreed == sa.true(), c.agreed == sa.false()
    _copy_into_items(_COSIGNERS, _item_values(
        instance_id=instance, step_key=_s('cosign'), kind=_s('cosign'), task=_s('会签'),
        unit_id=c.unit_id,
        state=sa.case((agreed, _s('done')), (disagreed, _s('reported')), else_=_s('sent')),
        feedback=c.opinion, sent_at=c.created_at,
        done_at=sa.case((agreed, c.at), else_=None), done_by_id=sa.case((agreed, c.by_id), else_=None),
        done_by_name=sa.case((agreed, c.by_name), else_=_s('')),
        reported_at=c.at, reported_by_id=c.by_id, reported_by_name=c.by_name, given_by=c.given_by, basis=c.basis,
    ))
    d = _DISTRIBUTIONS.c
    received = d.received_at.is_not(None)
    _copy_into_items(_DISTRIBUTIONS, _item_values(
        instance_id=instance, step_key=_s('distribute'), kind=_s('receipt'), task=_s('签收'),
        unit_id=d.unit_id, state=sa.case((received, _s('done')), else_=_s('sent')), sent_at=d.sent_at,
        sent_by_name=d.sent_by_name, done_at=d.received_at, done_by_id=d.received_by_id,
        done_by_name=d.received_by_name, copies=d.copies,
    ))
    r = _CIRCULATIONS.c
    recalled, read = r.recalled == sa.true(), r.read_at.is_not(None)
    _copy_into_items(_CIRCULATIONS, _item_values(
        # The step a copy was sent at was not kept: 传阅 is where copies wait.
        instance_id=instance, step_key=_s('circulate'), kind=_s('read'), task=_s('阅文'),
        user_id=r.reader_id, state=sa.case((recalled, _s('recalled')), (read, _s('done')), else_=_s('sent')),
        feedback=r.remark, sent_at=r.sent_at, sent_by_name=r.sent_by_name,
        done_at=sa.case((recalled, r.recalled_at), else_=r.read_at),
        done_by_id=sa.case((recalled, None), (read, r.reader_id), else_=None),
        done_by_name=sa.case((recalled, r.recalled_by_name), (read, r.reader_name), else_=_s('')),
        reported_at=sa.case((recalled, None), else_=r.read_at),
        reported_by_id=sa.case((recalled, None), (read, r.reader_id), else_=None),
        reported_by_name=sa.case((recalled, ''), (read, r.reader_name), else_=_s('')),
    ))
    # Dropping a table drops its indexes and keys.
    for table in ('document_circulations', 'document_distributions', 'document_cosigners'):
        op.drop_table(table)


def _record_fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'), ondelete=ondelete
    )


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', _datetime(), nullable=False),
        sa.Column('updated_at', _datetime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
    ]


def _create_old_tables() -> None:
    """The three tables as 0002 and 0004 left them."""
    op.create_table(
        'document_circulations',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('reader_id', sa.Integer(), nullable=True),
        sa.Column('reader_name', sa.String(length=50), nullable=False),
        sa.Column('sent_by_name', sa.String(length=50), nullable=False),
        sa.Column('sent_at', _datetime(), nullable=False),
        sa.Column('read_at', _datetime(), nullable=True),
        sa.Column('remark', sa.Text(), nullable=False),
        sa.Column('recalled', sa.Boolean(), nullable=False),
        sa.Column('recalled_at', _datetime(), nullable=True),
        sa.Column('recalled_by_name', sa.String(length=50), nullable=False),
        *_record_columns(),
        _record_fk('document_circulations', 'document_id', 'documents', 'CASCADE'),
        _record_fk('document_circulations', 'reader_id', 'users', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_circulations')),
    )
    op.create_index(
        op.f('ix_document_circulations_document_id'), 'document_circulations', ['document_id'], unique=False
    )
    op.create_index('ix_document_circulations_reader', 'document_circulations', ['reader_id', 'read_at'], unique=False)
    op.create_table(
        'document_cosigners',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('agreed', sa.Boolean(), nullable=True),
        sa.Column('opinion', sa.Text(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('by_name', sa.String(length=50), nullable=False),
        sa.Column('at', _datetime(), nullable=True),
        *_record_columns(),
        sa.Column('given_by', sa.String(length=50), nullable=False, server_default=''),
        sa.Column('basis', sa.String(length=20), nullable=False, server_default=''),
        _record_fk('document_cosigners', 'by_id', 'users', 'SET NULL'),
        _record_fk('document_cosigners', 'document_id', 'documents', 'CASCADE'),
        _record_fk('document_cosigners', 'unit_id', 'units', 'RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_cosigners')),
        sa.UniqueConstraint('document_id', 'unit_id', name=op.f('uq_document_cosigners_document_id')),
    )
    op.create_index(op.f('ix_document_cosigners_unit_id'), 'document_cosigners', ['unit_id'], unique=False)
    op.create_table(
        'document_distributions',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('copies', sa.Integer(), nullable=False),
        sa.Column('sent_at', _datetime(), nullable=False),
        sa.Column('sent_by_name', sa.String(length=50), nullable=False),
        sa.Column('received_by_id', sa.Integer(), nullable=True),
        sa.Column('received_by_name', sa.String(length=50), nullable=False),
        sa.Column('received_at', _datetime(), nullable=True),
        *_record_columns(),
        _record_fk('document_distributions', 'document_id', 'documents', 'CASCADE'),
        _record_fk('document_distributions', 'received_by_id', 'users', 'SET NULL'),
        _record_fk('document_distributions', 'unit_id', 'units', 'RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_distributions')),
        sa.UniqueConstraint('document_id', 'unit_id', name=op.f('uq_document_distributions_document_id')),
    )
    op.create_index(op.f('ix_document_distributions_unit_id'), 'document_distributions', ['unit_id'], unique=False)


def _copy_from_items(target: sa.TableClause, kind: str, values: dict[str, sa.ColumnElement]) -> None:
    item = _ITEMS.c
    names = list(values)
    query = (
        sa.select(*(values[n] for n in names))
        .select_from(
            _ITEMS.join(_DOCUMENTS, _DOCUMENTS.c.workflow_instance_id == item.instance_id)
            .outerjoin(_USERS, _USERS.c.id == item.user_id)
        )
        .where(item.kind == kind)
        .order_by(item.id)
    )
    op.execute(target.insert().from_select(names, query))


def downgrade() -> None:
    _create_old_tables()
    i = _ITEMS.c
    document = _DOCUMENTS.c.id
    record = {'created_at': i.sent_at, 'updated_at': sa.func.coalesce(i.done_at, i.reported_at, i.sent_at),
              'version': sa.literal_column('1', sa.Integer())}
    _copy_from_items(_COSIGNERS, 'cosign', {
        'document_id': document, 'unit_id': i.unit_id,
        'agreed': sa.case((i.state == 'done', sa.true()), (i.state == 'reported', sa.false()), else_=sa.null()),
        'opinion': i.feedback, 'by_id': i.reported_by_id, 'by_name': i.reported_by_name, 'at': i.reported_at,
        'given_by': i.given_by, 'basis': i.basis, **record,
    })
    done = i.state == 'done'
    _copy_from_items(_DISTRIBUTIONS, 'receipt', {
        'document_id': document, 'unit_id': i.unit_id, 'copies': sa.func.coalesce(i.copies, 1),
        'sent_at': i.sent_at, 'sent_by_name': i.sent_by_name,
        'received_by_id': sa.case((done, i.done_by_id), else_=None),
        'received_by_name': sa.case((done, i.done_by_name), else_=_s('')),
        'received_at': sa.case((done, i.done_at), else_=None), **record,
    })
    recalled = i.state == 'recalled'
    _copy_from_items(_CIRCULATIONS, 'read', {
        'document_id': document, 'reader_id': i.user_id,
        'reader_name': sa.func.coalesce(_USERS.c.full_name, sa.case((done, i.reported_by_name), else_=_s('')), ''),
        'sent_by_name': i.sent_by_name, 'sent_at': i.sent_at,
        'read_at': sa.case((done, i.done_at), else_=None), 'remark': i.feedback,
        'recalled': sa.case((recalled, sa.true()), else_=sa.false()),
        'recalled_at': sa.case((recalled, i.done_at), else_=None),
        'recalled_by_name': sa.case((recalled, i.done_by_name), else_=_s('')), **record,
    })
    op.execute(_ITEMS.delete().where(_ITEMS.c.kind.in_(_KINDS)))
    with op.batch_alter_table('workflow_work_items', schema=None) as batch_op:
        # MariaDB keeps an index while a foreign key needs it: the keys go first. The unit's key is made again
        # once the index it has used since is gone (MariaDB then gives it an index of its own, as at 0008).
        batch_op.drop_constraint(batch_op.f('fk_workflow_work_items_reported_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_workflow_work_items_on_behalf_of_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_workflow_work_items_unit_id_units'), type_='foreignkey')
        batch_op.drop_index('ix_workflow_work_items_unit_kind')
        for column in _NEW_COLUMNS:
            batch_op.drop_column(column)
        batch_op.create_foreign_key(
            batch_op.f('fk_workflow_work_items_unit_id_units'), 'units', ['unit_id'], ['id'], ondelete='SET NULL'
        )
