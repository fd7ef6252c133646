"""Timed jobs' leases and last runs, notifications to desk users, users' e-mail.

Revision ID: h14c_notifications
Revises: h14a_deadline_rules
Create Date: 2026-12-02 05:30:35.322049

"""
import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h14c_notifications'
down_revision = 'h14a_deadline_rules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=120), nullable=True),
    sa.Column('lease_until', UTCDateTime(), nullable=True),
    sa.Column('last_started_at', UTCDateTime(), nullable=True),
    sa.Column('last_finished_at', UTCDateTime(), nullable=True),
    sa.Column('last_outcome', sa.String(length=16), nullable=True),
    sa.Column('last_result', sa.String(length=200), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_run_at', UTCDateTime(), nullable=True),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('job_id', name=op.f('job_runs_pkey'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('read_at', UTCDateTime(), nullable=True),
    sa.Column('mail_state', sa.String(length=16), nullable=True),
    sa.Column('mail_attempts', sa.Integer(), nullable=False),
    sa.Column('mail_next_at', UTCDateTime(), nullable=True),
    sa.Column('mail_claimed_until', UTCDateTime(), nullable=True),
    sa.Column('mail_claimed_by', sa.String(length=120), nullable=True),
    sa.Column('mail_sent_at', UTCDateTime(), nullable=True),
    sa.Column('mail_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('notifications_document_id_fkey')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('notifications_user_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('notifications_pkey')),
    sa.UniqueConstraint('document_id', 'user_id', 'kind', 'due_date', 'days_before', name='uq_notifications_once')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_notifications_mail', ['mail_state', 'mail_next_at'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('email_notifications', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_notifications')
        batch_op.drop_column('email')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index('ix_notifications_mail')
        batch_op.drop_index(batch_op.f('ix_notifications_document_id'))

    op.drop_table('notifications')
    op.drop_table('job_runs')
