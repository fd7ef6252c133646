"""The register's tables: an entry per thing issued, its versions, allocated numbers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import Document
from app.extensions import Model
from app.formats.choices import N_, Coded

if TYPE_CHECKING:
    from app.settings import Body


class EntryStatus(Coded):
    ACTIVE = "active", N_("In force"), "Действующая", "Қолданыста"
    ACCEPTED = "accepted", N_("Notification accepted"), "Уведомление принято", "Қабылданды"
    POSITIVE = "positive", N_("Positive"), "Положительное", "Оң"
    NEGATIVE = "negative", N_("Negative"), "Отрицательное", "Теріс"


class EntryKind(Coded):
    """What an entry is; the value is the issued document's Kind."""

    LICENCE = "licence", N_("Licence"), "Лицензия", "Лицензия"
    APPENDIX = "appendix", N_("Licence appendix"), "Приложение к лицензии", "Лицензияға қосымша"
    NUMBERING_PERMIT = (
        "numbering_permit", N_("Numbering resource permit"),
        "Разрешение на нумерационный ресурс", "Нөмірлеу ресурсына рұқсат",
    )
    NOTIFICATION = (
        "notification", N_("Notification (acknowledgement)"),
        "Уведомление (талон)", "Хабарлама (талон)",
    )
    CONCLUSION = (
        "conclusion", N_("Sanitary-epidemiological conclusion"),
        "Санитарно-эпидемиологическое заключение", "Санитариялық-эпидемиологиялық қорытынды",
    )


class PermitEntry(Model):
    """One thing issued, as it stands now; :class:`PermitVersion` keeps every state."""

    __tablename__ = "permit_entries"
    __table_args__ = (UniqueConstraint("parent_id", "appendix_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: an EntryKind value
    kind: Mapped[str] = mapped_column(String(32), index=True)
    #: the licence's, permit's, талон's or conclusion's number; an appendix's is
    #: "<licence number>/<appendix number>"
    number: Mapped[str] = mapped_column(String(64), unique=True)
    #: 1 when issued; a re-issue keeps the number and adds one
    version: Mapped[int] = mapped_column(default=1)
    issued_on: Mapped[date] = mapped_column(Date)
    licensor_code: Mapped[str] = mapped_column(String(64))
    licensor_name: Mapped[str] = mapped_column(String(500))
    #: the licensee's IIN or BIN
    holder_id: Mapped[str] = mapped_column(String(12), index=True)
    holder_name: Mapped[str] = mapped_column(String(500))
    #: casefolded, for search
    holder_name_folded: Mapped[str] = mapped_column(String(500), index=True)
    holder_address: Mapped[str] = mapped_column(String(500), default="")
    activity_code: Mapped[str] = mapped_column(String(64), default="")
    activity_name: Mapped[str] = mapped_column(String(500), default="")
    #: [{"code": ..., "name": ...}]
    subactivities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    territory: Mapped[str] = mapped_column(String(500), default="")
    #: an EntryStatus value
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    #: an appendix's licence
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("permit_entries.id"))
    appendix_number: Mapped[int | None]
    #: entered by restoration of licence data (seed 000), not issued by this office
    restored: Mapped[bool] = mapped_column(default=False)
    #: object name and address, conclusion grounds: what only some kinds have
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the application the current version was made on
    source_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    #: the letter that sent the current version (set in the same signing act)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    #: the signed issued document (permit-1.xsd) of the current version
    xml: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    parent: Mapped[PermitEntry | None] = relationship(remote_side=[id],
                                                      back_populates="appendices")
    appendices: Mapped[list[PermitEntry]] = relationship(
        back_populates="parent", order_by="PermitEntry.appendix_number")
    source_document: Mapped[Document] = relationship()
    versions: Mapped[list[PermitVersion]] = relationship(
        back_populates="entry", order_by="PermitVersion.version")
    allocations: Mapped[list[NumberAllocation]] = relationship(
        back_populates="entry", order_by="NumberAllocation.id")

    @property
    def entry_kind(self) -> EntryKind:
        return EntryKind(self.kind)

    @property
    def entry_status(self) -> EntryStatus:
        return EntryStatus(self.status)

    def licensor_in(self, language: str, *, body: Body) -> str:
        """The licensor as a page in ``language`` names it: the office's own ``body``
        (app.settings) by its name in that language, as its letters do, when the entry was
        entered under its code and the name it has now; another licensor, or the body
        under a name it no longer has, as the register keeps it."""
        if self.licensor_code == body.code and self.licensor_name == body.name:
            return body.name_in(language)
        return self.licensor_name


class PermitVersion(Model):
    """An entry as it was at one version: what the register said, on which application,
    and the signed document sent then. Never changed once written."""

    __tablename__ = "permit_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("permit_entries.id"), index=True)
    version: Mapped[int]
    recorded_at: Mapped[datetime]
    #: why this version: issued, re-issued (with the reason), restored
    event: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    source_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    #: the entry's fields at this version
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    xml: Mapped[bytes | None] = mapped_column(LargeBinary)

    entry: Mapped[PermitEntry] = relationship(back_populates="versions")
    source_document: Mapped[Document] = relationship()


class NumberAllocation(Model):
    """A range of numbers allocated by a numbering permit in one territory; ranges of one
    area code never overlap (checked by ``allocate``)."""

    __tablename__ = "number_allocations"
    __table_args__ = (Index("ix_number_allocations_area", "area_code", "first"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("permit_entries.id"), index=True)
    territory: Mapped[str] = mapped_column(String(500))
    #: the long-distance code of the territory, e.g. "727"; "" when the form gave none
    area_code: Mapped[str] = mapped_column(String(16), default="")
    first: Mapped[int] = mapped_column(BigInteger)
    last: Mapped[int] = mapped_column(BigInteger)

    entry: Mapped[PermitEntry] = relationship(back_populates="allocations")
