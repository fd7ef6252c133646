"""The journal of registration for a period: every document registered, in order, with its
author, kind, executor, deadline and outcome. One SELECT of the columns it prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import DocumentState
from app.errors import Refused
from app.execution.models import Letter
from app.extensions import db
from app.reports.discipline import Period, latest_letters

#: the most rows one journal holds (a spreadsheet), and one printout (a PDF takes seconds
#: per thousand rows to lay out); a longer period is asked for in parts
MAX_JOURNAL_ROWS = 20_000
MAX_PRINTED_ROWS = 5_000


@dataclass(frozen=True)
class JournalRow:
    number: str
    registered_at: datetime
    author: str
    kind: str
    executor: str
    due_date: date | None
    state: DocumentState
    #: the outcome code of the reply sent, if any
    outcome: str | None


def _where(period: Period, scope: set[int] | None) -> list:
    begin, after = period.bounds()
    where = [Document.registered_at >= begin, Document.registered_at < after,
             Document.registration_number.is_not(None)]
    if scope is not None:
        where.append(Document.department_id.in_(scope))
    return where


def journal_count(period: Period, *, scope: set[int] | None) -> int:
    return db.session.scalar(select(func.count(Document.id)).where(*_where(period, scope))) or 0


def journal_rows(period: Period, *, scope: set[int] | None, limit: int = MAX_JOURNAL_ROWS,
                 first: int | None = None) -> list[JournalRow]:
    """The period's journal in order; Refused when it holds more than ``limit`` rows,
    unless only the ``first`` rows are asked for (the page's preview)."""
    where = _where(period, scope)
    if first is None:
        count = journal_count(period, scope=scope)
        if count > limit:
            raise Refused(_l("The period holds %(count)s documents; one journal prints at "
                             "most %(limit)s. Choose a shorter period.", count=count,
                             limit=limit),
                          code="journal_too_long", count=count, limit=limit)
    latest = latest_letters()
    stmt = (select(Document.registration_number, Document.registered_at, Document.author_name,
                   Document.kind, User.full_name, Document.due_date, Document.state,
                   Letter.outcome)
            .select_from(Document)
            .outerjoin(User, User.id == Document.executor_id)
            .outerjoin(latest, latest.c.document_id == Document.id)
            .outerjoin(Letter, Letter.id == latest.c.letter_id)
            .where(*where)
            .order_by(Document.registered_at, Document.id)
            .limit(first))
    return [JournalRow(number=number or "", registered_at=at, author=author or "", kind=kind,
                       executor=executor or "", due_date=due, state=state,
                       outcome=outcome if state == DocumentState.ANSWERED else None)
            for number, at, author, kind, executor, due, state, outcome
            in db.session.execute(stmt)]
