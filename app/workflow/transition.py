"""The one function that moves a document: the state, its history and its marks, together.

``transition`` refuses anything the table of ``app.documents.states`` does not allow, writes
the history entry and queues the status marks the portal must receive, all in the caller's
transaction: either the change, its history and its marks are stored together, or none of
them is. The history entry is the next entry of the hash chain (app/audit/chain.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.audit.chain import append, append_many
from app.auth.models import User
from app.documents.bulk import update_documents
from app.documents.models import Document
from app.documents.states import Action, check_allowed
from app.extensions import db
from app.marks.service import MarkDetails, current_issuer, insert_marks, queue_mark
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
    if step.marks:
        issuer = current_issuer()
        for kind in step.marks:
            queue_mark(document, kind, now=now, issuer=issuer, **mark_details)
    # the history entry last: appending holds the chain's head until the transaction
    # ends, so the (slow) signing of the marks happens before, not while others wait
    db.session.flush()  # the document's id, for a document received just now
    entry = HistoryEntry(
        document_id=document.id,
        at=now,
        actor_id=actor.id if actor is not None else None,
        action=action,
        from_state=source,
        to_state=step.target,
        comment=comment,
        facts=facts or {},
    )
    append(entry)
    entry.document, entry.actor = document, actor
    return entry


def receive_many(moves: list[tuple[Document, Action, datetime, dict[str, Any], str]]) -> None:
    """Several documents moved by the system (no actor, no mark details), each by its own
    action at its own moment: what ``transition`` does for each, with the marks' rows in
    one flush and the history appended under one hold of the chain's head (the queued
    intake's batch: app/intake/queue.py). ``moves``: (document, action, now, facts,
    comment)."""
    marks, entries, states = [], [], []
    for document, action, now, facts, comment in moves:
        source = document.state
        step = check_allowed(document, action)
        states.append((document, {"state": step.target,
                                  "closed_at": now if step.target.closed else None}))
        marks += [(document, kind, now, MarkDetails()) for kind in step.marks]
        entries.append((document, HistoryEntry(
            at=now, actor_id=None, action=action, from_state=source, to_state=step.target,
            comment=comment, facts=facts or {})))
    update_documents(states)  # the batch's documents are held by its transaction
    if marks:  # rows: the batch reads no mark back
        insert_marks(marks, issuer=current_issuer())
    db.session.flush()
    for document, entry in entries:
        entry.document_id = document.id
    append_many([entry for _, entry in entries])
