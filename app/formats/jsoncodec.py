"""Incoming documents as plain JSON, for ``qujat portal build --json FILE`` and fixtures.

The JSON mirrors the model field by field (dates ISO 8601, enums by value, attachment
content base64). For hand-written files an attachment may give ``content_text`` (UTF-8)
instead of ``content_base64``, and may leave out ``sha256`` to have it computed; a
``sha256`` that is given is kept as is, so a file can describe a forged attachment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.formats.build import format_amount
from app.formats.choices import (
    AppealType,
    ApplicationKind,
    AuthorKind,
    Language,
    LicenceCategory,
    ReissueReason,
    SanitaryProcedure,
)
from app.formats.errors import FormatError
from app.formats.model import (
    Address,
    AppealDetails,
    ApplicantStatus,
    Attachment,
    Author,
    CodedName,
    Contacts,
    Details,
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


def document_to_json(document: IncomingDocument, *, contents: bool = True) -> dict[str, Any]:
    """A JSON-ready dict of ``document``; :func:`document_from_json` reads it back equal.
    ``contents`` False leaves the attachments' bytes out (kept elsewhere; never encoded)."""
    author = document.author
    address = document.contacts.address
    return {
        "kind": document.kind.value,
        "subtype": document.subtype.value,
        "sender_system": document.sender_system,
        "sender_document_id": document.sender_document_id,
        "sent_at": document.sent_at.isoformat(),
        "recipient": _coded(document.recipient),
        "language": document.language.value,
        "assisted_by_service_centre": document.assisted_by_service_centre,
        "author": {
            "kind": author.kind.value,
            "iin": author.iin,
            "bin": author.bin,
            "organisation": author.organisation,
            "position": author.position,
            "representative_address": author.representative_address,
            "surname": author.person.surname,
            "name": author.person.name,
            "patronymic": author.person.patronymic,
        },
        "contacts": {
            "address": {"line": address.line} if address.line is not None else {
                "region": address.region,
                "city": address.city,
                "postcode": address.postcode,
                "street_ru": address.street_ru,
                "street_kk": address.street_kk,
                "house": address.house,
                "house_index": address.house_index,
                "flat": address.flat,
            },
            "phones": list(document.contacts.phones),
            "faxes": list(document.contacts.faxes),
            "email": document.contacts.email,
        },
        "applicant": None if document.applicant is None else {
            "small_business": document.applicant.small_business,
            "sole_proprietor": document.applicant.sole_proprietor,
        },
        "payment": None if document.payment is None else {
            "amount": format_amount(document.payment.amount),
            "date": document.payment.date.isoformat(),
            "document_number": document.payment.document_number,
            "receipt": document.payment.receipt,
        },
        "details": _details_to_json(document.details),
        "short_content": document.short_content,
        "text": document.text,
        "attachments": [
            {
                "file_name": a.file_name,
                "media_type": a.media_type,
                "title": a.title,
                "sha256": a.sha256,
                **({"content_base64": base64.b64encode(a.content).decode("ascii")}
                   if contents else {}),
            }
            for a in document.attachments
        ],
    }


def document_from_json(data: Mapping[str, Any]) -> IncomingDocument:
    """The document ``data`` describes; :class:`FormatError` naming the first field that is
    missing or wrong."""
    root = _Obj(data, "")
    subtype = root.text("subtype")
    author = root.obj("author")
    contacts = root.obj("contacts")
    address = contacts.obj("address")
    applicant = root.optional_obj("applicant")
    payment = root.optional_obj("payment")
    document = IncomingDocument(
        sender_system=root.text("sender_system"),
        sender_document_id=root.text("sender_document_id"),
        sent_at=root.parse("sent_at", datetime.fromisoformat),
        recipient=_coded_from(root.obj("recipient")),
        language=root.parse("language", Language),
        assisted_by_service_centre=root.flag("assisted_by_service_centre"),
        author=_author_from(author),
        contacts=Contacts(
            address=Address.one_line(address.text("line")) if address.get("line") is not None
            else Address(
                region=address.optional_text("region"),
                city=address.text("city"),
                postcode=address.text("postcode"),
                street_ru=address.optional_text("street_ru"),
                street_kk=address.optional_text("street_kk"),
                house=address.text("house"),
                house_index=address.optional_text("house_index"),
                flat=address.optional_text("flat"),
            ),
            phones=contacts.strings("phones"),
            faxes=contacts.strings("faxes"),
            email=contacts.optional_text("email"),
        ),
        applicant=None if applicant is None else ApplicantStatus(
            small_business=applicant.flag("small_business"),
            sole_proprietor=applicant.flag("sole_proprietor"),
        ),
        payment=None if payment is None else Payment(
            amount=payment.parse("amount", _amount),
            date=payment.parse("date", date.fromisoformat),
            document_number=payment.text("document_number"),
            receipt=payment.optional_text("receipt"),
        ),
        details=_details_from(subtype, root.obj("details")),
        short_content=root.text("short_content"),
        text=root.optional_text("text"),
        attachments=tuple(_attachment_from(item) for item in root.objects("attachments")),
    )
    # "kind" is redundant with "subtype"; a file where they disagree was edited by mistake
    if root.get("kind", document.kind.value) != document.kind.value:
        raise FormatError(f"kind {root.get('kind')!r} contradicts subtype {subtype!r}",
                          rule="json-field", field="kind")
    return document


