"""The reply being written, the parts and files co-executors add, every approval round,
and the signed letters."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.dbtypes import enum_type
from app.documents.models import Document
from app.extensions import Model


class Draft(Model):
    """The working draft of the reply: one per document, edited until it is signed."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    #: optimistic lock: two people saving the same draft cannot both win
    version: Mapped[int] = mapped_column(default=1)
    #: an Outcome code (satisfied, refused, explained, …)
    outcome: Mapped[str | None] = mapped_column(String(40))
    #: the language of the appeal, in which the reply must be written
    language: Mapped[str] = mapped_column(String(2), default="ru")
    #: the reasoned answer, in light Markdown (paragraphs, lists, emphasis)
    text: Mapped[str] = mapped_column(Text, default="")
    #: the legal norms the answer rests on
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    #: how the author may appeal the decision
    appeal_procedure: Mapped[str] = mapped_column(Text, default="")
    #: a decision to refuse a licence: its grounds, one per line
    refusal_grounds: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class DraftPart(Model):
    """A co-executor's contribution, shown to the responsible executor beside the draft."""

    __tablename__ = "draft_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]

    author: Mapped[User] = relationship()


class DraftFile(Model):
    """A file attached to the reply; the bytes are in the blob store."""

    __tablename__ = "draft_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    #: removed from the reply (kept for the record)
    removed: Mapped[bool] = mapped_column(default=False)

    author: Mapped[User] = relationship()


class RoundDecision(enum.StrEnum):
    APPROVED = "approved"
    RETURNED = "returned"
    SIGNATURE_REFUSED = "signature_refused"
    SIGNED = "signed"


class ApprovalRound(Model):
    """One submission of the reply and what became of it; every round is kept."""

    __tablename__ = "approval_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime]
    #: the draft as submitted, so later edits never rewrite what was approved
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the checks that warned at submission, and were acknowledged
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decision: Mapped[RoundDecision | None] = mapped_column(enum_type(RoundDecision, 24))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    remarks: Mapped[str] = mapped_column(Text, default="")

    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Letter(Model):
    """A signed response letter, exactly as sent."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    outgoing_number: Mapped[str] = mapped_column(String(64), unique=True)
    outgoing_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    licence_number: Mapped[str | None] = mapped_column(String(64))
    #: the number of whatever the outcome issued (licence, appendix, permit, талон,
    #: conclusion); the register entry holds the rest
    issued_number: Mapped[str | None] = mapped_column(String(64))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime]
    #: the certificate that signed it, for the record: subject and serial number
    certificate_subject: Mapped[str] = mapped_column(String(500))
    certificate_serial: Mapped[str] = mapped_column(String(80))
    xml: Mapped[bytes] = mapped_column(LargeBinary)

    document: Mapped[Document] = relationship(back_populates="letters")
    signer: Mapped[User] = relationship()
