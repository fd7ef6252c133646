"""The tables of the chain: its head, the audit log, the signed checkpoints, and the
``Chained`` columns every chained table carries (the document history among them)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import enum_type
from app.extensions import Model

#: the "previous hash" of the first entry of the chain
GENESIS = "0" * 64


class Chained:
    """The link columns of a table whose rows are entries of the one chain.

    ``seq`` is the entry's place in the chain (1, 2, 3, … over every chained table
    together, no gap), ``prev_hash`` the ``hash`` of entry ``seq - 1`` and ``hash`` the
    SHA-256 of the entry's canonical form (app/audit/chain.py). ``__chain_fields__`` names
    the columns that form the entry's content; the row's ``id`` is not among them: ``seq``
    is its identity in the chain.
    """

    __chain_fields__: ClassVar[tuple[str, ...]]

    #: None only for a reading waiting to be sealed into the chain (see app/audit/log.py)
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class ChainHead(Model):
    """One row (id 1): the last entry of the chain. Appending locks it, so concurrent
    writers take turns and the chain never forks; ``qujat audit verify`` recomputes the
    chain and only compares this row with what it found."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class AuditKind(enum.StrEnum):
    """What an audit entry records: an administrative act or a reading of personal data."""

    USER_CREATED = "user_created"
    ROLES_CHANGED = "roles_changed"
    USER_LOCKED = "user_locked"
    USER_UNLOCKED = "user_unlocked"
    PASSWORD_RESET = "password_reset"
    DEPARTMENT_ADDED = "department_added"
    HEAD_SET = "head_set"
    PERSON_PLACED = "person_placed"
    ROUTE_ADDED = "route_added"
    ROUTE_DELETED = "route_deleted"
    JOURNAL_PATTERN_SET = "journal_pattern_set"
    SENDER_ADDED = "sender_added"
    DOCUMENT_REOPENED = "document_reopened"
    DEADLINE_RULE_SET = "deadline_rule_set"
    CALENDAR_DAY_SET = "calendar_day_set"
    CALENDAR_DAY_REMOVED = "calendar_day_removed"
    EMAIL_CHANGED = "email_changed"
    INSPECTION_SCHEDULED = "inspection_scheduled"
    CATALOGUE_SAVED = "catalogue_saved"
    MARK_RETRIED = "mark_retried"
    #: a department's or a sending portal's names in Russian, Kazakh and English changed
    NAMES_SET = "names_set"
    #: a portal's TLS client certificate pinned to its token, or the pin taken away
    CLIENT_CERTIFICATE_PINNED = "client_certificate_pinned"
    CLIENT_CERTIFICATE_UNPINNED = "client_certificate_unpinned"
    # readings of personal data
    DOCUMENT_VIEWED = "document_viewed"
    ORIGINAL_READ = "original_read"
    ATTACHMENT_READ = "attachment_read"
    CARD_READ = "card_read"
    LETTER_READ = "letter_read"
    LETTER_PDF_READ = "letter_pdf_read"
    REPLY_FILE_READ = "reply_file_read"

    @property
    def is_reading(self) -> bool:
        return self in READINGS

    @property
    def label(self) -> str:
        from flask_babel import lazy_gettext as _l

        return {
            "user_created": _l("User created"),
            "roles_changed": _l("Roles changed"),
            "user_locked": _l("User locked out"),
            "user_unlocked": _l("User let back in"),
            "password_reset": _l("Password reset"),
            "department_added": _l("Department added"),
            "head_set": _l("Head of a department set"),
            "person_placed": _l("Person placed in a department"),
            "route_added": _l("Route added"),
            "route_deleted": _l("Route deleted"),
            "journal_pattern_set": _l("Journal numbering pattern set"),
            "sender_added": _l("Sending portal added"),
            "document_reopened": _l("Document reopened"),
            "deadline_rule_set": _l("Deadline rule set"),
            "calendar_day_set": _l("Day swap of the calendar set"),
            "calendar_day_removed": _l("Day swap of the calendar removed"),
            "email_changed": _l("E-mail address changed"),
            "inspection_scheduled": _l("Inspection scheduled"),
            "catalogue_saved": _l("Standard instruction or state body saved"),
            "mark_retried": _l("Given-up status mark pushed again"),
            "names_set": _l("Names of a department or a sending portal changed"),
            "client_certificate_pinned": _l("Client certificate pinned to a sending portal"),
            "client_certificate_unpinned": _l("Client certificate of a sending portal "
                                              "unpinned"),
            "document_viewed": _l("Document page viewed"),
            "original_read": _l("Original XML downloaded"),
            "attachment_read": _l("Attachment downloaded"),
            "card_read": _l("Registration card opened"),
            "letter_read": _l("Letter XML downloaded"),
            "letter_pdf_read": _l("Letter PDF opened"),
            "reply_file_read": _l("Reply file downloaded"),
        }[self.value]


READINGS = frozenset({
    AuditKind.DOCUMENT_VIEWED, AuditKind.ORIGINAL_READ, AuditKind.ATTACHMENT_READ,
    AuditKind.CARD_READ, AuditKind.LETTER_READ, AuditKind.LETTER_PDF_READ,
    AuditKind.REPLY_FILE_READ,
})


class AuditEntry(Chained, Model):
    """One administrative act or one reading of personal data: who, when, what.

    No foreign keys: the log is evidence and must neither block nor follow changes to
    the rows it names; ``actor_id`` is a user's id (None: the system or the command line),
    ``document_id`` the document read or acted on.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_actor", "actor_id", "id"),
        Index("ix_audit_entries_kind", "kind", "id"),
        Index("ix_audit_entries_document", "document_id", "id"),
        Index("ix_audit_entries_at", "at"),
    )
    __chain_fields__ = ("at", "actor_id", "kind", "document_id", "target", "details")

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None]
    kind: Mapped[AuditKind] = mapped_column(enum_type(AuditKind, 40))
    document_id: Mapped[int | None]
    #: what the act was about, in words that outlive the row: "user clerk", "route 12"
    target: Mapped[str] = mapped_column(String(300), default="")
    #: what changed or what was read, as data (roles before and after, a file's name)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Checkpoint(Model):
    """The chain's head as the system key signed it: ``entries`` entries, the last one's
    hash ``head``, at ``at``. ``signed`` is the signed XML; the columns beside it only
    repeat what it says, for queries."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    entries: Mapped[int] = mapped_column(BigInteger)
    head: Mapped[str] = mapped_column(String(64))
    #: why it was signed: "daily", "shutdown", "manual"
    reason: Mapped[str] = mapped_column(String(16))
    signed: Mapped[bytes] = mapped_column(LargeBinary)
