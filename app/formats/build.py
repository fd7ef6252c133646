"""Incoming documents as XML: a value from model.py in, an unsigned lxml tree out.

The output is deterministic (same value, same bytes: fixed prefixes, fixed order, no
pretty-printing whitespace), so a signature over it can be reproduced and tests compare
bytes. Values are written as given: the portal simulator may build a document with a bad
check digit or a forged hash on purpose, and it is the receiver that refuses it.

The small writers at the top are shared with marks.py and letters.py.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from app.formats.choices import AuthorKind, SanitaryProcedure
from app.formats.model import (
    Address,
    AppealDetails,
    Attachment,
    Author,
    CodedName,
    Contacts,
    IncomingDocument,
    LicenceAppendix,
    LicenceNew,
    LicenceRef,
    LicenceReissue,
    LicenceRestore,
    NumberingPermit,
    SanitaryRequest,
)
from app.formats.schemas import COMMON_NS, Family

# ----- writers shared by the families ----------------------------------------------------


def new_root(family: Family) -> etree._Element:
    """An empty root of ``family``, with the family as default namespace and ``c:`` for
    the common blocks, so every document of a family looks alike."""
    return etree.Element(family.root_tag, nsmap={None: family.value, "c": COMMON_NS})


def sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def sub_optional(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None:
        sub(parent, tag, text)


def c(name: str) -> str:
    """A tag in the common namespace."""
    return f"{{{COMMON_NS}}}{name}"


def format_timestamp(moment: datetime) -> str:
    # isoformat keeps the offset (the model refuses naive datetimes) and the microseconds
    # when there are any, so a read gives back the same instant
    return moment.isoformat()


def format_date(day: date) -> str:
    return day.isoformat()


def format_amount(amount: Decimal) -> str:
    """Fixed notation with two decimals: ``5000.00``, never ``5E+3``."""
    return f"{amount:.2f}"


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def add_coded_name(parent: etree._Element, tag: str, value: CodedName) -> etree._Element:
    element = sub(parent, tag)
    sub(element, c("Code"), value.code)
    sub(element, c("Name"), value.name)
    return element


def add_attachments(parent: etree._Element, attachments: Iterable[Attachment]) -> None:
    """``c:Attachments``, left out when there are none (the XSD wants at least one inside)."""
    attachments = tuple(attachments)
    if not attachments:
        return
    container = sub(parent, c("Attachments"))
    for attachment in attachments:
        element = sub(container, c("Attachment"))
        sub(element, c("FileName"), attachment.file_name)
        sub(element, c("MediaType"), attachment.media_type)
        sub_optional(element, c("Title"), attachment.title)
        sub(element, c("Sha256"), attachment.sha256)
        sub(element, c("Content"), base64.b64encode(attachment.content).decode("ascii"))


def to_bytes(root: etree._Element) -> bytes:
    """UTF-8 with an XML declaration, as the portals exchange documents."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# ----- the incoming document -------------------------------------------------------------


def build_document(document: IncomingDocument) -> etree._Element:
    """The unsigned ``Appeal`` or ``Application`` tree of ``document``."""
    family = Family.APPEAL if isinstance(document.details, AppealDetails) else Family.APPLICATION
    root = new_root(family)
    _add_envelope(root, document)
    _add_author(root, document.author)
    _add_contacts(root, document.contacts)
    if isinstance(document.details, AppealDetails):
        sub(root, _tag(family, "AppealType"), document.details.appeal_type.value)
    else:
        _add_application_details(root, document)
    sub(root, c("ShortContent"), document.short_content)
    sub_optional(root, c("Text"), document.text)
    add_attachments(root, document.attachments)
    return root


def document_bytes(document: IncomingDocument) -> bytes:
    return to_bytes(build_document(document))


def _tag(family: Family, name: str) -> str:
    return f"{{{family.value}}}{name}"


def _add_envelope(root: etree._Element, document: IncomingDocument) -> None:
    envelope = sub(root, c("Envelope"))
    sub(envelope, c("SenderSystem"), document.sender_system)
    sub(envelope, c("SenderDocumentId"), document.sender_document_id)
    sub(envelope, c("SentAt"), format_timestamp(document.sent_at))
    add_coded_name(envelope, c("Recipient"), document.recipient)
    sub(envelope, c("Language"), document.language.value)
    sub(envelope, c("AssistedByServiceCentre"), format_bool(document.assisted_by_service_centre))


