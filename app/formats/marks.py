"""Status marks as XML: built unsigned for the lead's signer, read back for the portal
simulator and for tests. One element per kind carries that step's details."""

from __future__ import annotations

from lxml import etree

from app.formats.build import (
    add_coded_name,
    format_date,
    format_timestamp,
    new_root,
    sub,
    sub_optional,
    to_bytes,
)
from app.formats.choices import ExecutionDecision, MarkKind, RefusalReason
from app.formats.model import (
    DocumentRef,
    Extension,
    OutgoingRef,
    Refusal,
    Registration,
    StatusMark,
)
from app.formats.read import (
    child,
    optional_text,
    parse_date,
    parse_timestamp,
    read_coded_name,
    text,
)
from app.formats.schemas import Family, SchemaSet, family_of, full_text, validate
from app.xmlsig.errors import SchemaViolation

_NS = Family.STATUS_MARK.value

#: the element that says which step a mark reports
_ELEMENT = {
    MarkKind.DELIVERED: "Delivered",
    MarkKind.REGISTERED: "Registered",
    MarkKind.REFUSED: "Refused",
    MarkKind.PASSED_TO_RESOLUTION: "PassedToResolution",
    MarkKind.PASSED_TO_EXECUTION: "PassedToExecution",
    MarkKind.EXECUTED: "Executed",
    MarkKind.LETTER: "Letter",
    MarkKind.REDIRECTED: "Redirected",
    MarkKind.LEFT_WITHOUT_CONSIDERATION: "LeftWithoutConsideration",
    MarkKind.EXTENDED: "Extended",
}
_KIND = {f"{{{_NS}}}{name}": kind for kind, name in _ELEMENT.items()}


def _m(name: str) -> str:
    return f"{{{_NS}}}{name}"


def build_status_mark(mark: StatusMark) -> etree._Element:
    """The unsigned ``StatusMark`` tree of ``mark``."""
    root = new_root(Family.STATUS_MARK)
    sub(root, _m("MarkId"), mark.mark_id)
    add_coded_name(root, _m("Issuer"), mark.issuer)
    document = sub(root, _m("Document"))
    sub(document, _m("OurId"), mark.document.our_id)
    sub(document, _m("SenderSystem"), mark.document.sender_system)
    sub(document, _m("SenderDocumentId"), mark.document.sender_document_id)
    sub(root, _m("At"), format_timestamp(mark.at))
    step = sub(root, _m(_ELEMENT[mark.kind]))
    if mark.registration is not None:
        sub(step, _m("Number"), mark.registration.number)
        sub(step, _m("Date"), format_date(mark.registration.date))
    if mark.refusal is not None:
        sub(step, _m("Reason"), mark.refusal.reason.value)
        sub(step, _m("ReasonText"), mark.refusal.text)
    if mark.letter is not None:
        sub(step, _m("OutgoingNumber"), mark.letter.number)
        sub(step, _m("OutgoingDate"), format_date(mark.letter.date))
    if mark.redirected_to is not None:
        add_coded_name(step, _m("Recipient"), mark.redirected_to)
    if mark.reason_text is not None:
        sub(step, _m("ReasonText"), mark.reason_text)
    if mark.extension is not None:
        sub(step, _m("NewDueDate"), format_date(mark.extension.due))
        sub(step, _m("ReasonText"), mark.extension.reason)
    if mark.decision is not None:
        sub(step, _m("Decision"), mark.decision.value)
    sub_optional(step, _m("IssuedNumber"), mark.issued_number)
    sub_optional(root, _m("Comment"), mark.comment)
    return root


def status_mark_bytes(mark: StatusMark) -> bytes:
    return to_bytes(build_status_mark(mark))


def read_status_mark(
    root: etree._Element, *, schemas: SchemaSet | None = None, validated: bool = False
) -> StatusMark:
    """The status mark ``root`` holds (its signature already removed); validates first
    unless ``validated``. Raises SchemaViolation for anything but a valid status mark."""
    family = family_of(root) if validated else validate(root, schemas=schemas)
    if family is not Family.STATUS_MARK:
        raise SchemaViolation(f"expected a status mark, got <{family.root}> ({family.value})",
                              rule="status-mark-family", line=root.sourceline)
    document = child(root, _m("Document"))
    at = child(root, _m("At"))
    step = at.getnext()
    # (a comment or processing instruction has a function for a tag: no step either)
    kind = _KIND.get(step.tag) if step is not None and isinstance(step.tag, str) else None
    if step is None or kind is None:
        raise SchemaViolation("the status mark names no step after <At>",
                              rule="status-mark-kind", line=at.sourceline)
    reason = step.find(_m("Reason"))
    recipient = step.find(_m("Recipient"))
    decision = step.find(_m("Decision")) if kind is MarkKind.EXECUTED else None
    return StatusMark(
        mark_id=text(root, _m("MarkId")),
        issuer=read_coded_name(child(root, _m("Issuer"))),
        document=DocumentRef(
            our_id=text(document, _m("OurId")),
            sender_system=text(document, _m("SenderSystem")),
            sender_document_id=text(document, _m("SenderDocumentId")),
        ),
        kind=kind,
        at=parse_timestamp(at),
        registration=Registration(
            number=text(step, _m("Number")), date=parse_date(child(step, _m("Date")))
        ) if kind is MarkKind.REGISTERED else None,
        refusal=Refusal(
            reason=RefusalReason(full_text(reason)), text=text(step, _m("ReasonText"))
        ) if reason is not None else None,
        letter=OutgoingRef(
            number=text(step, _m("OutgoingNumber")),
            date=parse_date(child(step, _m("OutgoingDate"))),
        ) if kind is MarkKind.LETTER else None,
        redirected_to=read_coded_name(recipient) if recipient is not None else None,
        reason_text=optional_text(step, _m("ReasonText"))
        if kind is MarkKind.LEFT_WITHOUT_CONSIDERATION else None,
        extension=Extension(
            due=parse_date(child(step, _m("NewDueDate"))), reason=text(step, _m("ReasonText")),
        ) if kind is MarkKind.EXTENDED else None,
        comment=optional_text(root, _m("Comment")),
        decision=ExecutionDecision(full_text(decision)) if decision is not None else None,
        issued_number=optional_text(step, _m("IssuedNumber"))
        if kind is MarkKind.EXECUTED else None,
    )
