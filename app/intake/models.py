"""Every intake attempt, accepted or not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import Document
from app.extensions import Model


class IntakeAttempt(Model):
    """Every POST, accepted or not: the bytes are stored before we answer either way.

    Attempts nobody could be identified for (no or a wrong token) are counted, not listed:
    one row per client address and answer within an hour, so a flood of anonymous posts
    cannot fill the table (``count``, ``last_at``).
    """

    __tablename__ = "intake_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("senders.id"))
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    raw_size: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[int]
    #: the error code we answered with, or "accepted" / "replayed"
    outcome: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: the address the request came from (as the reverse proxy passes it on)
    client: Mapped[str | None] = mapped_column(String(64))
    #: how many attempts this row stands for (more than one only for anonymous ones)
    count: Mapped[int] = mapped_column(default=1)
    #: the latest of the attempts counted here
    last_at: Mapped[datetime | None]
    #: set for an accepted document, so that both are inserted in one flush
    document: Mapped[Document | None] = relationship()
