"""The official signs the approved reply: the letter gets its outgoing number, is built as
XML, signed with the official's own key, checked as the author's portal will check it, and
queued for the portal with the "executed" mark that carries it, all in one transaction (the
"letter" mark follows when the portal has received the letter: app/marks/receipt.py).

The key: the official presents the PKCS#12 file and its password at the moment of signing;
both live only in this request's memory and are dropped when it ends (the file is a few KB,
so Werkzeug keeps it in memory and never spools it to disk). We chose this over keeping the
key on the server encrypted under the official's password because then a copy of the
database plus one weak password would sign letters in an official's name; here the
server never holds a key it could lose, exactly as NCALayer keeps keys on the official's
own medium.

A key is accepted only if the signed letter verifies under the state bodies' CA (УЦ ГО)
policy at this moment — chain, validity, revocation, a signing (not authentication) key —
and the certificate's IIN is the official's on record. A citizen's key (wrong CA), an
authentication key, an expired or revoked one are all refused by that same check.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.auth.models import User
from app.documents.blobstore import Blobs
from app.documents.models import Document
from app.documents.states import Action
from app.errors import KeyRefused, Refused
from app.execution.models import Letter, RoundDecision
from app.execution.service import decide, last_approved_round
from app.extensions import db
from app.formats.choices import Language, Outcome
from app.formats.letters import build_response_letter
from app.formats.model import (
    GROUNDED_OUTCOMES,
    Attachment,
    CodedName,
    ReplyRef,
    ResponseLetter,
    Signer,
)
from app.formats.permits import build_permit
from app.formats.schemas import validate
from app.journals.numbering import format_number, journal_for, next_number
from app.marks.service import LetterRef
from app.permits.pdf import render_permit
from app.permits.service import EVENTS, Produced, produce, record_signed
from app.procedures import procedure_for
from app.procedures.wording import issued_line
from app.settings import Body
from app.timeutil import local
from app.web.labels import LABELS
from app.workflow.locking import check_version
from app.workflow.parties import Part, add_party
from app.workflow.permissions import require
from app.workflow.transition import transition
from app.xmlsig.errors import KeyLoadError, SchemaViolation, TooManyIterations
from app.xmlsig.keys import load_pkcs12
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import Indication
from app.xmlsig.signer import sign_enveloped
from app.xmlsig.verifier import verify_bytes


def sign_letter(
    document: Document,
    *,
    official: User,
    pkcs12: bytes,
    password: str,
    now: datetime,
    policy: TrustPolicy,
    body: Body,
    store: Blobs,
    expected_version: int | None = None,
) -> Letter:
    check_version(document, expected_version)
    require(official, Action.SIGN, document)
    if not official.iin:
        raise KeyRefused(_l("Your IIN is not on record, so no key can be matched to you; ask "
                            "an administrator to add it."),
                         code="official_iin_missing", reason="no_iin")
    try:
        key = load_pkcs12(pkcs12, password)
    except TooManyIterations as exc:
        # a crafted (or very unusual) container: say what is wrong with it, not "password"
        raise KeyRefused(_l("The key file asks for %(count)s iterations of its password "
                            "hash; at most %(maximum)s are accepted. Export the key again "
                            "with Kalkan or NCALayer.", count=f"{exc.count:,}".replace(",", " "),
                            maximum=f"{exc.maximum:,}".replace(",", " ")),
                         code="key_iterations_too_many", reason="unreadable",
                         count=exc.count, maximum=exc.maximum) from None
    except KeyLoadError as exc:
        # the library's own words stay in the details, for whoever looks into it
        raise KeyRefused(_l("The key file could not be opened: check that it is your key "
                            "file and that the password is right."),
                         code="key_unreadable", reason="unreadable", problem=str(exc)) from None

    round_ = last_approved_round(document)
    reply = round_.snapshot
    today = local(now, body.zone).date()
    year = today.year
    outgoing = journal_for("outgoing_letter")
    # the letter's own language names the body, the signer's position and the number
    language = Language(reply["language"])
    number = format_number(outgoing, year=year, seq=next_number(outgoing, year=year),
                           language=language.value)
    outcome = Outcome(reply["outcome"])
    signer = Signer(name=official.full_name,
                    position=official.position_in(language.value) or "—")
    grounds = tuple(reply["refusal_grounds"]) if outcome in GROUNDED_OUTCOMES else ()
    # what the outcome produces enters the register in this same transaction
    produced = produce(document, outcome, today=today, now=now,
                       licensor=CodedName(code=body.code, name=body.name), signer=signer,
                       grounds=grounds)
    issued_files: tuple[Attachment, ...] = ()
    signed_permit = None
    if produced.document is not None:
        signed_permit = _sign_issued(produced, key)
        issued_files = _issued_attachments(produced, signed_permit,
                                           signed_by=_certificate_words(key.certificate))
    letter_model = ResponseLetter(
        letter_id=f"L{document.id}-{round_.number}",
        issuer=CodedName(code=body.code, name=body.name_in(language.value)),
        in_reply_to=ReplyRef(
            registration_number=document.registration_number,
            registration_date=local(document.registered_at, body.zone).date(),
            sender_system=document.sender.code,
            sender_document_id=document.sender_document_id,
        ),
        outgoing_number=number,
        outgoing_date=today,
        outcome=outcome,
        issued_licence=produced.licence,
        issued=produced.issued,
        refusal_grounds=grounds,
        language=language,
        text=letter_text(reply, outcome=outcome, produced=produced),
        attachments=issued_files + tuple(
            Attachment.of(file_name=f["file_name"], media_type=f["media_type"],
                          content=store.get(f["sha256"]))
            for f in reply["files"]),
        signer=signer,
    )
    unsigned = build_response_letter(letter_model)
    try:  # what the portal cannot read must not be signed, numbered or sent
        validate(unsigned)
    except SchemaViolation as exc:
        raise Refused(_l("The letter does not fit the response-letter format, so it is not "
                         "signed; tell the administrator (rule: %(rule)s).",
                         rule=exc.rule or "—"),
                      code="letter_format_violation", rule=exc.rule, problem=str(exc)) from None
    signed = sign_enveloped(unsigned, key)
    del key, pkcs12, password  # the key leaves with this frame; nothing kept it
    certificate = _check_as_the_portal_will(signed, policy=policy, at=now, official=official)
    if signed_permit is not None:
        _check_as_the_portal_will(signed_permit, policy=policy, at=now, official=official)

    letter = Letter(document=document, outgoing_number=number, outgoing_date=today,
                    outcome=outcome.value, language=reply["language"],
                    licence_number=produced.licence.number if produced.licence else None,
                    issued_number=produced.number,
                    signer_id=official.id, signed_at=now,
                    certificate_subject=certificate.subject[:500],
                    certificate_serial=certificate.serial_number[:80], xml=signed)
    db.session.add(letter)
    add_party(document, official.id, Part.SIGNATORY)
    db.session.flush()  # the mark names the letter by its id
    if signed_permit is not None:
        record_signed(produced, xml=signed_permit, letter_id=letter.id, now=now,
                      event=EVENTS[procedure_for(document.kind, document.content)
                                   .result_of(outcome)],
                      reason=str((document.content or {}).get("details", {})
                                 .get("reason_text") or ""))
    decide(round_, RoundDecision.SIGNED, by=official, now=now)
    transition(document, Action.SIGN, actor=official, now=now,
               letter=LetterRef(letter_id=letter.id, outgoing_number=number,
                                outgoing_date=today, outcome=outcome.value,
                                issued_number=produced.number),
               facts={"outgoing_number": number, "outcome": outcome.value,
                      "licence_number": produced.licence.number if produced.licence else None,
                      "issued_number": produced.number})
    return letter


def letter_text(reply: dict, *, outcome: Outcome | None = None,
                produced: Produced | None = None) -> str:
    """The letter's text: what was issued (in the letter's language), the answer, the
    norms it rests on, how to appeal."""
    issued = ""
    if (outcome is not None and produced is not None and produced.number
            and produced.issue_date):
        made = produced.issued
        issued = issued_line(
            outcome, reply["language"], number=produced.number,
            issue_date=produced.issue_date,
            licence_number=made.licence_number if made else None,
            valid_from=made.valid_from if made else None,
            valid_to=made.valid_to if made else None)
    parts = [issued, reply["text"].strip(), reply["legal_basis"].strip(),
             reply["appeal_procedure"].strip()]
    return "\n\n".join(p for p in parts if p)


def _sign_issued(produced: Produced, key) -> bytes:
    """The issued document, validated and signed with the letter's key in the same act."""
    assert produced.document is not None
    unsigned = build_permit(produced.document)
    try:
        validate(unsigned)
    except SchemaViolation as exc:
        raise Refused(_l("What is issued does not fit its format, so nothing is signed; "
                         "tell the administrator (rule: %(rule)s).", rule=exc.rule or "—"),
                      code="permit_format_violation", rule=exc.rule, problem=str(exc)) from None
    return sign_enveloped(unsigned, key)


