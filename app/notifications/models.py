"""A notification to one user about one document, kept as a code and its parameters so
each reader sees it in their own language; and its e-mail, sent after the commit."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.dbtypes import enum_type
from app.documents.models import Document
from app.extensions import Model


class NotificationKind(enum.StrEnum):
    #: the deadline is a few working days away (``days_before`` says which reminder)
    DUE_SOON = "due_soon"
    #: the deadline has passed and the document is still open
    OVERDUE = "overdue"


class MailState(enum.StrEnum):
    #: to be sent (or sent again after ``mail_next_at``)
    WAITING = "waiting"
    SENT = "sent"
    #: given up after too many failed attempts
    FAILED = "failed"


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # once per document, person, kind, deadline and reminder: a second run or a second
        # worker inserts nothing; a moved deadline makes new ones possible
        UniqueConstraint("document_id", "user_id", "kind", "due_date", "days_before",
                         name="uq_notifications_once"),
        # the bell: a user's unread ones
        Index("ix_notifications_user_read", "user_id", "read_at"),
        # the outbox: e-mails waiting, by when they are due
        Index("ix_notifications_mail", "mail_state", "mail_next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind, 16))
    #: the deadline the notification is about
    due_date: Mapped[date] = mapped_column(Date)
    #: the reminder's lead in working days (3, 1, ...); 0 for an overdue notice
    days_before: Mapped[int] = mapped_column(default=0)
    #: what the text says besides the code: number, due, days left (rendered on reading)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    # the e-mail (None: not to be e-mailed: no SMTP, no address, or the user said no)
    mail_state: Mapped[MailState | None] = mapped_column(enum_type(MailState, 16))
    mail_attempts: Mapped[int] = mapped_column(default=0)
    mail_next_at: Mapped[datetime | None]
    #: a worker sending it holds it until then (another takes it only after)
    mail_claimed_until: Mapped[datetime | None]
    mail_claimed_by: Mapped[str | None] = mapped_column(String(120))
    mail_sent_at: Mapped[datetime | None]
    mail_error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()
    document: Mapped[Document] = relationship()
