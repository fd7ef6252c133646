"""The desks at a million documents, continued: the department tree's stamp, a one-row
table the triggers on ``departments`` rewrite (a random value) in the transaction of every
change, so each app process keeps the tree while the stamp it read it under holds
(app/org/tree.py); and the index of the documents open at heads by kind, for the heads'
lists filtered by kind and their counts (app/documents/desk_indexes.py); the inbox's
searches: by the portal's id (any sender) and, on PostgreSQL with pg_trgm, by part of the
author's name (a trigram index, as h11a's for the search page).

Revision ID: h13g_desk_tree_kind
Revises: h11e_names_in_three_languages
Create Date: 2026-12-02 08:40:00

"""
import sqlalchemy as sa
from alembic import op

from app.search.index import create_trigram_index

# the triggers as app/org/tree.py defines them at this revision (copied: a released
# migration does not change when the module does)
POSTGRESQL_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION departments_stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO department_tree_stamp (id, stamp) VALUES (1, gen_random_uuid()::text)
            ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
        ELSE
            DELETE FROM department_tree_stamp;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE TRIGGER departments_stamp AFTER INSERT OR UPDATE OR DELETE
    ON departments FOR EACH STATEMENT EXECUTE FUNCTION departments_stamp()""",
    """CREATE OR REPLACE TRIGGER departments_stamp_truncate AFTER TRUNCATE
    ON departments FOR EACH STATEMENT EXECUTE FUNCTION departments_stamp()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS departments_stamp ON departments",
    "DROP TRIGGER IF EXISTS departments_stamp_truncate ON departments",
    "DROP FUNCTION IF EXISTS departments_stamp()",
]
_SQLITE_STAMP = ("INSERT OR REPLACE INTO department_tree_stamp (id, stamp) "
                 "VALUES (1, lower(hex(randomblob(16))))")
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS departments_stamp_insert AFTER INSERT
    ON departments BEGIN {_SQLITE_STAMP}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS departments_stamp_update AFTER UPDATE
    ON departments BEGIN {_SQLITE_STAMP}; END""",
    """CREATE TRIGGER IF NOT EXISTS departments_stamp_delete AFTER DELETE
    ON departments BEGIN DELETE FROM department_tree_stamp; END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS departments_stamp_{event_}"
               for event_ in ("insert", "update", "delete")]

# revision identifiers, used by Alembic.
revision = 'h13g_desk_tree_kind'
down_revision = 'h11e_names_in_three_languages'
branch_labels = None
depends_on = None


OPEN = "state IN ('in_execution', 'on_approval', 'on_resolution', 'on_signature')"


def upgrade():
    where = sa.text(OPEN)
    op.create_index("ix_documents_open_kind", "documents", ["kind", "due_date", "id"],
                    unique=False, postgresql_where=where, sqlite_where=where,
                    postgresql_include=["department_id", "state", "resolver_id",
                                        "suspended_since"])
    op.create_index("ix_documents_sender_document_id", "documents", ["sender_document_id"],
                    unique=False)
    if op.get_bind().dialect.name == "postgresql":
        create_trigram_index(op.get_bind(), table="documents", column="author_name_folded",
                             name="ix_documents_author_name_trgm")
    op.create_table(
        'department_tree_stamp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('department_tree_stamp_pkey')),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)
    # a first stamp for the departments as they are
    op.execute("INSERT INTO department_tree_stamp (id, stamp) VALUES (1, "
               + ("gen_random_uuid()::text" if postgresql else "lower(hex(randomblob(16)))")
               + ")")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        op.execute(statement)
    op.drop_table('department_tree_stamp')
    op.drop_index("ix_documents_open_kind", table_name="documents")
    op.drop_index("ix_documents_sender_document_id", table_name="documents")
    op.execute("DROP INDEX IF EXISTS ix_documents_author_name_trgm")
