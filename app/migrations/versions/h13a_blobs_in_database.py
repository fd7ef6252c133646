"""Blobs in the database: raw documents and files in the row's transaction.

The store of choice on PostgreSQL (app/documents/dbblobs.py); the directory's blobs are
still read from there.

Revision ID: h13a_blobs_in_database
Revises: h14d_reports_status
Create Date: 2026-12-02 05:32:34.684963
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h13a_blobs_in_database'
down_revision = 'h14d_reports_status'
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
