"""Registering several documents at once, from the inbox.

Each document is its own unit of work: a refusal (the document changed meanwhile, its
signature is not valid, it was registered in another tab) rolls back that one only, and the
summary says, for each, its number or why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.auth.models import User
from app.documents.models import Document
from app.errors import QujatError, text
from app.extensions import db
from app.registration import service
from app.web.transaction import unit_of_work
from app.workflow.permissions import can_see

#: at most this many in one go (the inbox shows 50 a page)
MAX_AT_ONCE = 200


@dataclass(frozen=True)
class Outcome:
    document_id: int
    #: the document as it stands after the attempt (None if there is no such document)
    document: Document | None
    number: str | None = None
    problem: str = ""

    @property
    def registered(self) -> bool:
        return self.number is not None


def _parse(value: str) -> tuple[int, int | None] | None:
    """A ticked box's value: "<id>:<version>" (the version the page showed)."""
    ident, _sep, version = value.partition(":")
    if not ident.isdigit() or len(ident) > 12 or (version and not version.isdigit()):
        return None
    return int(ident), int(version) if version and len(version) < 12 else None


def register_many(values: list[str], *, clerk: User, now: datetime,
                  zone: str) -> list[Outcome]:
    """Register each ticked document in turn, each committed on its own, in the order they
    arrived: the numbers follow the journal's order of arrival, whatever the page's order."""
    outcomes: list[Outcome] = []
    picked: dict[int, int | None] = {}
    for value in values[:MAX_AT_ONCE]:
        parsed = _parse(value)
        if parsed is not None:
            picked.setdefault(*parsed)
    found: list[tuple[Document, int | None]] = []
    for ident, version in picked.items():
        document = db.session.get(Document, ident)
        if document is None or not can_see(clerk, document):
            outcomes.append(Outcome(ident, None, problem=_("No such document.")))
        else:
            found.append((document, version))
    found.sort(key=lambda pair: (pair[0].received_at, pair[0].id))
    for document, version in found:
        ident = document.id
        try:
            with unit_of_work():
                number = service.register(document, clerk=clerk, now=now,
                                          expected_version=version, zone=zone)
        except QujatError as exc:
            outcomes.append(Outcome(ident, db.session.get(Document, ident),
                                    problem=text(exc)))
            continue
        outcomes.append(Outcome(ident, document, number=number))
    return outcomes
