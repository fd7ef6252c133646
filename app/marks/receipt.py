"""The "letter" mark: set when the portal has the letter, not when it was signed (seed 004:
the dark green circle means the reply reached the author).

The EXECUTED mark carries the letter. The portal has it once it answered 2xx to the
letter's push (delivery.py pushes the letter just before that mark), or once it pulled past
that mark: ``GET /api/v1/marks?since=N`` with N at or after the carrying mark's id says the
portal holds every mark up to N and the letters they carried. Either way the fact is
recorded once (``letter_received_at`` of the carrying mark) and the LETTER mark is queued
then, in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from app.documents.models import Sender
from app.extensions import db
from app.formats.choices import MarkKind
from app.marks.models import Mark
from app.marks.service import LetterRef, MarkIssuer, current_issuer, queue_mark


def letter_received(carrier_id: int, *, now: datetime, issuer: MarkIssuer) -> Mark | None:
    """Record that the portal holds the letter the mark ``carrier_id`` carries, and queue
    the LETTER mark; None when that was recorded before (or the mark carries no letter).
    The conditional UPDATE makes two workers, or a push and a pull, record it only once."""
    claimed = db.session.execute(
        update(Mark)
        .where(Mark.id == carrier_id, Mark.letter_id.is_not(None),
               Mark.letter_received_at.is_(None),
               # a LETTER mark of before 2026-12 carried its letter itself: nothing to add
               Mark.kind == MarkKind.EXECUTED)
        .values(letter_received_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    carrier = db.session.execute(
        select(Mark).where(Mark.id == carrier_id).execution_options(populate_existing=True)
    ).scalar_one()
    letter = carrier.letter
    assert letter is not None  # the UPDATE matched a mark with a letter
    return queue_mark(carrier.document, MarkKind.LETTER, now=now, issuer=issuer,
                      letter=LetterRef(letter_id=letter.id,
                                       outgoing_number=letter.outgoing_number,
                                       outgoing_date=letter.outgoing_date))


def letters_pulled(sender: Sender, *, up_to: int, now: datetime,
                   issuer: MarkIssuer | None = None) -> list[Mark]:
    """The portal pulled past mark ``up_to``: every letter its marks up to there carried
    and that is not yet recorded as received is, now. Returns the LETTER marks queued
    (signed by ``issuer``, by default the running app's, looked up only when needed)."""
    carriers = db.session.scalars(
        select(Mark.id).where(Mark.sender_id == sender.id, Mark.id <= up_to,
                              Mark.letter_id.is_not(None),
                              Mark.letter_received_at.is_(None),
                              Mark.kind == MarkKind.EXECUTED)
        .order_by(Mark.id)
    ).all()
    if not carriers:
        return []
    issuer = issuer or current_issuer()
    queued = [letter_received(carrier, now=now, issuer=issuer) for carrier in carriers]
    return [mark for mark in queued if mark is not None]
