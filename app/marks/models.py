"""The outbox of signed status marks, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.dbtypes import enum_type
from app.documents.models import Document
from app.extensions import Model
from app.formats.choices import MarkKind

if TYPE_CHECKING:
    from app.execution.models import Letter

#: a mark carrying a signed letter the portal has not received yet (app/marks/queries.py's
#: undelivered_letters says the same in the same words, the kind as a literal: a database
#: proves a partial index covers a query only from literals)
UNDELIVERED_LETTER = (f"kind = '{MarkKind.EXECUTED.value}' AND letter_id IS NOT NULL "
                      "AND letter_received_at IS NULL")


class Mark(Model):
    __tablename__ = "marks"
    __table_args__ = (
        # the portal pulls "everything after N"; the delivery job scans what is due
        Index("ix_marks_sender_id", "sender_id", "id"),
        Index("ix_marks_due", "delivered_at", "next_attempt_at"),
        # the clerk's undelivered letters, oldest first, a page at a time: the few marks
        # still waiting, not every mark ever sent (most carry no letter, and a letter's
        # mark leaves the index once the portal has it)
        Index("ix_marks_undelivered_letters", "created_at", "id",
              postgresql_where=text(UNDELIVERED_LETTER),
              sqlite_where=text(UNDELIVERED_LETTER)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("senders.id"))
    kind: Mapped[MarkKind] = mapped_column(enum_type(MarkKind, 32))
    #: the letter this mark carries: the portal receives it with the mark (pushed just
    #: before it, or in ``letter_xml`` of the pull). The EXECUTED mark carries the letter;
    #: LETTER marks made before 2026-12 carried it themselves
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    #: when the portal received the letter this mark carries (a 2xx to the letter's push,
    #: or a pull whose cursor passed this mark): the moment of the LETTER mark
    letter_received_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    #: the signed XML exactly as sent
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    #: set when the portal's callback acknowledged it (pull-only portals leave it empty)
    delivered_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    #: None when there is nothing to push (no callback URL, delivered, or given up)
    next_attempt_at: Mapped[datetime | None]
    #: set when pushing stopped (too many failures, or the callback URL was removed): the
    #: mark stays pullable and still holds back its document's later marks (delivery.py)
    given_up_at: Mapped[datetime | None]
    #: the lease of the worker pushing it now: no other worker pushes it until it expires,
    #: so a worker that dies mid-push leaves the mark to the next one after the lease
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(Text)
    #: the transport status of the last push, for the history screen
    last_status: Mapped[str | None] = mapped_column(String(40))

    document: Mapped[Document] = relationship(back_populates="marks")
    #: mapped by name: letters belong to the execution stage, which sits above the marks
    letter: Mapped[Letter | None] = relationship()
