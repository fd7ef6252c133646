"""Incoming documents from XML: an lxml tree (signature already removed, as the verifier
returns it) in, a value from model.py out.

Reading checks what the XSD cannot: the IIN/BIN check digits, each attachment's SHA-256
against its content, the 30 MB total. Each attachment is base64-decoded exactly once; its
hash and size come from those bytes, which the returned value then keeps.

The small readers at the top are shared with marks.py and letters.py. Every value is read
whole (``full_text``): all its text nodes, comments and processing instructions left out,
as the signature and the schema see it, never ``element.text`` (the first text node).
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from app.formats.choices import (
    AppealType,
    Language,
    LicenceCategory,
    ReissueReason,
    SanitaryProcedure,
)
from app.formats.errors import FormatError
from app.formats.identifiers import check_bin, check_iin
from app.formats.model import (
    MAX_ATTACHMENTS_BYTES,
    Address,
    AppealDetails,
    ApplicantStatus,
    Attachment,
    Author,
    CodedName,
    Contacts,
    Details,
    Envelope,
    IncomingDocument,
    LicenceAppendix,
    LicenceNew,
    LicenceRef,
    LicenceReissue,
    LicenceRestore,
    NumberingPermit,
    NumberingTerritory,
    Payment,
    PersonName,
    SanitaryRequest,
)
from app.formats.schemas import (
    COMMON_NS,
    Family,
    SchemaSet,
    check_attachments_total,
    element_path,
    family_of,
    full_text,
    validate,
)
from app.xmlsig.errors import SchemaViolation

# ----- readers shared by the families ----------------------------------------------------


def c(name: str) -> str:
    return f"{{{COMMON_NS}}}{name}"


def child(parent: etree._Element, tag: str) -> etree._Element:
    """The required child ``tag``; only a caller that skipped validation can miss one."""
    element = parent.find(tag)
    if element is None:
        raise SchemaViolation(
            f"{element_path(parent)} lacks <{etree.QName(tag).localname}>",
            rule="required-element", line=parent.sourceline,
        )
    return element


def text(parent: etree._Element, tag: str) -> str:
    return full_text(child(parent, tag))


def optional_text(parent: etree._Element, tag: str) -> str | None:
    element = parent.find(tag)
    return None if element is None else full_text(element)


def parse_timestamp(element: etree._Element) -> datetime:
    value = full_text(element)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise FormatError(
            f"{element_path(element)}: {value!r} is not a date and time with a UTC offset",
            rule="timestamp", field=element_path(element), line=element.sourceline,
        )
    return moment


def parse_date(element: etree._Element) -> date:
    value = full_text(element)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormatError(
            f"{element_path(element)}: {value!r} is not a date", rule="date",
            field=element_path(element), line=element.sourceline,
        ) from None


def parse_bool(element: etree._Element) -> bool:
    # the four lexical forms of xs:boolean
    return full_text(element).strip() in ("true", "1")


def read_coded_name(element: etree._Element) -> CodedName:
    return CodedName(code=text(element, c("Code")), name=text(element, c("Name")))


def read_attachments(parent: etree._Element) -> tuple[Attachment, ...]:
    """The attachments under ``parent``, each decoded once and checked against its hash,
    after a size check on the base64 text refused anything past 30 MB undecoded."""
    container = parent.find(c("Attachments"))
    if container is None:
        return ()
    check_attachments_total(container)
    attachments = []
    total = 0
    for element in container.iterfind(c("Attachment")):
        content_element = child(element, c("Content"))
        try:
            content = binascii.a2b_base64(full_text(content_element))
        except (binascii.Error, ValueError):
            raise FormatError(
                f"{element_path(content_element)} is not base64", rule="attachment-base64",
                field=element_path(content_element), line=content_element.sourceline,
            ) from None
        total += len(content)
        declared = text(element, c("Sha256")).lower()
        actual = hashlib.sha256(content).hexdigest()
        if actual != declared:
            sha_element = child(element, c("Sha256"))
            raise FormatError(
                f"attachment {text(element, c('FileName'))!r}: declared SHA-256 {declared} "
                f"but its content hashes to {actual}",
                rule="attachment-sha256: each attachment's SHA-256 must match its content",
                field=element_path(sha_element), line=sha_element.sourceline,
            )
        attachments.append(Attachment(
            file_name=text(element, c("FileName")),
            media_type=text(element, c("MediaType")),
            title=optional_text(element, c("Title")),
            sha256=declared,
            content=content,
        ))
    # the estimate above is exact for valid base64; this guards callers that skipped the XSD
    if total > MAX_ATTACHMENTS_BYTES:
        raise FormatError(
            f"attachments total {total} bytes, more than {MAX_ATTACHMENTS_BYTES} (30 MB)",
            rule="attachments-total: at most 30 MB of decoded attachments per document",
            field=element_path(container),
        )
    return tuple(attachments)


# ----- the incoming document -------------------------------------------------------------


def read_envelope(root: etree._Element) -> Envelope:
    """Sender, sender's id, time and recipient of an appeal or application, read without
    validating or verifying anything: for routing and deduplication before the verifier
    runs. Never trust it beyond that; :func:`read_document` reads what was signed. Each
    field is read whole (``full_text``), so it says what the signature will cover: a
    comment inside ``SenderSystem`` cannot pass the token check with half a name."""
    _require_incoming(family_of(root), root)
    envelope = child(root, c("Envelope"))
    return Envelope(
        sender_system=text(envelope, c("SenderSystem")),
        sender_document_id=text(envelope, c("SenderDocumentId")),
        sent_at=parse_timestamp(child(envelope, c("SentAt"))),
        recipient=read_coded_name(child(envelope, c("Recipient"))),
        language=_language(child(envelope, c("Language"))),
        assisted_by_service_centre=parse_bool(child(envelope, c("AssistedByServiceCentre"))),
    )


def read_document(
    root: etree._Element, *, schemas: SchemaSet | None = None, validated: bool = False
) -> IncomingDocument:
    """The appeal or application ``root`` holds.

    Validates ``root`` against its schema first unless ``validated`` says the caller (the
    verifier) just did so on this very tree. Raises :class:`SchemaViolation` when it is
    not a valid appeal or application, :class:`FormatError` (a SchemaViolation too) when
    an identifier, an attachment hash or the total size is wrong.
    """
    family = family_of(root) if validated else validate(root, schemas=schemas)
    _require_incoming(family, root)
    try:
        envelope = read_envelope(root)
        return IncomingDocument(
            sender_system=envelope.sender_system,
            sender_document_id=envelope.sender_document_id,
            sent_at=envelope.sent_at,
            recipient=envelope.recipient,
            language=envelope.language,
            assisted_by_service_centre=envelope.assisted_by_service_centre,
            author=_read_author(child(root, c("Author"))),
            contacts=_read_contacts(child(root, c("Contacts"))),
            details=_read_details(root, family),
            applicant=_read_applicant(root),
            payment=_read_payment(root),
            short_content=text(root, c("ShortContent")),
            text=optional_text(root, c("Text")),
            attachments=read_attachments(root),
        )
    except FormatError as error:
        # a model invariant knows no XML; point at the document at least
        if error.line is None:
            error.line = root.sourceline
        raise


def _require_incoming(family: Family, root: etree._Element) -> None:
    if family not in (Family.APPEAL, Family.APPLICATION):
        raise SchemaViolation(
            f"expected an appeal or an application, got <{family.root}> ({family.value})",
            rule="incoming-family", line=root.sourceline,
        )


def _language(element: etree._Element) -> Language:
    value = full_text(element)
    try:
        return Language(value)  # no text is no language either
    except ValueError:
        raise FormatError(f"{element_path(element)}: {value!r} is not kk or ru",
                          rule="language", field=element_path(element),
                          line=element.sourceline) from None


def _identifier(element: etree._Element, check: Callable[..., str]) -> str:
    try:
        return check(full_text(element), field=element_path(element))
    except FormatError as error:
        error.line = element.sourceline
        raise


def _read_author(element: etree._Element) -> Author:
    individual = element.find(c("Individual"))
    if individual is not None:
        return Author.individual(
            iin=_identifier(child(individual, c("Iin")), check_iin),
            surname=text(individual, c("Surname")),
            name=text(individual, c("Name")),
            patronymic=optional_text(individual, c("Patronymic")),
        )
    legal = child(element, c("LegalEntity"))
    representative = child(legal, c("Representative"))
    iin_element = representative.find(c("Iin"))
    return Author.legal_entity(
        bin=_identifier(child(legal, c("Bin")), check_bin),
        name=text(legal, c("Name")),
        representative=PersonName(
            surname=text(representative, c("Surname")),
            name=text(representative, c("Name")),
            patronymic=optional_text(representative, c("Patronymic")),
        ),
        position=optional_text(representative, c("Position")),
        representative_address=optional_text(representative, c("Address")),
        representative_iin=None if iin_element is None else _identifier(iin_element, check_iin),
    )


def _read_contacts(element: etree._Element) -> Contacts:
    address = child(element, c("Address"))
    line = optional_text(address, c("Line"))
    return Contacts(
        address=Address.one_line(line) if line is not None else Address(
            region=optional_text(address, c("Region")),
            city=text(address, c("City")),
            postcode=text(address, c("Postcode")),
            street_ru=optional_text(address, c("StreetRu")),
            street_kk=optional_text(address, c("StreetKk")),
            house=text(address, c("House")),
            house_index=optional_text(address, c("HouseIndex")),
            flat=optional_text(address, c("Flat")),
        ),
        phones=tuple(full_text(p) for p in element.iterfind(c("Phone"))),
        faxes=tuple(full_text(f) for f in element.iterfind(c("Fax"))),
        email=optional_text(element, c("Email")),
    )


def _a(name: str) -> str:
    return f"{{{Family.APPLICATION.value}}}{name}"


def _read_applicant(root: etree._Element) -> ApplicantStatus | None:
    element = root.find(_a("Applicant"))
    if element is None:
        return None
    return ApplicantStatus(
        small_business=parse_bool(child(element, _a("SmallBusiness"))),
        sole_proprietor=parse_bool(child(element, _a("SoleProprietor"))),
    )


def _read_payment(root: etree._Element) -> Payment | None:
    element = root.find(_a("Payment"))
    if element is None:
        return None
    amount_element = child(element, _a("Amount"))
    try:
        amount = Decimal(full_text(amount_element).strip())
    except InvalidOperation:
        raise FormatError(
            f"{element_path(amount_element)} is not an amount", rule="payment-amount",
            field=element_path(amount_element), line=amount_element.sourceline,
        ) from None
    return Payment(
        amount=amount,
        date=parse_date(child(element, _a("Date"))),
        document_number=text(element, _a("DocumentNumber")),
        receipt=optional_text(element, _a("Receipt")),
    )


def _read_licence(element: etree._Element) -> LicenceRef:
    licence = child(element, _a("Licence"))
    return LicenceRef(
        series=optional_text(licence, _a("Series")),
        number=text(licence, _a("Number")),
        issue_date=parse_date(child(licence, _a("IssueDate"))),
    )


def _read_details(root: etree._Element, family: Family) -> Details:
    if family is Family.APPEAL:
        return AppealDetails(appeal_type=AppealType(text(root, f"{{{family.value}}}AppealType")))
    for element in root:
        name = etree.QName(element).localname
        if name in ("LicenceNew", "LicenceAppendix"):
            activity = read_coded_name(child(element, _a("Activity")))
            subactivities = tuple(
                read_coded_name(s) for s in element.iterfind(_a("Subactivity"))
            )
            territory = optional_text(element, _a("Territory"))
            if name == "LicenceNew":
                return LicenceNew(
                    activity=activity, subactivities=subactivities, territory=territory
                )
            return LicenceAppendix(
                licence=_read_licence(element), activity=activity,
                subactivities=subactivities, territory=territory,
            )
        if name == "LicenceReissue":
            return LicenceReissue(
                licence=_read_licence(element),
                activity=read_coded_name(child(element, _a("Activity"))),
                reason=ReissueReason(text(element, _a("Reason"))),
                reason_text=optional_text(element, _a("ReasonText")),
            )
        if name == "LicenceRestore":
            activity_element = element.find(_a("Activity"))
            return LicenceRestore(
                category=LicenceCategory(text(element, _a("Category"))),
                licence=_read_licence(element),
                activity=None if activity_element is None
                else read_coded_name(activity_element),
            )
        if name == "NumberingPermit":
            return NumberingPermit(
                resource=read_coded_name(child(element, _a("Resource"))),
                territories=tuple(
                    NumberingTerritory(
                        name=text(t, _a("Name")),
                        area_code=optional_text(t, _a("AreaCode")),
                        count=int(text(t, _a("Count"))),
                    )
                    for t in element.iterfind(_a("Territory"))
                ),
            )
        if name in ("SanitaryNotification", "InspectionRequest"):
            return SanitaryRequest(
                procedure=SanitaryProcedure.NOTIFICATION if name == "SanitaryNotification"
                else SanitaryProcedure.INSPECTION,
                region=text(element, _a("Region")),
                region_code=optional_text(element, _a("RegionCode")),
                district=text(element, _a("District")),
                district_code=optional_text(element, _a("DistrictCode")),
                object_name=text(element, _a("ObjectName")),
                object_address=text(element, _a("ObjectAddress")),
                activity=read_coded_name(child(element, _a("Activity"))),
                readiness_date=parse_date(child(element, _a("ReadinessDate"))),
                staff_count=int(text(element, _a("StaffCount"))),
            )
    raise SchemaViolation(
        "the application names no kind (LicenceNew, …, InspectionRequest)",
        rule="application-kind", line=root.sourceline,
    )
