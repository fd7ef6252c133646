"""What each procedure's outcome leaves in the register, done at signing in the letter's
transaction: the entry made or updated, and the issued document to be signed with the
letter. Only a new licence takes a number from the issued-licences journal; a re-issue
keeps its number, restoration enters the number the applicant proved, a permit, a талон
and a conclusion are numbered in their own journals (``products.py`` makes each)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from app.documents.models import Document
from app.errors import Refused
from app.extensions import db
from app.formats.choices import Outcome
from app.formats.model import CodedName, Issued, IssuedLicence, Signer
from app.formats.permits import Basis, IssuedDocument
from app.permits.models import EntryKind, PermitEntry, PermitVersion
from app.permits.products import EVENTS, MAKERS, find_entry, named_licence
from app.procedures import Produces, procedure_for

__all__ = ["EVENTS", "Produced", "find_entry", "obstacles", "produce", "record_signed",
           "snapshot"]


@dataclass(frozen=True)
class Produced:
    """What signing an outcome produced: the entry, the document to sign, and what the
    letter says was issued (``licence`` for a new licence, ``issued`` for the rest)."""

    entry: PermitEntry | None = None
    document: IssuedDocument | None = None
    licence: IssuedLicence | None = None
    issued: Issued | None = None

    @property
    def issue_date(self) -> date | None:
        if self.licence is not None:
            return self.licence.issue_date
        return self.issued.issue_date if self.issued is not None else None

    @property
    def number(self) -> str | None:
        if self.licence is not None:
            return self.licence.number
        return self.issued.number if self.issued is not None else None


# ----- what the executor may choose ---------------------------------------------------------


def obstacles(document: Document, outcome: str | None) -> list[tuple[str, Any]]:
    """Why ``outcome`` cannot be chosen for ``document`` as the register stands: (code,
    message) pairs, e.g. an appendix to a licence the register does not hold."""
    try:
        produces = procedure_for(document.kind, document.content).result_of(
            Outcome(outcome or ""))
    except ValueError:
        return []
    number = named_licence(document)
    if produces in (Produces.APPENDIX, Produces.REISSUED_LICENCE):
        entry = find_entry(number) if number else None
        if entry is None or entry.kind != EntryKind.LICENCE.value:
            return [("licence_unknown", _l(
                "The licence № %(number)s the application names is not in the register of "
                "permits: it cannot be issued; choose the decision to refuse and say so.",
                number=number or "—"))]
    if produces is Produces.RESTORED_ENTRY and number and find_entry(number) is not None:
        return [("licence_known", _l(
            "The licence № %(number)s is already in the register: there is nothing to "
            "restore.", number=number))]
    return []


def _refuse_if_blocked(document: Document, outcome: Outcome) -> None:
    found = obstacles(document, outcome.value)
    if found:
        code, message = found[0]
        raise Refused(message, code=code, licence=named_licence(document))


# ----- producing ----------------------------------------------------------------------------


def produce(document: Document, outcome: Outcome, *, today: date, now: datetime,
            licensor: CodedName, signer: Signer, grounds: tuple[str, ...] = ()) -> Produced:
    """Enter what ``outcome`` produces for ``document`` into the register (flushed, not
    committed) and return the issued document to be signed; nothing for an outcome that
    produces nothing (an answer, a refusal)."""
    produces = procedure_for(document.kind, document.content).result_of(outcome)
    if produces is Produces.NOTHING:
        return Produced()
    _refuse_if_blocked(document, outcome)
    basis = Basis(registration_number=document.registration_number or "—",
                  registration_date=(document.registered_at or now).date(),
                  sender_document_id=document.sender_document_id)
    maker = MAKERS[produces]
    entry, issued_document = maker(document, today=today, now=now, licensor=licensor,
                                   basis=basis, signer=signer, grounds=grounds,
                                   outcome=outcome)
    entry.source_document_id = document.id
    entry.updated_at = now
    db.session.flush()
    issued_document = dataclasses.replace(
        issued_document, permit_id=f"P{entry.id}-{entry.version}")
    if produces is Produces.LICENCE:
        return Produced(entry=entry, document=issued_document,
                        licence=IssuedLicence(number=entry.number, issue_date=today))
    return Produced(entry=entry, document=issued_document, issued=Issued(
        number=entry.number, issue_date=issued_document.issue_date,
        licence_number=issued_document.licence_number,
        valid_from=entry.valid_from, valid_to=entry.valid_to))


def record_signed(produced: Produced, *, xml: bytes, letter_id: int, now: datetime,
                  event: str, reason: str = "") -> None:
    """Keep the signed issued document on the entry and write its version (the history)."""
    entry = produced.entry
    if entry is None:
        return
    entry.xml = xml
    entry.letter_id = letter_id
    db.session.add(PermitVersion(
        entry=entry, version=entry.version, recorded_at=now, event=event, reason=reason,
        source_document_id=entry.source_document_id, data=snapshot(entry), xml=xml))
    db.session.flush()


def snapshot(entry: PermitEntry) -> dict[str, Any]:
    """The entry's own fields, as a version keeps them."""
    return {
        "number": entry.number, "status": entry.status, "issued_on": entry.issued_on.isoformat(),
        "licensor": entry.licensor_name, "holder_id": entry.holder_id,
        "holder_name": entry.holder_name, "holder_address": entry.holder_address,
        "activity": entry.activity_name, "subactivities": entry.subactivities,
        "territory": entry.territory,
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else None,
        "valid_to": entry.valid_to.isoformat() if entry.valid_to else None,
        "details": entry.details,
    }


