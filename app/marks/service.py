"""Status marks: built from the document, signed with the system key, queued in the outbox.

``queue_mark`` runs inside the transaction that changes the document, so the change and
the mark the portal will receive are stored together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.dbids import assign_ids, draw_ids
from app.documents.models import Document, Sender
from app.extensions import db
from app.formats.choices import MarkKind, RefusalReason
from app.formats.decisions import decision_for
from app.formats.marks import build_status_mark
from app.formats.model import (
    CodedName,
    DocumentRef,
    Extension,
    OutgoingRef,
    Refusal,
    Registration,
    StatusMark,
)
from app.marks.models import Mark
from app.settings import Body, current_settings
from app.timeutil import local
from app.trust import system_key
from app.xmlsig.keys import SigningKey
from app.xmlsig.signer import sign_enveloped


@dataclass(frozen=True)
class LetterRef:
    """The letter that answers: the EXECUTED mark carries it and says what it decided (its
    ``outcome``'s decision, the number of what was issued); the LETTER mark, once the portal
    has it, names its outgoing number and date."""

    letter_id: int
    outgoing_number: str
    outgoing_date: date
    #: the letter's Outcome value
    outcome: str | None = None
    #: the number of what was issued (a licence, a permit, an acknowledgement), if any
    issued_number: str | None = None


@dataclass(frozen=True)
class MarkIssuer:
    """Who issues the marks: the body named in them, and the system key that signs them."""

    body: Body
    key: SigningKey


def current_issuer() -> MarkIssuer:
    """The running app's issuer. A transition queues its marks wherever it runs (a view, a
    job, the command line), inside the caller's transaction; this is the one place that
    reaches for the app to find out who signs them."""
    return MarkIssuer(body=current_settings().body, key=system_key())


def queue_mark(
    document: Document,
    kind: MarkKind,
    *,
    now: datetime,
    issuer: MarkIssuer,
    letter: LetterRef | None = None,
    redirected_to: CodedName | None = None,
    reason_text: str | None = None,
    extension: Extension | None = None,
) -> Mark:
    """Sign and queue the ``kind`` mark. An EXECUTED mark carries ``letter`` (and says its
    decision), a LETTER mark names it, a REDIRECTED mark names the body it went to, a
    LEFT_WITHOUT_CONSIDERATION mark the reason, an EXTENDED mark the new deadline and the
    reason of the decision."""
    details = MarkDetails(
        letter=letter if kind in (MarkKind.LETTER, MarkKind.EXECUTED) else None,
        redirected_to=redirected_to if kind is MarkKind.REDIRECTED else None,
        reason_text=reason_text if kind is MarkKind.LEFT_WITHOUT_CONSIDERATION else None,
        extension=extension if kind is MarkKind.EXTENDED else None,
    )
    return queue_marks([(document, kind, now, details)], issuer=issuer)[0]


def queue_marks(items: list[tuple[Document, MarkKind, datetime, MarkDetails]], *,
                issuer: MarkIssuer) -> list[Mark]:
    """Several marks at once, each signed, its XML naming its id: on PostgreSQL the ids
    are drawn first and the rows inserted whole at the next flush (app/dbids.py);
    elsewhere the rows are inserted for their ids, the XML written after."""
    db.session.flush()  # the documents need their ids for the XML
    _follow(items)
    with db.session.no_autoflush:
        marks = [Mark(document=document, **_fields(document, kind, now, details))
                 for document, kind, now, details in items]
        if not assign_ids(marks):
            db.session.add_all(marks)
            db.session.flush()
        for mark, (document, kind, now, details) in zip(marks, items, strict=True):
            mark.xml = _signed(mark.id, kind, document, now, details, issuer)
    db.session.add_all(marks)
    return marks


def insert_marks(items: list[tuple[Document, MarkKind, datetime, MarkDetails]], *,
                 issuer: MarkIssuer) -> None:
    """``queue_marks`` for a batch no one reads back as objects (the queued intake's
    worker): on PostgreSQL the signed rows go in with one executemany, no unit of work."""
    ids = draw_ids(Mark.__tablename__, len(items))
    if ids is None:  # SQLite: the ids come with the INSERT
        queue_marks(items, issuer=issuer)
        return
    db.session.flush()
    _follow(items)
    db.session.execute(insert(Mark), [
        {**_fields(document, kind, now, details), "id": mark_id, "document_id": document.id,
         "xml": _signed(mark_id, kind, document, now, details, issuer)}
        for mark_id, (document, kind, now, details) in zip(ids, items, strict=True)])


def _fields(document: Document, kind: MarkKind, now: datetime,
            details: MarkDetails) -> dict[str, Any]:
    """A new mark's row but its id, its document and its XML."""
    return {
        "sender_id": document.sender.id,
        "kind": kind,
        "created_at": now,
        "xml": b"",
        "attempts": 0,
        "next_attempt_at": now if document.sender.callback_url else None,
        "letter_id": details.letter.letter_id
        if details.letter and kind is MarkKind.EXECUTED else None,
    }


