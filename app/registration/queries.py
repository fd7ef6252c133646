"""Read-only queries of the clerk's desk."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select

from app.dbtypes import MAX_ID
from app.documents import counts
from app.documents.desk_indexes import TODO_STATES, in_states
from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db

PAGE_SIZE = 50

_DIGITS12 = re.compile(r"^\d{12}$")


@dataclass(frozen=True, kw_only=True)
class InboxFilter:
    #: the body's time zone: the date filters are local dates
    zone: str
    q: str = ""
    kind: str = ""
    state: str = ""
    indication: str = ""
    date_from: date | None = None
    date_to: date | None = None
    #: only what is still to do (the inbox's first view); a state chosen overrides it
    todo: bool = False


@dataclass(frozen=True)
class Page:
    rows: list[Document]
    #: cursor of the next page, None on the last one
    next_cursor: str | None


def _filtered(flt: InboxFilter) -> Select:
    stmt = select(Document)
    q = flt.q.strip()
    if q:
        if _DIGITS12.match(q):
            stmt = stmt.where(or_(Document.author_iin == q, Document.author_bin == q))
        else:
            folded = q.casefold()
            stmt = stmt.where(
                or_(
                    Document.registration_number == q,
                    Document.sender_document_id == q,
                    Document.author_name_folded.contains(folded, autoescape=True),
                )
            )
    if flt.kind:
        stmt = stmt.where(Document.kind == flt.kind)
    if flt.state:
        stmt = stmt.where(Document.state == DocumentState(flt.state))
    elif flt.todo:
        stmt = stmt.where(in_states(Document.state, TODO_STATES))
    if flt.indication:
        stmt = stmt.where(Document.indication == flt.indication)
    zone = ZoneInfo(flt.zone)
    if flt.date_from:
        stmt = stmt.where(Document.received_at >= datetime.combine(flt.date_from, time(), zone))
    if flt.date_to:
        end = datetime.combine(flt.date_to + timedelta(days=1), time(), zone)
        stmt = stmt.where(Document.received_at < end)
    return stmt


def inbox_page(flt: InboxFilter, *, after: str | None = None, size: int = PAGE_SIZE) -> Page:
    """Newest first, keyset-paged: page 2,000 costs what page 1 costs."""
    stmt = _filtered(flt)
    cursor = _parse_cursor(after)
    if cursor:
        moment, last_id = cursor
        stmt = stmt.where(
            or_(
                Document.received_at < moment,
                and_(Document.received_at == moment, Document.id < last_id),
            )
        )
    stmt = stmt.order_by(Document.received_at.desc(), Document.id.desc()).limit(size + 1)
    rows = list(db.session.scalars(stmt))
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = f"{last.received_at.isoformat()}|{last.id}"
    return Page(rows=rows, next_cursor=next_cursor)


def state_counts() -> dict[str, int]:
    """Documents per state, from the counts the database keeps (app/documents/counts.py)."""
    return {state.value: count for state, count in counts.state_counts().items()}


def _parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    if not raw or "|" not in raw:
        return None
    moment, _, ident = raw.rpartition("|")
    try:
        at, after_id = datetime.fromisoformat(moment), int(ident)
        # a cursor we wrote holds an aware moment (stored as UTC)
        at = at.astimezone(UTC) if at.tzinfo is not None else None
    except (ValueError, OverflowError):
        return None
    # ... and an id the database can hold; anything else starts over
    if at is None or not 0 <= after_id <= MAX_ID:
        return None
    return at, after_id


def todo_count() -> int:
    """How many documents wait for the clerk."""
    return counts.count_in(TODO_STATES)


def newest_id() -> int:
    return db.session.scalar(select(func.max(Document.id))) or 0


def arrived_since(last_id: int) -> int:
    """How many documents to do arrived after the one with id ``last_id``."""
    return db.session.scalar(select(func.count()).select_from(Document).where(
        Document.id > last_id, in_states(Document.state, TODO_STATES))) or 0


@dataclass(frozen=True)
class Neighbours:
    """The documents before and after one in a list of the inbox (its order)."""

    previous: Document | None
    next: Document | None
    #: the list's size, for "3 to do"
    remaining: int
    #: the list's query string ("" for the to-do list), carried on to the next page
    list: str = ""


def neighbours(document: Document, flt: InboxFilter, *, list_args: str = "") -> Neighbours:
    """Where ``document`` stands in the inbox's list ``flt``, newest first: the one above
    it and the one below. Works for a document just taken off the list (registered): its
    place stays where it was, so "next" leads on."""
    base = _filtered(flt)
    at, ident = document.received_at, document.id
    older = db.session.scalar(base.where(or_(
        Document.received_at < at, and_(Document.received_at == at, Document.id < ident)))
        .order_by(Document.received_at.desc(), Document.id.desc()).limit(1))
    newer = db.session.scalar(base.where(or_(
        Document.received_at > at, and_(Document.received_at == at, Document.id > ident)))
        .order_by(Document.received_at, Document.id).limit(1))
    count = _size(flt, base)
    return Neighbours(previous=newer, next=older, remaining=count, list=list_args)


def _size(flt: InboxFilter, base: Select) -> int:
    """How many documents the list holds: a list of states only (the to-do list, a status,
    all) from the kept counts, anything narrower counted."""
    if not (flt.q.strip() or flt.kind or flt.indication or flt.date_from or flt.date_to):
        if flt.state:
            return counts.count_in({DocumentState(flt.state)})
        return counts.count_in(TODO_STATES if flt.todo else set(DocumentState))
    return db.session.scalar(select(func.count()).select_from(
        base.with_only_columns(Document.id).subquery())) or 0
