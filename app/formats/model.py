"""The exchange documents as frozen values: what an incoming document, a status mark and a
response letter say, independent of XML.

Invariants that tie fields together (a kind and the details it needs) are checked on
construction and raise :class:`FormatError`, so a value that exists is a coherent one.
Identifier check digits and attachment hashes are *not* checked here: the portal simulator
must be able to build a faulty document to show how we refuse it; read.py checks them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from app.formats.choices import (
    AppealType,
    ApplicationKind,
    AuthorKind,
    DocumentKind,
    ExecutionDecision,
    Language,
    LicenceCategory,
    MarkKind,
    Outcome,
    RefusalReason,
    ReissueReason,
    SanitaryProcedure,
)
from app.formats.errors import FormatError

#: the portals' limit on the attachments of one document, decoded (elicense: "30 Мб")
MAX_ATTACHMENTS_BYTES = 30 * 1024 * 1024


def _require(condition: bool, message: str, *, rule: str, field: str = "") -> None:
    if not condition:
        raise FormatError(message, rule=rule, field=field)


def _require_aware(moment: datetime, *, field: str) -> None:
    _require(
        moment.tzinfo is not None and moment.utcoffset() is not None,
        f"{field} must carry a UTC offset", rule="timestamp-offset", field=field,
    )


# ----- parties -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CodedName:
    """A catalogue entry: a state body, a licensed activity, a numbering resource."""

    code: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonName:
    surname: str
    name: str
    patronymic: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    """Who filed the document: an individual, or a legal entity through its representative.

    ``person`` is the individual, or the representative; ``iin`` is the individual's (or,
    optionally, the representative's); ``bin``, ``organisation``, ``position`` and
    ``representative_address`` belong to legal entities only. Build one with
    :meth:`individual` or :meth:`legal_entity`.
    """

    kind: AuthorKind
    person: PersonName
    iin: str | None = None
    bin: str | None = None
    organisation: str | None = None
    position: str | None = None
    #: the representative's address, one free line as elicense asks it (seed 002)
    representative_address: str | None = None

    def __post_init__(self) -> None:
        if self.kind is AuthorKind.INDIVIDUAL:
            _require(self.iin is not None, "an individual author needs an IIN",
                     rule="author-individual", field="Author/Individual/Iin")
            _require(self.bin is None and self.organisation is None and self.position is None
                     and self.representative_address is None,
                     "an individual author has no BIN, organisation, position or representative",
                     rule="author-individual", field="Author/Individual")
        else:
            _require(self.bin is not None and bool(self.organisation),
                     "a legal-entity author needs a BIN and a name",
                     rule="author-legal-entity", field="Author/LegalEntity")

    @classmethod
    def individual(
        cls, *, iin: str, surname: str, name: str, patronymic: str | None = None
    ) -> Author:
        return cls(
            kind=AuthorKind.INDIVIDUAL,
            person=PersonName(surname=surname, name=name, patronymic=patronymic),
            iin=iin,
        )

    @classmethod
    def legal_entity(
        cls,
        *,
        bin: str,
        name: str,
        representative: PersonName,
        position: str | None = None,
        representative_iin: str | None = None,
        representative_address: str | None = None,
    ) -> Author:
        return cls(
            kind=AuthorKind.LEGAL_ENTITY, person=representative, iin=representative_iin,
            bin=bin, organisation=name, position=position,
            representative_address=representative_address,
        )

    @property
    def identifier(self) -> str:
        """The IIN of an individual, the BIN of a legal entity: whom the signer must match."""
        value = self.bin if self.kind is AuthorKind.LEGAL_ENTITY else self.iin
        return value or ""  # never empty: __post_init__ requires it

    @property
    def display_name(self) -> str:
        return self.organisation or self.person.full_name


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """A postal address: the parts elicense asks for (city, postcode, street, house, …), or
    the one line egov.kz's appeal form takes (``line``, seed 004), never both."""

    city: str | None = None
    postcode: str | None = None
    house: str | None = None
    street_ru: str | None = None
    street_kk: str | None = None
    region: str | None = None
    #: elicense's "Индекс дома" (seeds 000, 002), optional
    house_index: str | None = None
    flat: str | None = None
    #: the whole address as one line, as the citizen typed it
    line: str | None = None

    def __post_init__(self) -> None:
        parts = (self.city, self.postcode, self.house, self.street_ru, self.street_kk,
                 self.region, self.house_index, self.flat)
        if self.line is not None:
            _require(all(part is None for part in parts),
                     "a one-line address has no separate parts",
                     rule="address-line", field="Contacts/Address/Line")
            return
        _require(bool(self.city and self.postcode and self.house),
                 "an address needs a city, a postcode and a house, or one line",
                 rule="address-parts", field="Contacts/Address")
        _require(bool(self.street_ru or self.street_kk), "an address needs a street (ru or kk)",
                 rule="address-street", field="Contacts/Address")

    @classmethod
    def one_line(cls, line: str) -> Address:
        return cls(line=line)

    @property
    def street(self) -> str | None:
        return self.street_ru or self.street_kk

    @property
    def display(self) -> str:
        """The address as one line, whichever way it was given."""
        if self.line is not None:
            return self.line
        return ", ".join(part for part in (
            self.postcode, self.region, self.city, self.street, self.house,
            self.house_index, self.flat) if part)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contacts:
    """How to reach the author. The phone is optional on the appeal form (seed 004); an
    application needs one (:class:`IncomingDocument` checks it)."""

    address: Address
    phones: tuple[str, ...] = ()
    faxes: tuple[str, ...] = ()
    email: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file sent with a document. ``sha256`` is what the sender *declared*; read.py
    refuses a document whose declaration does not match the content."""

    file_name: str
    media_type: str
    sha256: str
    content: bytes = field(repr=False)
    title: str | None = None

    @classmethod
    def of(
        cls, *, file_name: str, media_type: str, content: bytes, title: str | None = None
    ) -> Attachment:
        """An attachment whose hash is computed from its content."""
        return cls(
            file_name=file_name, media_type=media_type, content=content, title=title,
            sha256=hashlib.sha256(content).hexdigest(),
        )

    @property
    def size(self) -> int:
        return len(self.content)


# ----- what the document is about ---------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealDetails:
    appeal_type: AppealType

    @property
    def subtype(self) -> AppealType:
        return self.appeal_type


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicantStatus:
    """What elicense asks of every applicant."""

    small_business: bool
    sole_proprietor: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """elicense's "Payment information" (seed 001): the fee paid, when, the payment
    document's number, and the file name of the scanned receipt among the attachments."""

    amount: Decimal
    date: date
    document_number: str
    #: the file name of the attachment that is the scanned receipt
    receipt: str | None = None

    def __post_init__(self) -> None:
        _require(self.amount >= 0 and self.amount == self.amount.quantize(Decimal("0.01")),
                 "a payment amount is not negative and has at most two decimals",
                 rule="payment-amount", field="Payment/Amount")


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenceRef:
    """An existing licence, as printed on it."""

    number: str
    issue_date: date
    series: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenceNew:
    activity: CodedName
    subactivities: tuple[CodedName, ...] = ()
    territory: str | None = None
    subtype: ClassVar[ApplicationKind] = ApplicationKind.LICENCE_NEW


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenceAppendix:
    licence: LicenceRef
    activity: CodedName
    subactivities: tuple[CodedName, ...] = ()
    territory: str | None = None
    subtype: ClassVar[ApplicationKind] = ApplicationKind.LICENCE_APPENDIX


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenceReissue:
    licence: LicenceRef
    activity: CodedName
    reason: ReissueReason
    reason_text: str | None = None
    subtype: ClassVar[ApplicationKind] = ApplicationKind.LICENCE_REISSUE