def _signed(mark_id: int, kind: MarkKind, document: Document, now: datetime,
            details: MarkDetails, issuer: MarkIssuer) -> bytes:
    return sign_enveloped(build_status_mark(
        _status_mark(mark_id, kind, document, now, issuer.body, details)), issuer.key)


def _follow(items: list[tuple[Document, MarkKind, datetime, MarkDetails]]) -> None:
    """The documents' circles follow their marks (``Document.last_mark``): one UPDATE per
    kind of mark however large the batch. Written past the ORM's version check: a mark
    queued by a job (the letter received) does not make a page someone has open on the
    document stale."""
    last: dict[int, tuple[Document, MarkKind]] = {}
    for document, kind, _now, _details in items:
        last[document.id] = (document, kind)
    by_kind: dict[MarkKind, list[int]] = {}
    for document_id, (_document, kind) in last.items():
        by_kind.setdefault(kind, []).append(document_id)
    for kind, ids in by_kind.items():
        db.session.execute(update(Document).where(Document.id.in_(ids))
                           .values(last_mark=kind).execution_options(synchronize_session=False))
    for document, kind in last.values():
        set_committed_value(document, "last_mark", kind)


@dataclass(frozen=True)
class MarkDetails:
    letter: LetterRef | None = None
    redirected_to: CodedName | None = None
    reason_text: str | None = None
    extension: Extension | None = None


def _status_mark(mark_id: int, kind: MarkKind, document: Document, now: datetime, body: Body,
                 details: MarkDetails) -> StatusMark:
    registration = refusal = None
    decision = issued_number = None
    if kind is MarkKind.EXECUTED and details.letter is not None:
        if details.letter.outcome is not None:
            decision = decision_for(details.letter.outcome)
        issued_number = details.letter.issued_number
    if kind is MarkKind.REGISTERED:
        registration = Registration(
            number=document.registration_number,
            date=local(document.registered_at, body.zone).date(),
        )
    elif kind is MarkKind.REFUSED:
        refusal = Refusal(
            reason=RefusalReason(document.refusal_reason),
            text=document.refusal_text or RefusalReason(document.refusal_reason).label_in(
                document.language or "ru"),
        )
    return StatusMark(
        mark_id=f"M{mark_id}",
        issuer=CodedName(code=body.code, name=body.name),
        document=DocumentRef(
            our_id=f"D{document.id}",
            sender_system=document.sender.code,
            sender_document_id=document.sender_document_id,
        ),
        kind=kind,
        at=now,
        registration=registration,
        refusal=refusal,
        letter=OutgoingRef(number=details.letter.outgoing_number,
                           date=details.letter.outgoing_date)
        if details.letter is not None and kind is MarkKind.LETTER else None,
        redirected_to=details.redirected_to,
        reason_text=details.reason_text,
        extension=details.extension,
        decision=decision,
        issued_number=issued_number,
    )


def marks_since(sender: Sender, *, since: int, limit: int = 100) -> list[Mark]:
    return list(db.session.scalars(
        select(Mark)
        .where(Mark.sender_id == sender.id, Mark.id > since)
        .order_by(Mark.id)
        .limit(limit)
    ))
