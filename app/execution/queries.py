"""The executor's and the signing official's lists."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import CONTROLLED_STATES, DocumentState
from app.execution.models import DraftFile, DraftPart
from app.extensions import db
from app.workflow.parties import Part, documents_of


def my_documents(user: User, *, limit: int = 500) -> list[Document]:
    """What the user executes or co-executes and is not closed, the nearest deadline first.

    Two indexed lookups joined by id, not one OR: the OR of a column and an EXISTS makes
    both databases scan every open document."""
    own = select(Document.id).where(Document.executor_id == user.id)
    coexecuted = documents_of(user.id, Part.COEXECUTOR)
    return list(db.session.scalars(
        select(Document)
        .where(Document.id.in_(own.union(coexecuted)),
               Document.state.in_(CONTROLLED_STATES))
        .order_by(Document.due_date, Document.id)
        .limit(limit)
    ))


def awaiting_signature(user: User, *, limit: int = 500) -> list[Document]:
    return list(db.session.scalars(
        select(Document)
        .where(Document.state == DocumentState.ON_SIGNATURE, Document.signer_id == user.id)
        .order_by(Document.due_date, Document.id)
        .limit(limit)
    ))


def parts_of(document: Document) -> list[DraftPart]:
    return list(db.session.scalars(select(DraftPart).where(DraftPart.document_id == document.id)
                                   .order_by(DraftPart.id)))


def files_of(document: Document) -> list[DraftFile]:
    return list(db.session.scalars(select(DraftFile).where(
        DraftFile.document_id == document.id, DraftFile.removed.is_(False))
        .order_by(DraftFile.id)))
