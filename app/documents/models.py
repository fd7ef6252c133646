"""The record every stage shares: the document, its attachments, and the portal that sent it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.dbtypes import enum_type
from app.documents.desk_indexes import desk_indexes
from app.documents.states import DocumentState, circle_colour
from app.extensions import Model
from app.formats.choices import MarkKind
from app.languages import in_language
from app.org.models import Department
from app.xmlsig.report import Indication

if TYPE_CHECKING:
    from app.execution.models import Letter
    from app.marks.models import Mark
    from app.resolution.models import Resolution
    from app.workflow.models import HistoryEntry


class Sender(Model):
    """A portal allowed to send us documents (egov.kz, elicense.kz, InfoKazakhstan)."""

    __tablename__ = "senders"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the code the portal writes as "sender system" in its documents
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: in Russian (every page falls back to it); the same in Kazakh and English, or empty
    name: Mapped[str] = mapped_column(String(200))
    name_kk: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: SHA-256 of the bearer token; the token is shown once, when it is issued
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: where status marks are pushed; empty when the portal pulls them
    callback_url: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    #: the TLS client certificate pinned for this portal (SHA-256 of its DER, hex): its
    #: token is then accepted only with that certificate, as the reverse proxy forwards
    #: it (app/documents/senders.py); None: any certificate the proxy let through
    client_cert_sha256: Mapped[str | None] = mapped_column(String(64), unique=True,
                                                           index=True)
    #: the pinned certificate's subject (RFC 4514) and end of validity, for the admin page
    client_cert_subject: Mapped[str | None] = mapped_column(String(1000))
    client_cert_not_after: Mapped[datetime | None]

    def name_in(self, language: str) -> str:
        """The name a reader of ``language`` sees (Russian when that one is not written)."""
        return in_language(language, ru=self.name, kk=self.name_kk, en=self.name_en)


class DocumentFamily(enum.StrEnum):
    APPEAL = "appeal"
    APPLICATION = "application"


class Document(Model):
    __tablename__ = "documents"
    __table_args__ = (
        # the same sender id twice is a retry or a conflict, never a second document
        UniqueConstraint("sender_id", "sender_document_id"),
        Index("ix_documents_inbox", "received_at", "id"),
        Index("ix_documents_state_received", "state", "received_at"),
        # the desks: a department's documents by state, anyone's queue by deadline
        Index("ix_documents_department_state", "department_id", "state", "due_date"),
        Index("ix_documents_executor_due", "executor_id", "due_date"),
        Index("ix_documents_approver_state", "approver_id", "state"),
        Index("ix_documents_signer_due", "signer_id", "due_date"),
        # the reports and the journal of registration: a period of registrations
        Index("ix_documents_registered_at", "registered_at"),
        # the inbox's search by the portal's id, whatever the sender (the unique index
        # above starts with the sender: that search read all of it)
        Index("ix_documents_sender_document_id", "sender_document_id"),
        # the desks over open documents only (app/documents/desk_indexes.py)
        *desk_indexes(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: optimistic lock: a form based on an older version is refused, never merged
    version: Mapped[int] = mapped_column(default=1)
    sender_id: Mapped[int] = mapped_column(ForeignKey("senders.id"))
    #: the sender's own document id (transport identifier)
    sender_document_id: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the raw bytes exactly as received; the bytes live in the blob store
    raw_sha256: Mapped[str] = mapped_column(String(64))
    raw_size: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime]
    state: Mapped[DocumentState] = mapped_column(
        enum_type(DocumentState, 32)
    )
    #: the kind of the last status mark queued for the portal (app/marks/service.py sets
    #: it with the mark): the circle the portal shows follows it, see ``colour``
    last_mark: Mapped[MarkKind | None] = mapped_column(enum_type(MarkKind, 32))
    family: Mapped[DocumentFamily] = mapped_column(
        enum_type(DocumentFamily, 16)
    )
    #: the subtype: appeal, licence-new, sanitary-notification, ...
    kind: Mapped[str] = mapped_column(String(40), index=True)

    # what the signature covers, copied out for search; None where it could not be read
    author_iin: Mapped[str | None] = mapped_column(String(12), index=True)
    author_bin: Mapped[str | None] = mapped_column(String(12), index=True)
    #: "Surname Name Patronymic" or the organisation's name, as signed
    author_name: Mapped[str] = mapped_column(String(400), default="")
    #: lower-cased author_name, for case-insensitive search on both databases
    author_name_folded: Mapped[str] = mapped_column(String(400), default="", index=True)
    recipient_name: Mapped[str] = mapped_column(String(400), default="")
    short_content: Mapped[str] = mapped_column(String(1000), default="")
    language: Mapped[str | None] = mapped_column(String(2))
    #: the whole document as read from the signed content (JSON of the format model)
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: True when the fields above were read from a document whose signature did not verify
    content_unverified: Mapped[bool] = mapped_column(default=False)

    indication: Mapped[Indication] = mapped_column(
        enum_type(Indication, 16), index=True
    )
    sub_indication: Mapped[str | None] = mapped_column(String(64))
    #: VerificationReport.to_dict()
    report: Mapped[dict[str, Any]] = mapped_column(JSON)

    registration_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    registered_at: Mapped[datetime | None]
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    journal_id: Mapped[int | None] = mapped_column(ForeignKey("journals.id"))
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    refusal_text: Mapped[str | None] = mapped_column(Text)
    refused_at: Mapped[datetime | None]
    refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # control: who owes the next step and by when (kept here so the desks' lists are one
    # indexed query; the full story is in resolutions and history)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    #: the head expected to write the next resolution
    resolver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    executor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the head who wrote the resolution naming the executor approves the reply
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    #: when the head stopped the clock (app/control/); None while it runs. A suspended
    #: document is not overdue; resuming moves ``due_date`` by the working days spent
    suspended_since: Mapped[datetime | None]
    #: the code of the deadline rule that gave the legal deadline (app/deadlines/)
    deadline_rule_code: Mapped[str | None] = mapped_column(String(64))
    #: True when a head chose ``due_date`` (not the legal one): recomputing leaves it
    due_date_by_hand: Mapped[bool] = mapped_column(default=False, server_default="0")
    closed_at: Mapped[datetime | None]

    sender: Mapped[Sender] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    resolver: Mapped[User | None] = relationship(foreign_keys=[resolver_id])
    executor: Mapped[User | None] = relationship(foreign_keys=[executor_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    refused_by: Mapped[User | None] = relationship(foreign_keys=[refused_by_id])
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="document", order_by="Attachment.position"
    )
    # the stages' records about the document, mapped by name: they live in the packages
    # above this one, which import Document, never the other way round
    history: Mapped[list[HistoryEntry]] = relationship(
        back_populates="document", order_by="HistoryEntry.seq")
    marks: Mapped[list[Mark]] = relationship(back_populates="document", order_by="Mark.id")
    resolutions: Mapped[list[Resolution]] = relationship(
        back_populates="document", order_by="Resolution.id")
    letters: Mapped[list[Letter]] = relationship(back_populates="document",
                                                 order_by="Letter.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def colour(self) -> str:
        """The portal's execution circle for this document, as every desk draws its dot."""
        return circle_colour(self.state, self.last_mark)


class Attachment(Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)

    document: Mapped[Document] = relationship(back_populates="attachments")
