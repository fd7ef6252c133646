"""The status checks of the last minutes, by client address, for the rate limit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class StatusLookup(Model):
    """One status check (kept only as long as the rate limit's window): where it came
    from and when, nothing of what was asked."""

    __tablename__ = "status_lookups"
    __table_args__ = (
        Index("ix_status_lookups_address", "address", "at"),
        Index("ix_status_lookups_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    address: Mapped[str] = mapped_column(String(64))
