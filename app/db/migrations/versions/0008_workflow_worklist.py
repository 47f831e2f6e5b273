"""The workflow's clocks, responsible person, 撤回, delegation, links, duties and parallel work items

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 19:00:00

workflow_instances gains responsible_id (一事一人), moved_by_id and opened_at (撤回 is allowed to the mover
until the next handler opens the record or acts); workflow_history gains on_behalf_of_id/_name (代理);
urges gain aimed_at_id (a 催办 reaches a person, not a role) and duty_key (a 催办 of a missed report, not of
the step). New tables: workflow_clocks and
workflow_clock_events, delegations, common_opinions, unit_groups and unit_group_members, record_links,
workflow_duties and workflow_duty_reports, workflow_work_items. Existing rows keep their meaning: no
responsible person, no mover (nothing to withdraw), nobody on whose behalf.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_TABLES = (
    'workflow_work_items', 'workflow_duty_reports', 'workflow_duties', 'record_links', 'unit_group_members',
    'unit_groups', 'common_opinions', 'delegations', 'workflow_clock_events', 'workflow_clocks',
)


def _datetime() -> sa.types.TypeEngine:
    # DATETIME(6) on MySQL/MariaDB, as every UTC column.
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def _user_fk(table: str, column: str, ondelete: str = 'SET NULL') -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ['users.id'], name=op.f(f'fk_{table}_{column}_users'), ondelete=ondelete
    )


def _instance_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['instance_id'], ['workflow_instances.id'], name=op.f(f'fk_{table}_instance_id_workflow_instances'),
        ondelete='CASCADE',
    )


def upgrade() -> None:
    with op.batch_alter_table('workflow_instances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responsible_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('moved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('opened_at', _datetime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_workflow_instances_responsible_id_users'), 'users', ['responsible_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_workflow_instances_moved_by_id_users'), 'users', ['moved_by_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_index(batch_op.f('ix_workflow_instances_responsible_id'), ['responsible_id'], unique=False)
    with op.batch_alter_table('workflow_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('on_behalf_of_name', sa.String(length=50), nullable=False, server_default=''))
        batch_op.create_foreign_key(
            batch_op.f('fk_workflow_history_on_behalf_of_id_users'), 'users', ['on_behalf_of_id'], ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('urges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aimed_at_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duty_key', sa.String(length=40), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_urges_aimed_at_id_users'), 'users', ['aimed_at_id'], ['id'], ondelete='SET NULL'
        )

    op.create_table(
        'workflow_clocks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('clock_key', sa.String(length=40), nullable=False),
        sa.Column('phase', sa.String(length=12), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('due_provisional', sa.Boolean(), nullable=False),
        sa.Column('extended_by', sa.Integer(), nullable=False),
        sa.Column('paused_since', sa.Date(), nullable=True),
        sa.Column('stopped_on', sa.Date(), nullable=True),
        _instance_fk('workflow_clocks'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_clocks')),
        sa.UniqueConstraint('instance_id', 'clock_key', name=op.f('uq_workflow_clocks_instance_id')),
    )
    op.create_index(op.f('ix_workflow_clocks_instance_id'), 'workflow_clocks', ['instance_id'], unique=False)
    op.create_index('ix_workflow_clocks_phase_due', 'workflow_clocks', ['phase', 'due_date'], unique=False)

    op.create_table(
        'workflow_clock_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('clock_key', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=50), nullable=False),
        sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
        sa.Column('on_behalf_of_name', sa.String(length=50), nullable=False),
        sa.Column('at', _datetime(), nullable=False),
        _instance_fk('workflow_clock_events'),
        _user_fk('workflow_clock_events', 'actor_id'),
        _user_fk('workflow_clock_events', 'on_behalf_of_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_clock_events')),
    )
    op.create_index(
        op.f('ix_workflow_clock_events_instance_id'), 'workflow_clock_events', ['instance_id'], unique=False
    )

    op.create_table(
        'delegations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('principal_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_at', _datetime(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('revoked_at', _datetime(), nullable=True),
        _user_fk('delegations', 'principal_id', 'CASCADE'),
        _user_fk('delegations', 'delegate_id', 'CASCADE'),
        _user_fk('delegations', 'created_by'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
    )
    op.create_index('ix_delegations_delegate', 'delegations', ['delegate_id', 'ends_on'], unique=False)
    op.create_index('ix_delegations_principal', 'delegations', ['principal_id', 'ends_on'], unique=False)

    op.create_table(
        'common_opinions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        _user_fk('common_opinions', 'user_id', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_common_opinions')),
    )
    op.create_index('ix_common_opinions_user', 'common_opinions', ['user_id', 'position'], unique=False)

    op.create_table(
        'unit_groups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_groups')),
        sa.UniqueConstraint('name', name=op.f('uq_unit_groups_name')),
    )
    op.create_table(
        'unit_group_members',
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['unit_groups.id'], name=op.f('fk_unit_group_members_group_id_unit_groups'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['unit_id'], ['units.id'], name=op.f('fk_unit_group_members_unit_id_units'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('group_id', 'unit_id', name=op.f('pk_unit_group_members')),
    )
    op.create_index(op.f('ix_unit_group_members_unit_id'), 'unit_group_members', ['unit_id'], unique=False)

    op.create_table(
        'record_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_type', sa.String(length=40), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('target_type', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('created_at', _datetime(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        _user_fk('record_links', 'created_by'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_record_links')),
        sa.UniqueConstraint(
            'source_type', 'source_id', 'target_type', 'target_id', 'kind', name=op.f('uq_record_links_source_type')
        ),
    )
    op.create_index('ix_record_links_target', 'record_links', ['target_type', 'target_id'], unique=False)

    op.create_table(
        'workflow_duties',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('duty_key', sa.String(length=40), nullable=False),
        sa.Column('rhythm', sa.String(length=10), nullable=False),
        sa.Column('every', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('next_due', sa.Date(), nullable=True),
        sa.Column('next_due_provisional', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        _instance_fk('workflow_duties'),
        sa.ForeignKeyConstraint(
            ['unit_id'], ['units.id'], name=op.f('fk_workflow_duties_unit_id_units'), ondelete='SET NULL'
        ),
        _user_fk('workflow_duties', 'user_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_duties')),
        sa.UniqueConstraint('instance_id', 'duty_key', name=op.f('uq_workflow_duties_instance_id')),
    )
    op.create_index(op.f('ix_workflow_duties_instance_id'), 'workflow_duties', ['instance_id'], unique=False)
    op.create_index('ix_workflow_duties_active_due', 'workflow_duties', ['active', 'next_due'], unique=False)

    op.create_table(
        'workflow_duty_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('duty_id', sa.Integer(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('reported_on', sa.Date(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('by_name', sa.String(length=50), nullable=False),
        sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
        sa.Column('at', _datetime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['duty_id'], ['workflow_duties.id'], name=op.f('fk_workflow_duty_reports_duty_id_workflow_duties'),
            ondelete='CASCADE',
        ),
        _user_fk('workflow_duty_reports', 'by_id'),
        _user_fk('workflow_duty_reports', 'on_behalf_of_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_duty_reports')),
    )
    op.create_index(op.f('ix_workflow_duty_reports_duty_id'), 'workflow_duty_reports', ['duty_id'], unique=False)

    op.create_table(
        'workflow_work_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('step_key', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('lead', sa.Boolean(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('task', sa.Text(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('due_provisional', sa.Boolean(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('feedback', sa.Text(), nullable=False),
        sa.Column('sent_at', _datetime(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('done_at', _datetime(), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.Column('done_by_name', sa.String(length=50), nullable=False),
        _instance_fk('workflow_work_items'),
        sa.ForeignKeyConstraint(
            ['unit_id'], ['units.id'], name=op.f('fk_workflow_work_items_unit_id_units'), ondelete='SET NULL'
        ),
        _user_fk('workflow_work_items', 'user_id'),
        _user_fk('workflow_work_items', 'sent_by_id'),
        _user_fk('workflow_work_items', 'done_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_work_items')),
    )
    op.create_index(op.f('ix_workflow_work_items_instance_id'), 'workflow_work_items', ['instance_id'], unique=False)
    op.create_index('ix_workflow_work_items_unit', 'workflow_work_items', ['state', 'unit_id'], unique=False)
    op.create_index('ix_workflow_work_items_user', 'workflow_work_items', ['state', 'user_id'], unique=False)


def downgrade() -> None:
    for table in _NEW_TABLES:
        op.drop_table(table)
    with op.batch_alter_table('urges', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_urges_aimed_at_id_users'), type_='foreignkey')
        batch_op.drop_column('duty_key')
        batch_op.drop_column('aimed_at_id')
    with op.batch_alter_table('workflow_history', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_workflow_history_on_behalf_of_id_users'), type_='foreignkey')
        batch_op.drop_column('on_behalf_of_name')
        batch_op.drop_column('on_behalf_of_id')
    with op.batch_alter_table('workflow_instances', schema=None) as batch_op:
        # MariaDB keeps an index while a foreign key needs it: the keys go first.
        batch_op.drop_constraint(batch_op.f('fk_workflow_instances_moved_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_workflow_instances_responsible_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workflow_instances_responsible_id'))
        batch_op.drop_column('opened_at')
        batch_op.drop_column('moved_by_id')
        batch_op.drop_column('responsible_id')
