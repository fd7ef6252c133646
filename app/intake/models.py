"""Every intake attempt, accepted or not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class IntakeAttempt(Model):
    """Every POST, accepted or not: the bytes are stored before we answer either way."""

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
