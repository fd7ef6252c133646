"""Accepting a signed document: parse, check the format, verify, store, mark delivery.

The order is the point. The raw bytes are already on disk when ``accept`` is called (the
view stores them first). Parsing is hardened and bounds the work a document may ask for
(the policy's limits: a refusal names the limit); the schema decides whether the bytes are one
of our documents at all; the verifier decides whether the signature holds; and the fields
we keep are read from what the signature covers, never from the bytes around it. Only when
the signature does not verify do we read the received bytes, so that the clerk can see
what was sent and refuse it; such fields are flagged as unverified everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from app.documents.blobstore import Blobs
from app.documents.bulk import update_documents
from app.documents.models import Attachment, Document, DocumentFamily, Sender
from app.documents.states import Action, DocumentState
from app.errors import DuplicateSenderId, Forbidden, NotOurSchema, NotXml, TooComplex, TooLarge
from app.extensions import db
from app.formats import read as formats_read
from app.formats import schemas
from app.formats.errors import FormatError
from app.intake.models import IntakeAttempt
from app.intake.reading import content_of, journal_kind
from app.search.index import index_new_document, index_new_documents
from app.workflow.transition import transition
from app.xmlsig import errors as xml_errors
from app.xmlsig.identity import check_signer_is_author
from app.xmlsig.parsing import parse_xml
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Check, CheckCode, Outcome, VerificationReport
from app.xmlsig.verifier import verify_tree


@dataclass(frozen=True)
class IntakeOutcome:
    document: Document
    #: True when these bytes had already been accepted under this sender id
    replayed: bool


def accept(
    raw: bytes, *, sender: Sender, now: datetime, policy: TrustPolicy, store: Blobs,
    raw_stored: bool = True, attempt: IntakeAttempt | None = None,
) -> IntakeOutcome:
    """Accept ``raw`` as a new document, in the caller's transaction (flushed, not
    committed). ``raw_stored`` False: the bytes go to ``store`` with the attachments, in one
    write (the database's store, whose writes are part of the transaction anyway);
    ``attempt`` is logged against the new document in the same flush.

    A sender id already used is not looked up first: the unique constraint refuses the
    second INSERT (an IntegrityError the caller answers with ``replay_or_conflict``), so
    the common case, a new document, costs no query for it."""
    tree = parse(raw, policy)
    try:
        verified = _verify_and_read(tree, sender=sender, now=now, policy=policy)
    except UnreadableContent as exc:
        raise NotOurSchema(exc.message, rule=exc.rule) from exc
    incoming, report, signed = verified.incoming, verified.report, verified.signed

    document = _new_document(raw, incoming, report, sender=sender, now=now,
                             unverified=not signed)
    document.marks = []  # a loaded (empty) list: the answer reads the mark without a query
    _store_blobs(document, incoming, store, raw=None if raw_stored else raw)
    db.session.add(document)
    # inserted with the document at the transition's first flush, before the history
    # entry, which holds the chain's head until the commit
    index_new_document(document)
    if attempt is not None:
        attempt.document = document
        db.session.add(attempt)
    transition(document, Action.RECEIVE, actor=None, now=now,
               facts={"indication": report.indication.value,
                      "sub_indication": report.sub_indication.value
                      if report.sub_indication else None})
    return IntakeOutcome(document=document, replayed=False)


@dataclass(frozen=True)
class Verified:
    """What the verifier said of a document and what we read from it."""

    #: read from what the signature covers, or (``signed`` False) from the received bytes
    incoming: Any
    report: VerificationReport
    signed: bool


class UnreadableContent(Exception):
    """The schema held for the received tree, but the document is not our format (an
    attachment whose bytes do not match its declared SHA-256, a date that is none, ...);
    ``verified`` has the report and the fields as read from the received bytes
    (unverified), or no fields when those cannot be read either."""

    def __init__(self, message: str, rule: str, verified: Verified):
        super().__init__(message)
        self.message, self.rule, self.verified = message, rule, verified


def verify_and_read(raw: bytes, *, sender: Sender, now: datetime,
                    policy: TrustPolicy) -> Verified:
    """The queued intake's worker: ``raw`` was parsed, checked against the schema and its
    sender system when it was received (the schema is not validated again); verify it as
    of ``now`` and read it. Raises UnreadableContent (see there) and, for bytes that no
    longer pass, the IntakeError."""
    return _verify_and_read(parse(raw, policy), sender=sender, now=now, policy=policy,
                            schema_checked=True)


def _verify_and_read(tree, *, sender: Sender, now: datetime, policy: TrustPolicy,
                     schema_checked: bool = False) -> Verified:
    root = tree.getroot()
    family = _family_of(root) if schema_checked else validate(root)
    envelope = formats_read.read_envelope(root)
    check_sender_system(envelope, sender)

    # the tree comes from ``parse``, which counted it against the policy's limits
    result = verify_tree(tree, policy=policy, at=now, limits_checked=True)
    report = result.report.with_document_check(
        Check(CheckCode.SCHEMA, Outcome.PASSED, f"{family.value} ({family.file_name})")
    )
    signed = result.signed_root is not None
    try:
        # the schema held for the received tree just now; what the signature covers is
        # that tree without its signatures (URI="" only), which the schema leaves optional
        incoming = formats_read.read_document(result.signed_root if signed else root,
                                              validated=True)
    except FormatError as exc:
        try:
            received = formats_read.read_document(root, validated=True) if signed else None
        except FormatError:
            received = None
        raise UnreadableContent(str(exc), getattr(exc, "rule", ""), Verified(
            incoming=received, report=report, signed=False)) from exc
    if signed and report.signer is not None:
        for check in check_signer_is_author(
            report.signer,
            iin=incoming.author.iin if incoming.author.bin is None else None,
            bin=incoming.author.bin,
            policy=policy,
        ):
            report = report.with_signature_check(0, check)
    return Verified(incoming=incoming, report=report, signed=signed)


def filled(verified: Verified) -> dict[str, Any]:
    """A queued (PENDING) document's fields from its verification, as ``accept`` sets a
    new one's."""
    if verified.incoming is None:  # nothing readable: the envelope's ids and the verdict
        return _verdict_fields(verified.report)
    return _read_fields(verified.incoming, verified.report, unverified=not verified.signed)


def fill_many(readings: list[tuple[Document, Verified]], store: Blobs) -> None:
    """Queued documents held by this transaction filled in (``filled``, written in bulk),
    with their attachments (the bytes of the whole batch in one write) and their search
    copies."""
    contents = [item.content for document, verified in readings if verified.incoming
                for item in verified.incoming.attachments]
    digests = iter(store.put_many(contents) if contents else [])
    update_documents([(document, filled(verified)) for document, verified in readings])
    rows = [{"document_id": document.id, "position": position, "file_name": item.file_name,
             "media_type": item.media_type, "sha256": next(digests), "size": len(item.content)}
            for document, verified in readings if verified.incoming
            for position, item in enumerate(verified.incoming.attachments)]
    if rows:  # rows, not objects: nothing in the batch reads them back
        db.session.execute(insert(Attachment), rows)
    index_new_documents([document for document, _verified in readings])


def check_sender_system(envelope, sender: Sender) -> None:
    """The token's portal is the one the document names (a portal sends only its own)."""
    if envelope.sender_system != sender.code:
        raise Forbidden(
            f"The document says it comes from '{envelope.sender_system}', but the token "
            f"belongs to '{sender.code}'.",
            sender_system=envelope.sender_system,
        )


def replay_or_conflict(raw: bytes, *, sender: Sender, policy: TrustPolicy) -> IntakeOutcome:
    """After losing a race on the unique sender id: answer as the winner did."""
    envelope = formats_read.read_envelope(parse(raw, policy).getroot())
    existing = _existing(sender, envelope.sender_document_id)
    if existing is None:  # pragma: no cover - the constraint that fired says it exists
        raise DuplicateSenderId("The sender id is being used by another request.")
    return _replay(existing, raw)


def answer_for(document: Document) -> dict:
    """The body of the 202 answer; a retry gets exactly this again."""
    delivery = document.marks[0] if document.marks else None
    pending = document.state is DocumentState.PENDING
    return {
        "id": document.id,
        "sender_document_id": document.sender_document_id,
        "received_at": document.received_at.isoformat(),
        "state": document.state.value,
        # a queued document not verified yet: nothing to say (app/intake/queue.py)
        "verification": None if pending else {
            "indication": document.indication.value,
            "sub_indication": document.sub_indication,
        },
        "delivery_mark": delivery.xml.decode("utf-8") if delivery else None,
    }


# --- steps -------------------------------------------------------------------------------


def parse(raw: bytes, policy: TrustPolicy):
    try:
        return parse_xml(raw, max_bytes=policy.max_document_bytes, max_depth=policy.max_depth,
                         limits=policy.limits)
    except xml_errors.DocumentTooLarge as exc:
        raise TooLarge(str(exc)) from exc
    except xml_errors.LimitExceeded as exc:
        raise TooComplex(f"Not accepted: {exc}", limit=exc.limit, maximum=exc.maximum,
                         line=exc.line) from exc
    except xml_errors.InvalidInput as exc:
        raise NotXml(f"Not acceptable XML: {exc}") from exc


def validate(root):
    try:
        return schemas.validate(root)
    except xml_errors.SchemaViolation as exc:
        raise NotOurSchema(str(exc), rule=exc.rule, line=exc.line) from exc


def _family_of(root):
    try:
        return schemas.family_of(root)
    except xml_errors.SchemaViolation as exc:  # pragma: no cover - validated on receipt
        raise NotOurSchema(str(exc), rule=exc.rule, line=exc.line) from exc


def _existing(sender: Sender, sender_document_id: str) -> Document | None:
    return db.session.scalar(
        select(Document).where(
            Document.sender_id == sender.id,
            Document.sender_document_id == sender_document_id,
        )
    )


def _replay(existing: Document, raw: bytes) -> IntakeOutcome:
    if existing.raw_sha256 != hashlib.sha256(raw).hexdigest():
        raise DuplicateSenderId(
            f"The sender id '{existing.sender_document_id}' was already used for a different "
            "document; send a new id for new content.",
            document_id=existing.id,
        )
    return IntakeOutcome(document=existing, replayed=True)


def _new_document(raw, incoming, report: VerificationReport, *, sender, now, unverified):
    return Document(
        sender=sender,
        sender_document_id=incoming.sender_document_id,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw_size=len(raw),
        received_at=now,
        **_read_fields(incoming, report, unverified=unverified),
    )


def _read_fields(incoming, report: VerificationReport, *, unverified: bool) -> dict[str, Any]:
    """What a document keeps of its content and its verification."""
    author = incoming.author
    author_name = author.display_name
    return {
        "family": DocumentFamily(incoming.kind.value),
        "kind": journal_kind(incoming),
        "author_iin": author.iin if author.bin is None else None,
        "author_bin": author.bin,
        "author_name": author_name[:400],
        "author_name_folded": author_name.casefold()[:400],
        "recipient_name": incoming.recipient.name[:400],
        "short_content": incoming.short_content[:1000],
        "language": incoming.language.value,
        "content": content_of(incoming),
        "content_unverified": unverified,
        **_verdict_fields(report),
    }


def _verdict_fields(report: VerificationReport) -> dict[str, Any]:
    return {
        "indication": report.indication,
        "sub_indication": report.sub_indication.value if report.sub_indication else None,
        "report": report.to_dict(),
    }


def _store_blobs(document: Document, incoming, store: Blobs, *, raw: bytes | None) -> None:
    """The attachments' bytes (and ``raw``, unless stored already) in one write."""
    contents = [item.content for item in incoming.attachments]
    digests = store.put_many(contents if raw is None else [raw, *contents])
    if raw is not None:
        digests = digests[1:]
    for position, (item, sha256) in enumerate(zip(incoming.attachments, digests, strict=True)):
        document.attachments.append(Attachment(
            position=position, file_name=item.file_name, media_type=item.media_type,
            sha256=sha256, size=len(item.content),
        ))

