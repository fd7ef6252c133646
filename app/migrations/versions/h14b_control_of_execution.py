"""Control of execution: the record of extensions, requests, refusals, suspensions and
resumptions, and the moment a document's clock was stopped.

Revision ID: h14b_control_of_execution
Revises: 0002_login_sessions_started_at
Create Date: 2026-12-02 05:30:09.505271
"""

import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h14b_control_of_execution'
down_revision = '0002_login_sessions_started_at'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'control_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('previous_due', sa.Date(), nullable=True),
        sa.Column('due', sa.Date(), nullable=True),
        sa.Column('answers_id', sa.Integer(), nullable=True),
        sa.Column('working_days', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['answers_id'], ['control_decisions.id'],
                                name=op.f('control_decisions_answers_id_fkey')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('control_decisions_author_id_fkey')),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('control_decisions_document_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('control_decisions_pkey')),
    )
    with op.batch_alter_table('control_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_control_decisions_document_id', ['document_id'],
                              unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_since', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('suspended_since')

    with op.batch_alter_table('control_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_control_decisions_document_id')

    op.drop_table('control_decisions')
