"""Routes by the object's region and district; the moment the portal received a letter.

Revision ID: h10c_intake_marks_inspections
Revises: 0002_login_sessions_started_at
Create Date: 2026-12-02 05:50:00

Letters signed before this revision were carried by their LETTER mark, which stays as it
was: nothing to move.
"""

import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h10c_intake_marks_inspections'
down_revision = '0002_login_sessions_started_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_received_at', UTCDateTime(), nullable=True))

    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('district', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.drop_column('district')
        batch_op.drop_column('region')

    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_column('letter_received_at')
