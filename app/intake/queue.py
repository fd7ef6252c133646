"""The queued intake: answer once the bytes are durable, verify in the worker's batches.

``enqueue`` is what the HTTP request does (``QUJAT_INTAKE_MODE`` "queued", the default on
PostgreSQL): the checks that are cheap and that the portal must hear at once stay in the
request (the token, the media type, the size, the hardened parse and its limits, the
schema, the sender system named in the document against the token's, the sender id
already used with other bytes: together about 0.1 ms for a 5 KB appeal), then the raw
bytes, a PENDING document (the envelope's ids, nothing read from the content) and the
attempt go in with one transaction and the portal gets its 202 with ``state: "pending"``
and no mark. Neither the signature (the costly part: RSA or GOST, the chain, the CRL) nor
the signed delivery mark nor the history entry (which holds the audit chain's head until
the commit) is in the request.

``verify_queued`` is the worker's job ``intake.verify``: it takes up to ``batch`` pending
documents (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers take disjoint
batches; on SQLite a batch first takes the database's one write lock, so two workers'
batches take turns), verifies each as of its receipt, fills in what the signature covers, the
attachments and the search copy, and RECEIVES it (its history entry and its signed
``delivered`` mark), all of the batch in one transaction: the chain's head is taken once
and the commit's flush paid once per batch. A worker killed mid-batch commits nothing of
it; the rows are unlocked and the next batch takes them again. A document whose signed
content cannot be read as our format is received and refused at once (``refused`` mark,
reason ``format_invalid``): the portal and the clerk learn it as they learn a clerk's
refusal. Until then the clerk's lists leave the document out (only RECEIVED ones wait for
registration) and its page says the verification is pending.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import JSON, LargeBinary, bindparam, func, select, text, update

from app.dbtypes import UTCDateTime
from app.documents.blobstore import Blobs
from app.documents.bulk import update_documents
from app.documents.dbblobs import PART_BYTES
from app.documents.models import Document, DocumentFamily, Sender
from app.documents.states import Action, DocumentState
from app.errors import IntakeError, NotOurSchema
from app.extensions import db
from app.formats import read as formats_read
from app.formats.choices import RefusalReason
from app.formats.schemas import Family
from app.intake import service
from app.workflow.transition import receive_many
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Check, CheckCode, Indication, Outcome, VerificationReport

log = logging.getLogger(__name__)

#: the schemas' families a portal sends, as the documents keep them
_FAMILIES = {Family.APPEAL: DocumentFamily.APPEAL, Family.APPLICATION: DocumentFamily.APPLICATION}


def enqueue(raw: bytes, *, sender: Sender, now: datetime, policy: TrustPolicy, store: Blobs,
            raw_stored: bool, client: str | None) -> dict:
    """Check ``raw`` cheaply and store it as a PENDING document with the attempt, in the
    caller's transaction (not committed); the receipt to answer. An IntegrityError from
    the INSERT means the sender id is taken (the caller answers as a retry, or 409)."""
    tree = service.parse(raw, policy)
    root = tree.getroot()
    family = service.validate(root)
    envelope = formats_read.read_envelope(root)
    service.check_sender_system(envelope, sender)
    kept = _FAMILIES.get(family)
    if kept is None:  # a status mark, a letter: ours, but nothing a portal sends us
        raise NotOurSchema(f"A {family.name.lower().replace('_', ' ')} is not a document "
                           "the portals send.", rule="family")
    sha256 = hashlib.sha256(raw).hexdigest()
    report = VerificationReport(checked_at=now, document_checks=(
        Check(CheckCode.SCHEMA, Outcome.PASSED, f"{family.value} ({family.file_name})"),),
        signatures=())
    row = {
        "sender_id": sender.id, "sender_document_id": envelope.sender_document_id,
        "raw_sha256": sha256, "raw_size": len(raw), "received_at": now,
        "state": DocumentState.PENDING.value, "family": kept.value, "kind": kept.value,
        "indication": Indication.INDETERMINATE.value, "report": report.to_dict(),
        "client": client,
    }
    if (not raw_stored and store.kind == "database" and len(raw) <= PART_BYTES
            and db.session.get_bind().dialect.name == "postgresql"):
        # the bytes, the document and the attempt in one statement: one round trip
        document_id = db.session.execute(_ONE_TRIP, {**row, "raw": raw}).scalar_one()
    else:
        if not raw_stored:
            store.put_many([raw])
        document_id = db.session.execute(_DOCUMENT, row).scalar_one()
        db.session.execute(_ATTEMPT, {**row, "document_id": document_id})
    return _receipt(document_id, envelope.sender_document_id, now)


_DOCUMENT_COLUMNS = (
    "version, sender_id, sender_document_id, raw_sha256, raw_size, received_at, state, "
    "family, kind, author_name, author_name_folded, recipient_name, short_content, "
    "content_unverified, indication, report, due_date_by_hand")
_DOCUMENT_VALUES = (
    "1, :sender_id, :sender_document_id, :raw_sha256, :raw_size, :received_at, :state, "
    ":family, :kind, '', '', '', '', true, :indication, :report, false")
_ATTEMPT_COLUMNS = ("at, sender_id, raw_sha256, raw_size, status, outcome, message, client, "
                    "count, document_id")
_ATTEMPT_VALUES = (":received_at, :sender_id, :raw_sha256, :raw_size, 202, 'queued', '', "
                   ":client, 1")
_TYPES = (bindparam("received_at", type_=UTCDateTime()), bindparam("report", type_=JSON()))

#: PostgreSQL: the raw bytes (one part), the PENDING document and the attempt, one statement
_ONE_TRIP = text(
    "WITH blob AS (INSERT INTO blobs (sha256, part, data) VALUES (:raw_sha256, 0, :raw) "
    "ON CONFLICT DO NOTHING), "
    f"doc AS (INSERT INTO documents ({_DOCUMENT_COLUMNS}) VALUES ({_DOCUMENT_VALUES}) "
    "RETURNING id) "
    f"INSERT INTO intake_attempts ({_ATTEMPT_COLUMNS}) SELECT {_ATTEMPT_VALUES}, doc.id "
    "FROM doc RETURNING document_id",
).bindparams(*_TYPES, bindparam("raw", type_=LargeBinary()))
_DOCUMENT = text(
    f"INSERT INTO documents ({_DOCUMENT_COLUMNS}) VALUES ({_DOCUMENT_VALUES}) RETURNING id",
).bindparams(*_TYPES)
_ATTEMPT = text(
    f"INSERT INTO intake_attempts ({_ATTEMPT_COLUMNS}) VALUES ({_ATTEMPT_VALUES}, "
    ":document_id)").bindparams(_TYPES[0])


def receipt(document: Document) -> dict:
    """The queued 202's body: what the request knew, the same for every retry whatever the
    worker has done since (GET /api/v1/documents/<id> says how the document stands)."""
    return _receipt(document.id, document.sender_document_id, document.received_at)


def _receipt(document_id: int, sender_document_id: str, received_at: datetime) -> dict:
    return {
        "id": document_id,
        "sender_document_id": sender_document_id,
        "received_at": received_at.isoformat(),
        "state": DocumentState.PENDING.value,
        "verification": None,
        "delivery_mark": None,
    }


def verify_queued(*, policy: TrustPolicy, store: Blobs, batch: int,
                  clock: Callable[[], datetime], budget_seconds: float = 30.0) -> int:
    """Verify and receive pending documents, ``batch`` per transaction, until none is
    left or ``budget_seconds`` have passed (the next tick goes on); how many."""
    started, done = clock(), 0
    while (clock() - started).total_seconds() < budget_seconds:
        taken = _take(batch)
        if not taken:
            db.session.rollback()
            break
        received = receive_batch(taken, policy=policy, store=store)
        db.session.commit()
        if not received:  # only documents that fail by a defect left: the next tick
            break
        done += received
    return done


def pending_count() -> int:
    return int(db.session.scalar(select(func.count(Document.id))
                                 .where(Document.state == DocumentState.PENDING)) or 0)


def _take(batch: int) -> list[Document]:
    """The oldest pending documents no other worker holds, locked until the commit.
    SQLite has no row locks: a write that changes nothing first takes its one write lock,
    so a second worker's batch waits for this one's commit and then reads what is still
    pending."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Document).where(Document.id == 0).values(version=0))
    return list(db.session.scalars(
        select(Document).where(Document.state == DocumentState.PENDING)
        .order_by(Document.id).limit(batch)
        .with_for_update(skip_locked=True, of=Document.__table__)).unique())


