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

#: one journal is one printout; a longer period is printed in parts
MAX_JOURNAL_ROWS = 20_000


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


def journal_rows(period: Period, *, scope: set[int] | None) -> list[JournalRow]:
    begin, after = period.bounds()
    where = [Document.registered_at >= begin, Document.registered_at < after,
             Document.registration_number.is_not(None)]
    if scope is not None:
        where.append(Document.department_id.in_(scope))
    count = db.session.scalar(select(func.count(Document.id)).where(*where)) or 0
    if count > MAX_JOURNAL_ROWS:
        raise Refused(_l("The period holds %(count)s documents; one journal prints at most "
                         "%(limit)s. Choose a shorter period.", count=count,
                         limit=MAX_JOURNAL_ROWS),
                      code="journal_too_long", count=count, limit=MAX_JOURNAL_ROWS)
    latest = latest_letters()
    stmt = (select(Document.registration_number, Document.registered_at, Document.author_name,
                   Document.kind, User.full_name, Document.due_date, Document.state,
                   Letter.outcome)
            .select_from(Document)
            .outerjoin(User, User.id == Document.executor_id)
            .outerjoin(latest, latest.c.document_id == Document.id)
            .outerjoin(Letter, Letter.id == latest.c.letter_id)
            .where(*where)
            .order_by(Document.registered_at, Document.id))
    return [JournalRow(number=number or "", registered_at=at, author=author or "", kind=kind,
                       executor=executor or "", due_date=due, state=state,
                       outcome=outcome if state == DocumentState.ANSWERED else None)
            for number, at, author, kind, executor, due, state, outcome
            in db.session.execute(stmt)]