class _Obj:
    """A JSON object with the path to it, so an error can say where."""

    def __init__(self, data: Any, path: str):
        if not isinstance(data, Mapping):
            raise FormatError(f"{path or 'the document'} must be a JSON object",
                              rule="json-shape", field=path)
        self.data, self.path = data, path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            # "false" would be truthy: a JSON boolean or nothing
            raise FormatError(f"{self.at(key)} must be true or false", rule="json-field",
                              field=self.at(key))
        return value

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise FormatError(f"{self.at(key)} is required and must be an integer",
                              rule="json-field", field=self.at(key))
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FormatError(f"{self.at(key)} must be a list of strings", rule="json-field",
                              field=self.at(key))
        return tuple(value)

    def objects(self, key: str) -> list[_Obj]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise FormatError(f"{self.at(key)} must be a list", rule="json-field",
                              field=self.at(key))
        return [_Obj(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value:
            raise FormatError(f"{self.at(key)} is required and must be a string",
                              rule="json-field", field=self.at(key))
        return value

    def parse(self, key: str, parser: Any) -> Any:
        value = self.text(key)
        try:
            return parser(value)
        except ValueError as exc:
            raise FormatError(f"{self.at(key)}: {exc}", rule="json-field",
                              field=self.at(key)) from None

    def obj(self, key: str) -> _Obj:
        return _Obj(self.data.get(key), self.at(key))

    def optional_obj(self, key: str) -> _Obj | None:
        return None if self.data.get(key) is None else self.obj(key)


def _coded(value: CodedName) -> dict[str, str]:
    return {"code": value.code, "name": value.name}


def _coded_from(obj: _Obj) -> CodedName:
    return CodedName(code=obj.text("code"), name=obj.text("name"))


def _amount(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None


def _licence(value: LicenceRef) -> dict[str, Any]:
    return {"series": value.series, "number": value.number,
            "issue_date": value.issue_date.isoformat()}


def _licence_from(obj: _Obj) -> LicenceRef:
    return LicenceRef(series=obj.optional_text("series"), number=obj.text("number"),
                      issue_date=obj.parse("issue_date", date.fromisoformat))


def _author_from(obj: _Obj) -> Author:
    kind = obj.parse("kind", AuthorKind)
    person = PersonName(surname=obj.text("surname"), name=obj.text("name"),
                        patronymic=obj.optional_text("patronymic"))
    if kind is AuthorKind.INDIVIDUAL:
        return Author.individual(iin=obj.text("iin"), surname=person.surname,
                                 name=person.name, patronymic=person.patronymic)
    return Author.legal_entity(bin=obj.text("bin"), name=obj.text("organisation"),
                               representative=person, position=obj.optional_text("position"),
                               representative_iin=obj.optional_text("iin"),
                               representative_address=obj.optional_text(
                                   "representative_address"))


def _attachment_from(obj: _Obj) -> Attachment:
    if "content_text" in obj.data:
        content = obj.text("content_text").encode("utf-8")
    else:
        try:
            content = base64.b64decode(obj.text("content_base64"), validate=True)
        except binascii.Error:
            raise FormatError(f"{obj.at('content_base64')} is not base64",
                              rule="json-field", field=obj.at("content_base64")) from None
    return Attachment(
        file_name=obj.text("file_name"),
        media_type=obj.text("media_type"),
        title=obj.optional_text("title"),
        sha256=obj.optional_text("sha256") or hashlib.sha256(content).hexdigest(),
        content=content,
    )


def _details_to_json(details: Details) -> dict[str, Any]:
    if isinstance(details, AppealDetails):
        return {"appeal_type": details.appeal_type.value}
    if isinstance(details, LicenceNew | LicenceAppendix):
        out: dict[str, Any] = {
            "activity": _coded(details.activity),
            "subactivities": [_coded(s) for s in details.subactivities],
            "territory": details.territory,
        }
        if isinstance(details, LicenceAppendix):
            out["licence"] = _licence(details.licence)
        return out
    if isinstance(details, LicenceReissue):
        return {"licence": _licence(details.licence), "activity": _coded(details.activity),
                "reason": details.reason.value, "reason_text": details.reason_text}
    if isinstance(details, LicenceRestore):
        return {"category": details.category.value, "licence": _licence(details.licence),
                "activity": None if details.activity is None else _coded(details.activity)}
    if isinstance(details, NumberingPermit):
        return {"resource": _coded(details.resource), "territories": [
            {"name": t.name, "area_code": t.area_code, "count": t.count}
            for t in details.territories]}
    return {
        "region": details.region,
        "region_code": details.region_code,
        "district": details.district,
        "district_code": details.district_code,
        "object_name": details.object_name,
        "object_address": details.object_address,
        "activity": _coded(details.activity),
        "readiness_date": details.readiness_date.isoformat(),
        "staff_count": details.staff_count,
    }


def _details_from(subtype: str, obj: _Obj) -> Details:
    if subtype in {t.value for t in AppealType}:
        return AppealDetails(appeal_type=AppealType(subtype))
    try:
        kind = ApplicationKind(subtype)
    except ValueError:
        known = [t.value for t in AppealType] + [k.value for k in ApplicationKind]
        raise FormatError(f"subtype {subtype!r} is none of {', '.join(known)}",
                          rule="json-field", field="subtype") from None
    if kind in (ApplicationKind.LICENCE_NEW, ApplicationKind.LICENCE_APPENDIX):
        activity = _coded_from(obj.obj("activity"))
        subactivities = tuple(_coded_from(s) for s in obj.objects("subactivities"))
        if kind is ApplicationKind.LICENCE_NEW:
            return LicenceNew(activity=activity, subactivities=subactivities,
                              territory=obj.optional_text("territory"))
        return LicenceAppendix(licence=_licence_from(obj.obj("licence")), activity=activity,
                               subactivities=subactivities,
                               territory=obj.optional_text("territory"))
    if kind is ApplicationKind.LICENCE_REISSUE:
        return LicenceReissue(licence=_licence_from(obj.obj("licence")),
                              activity=_coded_from(obj.obj("activity")),
                              reason=obj.parse("reason", ReissueReason),
                              reason_text=obj.optional_text("reason_text"))
    if kind is ApplicationKind.LICENCE_RESTORE:
        activity_obj = obj.optional_obj("activity")
        return LicenceRestore(category=obj.parse("category", LicenceCategory),
                              licence=_licence_from(obj.obj("licence")),
                              activity=None if activity_obj is None else _coded_from(activity_obj))
    if kind is ApplicationKind.NUMBERING_PERMIT:
        return NumberingPermit(
            resource=_coded_from(obj.obj("resource")),
            territories=tuple(
                NumberingTerritory(name=t.text("name"), area_code=t.optional_text("area_code"),
                                   count=t.integer("count"))
                for t in obj.objects("territories")
            ),
        )
    return SanitaryRequest(
        procedure=SanitaryProcedure.NOTIFICATION
        if kind is ApplicationKind.SANITARY_NOTIFICATION else SanitaryProcedure.INSPECTION,
        region=obj.text("region"),
        region_code=obj.optional_text("region_code"),
        district=obj.text("district"),
        district_code=obj.optional_text("district_code"),
        object_name=obj.text("object_name"),
        object_address=obj.text("object_address"),
        activity=_coded_from(obj.obj("activity")),
        readiness_date=obj.parse("readiness_date", date.fromisoformat),
        staff_count=obj.integer("staff_count"),
    )
