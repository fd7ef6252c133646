"""How each product of a procedure is made: the register entry (new, or the existing one
changed) and the issued document to sign, from what the application says."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.documents.models import Document
from app.extensions import db
from app.formats.choices import Outcome
from app.formats.model import CodedName, Signer
from app.formats.permits import Allocation, Basis, Holder, IssuedDocument, IssuedKind
from app.journals.numbering import format_number, journal_for, next_number
from app.permits.models import EntryKind, EntryStatus, PermitEntry
from app.permits.numbering import allocate, next_free
from app.procedures import Produces

#: how long a numbering-resource permit is valid
NUMBERING_PERMIT_YEARS = 5

#: the journal each product is numbered in; the others take no journal number
_JOURNAL = {
    Produces.LICENCE: "issued_licence",
    Produces.NUMBERING_PERMIT: "issued_permit",
    Produces.NOTIFICATION_TALON: "notification_talon",
    Produces.SANITARY_CONCLUSION: "sanitary_conclusion",
}


# ----- reading the application --------------------------------------------------------------


def _details(document: Document) -> dict[str, Any]:
    return (document.content or {}).get("details") or {}


def named_licence(document: Document) -> str | None:
    """The number of the existing licence the application names, if it names one."""
    licence = _details(document).get("licence") or {}
    return licence.get("number") or None


def find_entry(number: str, *, lock: bool = False) -> PermitEntry | None:
    """The entry numbered ``number``; ``lock``: held until the transaction ends (a licence
    getting an appendix or a new version is changed by one signing at a time)."""
    query = select(PermitEntry).where(PermitEntry.number == number)
    return db.session.scalar(query.with_for_update() if lock else query)


def _holder(document: Document) -> Holder:
    content = document.content or {}
    author = content.get("author") or {}
    identifier = (author.get("bin") or document.author_bin or author.get("iin")
                  or document.author_iin or "")
    address = (content.get("contacts") or {}).get("address") or {}
    parts = [address.get("postcode"), address.get("city"),
             address.get("street_ru") or address.get("street_kk"), address.get("house")]
    if address.get("flat"):
        parts.append(f"кв. {address['flat']}")
    line = ", ".join(str(p).strip() for p in parts if p and str(p).strip())
    return Holder(identifier=identifier, name=document.author_name.strip() or "—",
                  address=line[:500] or None)


def _coded(value: dict | None) -> CodedName | None:
    if not value or not value.get("code"):
        return None
    return CodedName(code=value["code"], name=value.get("name") or value["code"])


def _journal_number(produces: Produces, year: int) -> str:
    journal = journal_for(_JOURNAL[produces])
    return format_number(journal, year=year, seq=next_number(journal, year=year))


def _new_entry(document: Document, *, kind: EntryKind, number: str, today: date,
               now: datetime, licensor: CodedName, holder: Holder, status: EntryStatus,
               **fields: Any) -> PermitEntry:
    details = _details(document)
    activity = _coded(details.get("activity"))
    entry = PermitEntry(
        kind=kind.value, number=number, version=1, issued_on=today,
        licensor_code=licensor.code, licensor_name=licensor.name,
        holder_id=holder.identifier, holder_name=holder.name,
        holder_name_folded=holder.name.casefold(), holder_address=holder.address or "",
        activity_code=activity.code if activity else "",
        activity_name=activity.name if activity else "",
        subactivities=list(details.get("subactivities") or []),
        territory=details.get("territory") or "", status=status.value,
        source_document_id=document.id, created_at=now, updated_at=now, details={},
    )
    for name, value in fields.items():
        setattr(entry, name, value)
    db.session.add(entry)
    return entry


def _document_of(entry: PermitEntry, kind: IssuedKind, *, today: date, licensor: CodedName,
                 basis: Basis, signer: Signer, **fields: Any) -> IssuedDocument:
    values: dict[str, Any] = {
        "permit_id": "P-new", "kind": kind, "number": entry.number, "version": entry.version,
        "issue_date": today, "issuer": licensor,
        "holder": Holder(identifier=entry.holder_id, name=entry.holder_name,
                         address=entry.holder_address or None),
        "basis": basis, "signer": signer,
        "activity": (CodedName(code=entry.activity_code, name=entry.activity_name)
                     if entry.activity_code else None),
        "subactivities": tuple(CodedName(code=s["code"], name=s["name"])
                               for s in entry.subactivities if s.get("code")),
        "territory": entry.territory or None,
        "valid_from": entry.valid_from, "valid_to": entry.valid_to,
    }
    values.update(fields)
    return IssuedDocument(**values)


def _licence(document, *, today, now, licensor, basis, signer, grounds, outcome):
    entry = _new_entry(document, kind=EntryKind.LICENCE,
                       number=_journal_number(Produces.LICENCE, today.year), today=today,
                       now=now, licensor=licensor, holder=_holder(document),
                       status=EntryStatus.ACTIVE)
    return entry, _document_of(entry, IssuedKind.LICENCE, today=today, licensor=licensor,
                               basis=basis, signer=signer)


def _appendix(document, *, today, now, licensor, basis, signer, grounds, outcome):
    licence = find_entry(named_licence(document) or "", lock=True)
    assert licence is not None  # obstacles() refused an unknown licence
    appendix_number = 1 + (db.session.scalar(
        select(func.max(PermitEntry.appendix_number))
        .where(PermitEntry.parent_id == licence.id)) or 0)
    entry = _new_entry(document, kind=EntryKind.APPENDIX,
                       number=f"{licence.number}/{appendix_number}", today=today, now=now,
                       licensor=licensor, holder=_holder(document), status=EntryStatus.ACTIVE,
                       parent=licence, appendix_number=appendix_number)
    return entry, _document_of(entry, IssuedKind.APPENDIX, today=today, licensor=licensor,
                               basis=basis, signer=signer, licence_number=licence.number,
                               appendix_number=appendix_number)


def _reissue(document, *, today, now, licensor, basis, signer, grounds, outcome):
    entry = find_entry(named_licence(document) or "", lock=True)
    assert entry is not None  # obstacles() refused an unknown licence
    holder = _holder(document)
    details = _details(document)
    entry.version += 1
    entry.issued_on = today
    entry.holder_id = holder.identifier
    entry.holder_name = holder.name
    entry.holder_name_folded = holder.name.casefold()
    entry.holder_address = holder.address or ""
    activity = _coded(details.get("activity"))
    if activity is not None:
        entry.activity_code, entry.activity_name = activity.code, activity.name
    entry.details = {**(entry.details or {}), "reissue_reason": details.get("reason"),
                     "reissue_reason_text": details.get("reason_text")}
    return entry, _document_of(entry, IssuedKind.LICENCE, today=today, licensor=licensor,
                               basis=basis, signer=signer, licence_number=entry.number)


def _restore(document, *, today, now, licensor, basis, signer, grounds, outcome):
    details = _details(document)
    licence = details.get("licence") or {}
    issued_on = date.fromisoformat(licence["issue_date"]) if licence.get("issue_date") else today
    entry = _new_entry(document, kind=EntryKind.LICENCE, number=licence["number"],
                       today=issued_on, now=now, licensor=licensor, holder=_holder(document),
                       status=EntryStatus.ACTIVE, restored=True,
                       details={"category": details.get("category"),
                                "series": licence.get("series"), "restored_on": today.isoformat()})
    return entry, _document_of(entry, IssuedKind.LICENCE, today=issued_on, licensor=licensor,
                               basis=basis, signer=signer, licence_number=entry.number,
                               restored=True)


def _numbering_permit(document, *, today, now, licensor, basis, signer, grounds, outcome):
    details = _details(document)
    valid_to = today.replace(year=today.year + NUMBERING_PERMIT_YEARS) - timedelta(days=1)
    resource = _coded(details.get("resource"))
    entry = _new_entry(document, kind=EntryKind.NUMBERING_PERMIT,
                       number=_journal_number(Produces.NUMBERING_PERMIT, today.year),
                       today=today, now=now, licensor=licensor, holder=_holder(document),
                       status=EntryStatus.ACTIVE, valid_from=today, valid_to=valid_to,
                       activity_code=resource.code if resource else "",
                       activity_name=resource.name if resource else "",
                       territory=", ".join(t.get("name", "") for t in
                                           details.get("territories") or [])[:500])
    db.session.flush()
    allocations = []
    for territory in details.get("territories") or []:
        area_code = territory.get("area_code") or ""
        first = next_free(area_code, int(territory["count"]))
        made = allocate(entry, territory=territory["name"], area_code=area_code, first=first,
                        last=first + int(territory["count"]) - 1)
        allocations.append(Allocation(territory=made.territory, area_code=area_code or None,
                                      first=made.first, last=made.last))
    return entry, _document_of(entry, IssuedKind.NUMBERING_PERMIT, today=today,
                               licensor=licensor, basis=basis, signer=signer,
                               allocations=tuple(allocations))


def _sanitary_fields(document: Document) -> dict[str, Any]:
    details = _details(document)
    territory = ", ".join(p for p in (details.get("region"), details.get("district")) if p)
    return {"territory": territory[:500],
            "details": {"object_name": details.get("object_name"),
                        "object_address": details.get("object_address"),
                        "readiness_date": details.get("readiness_date")}}


def _notification(document, *, today, now, licensor, basis, signer, grounds, outcome):
    entry = _new_entry(document, kind=EntryKind.NOTIFICATION,
                       number=_journal_number(Produces.NOTIFICATION_TALON, today.year),
                       today=today, now=now, licensor=licensor, holder=_holder(document),
                       status=EntryStatus.ACCEPTED, **_sanitary_fields(document))
    return entry, _document_of(entry, IssuedKind.NOTIFICATION, today=today, licensor=licensor,
                               basis=basis, signer=signer,
                               object_name=entry.details.get("object_name"),
                               object_address=entry.details.get("object_address"))


def _conclusion(document, *, today, now, licensor, basis, signer, grounds, outcome):
    positive = outcome is Outcome.CONCLUSION_POSITIVE
    grounds = () if positive else grounds
    fields = _sanitary_fields(document)
    fields["details"] = {**fields["details"], "grounds": list(grounds)}
    entry = _new_entry(document, kind=EntryKind.CONCLUSION,
                       number=_journal_number(Produces.SANITARY_CONCLUSION, today.year),
                       today=today, now=now, licensor=licensor, holder=_holder(document),
                       status=EntryStatus.POSITIVE if positive else EntryStatus.NEGATIVE,
                       **fields)
    return entry, _document_of(entry, IssuedKind.CONCLUSION, today=today, licensor=licensor,
                               basis=basis, signer=signer, positive=positive,
                               grounds=tuple(grounds),
                               object_name=entry.details.get("object_name"),
                               object_address=entry.details.get("object_address"))


MAKERS = {
    Produces.LICENCE: _licence,
    Produces.APPENDIX: _appendix,
    Produces.REISSUED_LICENCE: _reissue,
    Produces.RESTORED_ENTRY: _restore,
    Produces.NUMBERING_PERMIT: _numbering_permit,
    Produces.NOTIFICATION_TALON: _notification,
    Produces.SANITARY_CONCLUSION: _conclusion,
}

#: the version event each product writes in the entry's history
EVENTS = {
    Produces.LICENCE: "issued", Produces.APPENDIX: "issued",
    Produces.REISSUED_LICENCE: "reissued", Produces.RESTORED_ENTRY: "restored",
    Produces.NUMBERING_PERMIT: "issued", Produces.NOTIFICATION_TALON: "accepted",
    Produces.SANITARY_CONCLUSION: "concluded",
}
