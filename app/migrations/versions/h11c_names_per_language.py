"""The body's people and numbers in Kazakh: a position written under a Kazakh letter's
signature, and a journal's Kazakh number pattern (the outgoing letters' "ШЫҒ-…").

Revision ID: h11c_names_per_language
Revises: h11b_catalogues_print
Create Date: 2026-12-02 06:53:39.740849

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h11c_names_per_language'
down_revision = 'h11b_catalogues_print'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('journals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pattern_kk', sa.String(length=100), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_kk', sa.String(length=200), server_default='',
                                      nullable=False))

    # the shipped outgoing journal, as a fresh installation now seeds it (app/setup.py)
    op.execute("UPDATE journals SET pattern_kk = 'ШЫҒ-{year}-{seq:06d}' "
               "WHERE code = 'outgoing' AND pattern = 'ИСХ-{year}-{seq:06d}'")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('position_kk')

    with op.batch_alter_table('journals', schema=None) as batch_op:
        batch_op.drop_column('pattern_kk')
