"""Realistic sample documents of every kind, for the portal simulator, the demo and tests.

``sample_document(kind, seed=n)`` always gives the same document for the same kind and
seed: names in Kazakh and Russian, valid IINs and BINs, small attachments. Override any
field of :class:`IncomingDocument` by keyword (``recipient=...``, ``sent_at=...``) to aim
a sample at our body or to make it faulty on purpose.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from app.formats import regions
from app.formats.choices import (
    AppealType,
    ApplicationKind,
    Language,
    LicenceCategory,
    ReissueReason,
    SanitaryProcedure,
)
from app.formats.identifiers import make_bin, make_iin
from app.formats.model import (
    Address,
    AppealDetails,
    ApplicantStatus,
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
    NumberingTerritory,
    Payment,
    PersonName,
    SanitaryRequest,
)
from qujat_demo import sample_data as data

__all__ = ["SAMPLE_KINDS", "sample_document"]

#: Astana's offset since 2024; a fixed offset keeps samples independent of the tz database
ASTANA = timezone(timedelta(hours=5))
_EPOCH = datetime(2025, 1, 9, 9, 0, tzinfo=ASTANA)


class _Draw:
    """The random choices of one sample, in its language."""

    def __init__(self, rng: random.Random, language: Language | None = None):
        self.rng = rng
        self.language = language or rng.choice((Language.RU, Language.KK))
        self.sent_at = _EPOCH + timedelta(
            days=rng.randrange(300), minutes=rng.randrange(9 * 60), seconds=rng.randrange(60)
        )
        self.person = rng.choice(data.PEOPLE)
        self.place = rng.choice(data.PLACES)

    def pick(self, ru: str, kk: str) -> str:
        return kk if self.language is Language.KK else ru

    def entry(self, entry: data.Entry) -> CodedName:
        return CodedName(code=entry.code, name=self.pick(entry.ru, entry.kk))

    def iin(self, person: data.Person) -> str:
        born = date(1955, 1, 1) + timedelta(days=self.rng.randrange(50 * 365))
        return make_iin(birth_date=born, female=person.female, serial=self.rng.randrange(10000))

    def individual(self) -> Author:
        person = self.person
        return Author.individual(
            iin=self.iin(person), surname=person.surname, name=person.name,
            patronymic=person.patronymic,
        )

    def legal_entity(self) -> Author:
        company = self.rng.choice(data.COMPANIES)
        registered = date(1998, 1, 1) + timedelta(days=self.rng.randrange(25 * 365))
        representative = self.person
        position = self.rng.choice(data.POSITIONS)
        return Author.legal_entity(
            bin=make_bin(registered=registered, serial=self.rng.randrange(100000)),
            name=self.pick(company.name_ru, company.name_kk),
            representative=PersonName(
                surname=representative.surname, name=representative.name,
                patronymic=representative.patronymic,
            ),
            position=self.pick(*position),
            representative_iin=self.iin(representative),
        )

    def contacts(self, author: Author, *, email: bool) -> Contacts:
        place, rng = self.place, self.rng
        kazakh_only = self.language is Language.KK and rng.random() < 0.3
        mobile = (f"+7 7{rng.choice(('01', '02', '05', '07', '47', '71', '77'))} "
                  f"{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}")
        phones = [mobile]
        faxes: tuple[str, ...] = ()
        if author.organisation:
            phones.append(f"8 (7172) {rng.randint(20, 79)}-{rng.randint(10, 99)}-"
                          f"{rng.randint(10, 99)}")
            if rng.random() < 0.5:
                faxes = (f"8 (7172) {rng.randint(20, 79)}-{rng.randint(10, 99)}-00",)
        domain = "mail.kz" if not author.organisation else self.rng.choice(data.COMPANIES).latin
        return Contacts(
            address=Address(
                region=(self.pick(place.region_ru, place.region_kk)
                        if place.region_ru and place.region_kk else None),
                city=self.pick(place.city_ru, place.city_kk),
                postcode=place.postcode,
                street_ru=None if kazakh_only else place.street_ru,
                street_kk=place.street_kk if self.language is Language.KK or rng.random() < 0.5
                else None,
                house=str(rng.randint(1, 150)),
                flat=str(rng.randint(1, 300)) if rng.random() < 0.6 else None,
            ),
            phones=tuple(phones),
            faxes=faxes,
            email=f"{self.person.latin}@{domain}" if email else None,
        )

    def licence(self, *, with_series: bool = False) -> LicenceRef:
        issued = self.sent_at.date() - timedelta(days=self.rng.randrange(200, 3000))
        if with_series and self.rng.random() < 0.7:
            return LicenceRef(series=self.rng.choice(("АБ", "ГЛ", "15")), issue_date=issued,
                              number=f"{self.rng.randrange(10**6):07d}")
        return LicenceRef(
            number=f"{self.rng.choice(('LAA', 'LAB', 'LEB'))}{self.rng.randrange(10**8):08d}",
            issue_date=issued,
        )

    def pdf(self, *, file_name: str, title_ru: str, title_kk: str, line: str) -> Attachment:
        return Attachment.of(file_name=file_name, media_type="application/pdf",
                             content=_tiny_pdf(line), title=self.pick(title_ru, title_kk))


def _tiny_pdf(line: str) -> bytes:
    """A one-page PDF a viewer opens, with one line of (ASCII) text."""
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 770 Td ({escaped}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _sender_id(draw: _Draw, prefix: str) -> str:
    return f"{prefix}-{draw.sent_at:%Y}-{draw.rng.randrange(10**8):08d}"


def _elicense_id(draw: _Draw) -> str:
    # elicense numbers applications like KZ19RFB00000009
    letters = draw.rng.choice(("RFB", "RPR", "RDA", "RLA"))
    return f"KZ{draw.rng.randint(10, 99)}{letters}{draw.rng.randrange(10**8):08d}"


def _appeal(draw: _Draw, *, legal: bool) -> IncomingDocument:
    author = draw.legal_entity() if legal else draw.individual()
    contacts = draw.contacts(author, email=draw.rng.random() < 0.7)
    if legal:
        appeal_type = draw.rng.choice((AppealType.STATEMENT, AppealType.INQUIRY))
        ru, kk = data.LEGAL_APPEAL_TEXT
    else:
        appeal_type = draw.rng.choice(tuple(AppealType))
        ru, kk = data.APPEAL_TEXTS[appeal_type.value]
    short_content, template = kk if draw.language is Language.KK else ru
    street = contacts.address.street_ru or contacts.address.street_kk
    text = template.format(street=street, house=contacts.address.house)
    attachments: tuple[Attachment, ...] = ()
    if draw.rng.random() < 0.7:
        attachments = (
            draw.pdf(file_name="приложение.pdf", title_ru="Приложение к обращению",
                     title_kk="Өтінішке қосымша", line=f"Appeal annex, {author.identifier}"),
            Attachment.of(file_name="мәтін.txt", media_type="text/plain", content=(
                f"{short_content}\n\n{text}\n\n{author.display_name}\n").encode()),
        )[: draw.rng.randint(1, 2)]
    return IncomingDocument(
        sender_system="EGOV",
        sender_document_id=_sender_id(draw, "ЗТ" if legal else "ЖТ"),
        sent_at=draw.sent_at,
        recipient=draw.entry(draw.rng.choice(data.APPEAL_BODIES)),
        language=draw.language,
        author=author,
        contacts=contacts,
        details=AppealDetails(appeal_type=appeal_type),
        short_content=short_content,
        text=text,
        attachments=attachments,
        assisted_by_service_centre=draw.rng.random() < 0.2,
    )


def _elicense(draw: _Draw, kind: ApplicationKind) -> IncomingDocument:
    rng = draw.rng
    author = draw.legal_entity() if rng.random() < 0.5 else draw.individual()
    applicant = ApplicantStatus(
        small_business=rng.random() < 0.6,
        sole_proprietor=author.organisation is None and rng.random() < 0.5,
    )
    attachments = [draw.pdf(
        file_name="kvitanciya.pdf", title_ru="Квитанция об оплате лицензионного сбора",
        title_kk="Лицензиялық алымды төлегені туралы түбіртек", line="Payment receipt",
    )]
    if kind is ApplicationKind.NUMBERING_PERMIT:
        recipient = draw.entry(data.TELECOM_COMMITTEE)
        territories = rng.sample(data.NUMBERING_TERRITORIES, rng.randint(1, 3))
        details: Any = NumberingPermit(
            resource=draw.entry(data.NUMBERING_RESOURCE),
            territories=tuple(
                NumberingTerritory(name=draw.pick(ru, kk), area_code=code,
                                   count=rng.choice((100, 500, 1000, 10000)))
                for ru, kk, code in territories
            ),
        )
        subject = details.resource.name
        attachments = [draw.pdf(
            file_name="zayavlenie.pdf", title_ru="Заявление установленного образца",
            title_kk="Белгіленген үлгідегі өтініш", line="Application form",
        )]
    else:
        catalogue = rng.choice(data.LICENSED_ACTIVITIES)
        recipient = draw.entry(catalogue.licensor)
        activity = draw.entry(catalogue.activity)
        subactivities = tuple(draw.entry(s) for s in catalogue.subactivities[
            : rng.randint(1, len(catalogue.subactivities))])
        subject = activity.name
        if kind is ApplicationKind.LICENCE_NEW:
            territory = draw.pick("Республика Казахстан", "Қазақстан Республикасы")
            details = LicenceNew(activity=activity, subactivities=subactivities,
                                 territory=territory)
        elif kind is ApplicationKind.LICENCE_APPENDIX:
            details = LicenceAppendix(licence=draw.licence(), activity=activity,
                                      subactivities=subactivities)
        elif kind is ApplicationKind.LICENCE_REISSUE:
            reason = rng.choice((ReissueReason.NAME_CHANGE, ReissueReason.ADDRESS_CHANGE,
                                 ReissueReason.REORGANISATION))
            details = LicenceReissue(licence=draw.licence(), activity=activity, reason=reason,
                                     reason_text=reason.label_in(draw.language.value))
            attachments.append(draw.pdf(
                file_name="izmeneniya.pdf", title_ru="Документ, подтверждающий изменения",
                title_kk="Өзгерістерді растайтын құжат", line="Proof of change",
            ))
        else:
            details = LicenceRestore(
                category=rng.choice(tuple(LicenceCategory)),
                licence=draw.licence(with_series=True),
                activity=activity if rng.random() < 0.5 else None,
            )
            # seed 000: a copy of the licence is the one document restoration requires
            attachments = [draw.pdf(file_name="kopiya-licenzii.pdf", title_ru="Копия лицензии",
                                    title_kk="Лицензияның көшірмесі", line="Licence copy")]
    document = IncomingDocument(
        sender_system="ELICENSE",
        sender_document_id=_elicense_id(draw),
        sent_at=draw.sent_at,
        recipient=recipient,
        language=draw.language,
        author=author,
        contacts=draw.contacts(author, email=rng.random() < 0.8),
        details=details,
        applicant=applicant,
        short_content=f"{kind.label_in(draw.language.value)}: {subject}",
        attachments=tuple(attachments),
    )
    return _as_elicense_form_fills(draw, document, paid=kind in _PAID_KINDS)


#: the procedures whose licence fee elicense asks to pay (seed 002's permit is free)
_PAID_KINDS = (ApplicationKind.LICENCE_NEW, ApplicationKind.LICENCE_APPENDIX,
               ApplicationKind.LICENCE_REISSUE)


def _as_elicense_form_fills(
    draw: _Draw, document: IncomingDocument, *, paid: bool
) -> IncomingDocument:
    """What elicense's pages add as a citizen fills them (drawn last, so the draws above
    give every earlier sample unchanged): the house index (seeds 000, 002), the
    representative's address (seed 002), the payment page with the receipt (seed 001)."""
    rng = draw.rng
    address = document.contacts.address
    if rng.random() < 0.5:
        address = dataclasses.replace(address, house_index=str(rng.randint(1, 9)))
    author = document.author
    if author.organisation and rng.random() < 0.7:
        author = dataclasses.replace(author, representative_address=(
            f"{address.city}, {address.street}, {rng.randint(1, 150)}"))
    payment = None
    receipt = next((a for a in document.attachments if a.file_name == "kvitanciya.pdf"), None)
    if paid and receipt is not None:
        payment = Payment(
            amount=rng.choice((Decimal("3932.00"), Decimal("19660.00"), Decimal("39320.00"))),
            date=draw.sent_at.date() - timedelta(days=rng.randint(0, 5)),
            document_number=f"{rng.randrange(10**9):09d}",
            receipt=receipt.file_name,
        )
    return dataclasses.replace(
        document, author=author, payment=payment,
        contacts=dataclasses.replace(document.contacts, address=address))