@dataclass(frozen=True, slots=True, kw_only=True)
class LicenceRestore:
    category: LicenceCategory
    licence: LicenceRef
    activity: CodedName | None = None
    subtype: ClassVar[ApplicationKind] = ApplicationKind.LICENCE_RESTORE


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberingTerritory:
    name: str
    count: int
    #: the long-distance code shown next to the territory, e.g. "727" or "717-2"
    area_code: str | None = None

    def __post_init__(self) -> None:
        _require(self.count > 0, f"number count for {self.name} must be positive",
                 rule="numbering-count", field="NumberingPermit/Territory/Count")


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberingPermit:
    resource: CodedName
    territories: tuple[NumberingTerritory, ...]
    subtype: ClassVar[ApplicationKind] = ApplicationKind.NUMBERING_PERMIT

    def __post_init__(self) -> None:
        _require(len(self.territories) >= 1, "a numbering permit needs at least one territory",
                 rule="numbering-territory", field="NumberingPermit/Territory")


@dataclass(frozen=True, slots=True, kw_only=True)
class SanitaryRequest:
    """An InfoKazakhstan application: the activity kind decides whether the object may start
    on notification or must be inspected first; the form is the same."""

    procedure: SanitaryProcedure
    region: str
    district: str
    object_name: str
    object_address: str
    #: exactly one: the portal does not allow more than one activity kind
    activity: CodedName
    #: the date the object is ready for inspection: the inspection queue's order (seed 003)
    readiness_date: date
    staff_count: int
    #: the codes of InfoKazakhstan's region and district lists, when the portal sends them
    region_code: str | None = None
    district_code: str | None = None

    def __post_init__(self) -> None:
        _require(self.staff_count >= 0, "staff count cannot be negative",
                 rule="staff-count", field="StaffCount")

    @property
    def subtype(self) -> ApplicationKind:
        if self.procedure is SanitaryProcedure.NOTIFICATION:
            return ApplicationKind.SANITARY_NOTIFICATION
        return ApplicationKind.INSPECTION_REQUEST


