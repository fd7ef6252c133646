"""The folded copy each document is searched by."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import Document
from app.extensions import Model


class DocumentSearch(Model):
    """One row per document: its searchable words folded (``app.search.folding``).

    On PostgreSQL a trigram index (pg_trgm, when the server has it) makes a part of a word
    an index lookup; on SQLite the same LIKE scans this narrow table."""

    __tablename__ = "document_search"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    #: registration number, IIN/BIN, sender's id, author, short content and text, folded
    folded: Mapped[str] = mapped_column(Text, default="")
    #: set for a document being received, so that both are inserted in one flush
    document: Mapped[Document] = relationship()


#: the trigram index on ``folded``: created by the migration on PostgreSQL when the server
#: has pg_trgm, so the models cannot declare it (``create_all`` cannot know whether the
#: extension is there); schema comparisons leave it out (``include_object``)
TRIGRAM_INDEX = "ix_document_search_folded_trgm"
#: the same for the inbox's search by part of the author's name (documents'
#: ``author_name_folded``): at a million documents, without it, 1.3 s
AUTHOR_TRIGRAM_INDEX = "ix_documents_author_name_trgm"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparisons: everything but the optional trigram indexes."""
    return not (type_ == "index" and name in (TRIGRAM_INDEX, AUTHOR_TRIGRAM_INDEX))
