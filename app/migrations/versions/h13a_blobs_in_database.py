"""Blobs in the database: the raw documents and files in a table of their own, written in
the same transaction as the rows that name them (the store of choice on PostgreSQL;
``qujat blobs import`` copies in what the directory held before).

Revision ID: h13a_blobs_in_database
Revises: 0002_login_sessions_started_at
Create Date: 2026-12-02 05:32:34.684963
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h13a_blobs_in_database'
down_revision = '0002_login_sessions_started_at'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'blobs',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('part', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', 'part', name=op.f('blobs_pkey')),
    )


def downgrade():
    op.drop_table('blobs')
