"""The one function that moves a document: the state, its history and its marks, together.

``transition`` refuses anything the table of ``app.documents.states`` does not allow, writes
the history entry and queues the status marks the portal must receive, all in the caller's
transaction: either the change, its history and its marks are stored together, or none of
them is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import Action, check_allowed
from app.extensions import db
from app.marks.service import current_issuer, queue_mark
from app.workflow.models import HistoryEntry


def transition(
    document: Document,
    action: Action,
    *,
    actor: User | None,
    now: datetime,
    comment: str = "",
    facts: dict[str, Any] | None = None,
    **mark_details: Any,
) -> HistoryEntry:
    """Move ``document`` by ``action``; raise InvalidTransition if the table forbids it.

    ``mark_details`` go to ``queue_mark`` (the letter a LETTER mark announces, the body a
    document was redirected to, the reason it was left without consideration).
    """
    source = document.state
    step = check_allowed(document, action)
    document.state = step.target
    document.closed_at = now if step.target.closed else None
    entry = HistoryEntry(
        document=document,
        at=now,
        actor=actor,
        action=action,
        from_state=source,
        to_state=step.target,
        comment=comment,
        facts=facts or {},
    )
    db.session.add(entry)
    if step.marks:
        issuer = current_issuer()
        for kind in step.marks:
            queue_mark(document, kind, now=now, issuer=issuer, **mark_details)
    return entry
