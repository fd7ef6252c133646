"""Response letters as XML: built unsigned for the official's signature, read back for
the portal simulator and for tests."""

from __future__ import annotations

from lxml import etree

from app.formats.build import (
    add_attachments,
    add_coded_name,
    format_date,
    new_root,
    sub,
    to_bytes,
)
from app.formats.choices import Language, Outcome
from app.formats.model import (
    ISSUING_OUTCOMES,
    Issued,
    IssuedLicence,
    ReplyRef,
    ResponseLetter,
    Signer,
)
from app.formats.read import child, parse_date, read_attachments, read_coded_name, text
from app.formats.schemas import Family, SchemaSet, family_of, full_text, validate
from app.xmlsig.errors import SchemaViolation

_NS = Family.RESPONSE_LETTER.value

_ELEMENT = {
    Outcome.SATISFIED: "Satisfied",
    Outcome.REFUSED: "Refused",
    Outcome.EXPLAINED: "Explained",
    Outcome.LEFT_WITHOUT_CONSIDERATION: "LeftWithoutConsideration",
    Outcome.LICENCE_ISSUED: "LicenceIssued",
    Outcome.LICENCE_REFUSED: "LicenceRefused",
    Outcome.APPENDIX_ISSUED: "AppendixIssued",
    Outcome.LICENCE_REISSUED: "LicenceReissued",
    Outcome.DATA_RESTORED: "DataRestored",
    Outcome.PERMIT_ISSUED: "PermitIssued",
    Outcome.NOTIFICATION_ACCEPTED: "NotificationAccepted",
    Outcome.CONCLUSION_POSITIVE: "ConclusionPositive",
    Outcome.CONCLUSION_NEGATIVE: "ConclusionNegative",
}
_OUTCOME = {f"{{{_NS}}}{name}": outcome for outcome, name in _ELEMENT.items()}


def _l(name: str) -> str:
    return f"{{{_NS}}}{name}"


def build_response_letter(letter: ResponseLetter) -> etree._Element:
    """The unsigned ``ResponseLetter`` tree of ``letter``."""
    root = new_root(Family.RESPONSE_LETTER)
    sub(root, _l("LetterId"), letter.letter_id)
    add_coded_name(root, _l("Issuer"), letter.issuer)
    reply = sub(root, _l("InReplyTo"))
    sub(reply, _l("RegistrationNumber"), letter.in_reply_to.registration_number)
    sub(reply, _l("RegistrationDate"), format_date(letter.in_reply_to.registration_date))
    sub(reply, _l("SenderSystem"), letter.in_reply_to.sender_system)
    sub(reply, _l("SenderDocumentId"), letter.in_reply_to.sender_document_id)
    sub(root, _l("OutgoingNumber"), letter.outgoing_number)
    sub(root, _l("OutgoingDate"), format_date(letter.outgoing_date))
    outcome = sub(sub(root, _l("Outcome")), _l(_ELEMENT[letter.outcome]))
    if letter.issued_licence is not None:
        sub(outcome, _l("LicenceNumber"), letter.issued_licence.number)
        sub(outcome, _l("IssueDate"), format_date(letter.issued_licence.issue_date))
    issued = letter.issued
    if issued is not None:
        sub(outcome, _l("Number"), issued.number)
        sub(outcome, _l("IssueDate"), format_date(issued.issue_date))
        if issued.licence_number:
            sub(outcome, _l("LicenceNumber"), issued.licence_number)
        if issued.valid_from:
            sub(outcome, _l("ValidFrom"), format_date(issued.valid_from))
        if issued.valid_to:
            sub(outcome, _l("ValidTo"), format_date(issued.valid_to))
    for ground in letter.refusal_grounds:
        sub(outcome, _l("Ground"), ground)
    sub(root, _l("Language"), letter.language.value)
    sub(root, _l("Text"), letter.text)
    add_attachments(root, letter.attachments)
    signer = sub(root, _l("Signer"))
    sub(signer, _l("Name"), letter.signer.name)
    sub(signer, _l("Position"), letter.signer.position)
    return root


def response_letter_bytes(letter: ResponseLetter) -> bytes:
    return to_bytes(build_response_letter(letter))


def read_response_letter(
    root: etree._Element, *, schemas: SchemaSet | None = None, validated: bool = False
) -> ResponseLetter:
    """The response letter ``root`` holds (its signature already removed); validates first
    unless ``validated``. Attachments are checked as in an incoming document."""
    family = family_of(root) if validated else validate(root, schemas=schemas)
    if family is not Family.RESPONSE_LETTER:
        raise SchemaViolation(
            f"expected a response letter, got <{family.root}> ({family.value})",
            rule="response-letter-family", line=root.sourceline,
        )
    reply = child(root, _l("InReplyTo"))
    outcome_element = child(root, _l("Outcome"))
    decision = outcome_element[0] if len(outcome_element) else None
    outcome = (_OUTCOME.get(decision.tag)
               if decision is not None and isinstance(decision.tag, str) else None)
    if decision is None or outcome is None:
        raise SchemaViolation("the letter's <Outcome> names no decision",
                              rule="letter-outcome", line=outcome_element.sourceline)
    signer = child(root, _l("Signer"))
    return ResponseLetter(
        letter_id=text(root, _l("LetterId")),
        issuer=read_coded_name(child(root, _l("Issuer"))),
        in_reply_to=ReplyRef(
            registration_number=text(reply, _l("RegistrationNumber")),
            registration_date=parse_date(child(reply, _l("RegistrationDate"))),
            sender_system=text(reply, _l("SenderSystem")),
            sender_document_id=text(reply, _l("SenderDocumentId")),
        ),
        outgoing_number=text(root, _l("OutgoingNumber")),
        outgoing_date=parse_date(child(root, _l("OutgoingDate"))),
        outcome=outcome,
        issued_licence=IssuedLicence(
            number=text(decision, _l("LicenceNumber")),
            issue_date=parse_date(child(decision, _l("IssueDate"))),
        ) if outcome is Outcome.LICENCE_ISSUED else None,
        refusal_grounds=tuple(full_text(g) for g in decision.iterfind(_l("Ground"))),
        issued=_read_issued(decision) if outcome in ISSUING_OUTCOMES else None,
        language=Language(text(root, _l("Language"))),
        text=text(root, _l("Text")),
        attachments=read_attachments(root),
        signer=Signer(name=text(signer, _l("Name")), position=text(signer, _l("Position"))),
    )


def _read_issued(decision: etree._Element) -> Issued:
    def optional_date(name: str):
        found = decision.find(_l(name))
        return parse_date(found) if found is not None else None

    licence = decision.find(_l("LicenceNumber"))
    return Issued(
        number=text(decision, _l("Number")),
        issue_date=parse_date(child(decision, _l("IssueDate"))),
        licence_number=full_text(licence) if licence is not None else None,
        valid_from=optional_date("ValidFrom"), valid_to=optional_date("ValidTo"),
    )
