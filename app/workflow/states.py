"""Every state a document can be in, every action that moves it, and nothing else.

``transition`` is the only way a document's state changes. It refuses anything the table
does not allow, writes the history entry and queues the status mark the portal must
receive, all in the caller's transaction: either the change, its history and its mark are
stored together, or none of them is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from app.errors import InvalidTransition
from app.extensions import db
from app.formats.choices import MarkKind

if TYPE_CHECKING:
    from app.auth.models import User
    from app.intake.models import Document
    from app.workflow.models import HistoryEntry


class DocumentState(enum.StrEnum):
    RECEIVED = "received"
    REGISTERED = "registered"
    REJECTED = "rejected"

    @property
    def label(self):
        return _STATE_LABELS[self]

    @property
    def colour(self) -> str:
        """The colour of seed 004's execution circle for this state."""
        return _STATE_COLOURS[self]


_STATE_LABELS = {
    DocumentState.RECEIVED: _l("Received"),
    DocumentState.REGISTERED: _l("Registered"),
    DocumentState.REJECTED: _l("Registration refused"),
}

# blue: delivered; orange: registered; grey for a refusal, which the portal shows as closed
_STATE_COLOURS = {
    DocumentState.RECEIVED: "blue",
    DocumentState.REGISTERED: "orange",
    DocumentState.REJECTED: "grey",
}


class Action(enum.StrEnum):
    RECEIVE = "receive"
    REGISTER = "register"
    REJECT = "reject"

    @property
    def label(self):
        return {
            Action.RECEIVE: _l("Received from the portal"),
            Action.REGISTER: _l("Registered"),
            Action.REJECT: _l("Registration refused"),
        }[self]


@dataclass(frozen=True)
class Step:
    target: DocumentState
    #: the status mark this step sends to the portal
    mark: MarkKind | None


#: (from, action) -> step. ``None`` as the source is a document that does not exist yet.
TRANSITIONS: dict[tuple[DocumentState | None, Action], Step] = {
    (None, Action.RECEIVE): Step(DocumentState.RECEIVED, MarkKind.DELIVERED),
    (DocumentState.RECEIVED, Action.REGISTER): Step(DocumentState.REGISTERED, MarkKind.REGISTERED),
    (DocumentState.RECEIVED, Action.REJECT): Step(DocumentState.REJECTED, MarkKind.REFUSED),
}


def allowed_actions(state: DocumentState | None) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source == state]


def transition(
    document: Document,
    action: Action,
    *,
    actor: User | None,
    now: datetime,
    comment: str = "",
) -> HistoryEntry:
    """Move ``document`` by ``action``; raise InvalidTransition if the table forbids it."""
    from app.marks.service import queue_mark
    from app.workflow.models import HistoryEntry

    source = document.state
    step = TRANSITIONS.get((source, action))
    if step is None:
        raise InvalidTransition(
            f"'{action.value}' is not allowed for a document in state "
            f"'{source.value if source else 'new'}'",
            state=source.value if source else None,
            action=action.value,
        )
    document.state = step.target
    entry = HistoryEntry(
        document=document,
        at=now,
        actor=actor,
        action=action,
        from_state=source,
        to_state=step.target,
        comment=comment,
    )
    db.session.add(entry)
    if step.mark is not None:
        queue_mark(document, step.mark, now=now)
    return entry
