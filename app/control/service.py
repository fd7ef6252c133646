"""Control of execution: the head extends the deadline by a reasoned decision (the author
is told), refuses the executor's request for more time, suspends and resumes the clock;
and the limit for redirecting a document by competence.

Plain functions: the actor, the moment and the expected document version come in as
arguments; they flush, never commit. Every change goes through ``transition``, which writes
the history and queues the "extended" mark in the same transaction.
"""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.control.models import ControlDecision, ControlKind
from app.deadlines.service import reopened_at
from app.documents.models import Document
from app.documents.states import Action, DocumentState
from app.errors import Refused
from app.extensions import db
from app.formats.model import Extension
from app.timeutil import day_text, local
from app.workflow.deadlines import DeadlineRules
from app.workflow.locking import check_version
from app.workflow.permissions import require
from app.workflow.transition import transition

#: the Administrative Procedural Code's ceiling on an extended period, in calendar months
EXTENSION_MONTHS = 2
#: the APC's limit for sending an appeal on to the competent body, in working days
REDIRECT_WORKING_DAYS = 3


def registered_on(document: Document, zone: str) -> date:
    """The day of registration on the body's clock (of arrival, for a document the office
    never registered); for a reopened document, the day of its last reopening: its period
    counts anew from it (``app.deadlines.service.deadline_from`` says why), and so do the
    extension's ceiling and the redirection's limit."""
    moment = reopened_at(document) or document.registered_at or document.received_at
    return local(moment, zone).date()


def add_months(day: date, n: int) -> date:
    """The same day ``n`` months later; the month's last day when it has no such day
    (31 December + 2 months = 28 or 29 February)."""
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


def suspended_working_days(document: Document) -> int:
    """The working days the clock has stood still so far (finished suspensions only)."""
    return sum(d.working_days or 0 for d in _decisions(document, ControlKind.RESUMPTION))


def extension_limit(document: Document, rules: DeadlineRules) -> date:
    """The latest deadline an extension may set.

    Our reading of the APC RK's rule that an extended period may not exceed two months in
    all (the article is for the deadline rules of app/deadlines/ to cite): the legal
    period starts the day after registration, and the whole of it, extensions included,
    may not exceed two calendar months from that start. Counted from the day after, two
    months end on the date of the registration day two months later: registered on
    14 March, the deadline can be extended to 14 May at the latest (to 28 or 29 February
    for 31 December). A suspension stops the clock, so the working days a document spent
    suspended move that limit by as many working days.
    """
    ceiling = add_months(registered_on(document, rules.zone), EXTENSION_MONTHS)
    return rules.calendar.add_working_days(ceiling, suspended_working_days(document))


def check_extension(document: Document, due: date, *, rules: DeadlineRules,
                    now: datetime, present: date | None = None) -> None:
    """Refuse a deadline an extension may not set: in the past, not later than the present
    one (``present``, or the document's), past ``extension_limit``."""
    today = rules.today(now)
    present = present or document.due_date
    if due < today:
        raise Refused(_l("The deadline %(due)s is in the past (today is %(today)s).",
                         due=day_text(due), today=day_text(today)),
                      code="deadline_in_past", due=due.isoformat(), today=today.isoformat())
    if present is not None and due <= present:
        raise Refused(_l("An extension sets a later deadline than the present one "
                         "(%(present)s).", present=day_text(present)),
                      code="extension_not_later", due=due.isoformat(),
                      present=present.isoformat())
    limit = extension_limit(document, rules)
    if due > limit:
        raise Refused(_l("The law allows at most two months in all: the deadline can be "
                         "extended to %(limit)s at the latest.", limit=day_text(limit)),
                      code="extension_past_limit", due=due.isoformat(),
                      limit=limit.isoformat())


def _reason(reason: str, code: str, message) -> str:
    reason = reason.strip()
    if not reason:
        raise Refused(message, code=code)
    return reason


def extend(document: Document, *, head: User, due: date, reason: str, now: datetime,
           rules: DeadlineRules, request: ControlDecision | None = None,
           expected_version: int | None = None) -> ControlDecision:
    """The head's reasoned decision: the deadline moves to ``due`` (later than now, not
    past ``extension_limit``), and the author's portal gets a signed "extended" mark with
    the date and the reason. ``request``: the executor's request the head's form was
    answering (refused if it has been answered meanwhile); a request that waits is answered
    by the decision either way."""
    check_version(document, expected_version)
    require(head, Action.EXTEND, document)
    reason = _reason(reason, "extension_reason_missing",
                     _l("Write the reason of the extension: the author is told it."))
    waiting = pending_request(document)
    if request is not None and request is not waiting:
        raise Refused(_l("This request has already been answered."),
                      code="extension_request_answered")
    check_extension(document, due, rules=rules, now=now)
    previous = document.due_date
    # the head's decision on the deadline answers a request that waits, granted or not
    decision = _record(document, ControlKind.EXTENSION, head, now, reason,
                       previous_due=previous, due=due, answers=waiting)
    document.due_date = due
    # a decision, not the rule's arithmetic: a later change of the rules or the calendar
    # recomputes legal deadlines and must leave this one (app/deadlines/)
    document.due_date_by_hand = True
    transition(document, Action.EXTEND, actor=head, now=now, comment=reason,
               facts={"due": due.isoformat(),
                      "previous_due": previous.isoformat() if previous else None},
               extension=Extension(due=due, reason=reason))
    return decision


