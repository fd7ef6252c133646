"""The index of the clerk's undelivered letters (/letters/undelivered): the marks that
carry a signed letter the portal has not received yet, by creation then id, as the page
reads them a page at a time (app/marks/models.py). Partial: those marks are a handful
among every mark ever sent, so the page seeks in the handful.

Revision ID: h13j_undelivered_letters_index
Revises: h13i_sender_client_certificate
Create Date: 2026-12-02 11:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h13j_undelivered_letters_index'
down_revision = 'h13i_sender_client_certificate'
branch_labels = None
depends_on = None

# the condition as app/marks/models.py writes it at this revision (copied: a released
# migration does not change when the module does)
UNDELIVERED_LETTER = ("kind = 'executed' AND letter_id IS NOT NULL "
                      "AND letter_received_at IS NULL")


def upgrade():
    where = sa.text(UNDELIVERED_LETTER)
    op.create_index("ix_marks_undelivered_letters", "marks", ["created_at", "id"],
                    unique=False, postgresql_where=where, sqlite_where=where)


def downgrade():
    op.drop_index("ix_marks_undelivered_letters", table_name="marks")
