"""Routes by the object's region and district; the moment the portal received a letter;
the visits scheduled for inspection requests.

Revision ID: h10c_intake_marks_inspections
Revises: h11a_desk_at_speed
Create Date: 2026-12-02 05:50:00

Letters signed before this revision were carried by their LETTER mark, which stays as it
was: nothing to move.
"""

import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h10c_intake_marks_inspections'
down_revision = 'h11a_desk_at_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'inspection_visits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('inspector_id', sa.Integer(), nullable=False),
        sa.Column('scheduled_for', sa.Date(), nullable=False),
        sa.Column('scheduled_by_id', sa.Integer(), nullable=False),
        sa.Column('scheduled_at', UTCDateTime(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('inspection_visits_document_id_fkey')),
        sa.ForeignKeyConstraint(['inspector_id'], ['users.id'],
                                name=op.f('inspection_visits_inspector_id_fkey')),
        sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'],
                                name=op.f('inspection_visits_scheduled_by_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('inspection_visits_pkey')),
        sa.UniqueConstraint('document_id', name=op.f('inspection_visits_document_id_key')),
    )
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

    op.drop_table('inspection_visits')
