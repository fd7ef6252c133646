"""A reopened document is owed an answer again: its period counts anew from the reopening,
by the rule in force when it first arrived; the extension's ceiling follows; a calendar
change recomputes it from the reopening. Open documents without a deadline (registered
before the rules existed) get theirs from ``backfill_open_deadlines`` (``qujat init-db``),
once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.control.service import extension_limit
from app.deadlines.compute import compute_deadline
from app.deadlines.service import (
    DeadlineSetup,
    backfill_open_deadlines,
    legal_deadline,
    load_rules,
    reopen,
    set_calendar_day,
)
from app.documents.states import Action, DocumentState
from app.registration.service import register
from app.resolution import service as resolution
from app.workdays import Calendar, WorkingHours
from tests.factories import Org, deadline_rules, make_document

HOURS = WorkingHours()
#: Monday 5 October 2026, 10:00 in Almaty
ARRIVED = datetime(2026, 10, 5, 5, 0, tzinfo=UTC)
#: Tuesday 1 December 2026, 10:00 in Almaty: long past the first period
REOPENED = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


@pytest.fixture
def org(db_session):
    return Org()


def _setup() -> DeadlineSetup:
    return DeadlineSetup.load(calendar=Calendar(), hours=HOURS)


def _left(org, n=1):
    doc = make_document(n=n, received_at=ARRIVED)
    register(doc, clerk=org.clerk, now=ARRIVED, zone="Asia/Almaty")
    resolution.leave_without_consideration(doc, head=org.head, reason="Анонимное",
                                           now=ARRIVED)
    return doc


def test_a_reopened_document_counts_its_period_anew_from_the_reopening(org):
    doc = _left(org)
    first_due = compute_deadline("statement", ARRIVED, rules=load_rules(),
                                 calendar=Calendar(), hours=HOURS).due
    assert first_due == date(2026, 10, 27)  # Republic Day moved to the 26th

    deadline = reopen(doc, admin=org.admin, reason="Новые обстоятельства", now=REOPENED,
                      setup=_setup())

    # 15 working days from Wednesday 2 December; Independence Day (16 December) skipped
    assert deadline is not None and deadline.due == date(2026, 12, 23)
    assert (doc.state, doc.due_date, doc.due_date_by_hand, doc.deadline_rule_code) == (
        DocumentState.ON_RESOLUTION, date(2026, 12, 23), False, "appc-statement-2021")
    entry = doc.history[-1]
    assert entry.action is Action.REOPEN
    assert entry.facts == {"due": "2026-12-23", "deadline_rule": "appc-statement-2021"}
    # the page explains it: first arrival kept, the reopening the period counts from
    explained = legal_deadline(doc, _setup())
    assert explained.due == date(2026, 12, 23)
    assert explained.arrived_at == HOURS.local(ARRIVED)
    assert explained.reopened_at == HOURS.local(REOPENED)
    assert (explained.registered_on, explained.start) == (date(2026, 12, 1),
                                                          date(2026, 12, 2))
    # the extension's ceiling: two months from the reopening, not from the first arrival
    assert extension_limit(doc, deadline_rules()) == date(2027, 2, 1)


def test_a_reopening_after_hours_counts_from_the_next_working_day(org):
    doc = _left(org)
    friday_evening = datetime(2026, 12, 4, 14, 0, tzinfo=UTC)  # 19:00 in Almaty

    deadline = reopen(doc, admin=org.admin, reason="Ошибка", now=friday_evening,
                      setup=_setup())

    assert deadline.registered_on == date(2026, 12, 7)
    assert deadline.registration_reason == "after_hours"


def test_a_calendar_change_recomputes_a_reopened_document_from_its_reopening(org):
    doc = _left(org)
    reopen(doc, admin=org.admin, reason="Новые обстоятельства", now=REOPENED,
           setup=_setup())

    moved = set_calendar_day(date(2026, 12, 10), working=False, note="Постановление № 1",
                             admin=org.admin, now=REOPENED, calendar=Calendar(), hours=HOURS)

    assert moved == 1
    assert doc.due_date == date(2026, 12, 24)  # one more working day, never October's
    assert doc.history[-1].facts["previous_due"] == "2026-12-23"


def test_open_documents_without_a_deadline_get_theirs_once(org, db_session):
    waiting = make_document(n=1, received_at=ARRIVED)
    register(waiting, clerk=org.clerk, now=ARRIVED, zone="Asia/Almaty")
    closed = _left(org, n=2)
    # as a database from before the deadline rules holds them
    waiting.due_date = waiting.deadline_rule_code = None
    db_session.flush()

    given = backfill_open_deadlines(_setup(), now=REOPENED)

    assert given == 1
    assert (waiting.due_date, waiting.deadline_rule_code, waiting.due_date_by_hand) == (
        date(2026, 10, 27), "appc-statement-2021", False)
    entry = waiting.history[-1]
    assert (entry.action, entry.actor_id, entry.facts["backfilled"]) == (
        Action.RECOMPUTE_DEADLINE, None, True)
    assert closed.due_date is None
    assert backfill_open_deadlines(_setup(), now=REOPENED) == 0