ElicenseDetails = LicenceNew | LicenceAppendix | LicenceReissue | LicenceRestore | NumberingPermit
ApplicationDetails = ElicenseDetails | SanitaryRequest
Details = AppealDetails | ApplicationDetails
ELICENSE_DETAILS = (LicenceNew, LicenceAppendix, LicenceReissue, LicenceRestore, NumberingPermit)


# ----- the incoming document --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """Who sent a document to whom, and when: enough to route and deduplicate it before
    its signature is verified. The same fields are on :class:`IncomingDocument`."""

    sender_system: str
    sender_document_id: str
    sent_at: datetime
    recipient: CodedName
    language: Language
    assisted_by_service_centre: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.sent_at, field="Envelope/SentAt")


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingDocument:
    """An appeal or an application as a portal sends it, before we register it."""

    #: the sending information system, e.g. "EGOV", "ELICENSE", "INFOKAZAKHSTAN"
    sender_system: str
    #: the id the sender gave the document, e.g. elicense's "KZ19RFB00000009"
    sender_document_id: str
    sent_at: datetime
    recipient: CodedName
    language: Language
    author: Author
    contacts: Contacts
    details: Details
    short_content: str
    #: elicense applications only: small business? sole proprietor?
    applicant: ApplicantStatus | None = None
    #: elicense applications only: the fee paid (seed 001)
    payment: Payment | None = None
    text: str | None = None
    attachments: tuple[Attachment, ...] = ()
    #: filed with the help of a Public Service Center (ЦОН) employee
    assisted_by_service_centre: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.sent_at, field="Envelope/SentAt")
        is_elicense = isinstance(self.details, ELICENSE_DETAILS)
        _require((self.applicant is not None) == is_elicense,
                 "the applicant block belongs to elicense applications, and only to them",
                 rule="elicense-applicant", field="Applicant")
        _require(self.payment is None or is_elicense,
                 "the payment block belongs to elicense applications",
                 rule="elicense-payment", field="Payment")
        if self.payment is not None and self.payment.receipt is not None:
            _require(any(a.file_name == self.payment.receipt for a in self.attachments),
                     f"the payment receipt {self.payment.receipt!r} is not among the attachments",
                     rule="payment-receipt", field="Payment/Receipt")
        if not isinstance(self.details, AppealDetails):
            _require(len(self.contacts.phones) >= 1,
                     "an application needs at least one phone number",
                     rule="contacts-phone", field="Contacts/Phone")
        if self.applicant is not None and self.applicant.sole_proprietor:
            _require(self.author.kind is AuthorKind.INDIVIDUAL,
                     "a sole proprietor files as an individual, with an IIN",
                     rule="sole-proprietor-individual", field="Applicant/SoleProprietor")
        if isinstance(self.details, AppealDetails):
            _require(bool(self.text), "an appeal needs its text", rule="appeal-text",
                     field="Text")

    @property
    def envelope(self) -> Envelope:
        return Envelope(
            sender_system=self.sender_system, sender_document_id=self.sender_document_id,
            sent_at=self.sent_at, recipient=self.recipient, language=self.language,
            assisted_by_service_centre=self.assisted_by_service_centre,
        )

    @property
    def kind(self) -> DocumentKind:
        if isinstance(self.details, AppealDetails):
            return DocumentKind.APPEAL
        return DocumentKind.APPLICATION

    @property
    def subtype(self) -> AppealType | ApplicationKind:
        return self.details.subtype

    @property
    def attachments_size(self) -> int:
        return sum(attachment.size for attachment in self.attachments)


# ----- what we send back ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRef:
    """The incoming document a status mark is about."""

    our_id: str
    sender_system: str
    sender_document_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    number: str
    date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    reason: RefusalReason
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingRef:
    """The response letter a LETTER mark announces."""

    number: str
    date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class Extension:
    """What an EXTENDED mark tells the author: the deadline the head's reasoned decision
    set, and its reason."""

    due: date
    reason: str


#: which detail field each mark kind needs; every other detail field must be empty
_MARK_DETAIL = {
    MarkKind.REGISTERED: "registration",
    MarkKind.REFUSED: "refusal",
    MarkKind.LETTER: "letter",
    MarkKind.REDIRECTED: "redirected_to",
    MarkKind.LEFT_WITHOUT_CONSIDERATION: "reason_text",
    MarkKind.EXTENDED: "extension",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusMark:
    #: our id of this mark, so the portal can ignore a mark delivered twice
    mark_id: str
    #: the state body that sends the mark
    issuer: CodedName
    document: DocumentRef
    kind: MarkKind
    at: datetime
    registration: Registration | None = None
    refusal: Refusal | None = None
    letter: OutgoingRef | None = None
    redirected_to: CodedName | None = None
    #: why the document is left without consideration
    reason_text: str | None = None
    #: the new deadline of an EXTENDED mark and why
    extension: Extension | None = None
    comment: str | None = None
    #: EXECUTED only, optional: what was decided, and the number of what was issued
    decision: ExecutionDecision | None = None
    issued_number: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.at, field="At")
        _require(self.kind is MarkKind.EXECUTED
                 or (self.decision is None and self.issued_number is None),
                 f"a {self.kind.value} mark has no decision", rule="mark-details",
                 field="Executed/Decision")
        needed = _MARK_DETAIL.get(self.kind)
        for name in set(_MARK_DETAIL.values()):
            present = getattr(self, name) is not None
            if name == needed:
                _require(present, f"a {self.kind.value} mark needs {name}",
                         rule="mark-details", field=name)
            else:
                _require(not present, f"a {self.kind.value} mark has no {name}",
                         rule="mark-details", field=name)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyRef:
    """The incoming document a response letter answers."""

    registration_number: str
    registration_date: date
    sender_system: str
    sender_document_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedLicence:
    number: str
    issue_date: date


#: outcomes whose letter names what was issued (the licence itself has :class:`IssuedLicence`)
ISSUING_OUTCOMES = frozenset({
    Outcome.APPENDIX_ISSUED, Outcome.LICENCE_REISSUED, Outcome.DATA_RESTORED,
    Outcome.PERMIT_ISSUED, Outcome.NOTIFICATION_ACCEPTED, Outcome.CONCLUSION_POSITIVE,
    Outcome.CONCLUSION_NEGATIVE,
})
#: outcomes that must name their grounds
GROUNDED_OUTCOMES = frozenset({Outcome.LICENCE_REFUSED, Outcome.CONCLUSION_NEGATIVE})


@dataclass(frozen=True, slots=True, kw_only=True)
class Issued:
    """What a non-licence decision produced: an appendix, a re-issued licence, restored
    data, a permit, a notification's acknowledgement (талон), a sanitary conclusion."""

    #: its own number: the appendix's, the permit's, the талон's, the conclusion's
    number: str
    issue_date: date
    #: the licence it belongs to (appendix, re-issue, restoration)
    licence_number: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Signer:
    name: str
    position: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseLetter:
    letter_id: str
    issuer: CodedName
    in_reply_to: ReplyRef
    outgoing_number: str
    outgoing_date: date
    outcome: Outcome
    language: Language
    text: str
    signer: Signer
    #: LICENCE_ISSUED only
    issued_licence: IssuedLicence | None = None
    #: LICENCE_REFUSED and CONCLUSION_NEGATIVE only, at least one
    refusal_grounds: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    #: the outcomes of ISSUING_OUTCOMES only: what was issued
    issued: Issued | None = None

    def __post_init__(self) -> None:
        issued = self.outcome is Outcome.LICENCE_ISSUED
        _require((self.issued_licence is not None) == issued,
                 "the issued licence goes with the outcome licence_issued, and only with it",
                 rule="letter-outcome", field="Outcome/LicenceIssued")
        refused = self.outcome in GROUNDED_OUTCOMES
        _require(bool(self.refusal_grounds) == refused,
                 "grounds go with a refusal or a negative conclusion, and only with them",
                 rule="letter-outcome", field="Outcome/Ground")
        _require((self.issued is not None) == (self.outcome in ISSUING_OUTCOMES),
                 "what was issued goes with an issuing outcome, and only with it",
                 rule="letter-outcome", field="Outcome/Issued")
