"""Reminders before a deadline and notices after it, each written once.

Run as often as you like (the worker's ``notifications.remind`` job runs it every few
minutes and at start): a notification is inserted only if its (document, person, kind,
deadline, lead) is not there yet, by the unique key, so a second run or a second worker
writes nothing. A deadline that moves (an extension) makes new reminders possible.

* Before the deadline, the executor gets the reminder of the smallest lead (of
  ``Settings.reminder_days``, e.g. 3 and 1 working days) whose horizon reaches the due
  date: a worker that was down on the day of the 3-day reminder sends the 1-day one when
  it is time, never both late at once.
* From the first day after the deadline, the executor and the head who resolved it (the
  approver; for a document still waiting for a resolution, the head expected to write it)
  get an overdue notice.
* Closed documents get nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from app.notifications.models import MailState, Notification, NotificationKind
from app.settings import Settings
from app.timeutil import utcnow
from app.workdays import Calendar

#: states in which a document is under deadline control
OPEN_STATES = tuple(state for state in DocumentState
                    if not state.closed
                    and state not in (DocumentState.PENDING, DocumentState.RECEIVED))


def _controlled() -> Select[tuple[Document]]:
    """Open documents with a deadline: the only ones reminded of it."""
    return select(Document).where(
        Document.state.in_(OPEN_STATES),
        Document.due_date.is_not(None),
        # the clock of a suspended document stands still: neither due soon nor overdue
        Document.suspended_since.is_(None),
    )


def write_reminders(settings: Settings, *, today: date, now: datetime | None = None,
                    calendar: Calendar | None = None) -> int:
    """Insert the reminders and overdue notices due ``today`` (the body's local date) that
    are not written yet; commits; returns how many were written.

    ``calendar``: the one the deadlines are counted on, the settings' day swaps and the
    administrator's (``app.deadlines.service.urgency_rules``; the job passes it), so the
    lead days are working days of the same calendar; the settings' alone when not given.
    "Overdue" is from the calendar day after the deadline, a day off or not: the notice is
    written when it becomes true, and the desk's bell shows it at the next login.
    """
    now = now or utcnow()
    calendar = calendar or settings.calendar
    leads = sorted(settings.reminder_days)
    rows: list[dict] = []
    if leads:
        horizons = {lead: calendar.add_working_days(today, lead) for lead in leads}
        soon = db.session.scalars(_controlled().where(
            Document.executor_id.is_not(None),
            Document.due_date >= today,
            Document.due_date <= horizons[leads[-1]],
        ).order_by(Document.id))
        for document in soon:
            assert document.due_date is not None and document.executor_id is not None
            lead = next(lead for lead in leads if document.due_date <= horizons[lead])
            days = calendar.working_days_between(today, document.due_date)
            rows.append(_row(document, document.executor_id, NotificationKind.DUE_SOON,
                             lead, now, days=days))
    overdue = db.session.scalars(_controlled().where(Document.due_date < today)
                                 .order_by(Document.id))
    for document in overdue:
        for user_id in _overdue_recipients(document):
            rows.append(_row(document, user_id, NotificationKind.OVERDUE, 0, now))
    written = _insert_new(rows, mail=settings.smtp is not None)
    db.session.commit()
    return written


def _overdue_recipients(document: Document) -> list[int]:
    heads = [document.approver_id] if document.approver_id else [document.resolver_id]
    found = [document.executor_id, *heads]
    return list(dict.fromkeys(user_id for user_id in found if user_id is not None))


def _row(document: Document, user_id: int, kind: NotificationKind, lead: int,
         now: datetime, **params: object) -> dict:
    assert document.due_date is not None
    return {
        "user_id": user_id, "document_id": document.id, "kind": kind,
        "due_date": document.due_date, "days_before": lead, "created_at": now,
        "params": {"number": document.registration_number or f"#{document.id}",
                   "due": document.due_date.isoformat(), **params},
    }


def _mail_to(user_ids: Iterable[int]) -> set[int]:
    """Who wants notifications e-mailed and has an address to send them to."""
    return set(db.session.scalars(select(User.id).where(
        User.id.in_(set(user_ids)), User.email.is_not(None), User.email != "",
        User.email_notifications.is_(True), User.active.is_(True))))


def _already_written() -> set[tuple]:
    """The keys of the notifications already written about open documents' current
    deadlines: rows with these are not tried again (the unique key would refuse them, but
    a run need not try thousands of overdue documents every few minutes)."""
    found = db.session.execute(
        select(Notification.document_id, Notification.user_id, Notification.kind,
               Notification.due_date, Notification.days_before)
        .join(Document, Document.id == Notification.document_id)
        .where(Notification.due_date == Document.due_date, Document.state.in_(OPEN_STATES)))
    return {tuple(row) for row in found}


def _key(row: dict) -> tuple:
    return (row["document_id"], row["user_id"], row["kind"], row["due_date"],
            row["days_before"])


def _insert_new(rows: list[dict], *, mail: bool) -> int:
    if rows:
        written = _already_written()
        rows = [row for row in rows if _key(row) not in written]
    if not rows:
        return 0
    mailed = _mail_to(row["user_id"] for row in rows) if mail else set()
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    written = 0
    for row in rows:
        if row["user_id"] in mailed:
            row = {**row, "mail_state": MailState.WAITING, "mail_next_at": row["created_at"]}
        result = db.session.execute(
            insert(Notification).values(**row).on_conflict_do_nothing(
                index_elements=["document_id", "user_id", "kind", "due_date",
                                "days_before"]).returning(Notification.id))
        written += len(result.all())  # a row already there returns none
    return written
