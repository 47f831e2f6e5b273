"""information: writing groups, items, adoptions, comments, issues, study

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:02:21

New tables only.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def utc_datetime() -> sa.types.TypeEngine:
    """The column type of every timestamp as this revision makes it (app.db.tables' UTCDateTime now), spelled
    out: a migration describes the schema as it was, whatever the program's tables say later."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql')


def upgrade() -> None:
    op.create_table('info_issues',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=30), nullable=False),
    sa.Column('editor_unit', sa.String(length=60), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('issued', sa.Boolean(), nullable=False),
    sa.Column('issued_by_name', sa.String(length=50), nullable=False),
    sa.Column('report_to', sa.String(length=500), nullable=False),
    sa.Column('send_to', sa.String(length=500), nullable=False),
    sa.Column('distribute_to', sa.String(length=500), nullable=False),
    sa.Column('edited_by_name', sa.String(length=50), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_issues')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_info_issues_year'))
    )
    op.create_table('study_terms',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('topics', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_terms'))
    )
    op.create_table('info_groups',
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_info_groups_leader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_info_groups_name'))
    )
    op.create_table('study_absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('away_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['study_terms.id'], name=op.f('fk_study_absences_term_id_study_terms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_absences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_absences')),
    sa.UniqueConstraint('term_id', 'user_id', 'away_on', name=op.f('uq_study_absences_term_id'))
    )
    op.create_table('study_sessions',
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=True),
    sa.Column('presenter_name', sa.String(length=50), nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=50), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['presenter_id'], ['users.id'], name=op.f('fk_study_sessions_presenter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['term_id'], ['study_terms.id'], name=op.f('fk_study_sessions_term_id_study_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_sessions')),
    sa.UniqueConstraint('term_id', 'held_on', name=op.f('uq_study_sessions_term_id'))
    )
    op.create_table('info_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['info_groups.id'], name=op.f('fk_info_group_members_group_id_info_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_info_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_group_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_info_group_members_user_id'))
    )
    with op.batch_alter_table('info_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_group_members_group_id'), ['group_id'], unique=False)

    op.create_table('info_items',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_name', sa.String(length=50), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('issue_position', sa.Integer(), nullable=True),
    sa.Column('imported', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.Column('updated_at', utc_datetime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_info_items_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['info_groups.id'], name=op.f('fk_info_items_group_id_info_groups'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_info_items_instance_id_workflow_instances'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issue_id'], ['info_issues.id'], name=op.f('fk_info_items_issue_id_info_issues'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_items'))
    )
    with op.batch_alter_table('info_items', schema=None) as batch_op:
        batch_op.create_index('ix_info_items_group_submitted', ['group_id', 'submitted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_items_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_info_items_issue', ['issue_id', 'issue_position'], unique=False)
        batch_op.create_index('ix_info_items_submitted', ['submitted_on', 'id'], unique=False)

    op.create_table('study_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(length=50), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['study_sessions.id'], name=op.f('fk_study_attendance_session_id_study_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_attendance_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_attendance')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_study_attendance_session_id'))
    )
    op.create_table('info_adoptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=50), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['info_items.id'], name=op.f('fk_info_adoptions_item_id_info_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_adoptions'))
    )
    with op.batch_alter_table('info_adoptions', schema=None) as batch_op:
        batch_op.create_index('ix_info_adoptions_adopted', ['adopted_on', 'item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_adoptions_item_id'), ['item_id'], unique=False)

    op.create_table('info_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('leader', sa.String(length=50), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('commented_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=50), nullable=False),
    sa.Column('created_at', utc_datetime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['info_items.id'], name=op.f('fk_info_comments_item_id_info_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_comments'))
    )
    with op.batch_alter_table('info_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_comments_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    # The tables go with their indexes: MariaDB will not drop an index a foreign key still needs, so none is
    # dropped first.
    for table in ('study_attendance', 'study_absences', 'study_sessions', 'study_terms', 'info_comments',
                  'info_adoptions', 'info_items', 'info_issues', 'info_group_members', 'info_groups'):
        op.drop_table(table)
