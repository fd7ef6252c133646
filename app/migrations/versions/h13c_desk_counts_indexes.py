"""The desks at a million documents: the count of documents per state kept by the
database (``document_state_counts`` and the triggers that append to it), and partial
indexes over the documents open in the states each desk lists.

Revision ID: h13c_desk_counts_indexes
Revises: h10c_intake_marks_inspections
Create Date: 2026-12-02 06:40:00

The counts start from the documents as they are, in the migration's transaction.
"""

import sqlalchemy as sa
from alembic import op

# the triggers as app/documents/counts.py defines them at this revision (copied: a
# released migration does not change when the module does)
POSTGRESQL_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION documents_count_rows() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO document_state_counts (state, n)
            SELECT state, count(*) FROM counted_rows GROUP BY state;
        ELSE
            INSERT INTO document_state_counts (state, n)
            SELECT state, -count(*) FROM counted_rows GROUP BY state;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION documents_count_state_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO document_state_counts (state, n) VALUES (OLD.state, -1), (NEW.state, 1);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER documents_count_insert AFTER INSERT ON documents
    REFERENCING NEW TABLE AS counted_rows FOR EACH STATEMENT
    EXECUTE FUNCTION documents_count_rows()""",
    """CREATE TRIGGER documents_count_delete AFTER DELETE ON documents
    REFERENCING OLD TABLE AS counted_rows FOR EACH STATEMENT
    EXECUTE FUNCTION documents_count_rows()""",
    """CREATE TRIGGER documents_count_state AFTER UPDATE OF state ON documents
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION documents_count_state_change()""",
]
POSTGRESQL_DROP = [
    """DROP TRIGGER IF EXISTS documents_count_insert ON documents""",
    """DROP TRIGGER IF EXISTS documents_count_delete ON documents""",
    """DROP TRIGGER IF EXISTS documents_count_state ON documents""",
    """DROP FUNCTION IF EXISTS documents_count_rows()""",
    """DROP FUNCTION IF EXISTS documents_count_state_change()""",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS documents_count_insert AFTER INSERT ON documents BEGIN
        INSERT INTO document_state_counts (state, n) VALUES (NEW.state, 1); END""",
    """CREATE TRIGGER IF NOT EXISTS documents_count_delete AFTER DELETE ON documents BEGIN
        INSERT INTO document_state_counts (state, n) VALUES (OLD.state, -1); END""",
    """CREATE TRIGGER IF NOT EXISTS documents_count_state AFTER UPDATE OF state ON documents
    WHEN OLD.state IS NOT NEW.state BEGIN
        INSERT INTO document_state_counts (state, n) VALUES (OLD.state, -1);
        INSERT INTO document_state_counts (state, n) VALUES (NEW.state, 1); END""",
]
SQLITE_DROP = [
    """DROP TRIGGER IF EXISTS documents_count_insert""",
    """DROP TRIGGER IF EXISTS documents_count_delete""",
    """DROP TRIGGER IF EXISTS documents_count_state""",
]

# revision identifiers, used by Alembic.
revision = 'h13c_desk_counts_indexes'
down_revision = 'h10c_intake_marks_inspections'
branch_labels = None
depends_on = None

TODO = "state IN ('received', 'registered')"
OPEN = "state IN ('in_execution', 'on_approval', 'on_resolution', 'on_signature')"
CONTROLLED = "state IN ('in_execution', 'on_approval', 'on_signature')"

#: name, columns, condition, PostgreSQL's included columns
INDEXES = [
    ("ix_documents_todo", ["received_at", "id"], TODO, []),
    ("ix_documents_resolving", ["resolver_id", "received_at"], "state IN ('on_resolution')",
     []),
    ("ix_documents_open_department", ["department_id", "due_date", "id"], OPEN,
     ["state", "resolver_id", "suspended_since"]),
    ("ix_documents_open_due", ["due_date", "id"], OPEN,
     ["department_id", "state", "resolver_id", "suspended_since"]),
    ("ix_documents_open_received", ["received_at", "id"], OPEN, []),
    ("ix_documents_open_number", ["registration_number", "id"], OPEN, []),
    ("ix_documents_approving", ["approver_id", "due_date", "id"], "state IN ('on_approval')",
     []),
    ("ix_documents_executing", ["executor_id", "due_date", "id"], CONTROLLED, []),
    ("ix_documents_signing", ["signer_id", "due_date", "id"], "state IN ('on_signature')", []),
]


def upgrade():
    op.create_table(
        'document_state_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=32), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('document_state_counts_pkey')),
    )
    with op.batch_alter_table('document_state_counts', schema=None) as batch_op:
        batch_op.create_index('ix_document_state_counts_state', ['state', 'n'], unique=False)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, columns, condition, include in INDEXES:
        where = sa.text(condition)
        op.create_index(name, 'documents', columns, unique=False, postgresql_where=where,
                        sqlite_where=where, postgresql_include=include)
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)
    op.execute("INSERT INTO document_state_counts (state, n) "
               "SELECT state, count(*) FROM documents GROUP BY state")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        op.execute(statement)
    for name, _columns, _condition, _include in INDEXES:
        op.drop_index(name, table_name='documents')
    with op.batch_alter_table('document_state_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_document_state_counts_state')
    op.drop_table('document_state_counts')
