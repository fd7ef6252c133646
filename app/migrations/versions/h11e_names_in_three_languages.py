"""The names the office keeps, in Kazakh and English beside Russian: departments, the
sending portals, the deadline rules' citations and notes, the standard instructions and the
state bodies (English); and each document's last status mark, which the execution circle
of the desks follows (an answered document is dark green only once the portal has the
letter).

Revision ID: h11e_names_in_three_languages
Revises: h11d_standard_instruction_chosen
Create Date: 2026-12-02 08:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h11e_names_in_three_languages'
down_revision = 'h11d_standard_instruction_chosen'
branch_labels = None
depends_on = None

#: (table, column, length or None for text); each empty (the Russian one shown) until
#: written: `qujat init-db` fills the shipped rules' and lists' own
COLUMNS = (
    ("departments", "name_kk", 300), ("departments", "name_en", 300),
    ("senders", "name_kk", 200), ("senders", "name_en", 200),
    ("deadline_rules", "citation_kk", 500), ("deadline_rules", "citation_en", 500),
    ("deadline_rules", "note_kk", None), ("deadline_rules", "note_en", None),
    ("standard_instructions", "text_en", 500),
    ("state_bodies", "name_en", 500),
)


def upgrade():
    for table, column, length in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            kind = sa.Text() if length is None else sa.String(length=length)
            batch_op.add_column(sa.Column(column, kind, server_default='', nullable=False))

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_mark', sa.String(length=32), nullable=True))
    # every document's last mark so far (the marks' ids grow with time)
    op.execute("UPDATE documents SET last_mark = (SELECT marks.kind FROM marks "
               "WHERE marks.id = (SELECT max(m.id) FROM marks m "
               "WHERE m.document_id = documents.id))")


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('last_mark')
    for table, column, _length in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