def request_extension(document: Document, *, executor: User, due: date, reason: str,
                      now: datetime, rules: DeadlineRules,
                      expected_version: int | None = None) -> ControlDecision:
    """The executor asks the head for a later deadline; one request waits at a time."""
    check_version(document, expected_version)
    require(executor, Action.REQUEST_EXTENSION, document)
    reason = _reason(reason, "extension_request_reason_missing",
                     _l("Write why more time is needed."))
    if pending_request(document) is not None:
        raise Refused(_l("A request for more time already waits for the head's answer."),
                      code="extension_request_pending")
    check_extension(document, due, rules=rules, now=now)
    decision = _record(document, ControlKind.REQUEST, executor, now, reason,
                       previous_due=document.due_date, due=due)
    transition(document, Action.REQUEST_EXTENSION, actor=executor, now=now, comment=reason,
               facts={"proposed_due": due.isoformat()})
    return decision


def refuse_extension(document: Document, *, head: User, reason: str, now: datetime,
                     expected_version: int | None = None) -> ControlDecision:
    """The head says no to the waiting request, with the reason the executor reads."""
    check_version(document, expected_version)
    require(head, Action.REFUSE_EXTENSION, document)
    request = pending_request(document)
    if request is None:
        raise Refused(_l("No request for more time waits for an answer."),
                      code="extension_request_answered")
    reason = _reason(reason, "extension_refusal_reason_missing",
                     _l("Write why the request is refused: the executor reads it."))
    decision = _record(document, ControlKind.REFUSAL, head, now, reason,
                       previous_due=document.due_date, due=document.due_date,
                       answers=request)
    transition(document, Action.REFUSE_EXTENSION, actor=head, now=now, comment=reason,
               facts={"proposed_due": request.due.isoformat() if request.due else None})
    return decision


def suspend(document: Document, *, head: User, reason: str, now: datetime,
            expected_version: int | None = None) -> ControlDecision:
    """Stop the clock where the law allows it (an expert opinion, another body's answer
    awaited): the document is "suspended", never overdue, until it is resumed."""
    check_version(document, expected_version)
    require(head, Action.SUSPEND, document)
    if document.suspended_since is not None:
        raise Refused(_l("The consideration is already suspended."), code="already_suspended")
    reason = _reason(reason, "suspension_reason_missing",
                     _l("Write the ground of the suspension (what is awaited, from whom)."))
    decision = _record(document, ControlKind.SUSPENSION, head, now, reason,
                       previous_due=document.due_date, due=document.due_date)
    document.suspended_since = now
    transition(document, Action.SUSPEND, actor=head, now=now, comment=reason)
    return decision


def resume(document: Document, *, head: User, now: datetime, rules: DeadlineRules,
           reason: str = "", expected_version: int | None = None) -> ControlDecision:
    """Start the clock again. The working days after the day of suspension up to and
    including the day of resumption did not count: the deadline moves by as many working
    days (suspended and resumed on one day: it stays)."""
    check_version(document, expected_version)
    require(head, Action.RESUME, document)
    since = document.suspended_since
    if since is None:
        raise Refused(_l("The consideration is not suspended."), code="not_suspended")
    spent = max(0, rules.calendar.working_days_between(local(since, rules.zone).date(),
                                                       rules.today(now)))
    previous = document.due_date
    due = rules.calendar.add_working_days(previous, spent) if previous else None
    decision = _record(document, ControlKind.RESUMPTION, head, now, reason.strip(),
                       previous_due=previous, due=due, working_days=spent)
    document.suspended_since = None
    document.due_date = due
    document.due_date_by_hand = True  # the suspension's days are in it: no recomputing
    transition(document, Action.RESUME, actor=head, now=now, comment=reason.strip(),
               facts={"suspended_days": spent, "due": due.isoformat() if due else None,
                      "previous_due": previous.isoformat() if previous else None})
    return decision


def pending_request(document: Document) -> ControlDecision | None:
    """The executor's request no extension or refusal has answered yet."""
    answered = {d.answers_id for d in decisions(document) if d.answers_id is not None}
    waiting = [d for d in _decisions(document, ControlKind.REQUEST) if d.id not in answered]
    return waiting[-1] if waiting else None


def decisions(document: Document) -> list[ControlDecision]:
    """Every request and decision on the document's deadline, oldest first."""
    db.session.flush()
    return list(db.session.scalars(select(ControlDecision)
                                   .where(ControlDecision.document_id == document.id)
                                   .order_by(ControlDecision.id)))


def _decisions(document: Document, kind: ControlKind) -> list[ControlDecision]:
    return [d for d in decisions(document) if d.kind is kind]


def _record(document: Document, kind: ControlKind, author: User, now: datetime, reason: str,
            **fields) -> ControlDecision:
    decision = ControlDecision(document_id=document.id, kind=kind, author_id=author.id,
                               at=now, reason=reason, **fields)
    db.session.add(decision)
    return decision


@dataclass(frozen=True)
class RedirectWindow:
    """How long a document waiting for a resolution may still be redirected by competence
    in time: ``by`` the last day, ``left`` working days from today (negative: late)."""

    by: date
    left: int


def redirect_window(document: Document, *, rules: DeadlineRules,
                    today: date) -> RedirectWindow | None:
    """For a document on resolution: the APC's 3 working days, counted from the day after
    registration, to send it on to the competent body; None in any other state."""
    if document.state is not DocumentState.ON_RESOLUTION:
        return None
    by = rules.calendar.add_working_days(registered_on(document, rules.zone),
                                         REDIRECT_WORKING_DAYS)
    return RedirectWindow(by=by, left=rules.calendar.working_days_between(today, by))
