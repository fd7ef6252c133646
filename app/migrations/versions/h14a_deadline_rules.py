"""Deadline rules and the government's day swaps as data; each document names the rule of
its legal deadline and whether a head set its deadline by hand.

Deadlines set before this revision were all chosen in a head's resolution: they are
marked as set by hand, so a change of the rules or the calendar leaves them. The rules are
not inserted here: ``qujat init-db`` (and the demo) copy the shipped ones
(app/deadlines/rules.toml), and until then the shipped ones apply.

Revision ID: h14a_deadline_rules
Revises: h14b_control_of_execution
Create Date: 2026-12-02 05:32:13.713161

"""
import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'h14a_deadline_rules'
down_revision = 'h14b_control_of_execution'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('calendar_days_created_by_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('calendar_days_pkey')),
    sa.UniqueConstraint('day', name=op.f('calendar_days_day_key'))
    )
    op.create_table('deadline_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('starts_on', sa.String(length=16), nullable=False),
    sa.Column('start_day_counts', sa.Boolean(), nullable=False),
    sa.Column('citation', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('deadline_rules_updated_by_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('deadline_rules_pkey')),
    sa.UniqueConstraint('code', name=op.f('deadline_rules_code_key')),
    sa.UniqueConstraint('kind', 'valid_from', name=op.f('deadline_rules_kind_valid_from_key'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_rule_code', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('due_date_by_hand', sa.Boolean(), server_default='0', nullable=False))

    # every deadline set before this revision was a head's resolution: it stays as set
    # when the rules or the calendar change
    documents = sa.table("documents", sa.column("due_date", sa.Date()),
                         sa.column("due_date_by_hand", sa.Boolean()))
    op.execute(documents.update().where(documents.c.due_date.is_not(None))
               .values(due_date_by_hand=True))



def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('due_date_by_hand')
        batch_op.drop_column('deadline_rule_code')

    op.drop_table('deadline_rules')
    op.drop_table('calendar_days')