def receive_batch(documents: list[Document], *, policy: TrustPolicy, store: Blobs) -> int:
    """Verify each document's stored bytes as of its receipt, fill it in and RECEIVE it
    (then refuse it when its content is not our format): the whole batch in a few
    statements, in the caller's transaction. How many were received."""
    raws = store.get_many([document.raw_sha256 for document in documents])
    readings = []
    for document in documents:
        try:
            readings.append((document, service.verify_and_read(
                raws[document.raw_sha256], sender=document.sender,
                now=document.received_at, policy=policy), None))
        except service.UnreadableContent as exc:
            readings.append((document, exc.verified, exc.message[:2000]))
        except IntakeError as exc:
            # passed on receipt, refused now (a limit lowered since, the sender's code
            # changed): refused as unreadable, with what the request had recorded
            readings.append((document, service.Verified(
                incoming=None, report=VerificationReport.from_dict(document.report),
                signed=False), str(exc.message)[:2000]))
        except Exception:  # noqa: BLE001 - one document must not hold up the queue
            # a defect, not the document's fault: it stays pending, logged, and is taken
            # again by a later batch; the others go on (qujat_intake_oldest_pending_seconds)
            log.exception("queued document %s could not be verified", document.id)
    service.fill_many([(document, verified) for document, verified, _ in readings], store)
    receive_many([(document, Action.RECEIVE, document.received_at, {
        "indication": verified.report.indication.value,
        "sub_indication": verified.report.sub_indication.value
        if verified.report.sub_indication else None}, "")
        for document, verified, _ in readings])
    refused = [(document, reason) for document, _, reason in readings if reason is not None]
    update_documents([(document, {
        "refusal_reason": RefusalReason.FORMAT_INVALID.value, "refusal_text": reason,
        "refused_at": document.received_at}) for document, reason in refused])
    for document, reason in refused:
        log.info("queued document %s refused: %s", document.id, reason)
    receive_many([(document, Action.REJECT, document.received_at,
                   {"refusal_reason": RefusalReason.FORMAT_INVALID.value}, reason)
                  for document, reason in refused])
    return len(readings)
