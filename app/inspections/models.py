"""The visit scheduled for an inspection request: one per document, changed in place when
it is moved (each change is in the audit chain)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.documents.models import Document
from app.extensions import Model


class InspectionVisit(Model):
    __tablename__ = "inspection_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    #: the user who inspects the object
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the day of the visit, in the office's calendar
    scheduled_for: Mapped[date]
    scheduled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: when it was (last) scheduled
    scheduled_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(String(500))

    document: Mapped[Document] = relationship()
    inspector: Mapped[User] = relationship(foreign_keys=[inspector_id])
    scheduled_by: Mapped[User] = relationship(foreign_keys=[scheduled_by_id])
