"""Writing the audit log: administrative acts (chained at once) and readings of personal
data (one INSERT, sealed into the chain shortly after)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.audit.chain import append
from app.audit.models import AuditEntry, AuditKind
from app.extensions import db
from app.timeutil import utcnow


def record(kind: AuditKind, *, actor_id: int | None, target: str = "",
           document_id: int | None = None, details: dict[str, Any] | None = None,
           now: datetime | None = None) -> AuditEntry:
    """Chain an administrative act in the caller's transaction: it is stored with the act
    or not at all. ``actor_id`` None: the system or the command line."""
    if kind.is_reading:
        raise ValueError(f"{kind.value} is a reading: use note_reading")
    entry = AuditEntry(at=now or utcnow(), actor_id=actor_id, kind=kind,
                       document_id=document_id, target=target, details=details or {})
    append(entry)
    return entry


def note_reading(kind: AuditKind, *, actor_id: int, document_id: int,
                 details: dict[str, Any] | None = None,
                 now: datetime | None = None) -> AuditEntry:
    """Log that ``actor_id`` read personal data of ``document_id``: one INSERT, no lock
    (a document page stays as fast as it was). The entry waits unchained until the next
    append or the worker seals it (app/audit/chain.py)."""
    if not kind.is_reading:
        raise ValueError(f"{kind.value} is not a reading: use record")
    entry = AuditEntry(at=now or utcnow(), actor_id=actor_id, kind=kind,
                       document_id=document_id, target="", details=details or {})
    db.session.add(entry)
    return entry
