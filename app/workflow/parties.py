"""Who takes part in a document beyond the one person each step waits for.

The document row names whoever owes the next step (resolver, executor, approver, signer);
this table keeps the rest that decides who may see and act: the heads who wrote a
resolution, the co-executors named by the resolution in force, the officials who signed a
letter. The stages write it as they act, so permissions and desks read one indexed table
instead of every stage's records.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from sqlalchemy import ForeignKey, Index, delete, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import enum_type
from app.documents.models import Document
from app.extensions import Model, db


class Part(enum.StrEnum):
    #: wrote a resolution on the document (any level, any kind)
    RESOLUTION_AUTHOR = "resolution_author"
    #: a co-executor named by the resolution in force
    COEXECUTOR = "coexecutor"
    #: signed a letter answering the document
    SIGNATORY = "signatory"


class DocumentParty(Model):
    __tablename__ = "document_parties"
    __table_args__ = (
        # "what do I co-execute", "what did I sign": looked up by person
        Index("ix_document_parties_user", "user_id", "part"),
    )

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    part: Mapped[Part] = mapped_column(enum_type(Part, 24), primary_key=True)


def add_party(document: Document, user_id: int, part: Part) -> None:
    _insert_quietly(document, [(user_id, part)])


def set_coexecutors(document: Document, user_ids: Iterable[int]) -> None:
    """A new assignment replaces the co-executors: the previous ones lose the reply."""
    db.session.flush()
    db.session.execute(delete(DocumentParty).where(
        DocumentParty.document_id == document.id, DocumentParty.part == Part.COEXECUTOR))
    _insert_quietly(document, [(user_id, Part.COEXECUTOR) for user_id in user_ids])


def _insert_quietly(document: Document, rows: list[tuple[int, Part]]) -> None:
    """Insert, skipping a row that is already there. Two people acting on one document at
    once may both write the same row; the loser must hear "changed meanwhile" from the
    document's version check, not a duplicate-key error from this table."""
    if not rows:
        return
    db.session.flush()
    values = [{"document_id": document.id, "user_id": user_id, "part": part}
              for user_id, part in dict.fromkeys(rows)]
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(pg_insert(DocumentParty).values(values).on_conflict_do_nothing())
    else:
        db.session.execute(sqlite_insert(DocumentParty).values(values).on_conflict_do_nothing())


def takes_part(document: Document, user_id: int, part: Part) -> bool:
    db.session.flush()
    return bool(db.session.scalar(select(exists().where(
        DocumentParty.document_id == document.id, DocumentParty.user_id == user_id,
        DocumentParty.part == part))))


def party_ids(document: Document, part: Part) -> set[int]:
    db.session.flush()
    return set(db.session.scalars(select(DocumentParty.user_id).where(
        DocumentParty.document_id == document.id, DocumentParty.part == part)))


def documents_of(user_id: int, part: Part):
    """The ids of the documents ``user_id`` takes part in as ``part``, as a subquery."""
    return select(DocumentParty.document_id).where(
        DocumentParty.user_id == user_id, DocumentParty.part == part)
