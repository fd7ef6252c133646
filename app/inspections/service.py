"""The queue and the scheduling: plain functions; they flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import Role, User
from app.documents.models import Document
from app.documents.states import DocumentState
from app.errors import Refused
from app.extensions import db
from app.formats.choices import ApplicationKind
from app.inspections.models import InspectionVisit
from app.workflow.permissions import Task, possible_now, require, visible_among

#: the kind of document that waits for an inspection
KIND = ApplicationKind.INSPECTION_REQUEST.value
#: registered and not yet answered, redirected or left: the requests still to inspect
QUEUED_STATES = tuple(state for state in DocumentState
                      if possible_now(Task.SCHEDULE_INSPECTION, state))


@dataclass(frozen=True)
class QueueEntry:
    document: Document
    #: the date the applicant gave: when the object is ready for inspection
    ready_on: date | None
    details: dict[str, Any]
    visit: InspectionVisit | None


def readiness_date(document: Document) -> date | None:
    """The readiness date the application gave, as read at intake (None if unreadable)."""
    value = ((document.content or {}).get("details") or {}).get("readiness_date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def inspection_queue() -> list[QueueEntry]:
    """Every inspection request still to inspect, by the date its object is ready (the
    earliest first; a request without a readable date last), then by arrival."""
    return queue_page()[0]


def queue_page(*, seen_by: User | None = None, start: int = 0,
               size: int | None = None) -> tuple[list[QueueEntry], int]:
    """``size`` entries of the queue from the ``start``-th on, in the queue's order, of
    the requests ``seen_by`` may open (None: all); and how many there are.

    The order is the readiness date the application gave (its JSON), so the queue's ids
    and dates are read first (two small columns, not the documents), ordered here, and
    only the page's documents and visits are loaded: at a million documents the whole
    queue (3,000 requests) took minutes to build and render."""
    readiness = Document.content["details"]["readiness_date"].as_string()
    stmt = (select(Document.id, readiness)
            .where(Document.kind == KIND, Document.state.in_(QUEUED_STATES))
            .order_by(Document.received_at, Document.id))
    if seen_by is not None:
        stmt = stmt.where(visible_among(seen_by))
    order = [(ident, _date_or_none(value)) for ident, value in db.session.execute(stmt)]
    order.sort(key=lambda row: (row[1] is None, row[1] or date.max))  # stable: by arrival
    chosen = [ident for ident, _ in order[start:start + size if size is not None else None]]
    if not chosen:
        return [], len(order)
    documents = {d.id: d for d in db.session.scalars(
        select(Document).where(Document.id.in_(chosen)))}
    visits = {v.document_id: v for v in db.session.scalars(
        select(InspectionVisit).where(InspectionVisit.document_id.in_(chosen)))}
    entries = [QueueEntry(document=documents[i], ready_on=readiness_date(documents[i]),
                          details=(documents[i].content or {}).get("details") or {},
                          visit=visits.get(i)) for i in chosen]
    return entries, len(order)


def _date_or_none(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def inspection_panel(document: Document) -> dict[str, Any]:
    """What the document page shows of an inspection request: when its object is ready,
    and the visit scheduled (templates/inspections/_panel.html)."""
    if document.kind != KIND:
        return {}
    return {"inspection": QueueEntry(
        document=document, ready_on=readiness_date(document),
        details=(document.content or {}).get("details") or {},
        visit=db.session.scalar(select(InspectionVisit).where(
            InspectionVisit.document_id == document.id)))}


def inspectors() -> list[User]:
    """Who may be sent to inspect: the active executors."""
    return [u for u in db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.full_name))
        if Role.EXECUTOR in u.role_set]


def schedule(document: Document, *, by: User, inspector: User, on: date, now: datetime,
             today: date, note: str | None = None) -> InspectionVisit:
    """Schedule (or move) the visit to the object of an inspection request."""
    require(by, Task.SCHEDULE_INSPECTION, document)
    if document.kind != KIND:
        raise Refused(_l("Only an inspection request is inspected; this document is not one."),
                      code="not_an_inspection_request")
    if not inspector.active or Role.EXECUTOR not in inspector.role_set:
        raise Refused(_l("%(name)s cannot be sent to inspect: choose an active executor.",
                         name=inspector.full_name), code="not_an_inspector")
    ready = readiness_date(document)
    if on < today or (ready is not None and on < ready):
        earliest = max(today, ready) if ready is not None else today
        raise Refused(_l("The visit cannot be before %(date)s (today, or the day the object "
                         "is ready).", date=earliest.strftime("%d.%m.%Y")),
                      code="visit_too_early", date=earliest.isoformat())
    visit = db.session.scalar(
        select(InspectionVisit).where(InspectionVisit.document_id == document.id))
    before = None
    if visit is None:
        visit = InspectionVisit(document=document, inspector=inspector, scheduled_for=on,
                                scheduled_by=by, scheduled_at=now, note=note or None)
        db.session.add(visit)
    else:
        before = {"inspector": visit.inspector_id, "on": visit.scheduled_for.isoformat()}
        visit.inspector, visit.scheduled_for = inspector, on
        visit.scheduled_by, visit.scheduled_at, visit.note = by, now, note or None
    db.session.flush()
    record(AuditKind.INSPECTION_SCHEDULED, actor_id=by.id, document_id=document.id,
           target=f"document {document.id}", now=now,
           details={"inspector": inspector.id, "on": on.isoformat(), "before": before})
    return visit