def _certificate_words(certificate) -> str:
    """The signing certificate as the printed stamp names it: subject and serial number."""
    return f"{certificate.subject.rfc4514_string()} · {certificate.serial_number:x}"


def _issued_attachments(produced: Produced, signed: bytes, *,
                        signed_by: str) -> tuple[Attachment, ...]:
    """The signed issued document and its printable copy (with the licence's appendices),
    as the letter's first attachments."""
    entry = produced.entry
    assert entry is not None and produced.document is not None
    appendices = tuple(a.xml for a in entry.appendices if a.xml) if entry.kind == "licence" \
        else ()
    stem = f"{entry.kind}-{entry.id}-v{entry.version}"
    title = produced.document.number
    return (
        Attachment.of(file_name=f"{stem}.xml", media_type="application/xml", content=signed,
                      title=title),
        Attachment.of(file_name=f"{stem}.pdf", media_type="application/pdf",
                      content=render_permit(signed, appendices=appendices, signed_by=signed_by),
                      title=title),
    )


#: what the official should do about each kind of key refused at the check
_NOT_FOR_STATE_BODY = _l("Sign with your valid signing key (not the authentication key) that "
                         "NCA issued to you as an official of this state body; if that is the "
                         "key you chose, tell the administrator.")
_NOT_YOURS = _l("Choose your own key file: an official signs only with the key issued to "
                "her.")


