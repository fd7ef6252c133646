"""Which standard instruction a resolution's head chose from the office's list, and its
text as the list said it then (the list may be edited later).

Revision ID: h11d_standard_instruction_chosen
Revises: h11c_names_per_language
Create Date: 2026-12-02 08:25:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h11d_standard_instruction_chosen'
down_revision = 'h11c_names_per_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standard_instruction_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('standard_instruction_text', sa.String(length=500),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_resolutions_standard_instruction_id'),
                              ['standard_instruction_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('resolutions_standard_instruction_id_fkey'),
                                    'standard_instructions', ['standard_instruction_id'],
                                    ['id'])


def downgrade():
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('resolutions_standard_instruction_id_fkey'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_resolutions_standard_instruction_id'))
        batch_op.drop_column('standard_instruction_text')
        batch_op.drop_column('standard_instruction_id')
