"""Status for the author (seed 003: "check the status by IIN/BIN"): a document's current
status, its colour on the portal's execution circle, its marks with dates and its
deadline, given its registration number and its author's IIN or BIN. Nothing else.

A number that exists and a number that does not are answered alike: one query asks for
the pair, so a wrong IIN and an unknown number take the same path and the same time.
Each client address may ask ``limit`` times per ``window`` (the requests are counted in
the database, so every app process counts the same ones).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from app.documents.models import Document
from app.documents.states import DocumentState, circle_colour
from app.errors import NoSuchDocument, Refused, TooManyRequests
from app.extensions import db
from app.formats.choices import MarkKind
from app.marks.models import Mark
from app.status.models import StatusLookup

#: the execution circle's colours (seed 004), as the desk's dots draw them
COLOUR_HEX = {
    "red": "#c62828", "yellow": "#e8c21a", "blue": "#2b6fd6", "orange": "#e98b16",
    "lightbrown": "#c8a27a", "lightgreen": "#8bc34a", "darkbrown": "#6d4c2f",
    "darkgreen": "#1b5e20", "grey": "#8d96a5",
}

_IDENTIFIER = re.compile(r"\d{12}")
_NUMBER = re.compile(r"[\w\-/.]{1,64}")


@dataclass(frozen=True)
class MarkLine:
    kind: MarkKind
    at: datetime


@dataclass(frozen=True)
class Status:
    number: str
    registered_at: datetime | None
    kind: str
    state: DocumentState
    due_date: date | None
    marks: tuple[MarkLine, ...]

    @property
    def colour(self) -> str:
        """The portal's circle follows the marks (seed 004): the desks' one function."""
        return circle_colour(self.state, self.marks[-1].kind if self.marks else None)


def throttle(address: str, *, now: datetime, limit: int, window: timedelta) -> None:
    """Count this request against ``address``; TooManyRequests, with the seconds until the
    oldest counted request leaves the window, when ``limit`` were made within it. Commits:
    the other processes must count it too."""
    address = address[:64]
    db.session.execute(delete(StatusLookup).where(StatusLookup.at < now - window))
    count, oldest = db.session.execute(
        select(func.count(StatusLookup.id), func.min(StatusLookup.at))
        .where(StatusLookup.address == address, StatusLookup.at >= now - window)).one()
    if count >= limit:
        db.session.commit()
        wait = max((oldest + window - now).total_seconds(), 1) if oldest else 1
        raise TooManyRequests(_l("Too many status checks from your address; try again in "
                                 "%(seconds)s seconds.", seconds=math.ceil(wait)),
                              retry_after=math.ceil(wait))
    db.session.add(StatusLookup(at=now, address=address))
    db.session.commit()


def check_input(number: str, identifier: str) -> tuple[str, str]:
    """The number and the IIN/BIN as typed, trimmed; Refused (naming the field) when
    either cannot be one."""
    number, identifier = number.strip(), identifier.strip()
    if not _NUMBER.fullmatch(number):
        raise Refused(_l("Give the registration number as the office wrote it."),
                      code="bad_number", field="number")
    if not _IDENTIFIER.fullmatch(identifier):
        raise Refused(_l("An IIN or BIN is 12 digits."), code="bad_identifier",
                      field="identifier")
    return number, identifier


def find_status(number: str, identifier: str, *, as_: str | None = None) -> Status:
    """The status of the document with this registration number whose author has this
    IIN (``as_="iin"``), BIN (``as_="bin"``) or either (the page's one field);
    NoSuchDocument otherwise."""
    author = {"iin": Document.author_iin == identifier,
              "bin": Document.author_bin == identifier,
              None: or_(Document.author_iin == identifier,
                        Document.author_bin == identifier)}[as_]
    row = db.session.execute(
        select(Document.id, Document.registration_number, Document.registered_at,
               Document.kind, Document.state, Document.due_date)
        .where(Document.registration_number == number, author)).one_or_none()
    if row is None:
        raise NoSuchDocument(_l("No document has this registration number with this IIN or "
                                "BIN. Check both and try again."))
    marks = db.session.execute(select(Mark.kind, Mark.created_at)
                               .where(Mark.document_id == row.id).order_by(Mark.id)).all()
    return Status(number=row.registration_number, registered_at=row.registered_at,
                  kind=row.kind, state=row.state, due_date=row.due_date,
                  marks=tuple(MarkLine(kind, at) for kind, at in marks))
