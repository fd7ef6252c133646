"""The intake API: ``POST /api/v1/documents``.

Authenticated per sending system with a bearer token and, where the sender has one
pinned, the TLS client certificate the reverse proxy forwards (see senders.py). The raw
bytes are stored durably before any answer, accepted or not; every attempt is logged.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.documents.models import Document
from app.documents.senders import (
    check_client_certificate,
    forwarded_certificate,
    sender_for_request,
    sender_for_token,
)
from app.documents.storage import blob_store
from app.errors import IntakeError, TooLarge, WrongMediaType
from app.extensions import csrf, db
from app.intake import queue, service
from app.intake.models import IntakeAttempt
from app.settings import current_settings
from app.timeutil import utcnow
from app.trust import current_policy

bp = Blueprint("intake", __name__, url_prefix="/api/v1")

_XML_TYPES = {"application/xml", "text/xml"}


@bp.post("/documents")
@csrf.exempt  # a machine API authenticated by bearer token, not by a browser cookie
def receive():
    now = utcnow()
    sender = None
    sha256 = None
    size = request.content_length or 0
    try:
        settings = current_settings()
        sender = sender_for_token(request.headers.get("Authorization"))
        # after the token, so that a certificate refused is logged against the sender
        # whose token came with it
        check_client_certificate(sender, forwarded_certificate(request.headers, settings),
                                 settings=settings)
        if request.mimetype not in _XML_TYPES:
            raise WrongMediaType(
                f"Send the document as application/xml, not '{request.mimetype or 'nothing'}'."
            )
        limit = settings.max_document_bytes
        if size > limit:
            raise TooLarge(f"The document is {size} bytes; at most {limit} are accepted.",
                           limit=limit)
        raw = request.get_data(cache=False)
        size = len(raw)
        if size > limit:
            raise TooLarge(f"The document is {size} bytes; at most {limit} are accepted.",
                           limit=limit)
        if blob_store().kind == "database":
            # written with the document, in its transaction: durable when it commits, which
            # is before any answer (a refusal's bytes are written with its attempt below)
            sha256 = hashlib.sha256(raw).hexdigest()
            raw_stored = False
        else:
            # durable before anything else happens, so nothing sent to us is ever lost
            sha256 = blob_store().put(raw)
            raw_stored = True
        if queued_intake():
            answer = _enqueue(raw, sender=sender, now=now, sha256=sha256,
                              raw_stored=raw_stored)
        else:
            answer = _accept(raw, sender=sender, now=now, sha256=sha256,
                             raw_stored=raw_stored)
    except IntakeError as exc:
        db.session.rollback()
        if sha256 is not None:
            # the refused bytes are kept with the attempt that names them (in the
            # database's store the rollback took them along)
            blob_store().put(raw)
        _log_attempt(now=now, sender_id=sender.id if sender else None, sha256=sha256, size=size,
                     status=exc.status, outcome=exc.code, message=str(exc.message))
        raise
    # a retry gets the first answer, byte for byte: same status, same body
    response = jsonify(answer)
    response.headers["Location"] = url_for(".document", document_id=answer["id"])
    return response, 202


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """What the 202 answered, as the document stands now, with the marks issued so far:
    for the portal that sent it only (another portal's token finds nothing, a 404)."""
    sender = sender_for_request(request.headers, settings=current_settings())
    doc = db.session.get(Document, document_id)
    if doc is None or doc.sender_id != sender.id:
        abort(404)
    return jsonify({
        **service.answer_for(doc),
        "marks": [
            {
                "id": mark.id,
                "kind": mark.kind.value,
                "created_at": mark.created_at.isoformat(),
                "delivered_at": mark.delivered_at.isoformat() if mark.delivered_at else None,
            }
            for mark in doc.marks
        ],
    })


def queued_intake() -> bool:
    """Whether this request only stores and queues (app/intake/queue.py)."""
    mode = current_settings().intake_mode
    return mode == "queued" or mode == "auto" and db.engine.dialect.name == "postgresql"


def _enqueue(raw: bytes, *, sender, now, sha256: str, raw_stored: bool) -> dict:
    """The receipt; the bytes, the pending document and the attempt are one commit."""
    try:
        answer = queue.enqueue(raw, sender=sender, now=now, policy=current_policy(),
                               store=blob_store(), raw_stored=raw_stored, client=_client())
        db.session.commit()
    except IntegrityError:
        # the sender id was taken already: the same bytes get the same receipt, other
        # bytes a 409 (as the synchronous intake answers)
        db.session.rollback()
        outcome = service.replay_or_conflict(raw, sender=sender, policy=current_policy())
        _log_attempt(now=now, sender_id=sender.id, sha256=sha256, size=len(raw), status=202,
                     outcome="replayed", message="", document_id=outcome.document.id)
        return queue.receipt(outcome.document)
    return answer


def _accept(raw: bytes, *, sender, now, sha256: str, raw_stored: bool):
    """The answer; the document, its mark and the log of this attempt are
    one commit. The answer is read before the commit, from what was just written, so
    nothing is loaded again after it."""
    attempt = _attempt(now=now, sender_id=sender.id, sha256=sha256, size=len(raw),
                       status=202, outcome="accepted", message="")
    try:
        outcome = service.accept(raw, sender=sender, now=now, policy=current_policy(),
                                 store=blob_store(), raw_stored=raw_stored, attempt=attempt)
        answer = service.answer_for(outcome.document)
        db.session.commit()
    except IntegrityError:
        # the sender id was taken already, by a retry's first post or by another request
        # at the same moment: answer as a retry of it (or 409 if the bytes differ)
        db.session.rollback()
        outcome = service.replay_or_conflict(raw, sender=sender, policy=current_policy())
        answer = service.answer_for(outcome.document)
        _log_attempt(now=now, sender_id=sender.id, sha256=sha256, size=len(raw), status=202,
                     outcome="replayed", message="", document_id=outcome.document.id)
    return answer


#: anonymous attempts with the same answer from one address within this window share a row
ANONYMOUS_WINDOW = timedelta(hours=1)


def _log_attempt(**fields) -> None:
    if fields["sender_id"] is None:
        _count_anonymous(now=fields["now"], status=fields["status"], outcome=fields["outcome"],
                         message=fields["message"])
    else:
        _add_attempt(**fields)
    db.session.commit()


def _add_attempt(**fields) -> None:
    db.session.add(_attempt(**fields))


def _attempt(*, now, sender_id, sha256, size, status, outcome, message,
             document_id=None) -> IntakeAttempt:
    return IntakeAttempt(
        at=now, sender_id=sender_id, raw_sha256=sha256, raw_size=size, status=status,
        outcome=outcome, message=message[:2000], document_id=document_id,
        client=_client(),
    )


def _count_anonymous(*, now, status, outcome, message) -> None:
    """One row per address and answer per hour: the first attempt's details, a count."""
    client = _client()
    row_id = db.session.scalar(
        select(IntakeAttempt.id)
        .where(IntakeAttempt.sender_id.is_(None), IntakeAttempt.client == client,
               IntakeAttempt.outcome == outcome, IntakeAttempt.at > now - ANONYMOUS_WINDOW)
        .order_by(IntakeAttempt.id.desc()).limit(1))
    if row_id is None:
        db.session.add(IntakeAttempt(at=now, sender_id=None, raw_size=0, status=status,
                                     outcome=outcome, message=message[:2000], client=client,
                                     last_at=now))
        return
    # one UPDATE that adds to the stored count, so concurrent requests lose no attempt
    db.session.execute(update(IntakeAttempt).where(IntakeAttempt.id == row_id)
                       .values(count=IntakeAttempt.count + 1, last_at=now))


def _client() -> str | None:
    return (request.remote_addr or "")[:64] or None
