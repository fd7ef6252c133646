"""How many documents are in each state, without counting a million rows.

The database keeps the count itself: triggers on ``documents`` append a row to
``document_state_counts`` for every document inserted (+1 to its state), deleted (-1) or
moved to another state (-1 to the old, +1 to the new), in the transaction that changes the
document, whoever writes it (the ORM, a bulk insert, a restore, psql). Appending never
waits for another transaction (no row is updated), so intake and the desks never queue
behind one hot counter, and a rolled-back change takes its rows with it: the sum per state
is exact at every snapshot. ``fold`` (the worker's ``documents.fold_counts``, every minute)
replaces the rows it sees by one per state, in one statement's snapshot, so the sum stays
what it was however many transactions append or fold meanwhile.
"""

from __future__ import annotations

from sqlalchemy import DDL, Index, String, delete, event, func, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import Model, db


class DocumentStateCount(Model):
    """A change of the number of documents in a state; the sum per state is the count."""

    __tablename__ = "document_state_counts"
    __table_args__ = (Index("ix_document_state_counts_state", "state", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    #: +1 per document that came into the state, -1 per one that left it (or their sum)
    n: Mapped[int]


def state_counts() -> dict[DocumentState, int]:
    """Documents per state (states with none are left out)."""
    rows = db.session.execute(select(DocumentStateCount.state, func.sum(DocumentStateCount.n))
                              .group_by(DocumentStateCount.state))
    return {DocumentState(state): int(n) for state, n in rows if n}


def count_in(states) -> int:
    """How many documents are in any of ``states``."""
    return int(db.session.scalar(select(func.coalesce(func.sum(DocumentStateCount.n), 0))
                                 .where(DocumentStateCount.state.in_(
                                     sorted(s.value for s in states)))) or 0)


def fold() -> int:
    """One row per state for all the rows this statement sees; returns how many went.
    The caller commits. Exact under concurrency: the rows deleted are exactly those summed
    (DELETE ... RETURNING), and rows appended meanwhile are not among them."""
    gone = db.session.execute(delete(DocumentStateCount).returning(
        DocumentStateCount.state, DocumentStateCount.n)).all()
    sums: dict[str, int] = {}
    for state, n in gone:
        sums[state] = sums.get(state, 0) + n
    rows = [{"state": state, "n": n} for state, n in sorted(sums.items()) if n]
    if rows:
        db.session.execute(insert(DocumentStateCount), rows)
    return len(gone)


def recount() -> None:
    """Start the counts from the documents as they are (the migration does it once)."""
    db.session.execute(delete(DocumentStateCount))
    db.session.execute(insert(DocumentStateCount).from_select(
        ["state", "n"], select(Document.state, func.count()).group_by(Document.state)))


# --- the triggers --------------------------------------------------------------------------
# PostgreSQL: inserts and deletes counted per statement (a bulk insert appends one row per
# state, not one per document), a change of state per row and only when it changes.
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
    """CREATE OR REPLACE TRIGGER documents_count_insert AFTER INSERT ON documents
    REFERENCING NEW TABLE AS counted_rows FOR EACH STATEMENT
    EXECUTE FUNCTION documents_count_rows()""",
    """CREATE OR REPLACE TRIGGER documents_count_delete AFTER DELETE ON documents
    REFERENCING OLD TABLE AS counted_rows FOR EACH STATEMENT
    EXECUTE FUNCTION documents_count_rows()""",
    """CREATE OR REPLACE TRIGGER documents_count_state AFTER UPDATE OF state ON documents
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION documents_count_state_change()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS documents_count_insert ON documents",
    "DROP TRIGGER IF EXISTS documents_count_delete ON documents",
    "DROP TRIGGER IF EXISTS documents_count_state ON documents",
    "DROP FUNCTION IF EXISTS documents_count_rows()",
    "DROP FUNCTION IF EXISTS documents_count_state_change()",
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
    "DROP TRIGGER IF EXISTS documents_count_insert",
    "DROP TRIGGER IF EXISTS documents_count_delete",
    "DROP TRIGGER IF EXISTS documents_count_state",
]

# create_all (the tests, the benches) builds them as the migration does, once both tables
# exist; dropping ``documents`` drops its triggers
for _sql in POSTGRESQL_TRIGGERS:
    event.listen(Model.metadata, "after_create",
                 DDL(_sql.replace("%", "%%")).execute_if(dialect="postgresql"))
for _sql in SQLITE_TRIGGERS:
    event.listen(Model.metadata, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
