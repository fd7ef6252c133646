"""Read-only questions about the marks, for the desks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.formats.choices import MarkKind
from app.marks.models import Mark


def undelivered_letters(limit: int = 500):
    """The marks that carry a signed letter the portal has not received yet (no 2xx to the
    push, no pull past them), oldest first: the letters the desk must watch."""
    return (select(Mark)
            .where(Mark.kind == MarkKind.EXECUTED, Mark.letter_id.is_not(None),
                   Mark.letter_received_at.is_(None))
            .options(joinedload(Mark.document), joinedload(Mark.letter))
            .order_by(Mark.created_at, Mark.id)
            .limit(limit))
