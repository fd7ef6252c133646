"""The executor's and the signing official's lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.documents.desk_indexes import in_states
from app.documents.models import Document
from app.documents.states import CONTROLLED_STATES, DocumentState
from app.execution.models import ApprovalRound, DraftFile, DraftPart, RoundDecision
from app.extensions import db
from app.web.desklist import DeskFilter, DeskPage, Order, keyset_page
from app.workflow.parties import Part, documents_of


def my_documents_page(user: User, *, flt: DeskFilter | None = None,
                      today: date | None = None, after: str | None = None,
                      start: int = 0) -> DeskPage:
    """What the user executes or co-executes and is not closed, the nearest deadline first
    (or as ``flt`` sorts and filters it, counting from ``today``), a page at a time.

    Two indexed lookups joined by id, not one OR: the OR of a column and an EXISTS makes
    both databases scan every open document."""
    own = select(Document.id).where(Document.executor_id == user.id,
                                    in_states(Document.state, CONTROLLED_STATES))
    coexecuted = documents_of(user.id, Part.COEXECUTOR)
    return _paged(select(Document).where(Document.id.in_(own.union(coexecuted)),
                                         in_states(Document.state, CONTROLLED_STATES)),
                  flt=flt, today=today, after=after, start=start)


def my_documents(user: User, *, flt: DeskFilter | None = None,
                 today: date | None = None) -> list[Document]:
    """The first page of "my documents"."""
    return my_documents_page(user, flt=flt, today=today).rows


def awaiting_signature_page(user: User, *, flt: DeskFilter | None = None,
                            today: date | None = None, after: str | None = None,
                            start: int = 0) -> DeskPage:
    """What waits for the official's signature, the nearest deadline first, a page at a
    time."""
    return _paged(select(Document).where(
        in_states(Document.state, {DocumentState.ON_SIGNATURE}), Document.signer_id == user.id),
                  flt=flt, today=today, after=after, start=start)


def awaiting_signature(user: User, *, flt: DeskFilter | None = None,
                       today: date | None = None) -> list[Document]:
    return awaiting_signature_page(user, flt=flt, today=today).rows


def _paged(stmt, *, flt: DeskFilter | None, today: date | None, after: str | None,
           start: int) -> DeskPage:
    flt = flt or DeskFilter()
    if today is not None:
        stmt = flt.where(stmt, today=today)
    # the executor's name on each row, in one statement for the page (not one per row)
    return keyset_page(stmt, flt.order(Order(Document.due_date)), after=after, start=start,
                       options=(selectinload(Document.executor).lazyload(User.roles),))


def parts_of(document: Document) -> list[DraftPart]:
    return list(db.session.scalars(select(DraftPart).where(DraftPart.document_id == document.id)
                                   .order_by(DraftPart.id)))


def files_of(document: Document) -> list[DraftFile]:
    return list(db.session.scalars(select(DraftFile).where(
        DraftFile.document_id == document.id, DraftFile.removed.is_(False))
        .order_by(DraftFile.id)))


#: a round ending so sends the reply back to its executor to rework
REWORK = (RoundDecision.RETURNED, RoundDecision.SIGNATURE_REFUSED)


def returned_for_rework(documents: list[Document]) -> set[int]:
    """Which of these documents in execution came back: their latest approval round was
    returned by the head or refused by the signing official."""
    ids = [d.id for d in documents if d.state is DocumentState.IN_EXECUTION]
    if not ids:
        return set()
    latest = (select(ApprovalRound.document_id, func.max(ApprovalRound.number).label("n"))
              .where(ApprovalRound.document_id.in_(ids))
              .group_by(ApprovalRound.document_id).subquery())
    return set(db.session.scalars(
        select(ApprovalRound.document_id)
        .join(latest, and_(ApprovalRound.document_id == latest.c.document_id,
                           ApprovalRound.number == latest.c.n))
        .where(ApprovalRound.decision.in_(REWORK))))


def latest_rework(document: Document) -> ApprovalRound | None:
    """The round that sent the reply back, while the executor reworks it."""
    if document.state is not DocumentState.IN_EXECUTION:
        return None
    latest = db.session.scalar(select(ApprovalRound)
                               .where(ApprovalRound.document_id == document.id)
                               .order_by(ApprovalRound.number.desc()).limit(1))
    return latest if latest is not None and latest.decision in REWORK else None
