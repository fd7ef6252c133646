"""The record of control: the executor's requests for more time and the head's decisions
on the deadline (extensions, refusals, suspensions, resumptions), one row each, in order."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.dbtypes import enum_type
from app.documents.models import Document
from app.extensions import Model


class ControlKind(enum.StrEnum):
    #: the executor asks for a later deadline (``due``: the date he proposes)
    REQUEST = "request"
    #: the head's reasoned decision moved the deadline from ``previous_due`` to ``due``
    EXTENSION = "extension"
    #: the head said no to a request (``answers``)
    REFUSAL = "refusal"
    #: the clock stopped (the document's ``suspended_since`` is set)
    SUSPENSION = "suspension"
    #: the clock runs again; ``working_days`` it stood still moved the deadline
    RESUMPTION = "resumption"

    @property
    def label(self):
        return {
            ControlKind.REQUEST: _l("Extension asked for"),
            ControlKind.EXTENSION: _l("Deadline extended"),
            ControlKind.REFUSAL: _l("Extension refused"),
            ControlKind.SUSPENSION: _l("Consideration suspended"),
            ControlKind.RESUMPTION: _l("Consideration resumed"),
        }[self]


class ControlDecision(Model):
    __tablename__ = "control_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[ControlKind] = mapped_column(enum_type(ControlKind, 16))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    #: the written reason (of the request, the decision, the refusal, the suspension)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: the deadline before the decision
    previous_due: Mapped[date | None] = mapped_column(Date)
    #: the deadline after it (for a request: the date proposed)
    due: Mapped[date | None] = mapped_column(Date)
    #: the request an extension grants or a refusal refuses
    answers_id: Mapped[int | None] = mapped_column(ForeignKey("control_decisions.id"))
    #: RESUMPTION: the working days the clock stood still
    working_days: Mapped[int | None]

    document: Mapped[Document] = relationship()
    author: Mapped[User] = relationship()
    answers: Mapped[ControlDecision | None] = relationship(remote_side=[id])
