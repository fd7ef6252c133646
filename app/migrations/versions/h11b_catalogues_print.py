"""The body's reference lists (standard resolution instructions, the directory of state
bodies for redirection by competence) and the executor's office phone printed under a
letter.

The lists are created empty here: ``qujat init-db`` (and the demo) add the shipped
instructions and the starter list of state bodies (app/catalogues/defaults.py), which an
administrator then edits at /admin/instructions and /admin/state-bodies.

Revision ID: h11b_catalogues_print
Revises: h13c_desk_counts_indexes
Create Date: 2026-12-02 06:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h11b_catalogues_print'
down_revision = 'h13c_desk_counts_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('standard_instructions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('text_ru', sa.String(length=500), nullable=False),
    sa.Column('text_kk', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('standard_instructions_pkey')),
    sa.UniqueConstraint('code', name=op.f('standard_instructions_code_key'))
    )
    op.create_table('state_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_ru', sa.String(length=500), nullable=False),
    sa.Column('name_kk', sa.String(length=500), nullable=False),
    sa.Column('bin', sa.String(length=12), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('state_bodies_pkey')),
    sa.UniqueConstraint('code', name=op.f('state_bodies_code_key'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('phone')
    op.drop_table('state_bodies')
    op.drop_table('standard_instructions')