def _advised(message, advice) -> LazyString:
    """The refusal and what to do about it, in the reader's language when shown."""
    return LazyString(lambda: f"{message} {advice}")


def _check_as_the_portal_will(signed: bytes, *, policy: TrustPolicy, at: datetime,
                              official: User):
    report = verify_bytes(signed, policy=policy, at=at).report
    if report.indication is not Indication.PASSED:
        failing = next(
            (c for s in report.signatures for c in s.checks if c.outcome.value != "passed"),
            None)
        reason = report.sub_indication.value if report.sub_indication else None
        # the verdict in the reader's words (the report's own are English codes)
        why = (LazyString(LABELS.sub_indication, reason) if reason
               else LazyString(LABELS.indication, report.indication.value))
        details = {"reason": reason or "failed", "indication": report.indication.value}
        if failing is None:
            raise KeyRefused(_advised(_l("This key cannot sign for a state body: %(why)s.",
                                         why=why), _NOT_FOR_STATE_BODY),
                             code="key_not_for_state_body", check=None, **details)
        raise KeyRefused(_advised(
            _l("This key cannot sign for a state body: %(why)s (failed check: %(check)s).",
               why=why, check=LazyString(LABELS.check, failing.code.value)),
            _NOT_FOR_STATE_BODY),
            code="key_not_for_state_body", check=failing.code.value,
            check_detail=failing.detail or "", **details)
    signer = report.signer
    if signer is None or signer.iin != official.iin:
        if signer is None:
            raise KeyRefused(_advised(_l("The key names no signer, so it cannot sign for "
                                         "%(official)s.", official=official.full_name),
                                      _NOT_YOURS),
                             code="key_not_yours", reason="not_your_key")
        holder = (_l("The key belongs to %(holder)s (IIN %(holder_iin)s), not to "
                     "%(official)s.", holder=signer.common_name, holder_iin=signer.iin,
                     official=official.full_name) if signer.iin else
                  _l("The key belongs to %(holder)s, not to %(official)s.",
                     holder=signer.common_name, official=official.full_name))
        raise KeyRefused(
            _advised(holder, _NOT_YOURS),
            code="key_not_yours", reason="not_your_key", holder=signer.common_name,
            holder_iin=signer.iin)
    return signer
