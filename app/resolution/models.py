"""Resolutions: every one a head writes is kept, level by level."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.catalogues.models import StandardInstruction
from app.dbtypes import enum_type
from app.documents.models import Document
from app.extensions import Model, db
from app.org.models import Department


class ResolutionKind(enum.StrEnum):
    PASS_DOWN = "pass_down"
    ASSIGN = "assign"
    REDIRECT = "redirect"
    LEAVE = "leave"
    DEADLINE = "deadline"

    @property
    def label(self):
        return {
            ResolutionKind.PASS_DOWN: _l("Passed down"),
            ResolutionKind.ASSIGN: _l("To execution"),
            ResolutionKind.REDIRECT: _l("Redirected by competence"),
            ResolutionKind.LEAVE: _l("Left without consideration"),
            ResolutionKind.DEADLINE: _l("Deadline changed"),
        }[self]


coexecutors = Table(
    "resolution_coexecutors",
    db.metadata,
    Column("resolution_id", ForeignKey("resolutions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    # "what do I co-execute" looks up by user
    Index("ix_resolution_coexecutors_user", "user_id"),
)


class Resolution(Model):
    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    #: 1 for the first head's resolution, 2 for the subordinate head's, …
    level: Mapped[int]
    kind: Mapped[ResolutionKind] = mapped_column(enum_type(ResolutionKind, 16))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_at: Mapped[datetime]
    instruction: Mapped[str] = mapped_column(Text, default="")
    #: the standard instruction the head chose from the office's list (app/catalogues/),
    #: None when he wrote his own; ``instruction`` is what the resolution says (its text,
    #: or his own words after choosing it)
    standard_instruction_id: Mapped[int | None] = mapped_column(
        ForeignKey("standard_instructions.id"), index=True)
    #: that standard instruction's text as the list said it then, in the head's language:
    #: the list may be edited later, the record stays
    standard_instruction_text: Mapped[str | None] = mapped_column(String(500))
    # ASSIGN
    executor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    #: the deadline the law (or the higher resolution) gave; a later date needs a reason
    proposed_due_date: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    # PASS_DOWN
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    # REDIRECT
    redirect_body_code: Mapped[str | None] = mapped_column(String(64))
    redirect_body_name: Mapped[str | None] = mapped_column(String(500))
    # LEAVE, REDIRECT: the reason the author is told
    reason: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="resolutions")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    executor: Mapped[User | None] = relationship(foreign_keys=[executor_id])
    coexecutors: Mapped[list[User]] = relationship(secondary=coexecutors,
                                                   order_by="User.full_name")
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    to_department: Mapped[Department | None] = relationship(foreign_keys=[to_department_id])
    standard_instruction: Mapped[StandardInstruction | None] = relationship()
