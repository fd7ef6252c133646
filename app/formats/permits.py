"""What a procedure issued, as XML: a licence, an appendix, a numbering-resource permit, a
notification's acknowledgement (талон) or a sanitary-epidemiological conclusion. Built
unsigned for the official's signature (in the same act as the letter), read back for the
printable copy, the portal simulator and tests."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from lxml import etree

from app.formats.build import add_coded_name, format_bool, format_date, new_root, sub, to_bytes
from app.formats.errors import FormatError
from app.formats.model import CodedName, Signer
from app.formats.read import child, parse_date, read_coded_name, text
from app.formats.schemas import Family, SchemaSet, family_of, full_text, validate
from app.xmlsig.errors import SchemaViolation

_NS = Family.PERMIT.value


class IssuedKind(enum.StrEnum):
    LICENCE = "licence"
    APPENDIX = "appendix"
    NUMBERING_PERMIT = "numbering_permit"
    NOTIFICATION = "notification"
    CONCLUSION = "conclusion"


@dataclass(frozen=True, slots=True, kw_only=True)
class Holder:
    #: the licensee's IIN or BIN
    identifier: str
    name: str
    address: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    """A range of numbers allocated in a territory (seed 002: territory, its area code)."""

    territory: str
    first: int
    last: int
    area_code: str | None = None

    @property
    def count(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Basis:
    registration_number: str
    registration_date: date
    sender_document_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedDocument:
    permit_id: str
    kind: IssuedKind
    number: str
    version: int
    issue_date: date
    issuer: CodedName
    holder: Holder
    basis: Basis
    signer: Signer
    licence_number: str | None = None
    appendix_number: int | None = None
    restored: bool = False
    activity: CodedName | None = None
    subactivities: tuple[CodedName, ...] = ()
    territory: str | None = None
    object_name: str | None = None
    object_address: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    allocations: tuple[Allocation, ...] = ()
    #: conclusions only: positive or negative
    positive: bool | None = None
    grounds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        def require(ok: bool, message: str, field: str) -> None:
            if not ok:
                raise FormatError(message, rule="permit-kind", field=field)

        require((self.appendix_number is not None) == (self.kind is IssuedKind.APPENDIX),
                "an appendix, and only an appendix, has an appendix number", "AppendixNumber")
        require((self.positive is not None) == (self.kind is IssuedKind.CONCLUSION),
                "a conclusion, and only a conclusion, is positive or negative", "Positive")
        require(bool(self.allocations) == (self.kind is IssuedKind.NUMBERING_PERMIT),
                "a numbering permit, and only it, allocates numbers", "Allocation")
        require(not self.grounds or self.positive is False,
                "grounds go with a negative conclusion", "Ground")


def _p(name: str) -> str:
    return f"{{{_NS}}}{name}"


def build_permit(doc: IssuedDocument) -> etree._Element:
    """The unsigned ``Permit`` tree of ``doc``."""
    root = new_root(Family.PERMIT)
    sub(root, _p("PermitId"), doc.permit_id)
    sub(root, _p("Kind"), doc.kind.value)
    sub(root, _p("Number"), doc.number)
    sub(root, _p("Version"), str(doc.version))
    sub(root, _p("IssueDate"), format_date(doc.issue_date))
    add_coded_name(root, _p("Issuer"), doc.issuer)
    holder = sub(root, _p("Holder"))
    sub(holder, _p("IinBin"), doc.holder.identifier)
    sub(holder, _p("Name"), doc.holder.name)
    if doc.holder.address:
        sub(holder, _p("Address"), doc.holder.address)
    if doc.licence_number:
        sub(root, _p("LicenceNumber"), doc.licence_number)
    if doc.appendix_number is not None:
        sub(root, _p("AppendixNumber"), str(doc.appendix_number))
    if doc.restored:
        sub(root, _p("Restored"), format_bool(True))
    if doc.activity is not None:
        add_coded_name(root, _p("Activity"), doc.activity)
    for item in doc.subactivities:
        add_coded_name(root, _p("Subactivity"), item)
    for name, value in (("Territory", doc.territory), ("ObjectName", doc.object_name),
                        ("ObjectAddress", doc.object_address)):
        if value:
            sub(root, _p(name), value)
    if doc.valid_from:
        sub(root, _p("ValidFrom"), format_date(doc.valid_from))
    if doc.valid_to:
        sub(root, _p("ValidTo"), format_date(doc.valid_to))
    for allocation in doc.allocations:
        element = sub(root, _p("Allocation"))
        sub(element, _p("Territory"), allocation.territory)
        if allocation.area_code:
            sub(element, _p("AreaCode"), allocation.area_code)
        sub(element, _p("First"), str(allocation.first))
        sub(element, _p("Last"), str(allocation.last))
    if doc.positive is not None:
        sub(root, _p("Positive"), format_bool(doc.positive))
    for ground in doc.grounds:
        sub(root, _p("Ground"), ground)
    basis = sub(root, _p("Basis"))
    sub(basis, _p("RegistrationNumber"), doc.basis.registration_number)
    sub(basis, _p("RegistrationDate"), format_date(doc.basis.registration_date))
    sub(basis, _p("SenderDocumentId"), doc.basis.sender_document_id)
    signer = sub(root, _p("Signer"))
    sub(signer, _p("Name"), doc.signer.name)
    sub(signer, _p("Position"), doc.signer.position)
    return root


def permit_bytes(doc: IssuedDocument) -> bytes:
    return to_bytes(build_permit(doc))


def read_permit(root: etree._Element, *, schemas: SchemaSet | None = None,
                validated: bool = False) -> IssuedDocument:
    """The issued document ``root`` holds (its signature already removed)."""
    family = family_of(root) if validated else validate(root, schemas=schemas)
    if family is not Family.PERMIT:
        raise SchemaViolation(f"expected an issued document, got <{family.root}>",
                              rule="permit-family", line=root.sourceline)

    def optional(name: str) -> str | None:
        found = root.find(_p(name))
        return full_text(found) if found is not None else None

    def optional_date(name: str) -> date | None:
        found = root.find(_p(name))
        return parse_date(found) if found is not None else None

    holder = child(root, _p("Holder"))
    holder_address = holder.find(_p("Address"))
    basis = child(root, _p("Basis"))
    signer = child(root, _p("Signer"))
    activity = root.find(_p("Activity"))
    appendix = optional("AppendixNumber")
    positive = optional("Positive")
    return IssuedDocument(
        permit_id=text(root, _p("PermitId")),
        kind=IssuedKind(text(root, _p("Kind"))),
        number=text(root, _p("Number")),
        version=int(text(root, _p("Version"))),
        issue_date=parse_date(child(root, _p("IssueDate"))),
        issuer=read_coded_name(child(root, _p("Issuer"))),
        holder=Holder(identifier=text(holder, _p("IinBin")), name=text(holder, _p("Name")),
                      address=full_text(holder_address) if holder_address is not None
                      else None),
        licence_number=optional("LicenceNumber"),
        appendix_number=int(appendix) if appendix is not None else None,
        restored=optional("Restored") in ("true", "1"),
        activity=read_coded_name(activity) if activity is not None else None,
        subactivities=tuple(read_coded_name(e) for e in root.iterfind(_p("Subactivity"))),
        territory=optional("Territory"),
        object_name=optional("ObjectName"),
        object_address=optional("ObjectAddress"),
        valid_from=optional_date("ValidFrom"),
        valid_to=optional_date("ValidTo"),
        allocations=tuple(_read_allocation(e) for e in root.iterfind(_p("Allocation"))),
        positive=positive in ("true", "1") if positive is not None else None,
        grounds=tuple(full_text(g) for g in root.iterfind(_p("Ground"))),
        basis=Basis(registration_number=text(basis, _p("RegistrationNumber")),
                    registration_date=parse_date(child(basis, _p("RegistrationDate"))),
                    sender_document_id=text(basis, _p("SenderDocumentId"))),
        signer=Signer(name=text(signer, _p("Name")), position=text(signer, _p("Position"))),
    )


def _read_allocation(element: etree._Element) -> Allocation:
    code = element.find(_p("AreaCode"))
    return Allocation(territory=text(element, _p("Territory")),
                      area_code=full_text(code) if code is not None else None,
                      first=int(text(element, _p("First"))), last=int(text(element, _p("Last"))))
