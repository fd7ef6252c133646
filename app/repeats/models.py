"""The link between a repeat appeal and the earlier document it repeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.documents.models import Document
from app.extensions import Model


class RepeatLink(Model):
    """``document`` repeats ``earlier``: shown on both, kept for good, with who linked them
    and when."""

    __tablename__ = "repeat_links"
    __table_args__ = (UniqueConstraint("document_id", "earlier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the repeat (the later document)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    #: the document it repeats
    earlier_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    linked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime]

    document: Mapped[Document] = relationship(foreign_keys=[document_id])
    earlier: Mapped[Document] = relationship(foreign_keys=[earlier_id])
    linked_by: Mapped[User] = relationship()
