"""The append-only history of every document: who did what, when, from which state.

Every entry is an entry of the one hash chain (app/audit/chain.py), written by
``transition`` and nothing else; ``qujat audit verify`` finds a changed or removed one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.models import Chained
from app.auth.models import User
from app.dbtypes import enum_type
from app.documents.models import Document
from app.documents.states import Action, DocumentState
from app.extensions import Model


class HistoryEntry(Chained, Model):
    __tablename__ = "history"
    __chain_fields__ = ("document_id", "at", "actor_id", "action", "from_state", "to_state",
                        "comment", "facts")

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    at: Mapped[datetime]
    #: None for the system itself (intake, jobs)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[Action] = mapped_column(enum_type(Action, 32))
    from_state: Mapped[DocumentState | None] = mapped_column(
        enum_type(DocumentState, 32)
    )
    to_state: Mapped[DocumentState] = mapped_column(
        enum_type(DocumentState, 32)
    )
    #: what a person wrote: an instruction, a reason, remarks
    comment: Mapped[str] = mapped_column(Text, default="")
    #: what the step established, as data (a number, an executor, a deadline), so every
    #: reader sees it in their own language (app/web/history.py)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    document: Mapped[Document] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def actor_name(self) -> str:
        return self.actor.full_name if self.actor else "Qujat"
