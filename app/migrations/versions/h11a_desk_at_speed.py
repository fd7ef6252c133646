"""The desk at speed: the search's folded copy of every document (with a trigram index on
PostgreSQL when the server has pg_trgm) and the links between repeat appeals.

Revision ID: h11a_desk_at_speed
Revises: h10a_permits_register
Create Date: 2026-12-02 05:50:00
"""

import sqlalchemy as sa
from alembic import op

from app.dbtypes import UTCDateTime
from app.search.index import create_trigram_index, searchable_text
from app.search.models import TRIGRAM_INDEX

# revision identifiers, used by Alembic.
revision = 'h11a_desk_at_speed'
down_revision = 'h10a_permits_register'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_search',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('folded', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('document_search_document_id_fkey')),
    sa.PrimaryKeyConstraint('document_id', name=op.f('document_search_pkey'))
    )
    op.create_table('repeat_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('earlier_id', sa.Integer(), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('repeat_links_document_id_fkey')),
    sa.ForeignKeyConstraint(['earlier_id'], ['documents.id'], name=op.f('repeat_links_earlier_id_fkey')),
    sa.ForeignKeyConstraint(['linked_by_id'], ['users.id'], name=op.f('repeat_links_linked_by_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('repeat_links_pkey')),
    sa.UniqueConstraint('document_id', 'earlier_id', name=op.f('repeat_links_document_id_earlier_id_key'))
    )
    with op.batch_alter_table('repeat_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repeat_links_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_repeat_links_earlier_id'), ['earlier_id'], unique=False)

    _fold_existing_documents()
    if op.get_bind().dialect.name == "postgresql":
        create_trigram_index(op.get_bind())


def _fold_existing_documents():
    """Every document already there gets its folded copy (the same function as intake)."""
    bind = op.get_bind()
    documents = sa.table(
        'documents', sa.column('id', sa.Integer), sa.column('registration_number', sa.String),
        sa.column('author_iin', sa.String), sa.column('author_bin', sa.String),
        sa.column('sender_document_id', sa.String), sa.column('author_name', sa.String),
        sa.column('short_content', sa.String), sa.column('content', sa.JSON))
    search = sa.table('document_search', sa.column('document_id', sa.Integer),
                      sa.column('folded', sa.Text))
    last = 0
    while True:
        rows = bind.execute(sa.select(documents).where(documents.c.id > last)
                            .order_by(documents.c.id).limit(1000)).mappings().all()
        if not rows:
            return
        bind.execute(search.insert(), [{
            "document_id": row["id"],
            "folded": searchable_text(
                registration_number=row["registration_number"], author_iin=row["author_iin"],
                author_bin=row["author_bin"], sender_document_id=row["sender_document_id"],
                author_name=row["author_name"], short_content=row["short_content"],
                content=row["content"] if isinstance(row["content"], dict) else None),
        } for row in rows])
        last = rows[-1]["id"]


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    with op.batch_alter_table('repeat_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repeat_links_earlier_id'))
        batch_op.drop_index(batch_op.f('ix_repeat_links_document_id'))

    op.drop_table('repeat_links')
    op.drop_table('document_search')