def _appeal_one_line(draw: _Draw) -> IncomingDocument:
    """An appeal as egov.kz's form takes it (seed 004): the postal address typed in one
    line, no phone (the form does not require one)."""
    document = _appeal(draw, legal=False)
    address = document.contacts.address
    flat = f", {draw.pick('кв.', 'пәтер')} {address.flat}" if address.flat else ""
    line = f"{address.city}, {address.street} {address.house}{flat}"
    return dataclasses.replace(document, contacts=Contacts(
        address=Address.one_line(line), email=document.contacts.email))


def _sanitary(draw: _Draw, procedure: SanitaryProcedure) -> IncomingDocument:
    rng = draw.rng
    region = rng.choice(data.SANITARY_REGIONS)
    objects = (data.NOTIFICATION_OBJECTS if procedure is SanitaryProcedure.NOTIFICATION
               else data.INSPECTION_OBJECTS)
    chosen = rng.choice(objects)
    author = draw.legal_entity() if rng.random() < 0.5 else draw.individual()
    details = SanitaryRequest(
        procedure=procedure,
        region=draw.pick(*region.region),
        district=draw.pick(*rng.choice(region.districts)),
        object_name=draw.pick(chosen.name_ru, chosen.name_kk),
        object_address=f"{draw.pick(*region.street)}, {rng.randint(1, 200)}",
        activity=draw.entry(chosen.activity),
        readiness_date=draw.sent_at.date() + timedelta(days=rng.randint(3, 30)),
        staff_count=rng.randint(1, 40),
    )
    # InfoKazakhstan picks both from its lists, so it knows their codes (seed 003)
    region_code, district_code = regions.locate(region_name=details.region,
                                                district_name=details.district)
    details = dataclasses.replace(details, region_code=region_code, district_code=district_code)
    return IncomingDocument(
        sender_system="INFOKAZAKHSTAN",
        sender_document_id=f"IK-{draw.sent_at:%Y%m%d}-{rng.randrange(10**6):06d}",
        sent_at=draw.sent_at,
        recipient=draw.entry(region.body),
        language=draw.language,
        author=author,
        # InfoKazakhstan sends its notices by e-mail, so the address is mandatory there
        contacts=draw.contacts(author, email=True),
        details=details,
        short_content=f"{details.subtype.label_in(draw.language.value)}: {details.object_name}",
    )


