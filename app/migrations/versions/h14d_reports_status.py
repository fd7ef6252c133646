"""Reports and status for the author: registrations by date (the reports' and the journal's
period), and the status checks of the last minutes by address (its rate limit).

Revision ID: h14d_reports_status
Revises: h14c_notifications
Create Date: 2026-12-02 05:37:04.801131
"""

import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h14d_reports_status'
down_revision = 'h14c_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('status_lookups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('status_lookups_pkey'))
    )
    with op.batch_alter_table('status_lookups', schema=None) as batch_op:
        batch_op.create_index('ix_status_lookups_address', ['address', 'at'], unique=False)
        batch_op.create_index('ix_status_lookups_at', ['at'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_registered_at', ['registered_at'], unique=False)


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_registered_at')

    with op.batch_alter_table('status_lookups', schema=None) as batch_op:
        batch_op.drop_index('ix_status_lookups_at')
        batch_op.drop_index('ix_status_lookups_address')

    op.drop_table('status_lookups')
