"""Reading the register: the search of seed 001 step 5 (number, licensor, licensee's name,
IIN/BIN, activity, status) and its XLSX export."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, or_, select

from app.extensions import db
from app.permits.models import EntryKind, EntryStatus, PermitEntry

if TYPE_CHECKING:
    from app.settings import Body

#: how many rows a page of the register shows, and the most an export holds
PAGE_SIZE = 100
MAX_EXPORT_ROWS = 50_000


@dataclass(frozen=True)
class Search:
    """The register's search fields; every one that is filled must match."""

    number: str = ""
    licensor: str = ""
    holder: str = ""
    iin_bin: str = ""
    activity: str = ""
    status: str = ""
    kind: str = ""
    #: the office's own body: its entries are found by its Kazakh name too, the name a
    #: Kazakh page shows (PermitEntry.licensor_in)
    body: Body | None = None

    def statement(self) -> Select[Any]:
        query = select(PermitEntry)
        if self.number.strip():
            query = query.where(PermitEntry.number.contains(self.number.strip()))
        if self.licensor.strip():
            needle = self.licensor.strip()
            named = [PermitEntry.licensor_name.ilike(f"%{needle}%"),
                     PermitEntry.licensor_code == needle]
            body = self.body
            if body is not None and body.name_kk and \
                    needle.casefold() in body.name_kk.casefold():
                named.append(and_(PermitEntry.licensor_code == body.code,
                                  PermitEntry.licensor_name == body.name))
            query = query.where(or_(*named))
        if self.holder.strip():
            query = query.where(
                PermitEntry.holder_name_folded.contains(self.holder.strip().casefold()))
        if self.iin_bin.strip():
            query = query.where(PermitEntry.holder_id == self.iin_bin.strip())
        if self.activity.strip():
            needle = self.activity.strip()
            query = query.where(or_(PermitEntry.activity_name.ilike(f"%{needle}%"),
                                    PermitEntry.activity_code == needle))
        if self.status in {s.value for s in EntryStatus}:
            query = query.where(PermitEntry.status == self.status)
        if self.kind in {k.value for k in EntryKind}:
            query = query.where(PermitEntry.kind == self.kind)
        return query.order_by(PermitEntry.issued_on.desc(), PermitEntry.id.desc())


def find(search: Search, *, limit: int = PAGE_SIZE) -> list[PermitEntry]:
    return list(db.session.scalars(search.statement().limit(limit)))


#: the export's columns: heading (ru, as the register is kept) and the value
_COLUMNS = (
    ("Номер", lambda e: e.number),
    ("Вид", lambda e: EntryKind(e.kind).labels["ru"]),
    ("Дата выдачи", lambda e: e.issued_on),
    ("Версия", lambda e: e.version),
    ("Лицензиар", lambda e: e.licensor_name),
    ("ИИН/БИН", lambda e: e.holder_id),
    ("Лицензиат", lambda e: e.holder_name),
    ("Адрес", lambda e: e.holder_address),
    ("Вид деятельности", lambda e: e.activity_name),
    ("Подвиды", lambda e: "; ".join(s.get("name", "") for s in e.subactivities or [])),
    ("Территория", lambda e: e.territory),
    ("Статус", lambda e: EntryStatus(e.status).labels["ru"]),
    ("Действует с", lambda e: e.valid_from),
    ("Действует по", lambda e: e.valid_to),
    ("К лицензии", lambda e: e.parent.number if e.parent else ""),
    ("Восстановлено", lambda e: "да" if e.restored else ""),
    ("Номера", lambda e: "; ".join(f"{a.area_code} {a.first}–{a.last}" for a in e.allocations)),
)


def export_xlsx(search: Search) -> bytes:
    """The entries ``search`` finds, as an XLSX workbook (one sheet, a header row)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Реестр"
    sheet.append([heading for heading, _ in _COLUMNS])
    for entry in db.session.scalars(search.statement().limit(MAX_EXPORT_ROWS)):
        sheet.append([value(entry) for _, value in _COLUMNS])
    for column, width in zip("ABCDEFGHIJKLMNOPQ", (24, 22, 12, 8, 40, 14, 36, 40, 40, 30, 24,
                                                    16, 12, 12, 24, 12, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
