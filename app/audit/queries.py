"""Reading the audit log: the administrator's page, newest first, keyset-paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.audit.models import AuditEntry, AuditKind, Checkpoint
from app.extensions import db

PAGE_SIZE = 50
#: the actor filter's value for entries made by the system or the command line
SYSTEM = 0


@dataclass(frozen=True, kw_only=True)
class AuditFilter:
    #: the body's time zone: the date filters are local dates
    zone: str
    #: a user's id, SYSTEM, or None for anyone
    actor_id: int | None = None
    kind: AuditKind | None = None
    document_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditEntry]
    #: the id to continue before, None on the last page
    next_before: int | None


def audit_page(flt: AuditFilter, *, before: int | None = None,
               size: int | None = None) -> AuditPage:
    """Newest first by id (the order entries were written), keyset-paged: each filter
    has an index that ends in id, so any page costs what the first costs."""
    size = size or PAGE_SIZE
    stmt = select(AuditEntry)
    if flt.actor_id == SYSTEM:
        stmt = stmt.where(AuditEntry.actor_id.is_(None))
    elif flt.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == flt.actor_id)
    if flt.kind is not None:
        stmt = stmt.where(AuditEntry.kind == flt.kind)
    if flt.document_id is not None:
        stmt = stmt.where(AuditEntry.document_id == flt.document_id)
    zone = ZoneInfo(flt.zone)
    if flt.date_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(flt.date_from, time(), zone))
    if flt.date_to:
        stmt = stmt.where(AuditEntry.at < datetime.combine(flt.date_to + timedelta(days=1),
                                                           time(), zone))
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    rows = list(db.session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(size + 1)))
    if len(rows) > size:
        rows = rows[:size]
        return AuditPage(rows=rows, next_before=rows[-1].id)
    return AuditPage(rows=rows, next_before=None)


def last_checkpoint() -> Checkpoint | None:
    return db.session.scalar(select(Checkpoint).order_by(Checkpoint.id.desc()).limit(1))