def _add_author(root: etree._Element, author: Author) -> None:
    element = sub(root, c("Author"))
    person = author.person
    if author.kind is AuthorKind.INDIVIDUAL:
        individual = sub(element, c("Individual"))
        sub(individual, c("Iin"), author.iin)
        sub(individual, c("Surname"), person.surname)
        sub(individual, c("Name"), person.name)
        sub_optional(individual, c("Patronymic"), person.patronymic)
        return
    legal = sub(element, c("LegalEntity"))
    sub(legal, c("Bin"), author.bin)
    sub(legal, c("Name"), author.organisation)
    representative = sub(legal, c("Representative"))
    sub_optional(representative, c("Iin"), author.iin)
    sub(representative, c("Surname"), person.surname)
    sub(representative, c("Name"), person.name)
    sub_optional(representative, c("Patronymic"), person.patronymic)
    sub_optional(representative, c("Position"), author.position)
    sub_optional(representative, c("Address"), author.representative_address)


def _add_address(parent: etree._Element, address: Address) -> None:
    element = sub(parent, c("Address"))
    if address.line is not None:
        sub(element, c("Line"), address.line)
        return
    sub_optional(element, c("Region"), address.region)
    sub(element, c("City"), address.city)
    sub(element, c("Postcode"), address.postcode)
    sub_optional(element, c("StreetRu"), address.street_ru)
    sub_optional(element, c("StreetKk"), address.street_kk)
    sub(element, c("House"), address.house)
    sub_optional(element, c("HouseIndex"), address.house_index)
    sub_optional(element, c("Flat"), address.flat)


def _add_contacts(root: etree._Element, contacts: Contacts) -> None:
    element = sub(root, c("Contacts"))
    _add_address(element, contacts.address)
    for phone in contacts.phones:
        sub(element, c("Phone"), phone)
    for fax in contacts.faxes:
        sub(element, c("Fax"), fax)
    sub_optional(element, c("Email"), contacts.email)


def _add_application_details(root: etree._Element, document: IncomingDocument) -> None:
    def a(name: str) -> str:
        return _tag(Family.APPLICATION, name)

    details = document.details
    if document.applicant is not None:
        applicant = sub(root, a("Applicant"))
        sub(applicant, a("SmallBusiness"), format_bool(document.applicant.small_business))
        sub(applicant, a("SoleProprietor"), format_bool(document.applicant.sole_proprietor))

    def add_licence(parent: etree._Element, licence: LicenceRef) -> None:
        element = sub(parent, a("Licence"))
        sub_optional(element, a("Series"), licence.series)
        sub(element, a("Number"), licence.number)
        sub(element, a("IssueDate"), format_date(licence.issue_date))

    if isinstance(details, LicenceNew | LicenceAppendix):
        element = sub(root, a(type(details).__name__))
        if isinstance(details, LicenceAppendix):
            add_licence(element, details.licence)
        add_coded_name(element, a("Activity"), details.activity)
        for subactivity in details.subactivities:
            add_coded_name(element, a("Subactivity"), subactivity)
        sub_optional(element, a("Territory"), details.territory)
    elif isinstance(details, LicenceReissue):
        element = sub(root, a("LicenceReissue"))
        add_licence(element, details.licence)
        add_coded_name(element, a("Activity"), details.activity)
        sub(element, a("Reason"), details.reason.value)
        sub_optional(element, a("ReasonText"), details.reason_text)
    elif isinstance(details, LicenceRestore):
        element = sub(root, a("LicenceRestore"))
        sub(element, a("Category"), details.category.value)
        add_licence(element, details.licence)
        if details.activity is not None:
            add_coded_name(element, a("Activity"), details.activity)
    elif isinstance(details, NumberingPermit):
        element = sub(root, a("NumberingPermit"))
        add_coded_name(element, a("Resource"), details.resource)
        for territory in details.territories:
            item = sub(element, a("Territory"))
            sub(item, a("Name"), territory.name)
            sub_optional(item, a("AreaCode"), territory.area_code)
            sub(item, a("Count"), str(territory.count))
    elif isinstance(details, SanitaryRequest):
        notification = details.procedure is SanitaryProcedure.NOTIFICATION
        element = sub(root, a("SanitaryNotification" if notification else "InspectionRequest"))
        sub(element, a("Region"), details.region)
        sub_optional(element, a("RegionCode"), details.region_code)
        sub(element, a("District"), details.district)
        sub_optional(element, a("DistrictCode"), details.district_code)
        sub(element, a("ObjectName"), details.object_name)
        sub(element, a("ObjectAddress"), details.object_address)
        add_coded_name(element, a("Activity"), details.activity)
        sub(element, a("ReadinessDate"), format_date(details.readiness_date))
        sub(element, a("StaffCount"), str(details.staff_count))
    else:  # pragma: no cover - the Details union is closed
        raise TypeError(f"no XML form for {type(details).__name__}")
    if document.payment is not None:
        payment = sub(root, a("Payment"))
        sub(payment, a("Amount"), format_amount(document.payment.amount))
        sub(payment, a("Date"), format_date(document.payment.date))
        sub(payment, a("DocumentNumber"), document.payment.document_number)
        sub_optional(payment, a("Receipt"), document.payment.receipt)
