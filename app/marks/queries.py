"""Read-only questions about the marks, for the desks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import aliased, joinedload

from app.documents.models import Sender
from app.extensions import db
from app.formats.choices import MarkKind
from app.marks.models import Mark


def undelivered_letters():
    """The marks that carry a signed letter the portal has not received yet (no 2xx to the
    push, no pull past them): the letters the desk must watch. Conditions only: the page
    orders them (oldest first) and reads them a page at a time, on the index
    ``ix_marks_undelivered_letters``, whose condition these are, the kind written into the
    SQL as the index's is (a bound parameter would hide it from the database)."""
    return select(Mark).where(Mark.kind == literal_column(f"'{MarkKind.EXECUTED.value}'"),
                              Mark.letter_id.is_not(None), Mark.letter_received_at.is_(None))


#: what each row of the undelivered letters shows, read with it
UNDELIVERED_LOADS = (joinedload(Mark.document), joinedload(Mark.letter))


@dataclass(frozen=True)
class GivenUp:
    """A mark whose push was given up, and what it holds back."""

    mark: Mark
    #: the sending portal's code and its callback URL now (None: pull-only)
    sender_code: str
    callback_url: str | None
    #: later marks of the same document not yet delivered: they wait behind it
    held_back: int


def given_up_marks(limit: int = 500) -> list[GivenUp]:
    """The marks the delivery gave up on and that are still undelivered, latest first."""
    later = aliased(Mark)
    held_back = (select(func.count(later.id))
                 .where(later.document_id == Mark.document_id, later.id > Mark.id,
                        later.delivered_at.is_(None))
                 .scalar_subquery())
    rows = (select(Mark, Sender.code, Sender.callback_url, held_back)
            .join(Sender, Sender.id == Mark.sender_id)
            .where(Mark.given_up_at.is_not(None), Mark.delivered_at.is_(None))
            .options(joinedload(Mark.document))
            .order_by(Mark.given_up_at.desc(), Mark.id.desc())
            .limit(limit))
    return [GivenUp(mark=mark, sender_code=code, callback_url=url, held_back=count)
            for mark, code, url, count in db.session.execute(rows)]