_BUILDERS: dict[str, Callable[[_Draw], IncomingDocument]] = {
    "appeal": lambda draw: _appeal(draw, legal=False),
    "appeal-legal": lambda draw: _appeal(draw, legal=True),
    "appeal-one-line": _appeal_one_line,
    "licence-new": lambda draw: _elicense(draw, ApplicationKind.LICENCE_NEW),
    "licence-appendix": lambda draw: _elicense(draw, ApplicationKind.LICENCE_APPENDIX),
    "licence-reissue": lambda draw: _elicense(draw, ApplicationKind.LICENCE_REISSUE),
    "licence-restore": lambda draw: _elicense(draw, ApplicationKind.LICENCE_RESTORE),
    "numbering-permit": lambda draw: _elicense(draw, ApplicationKind.NUMBERING_PERMIT),
    "sanitary-notification": lambda draw: _sanitary(draw, SanitaryProcedure.NOTIFICATION),
    "inspection-request": lambda draw: _sanitary(draw, SanitaryProcedure.INSPECTION),
}

#: every kind :func:`sample_document` knows, in the order a menu would list them
SAMPLE_KINDS: tuple[str, ...] = tuple(_BUILDERS)


def sample_document(
    kind: str, *, seed: int, language: Language | None = None, **overrides: Any
) -> IncomingDocument:
    """A sample document of ``kind`` (one of :data:`SAMPLE_KINDS`), the same for the same
    seed. ``language`` fixes the language (else the seed picks); ``overrides`` replace
    fields of the result, e.g. ``recipient=CodedName(code=..., name=...)``."""
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"unknown sample kind {kind!r}; known: {', '.join(SAMPLE_KINDS)}")
    draw = _Draw(random.Random(f"qujat:{kind}:{seed}"), language)
    document = builder(draw)
    return dataclasses.replace(document, **overrides) if overrides else document
