"""Keeping the folded copy up to date: written when a document arrives and when it gets
its number (the only moments its searchable words change)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.exc import DBAPIError

from app.documents.models import Document
from app.extensions import db
from app.search.folding import fold
from app.search.models import TRIGRAM_INDEX, DocumentSearch


def searchable_text(*, registration_number: str | None, author_iin: str | None,
                    author_bin: str | None, sender_document_id: str | None,
                    author_name: str | None, short_content: str | None,
                    content: dict[str, Any] | None) -> str:
    """The folded words a document is found by."""
    text = (content or {}).get("text") or ""
    parts = [registration_number, author_iin, author_bin, sender_document_id, author_name,
             short_content, text if isinstance(text, str) else ""]
    return fold(" ".join(p for p in parts if p))


def folded_of(document: Document) -> str:
    return searchable_text(
        registration_number=document.registration_number, author_iin=document.author_iin,
        author_bin=document.author_bin, sender_document_id=document.sender_document_id,
        author_name=document.author_name, short_content=document.short_content,
        content=document.content)


def index_document(document: Document) -> None:
    """Write (or rewrite) the document's folded copy; flushes, never commits."""
    db.session.flush()
    row = db.session.get(DocumentSearch, document.id)
    if row is None:
        db.session.add(DocumentSearch(document_id=document.id, folded=folded_of(document)))
    else:
        row.folded = folded_of(document)


def index_new_document(document: Document) -> None:
    """The folded copy of a document being received, which has none yet: added to the
    session, inserted with the document, no query."""
    db.session.add(DocumentSearch(document=document, folded=folded_of(document)))


def index_new_documents(documents: list[Document]) -> None:
    """``index_new_document`` for a batch of documents in the database already (the
    queued intake's): one executemany, no objects."""
    if documents:
        db.session.execute(insert(DocumentSearch), [
            {"document_id": document.id, "folded": folded_of(document)}
            for document in documents])


def reindex_all(*, batch: int = 1000) -> int:
    """Every document's copy again (after a migration, or if in doubt); returns the count."""
    count, last = 0, 0
    while True:
        documents = list(db.session.scalars(
            select(Document).where(Document.id > last).order_by(Document.id).limit(batch)))
        if not documents:
            return count
        for document in documents:
            index_document(document)
        count += len(documents)
        last = documents[-1].id
        db.session.flush()


def create_trigram_index(connection: Connection, *, table: str = "document_search",
                         column: str = "folded", name: str = TRIGRAM_INDEX) -> bool:
    """On PostgreSQL: pg_trgm when the server has it (and we may create it), then the
    trigram index on the folded copy (or on ``table``'s ``column``, named ``name``). False,
    and nothing done, when the extension cannot be had: the search still works, scanning.
    Used by the migrations and the benchmarks."""
    def extension_schema() -> str | None:
        return connection.execute(text(
            "SELECT extnamespace::regnamespace::text FROM pg_extension "
            "WHERE extname = 'pg_trgm'")).scalar()

    schema = extension_schema()
    if schema is None:
        if not connection.execute(text(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar():
            return False
        savepoint = connection.begin_nested()
        try:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except DBAPIError:
            savepoint.rollback()  # not allowed to (no superuser): the search scans
            return False
        savepoint.commit()
        schema = extension_schema()
    connection.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                            f"USING gin ({column} {schema}.gin_trgm_ops)"))
    return True
