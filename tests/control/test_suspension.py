"""The head suspends the consideration where the law allows (another body's answer is
awaited): the clock stops, the document is "suspended", never overdue; resuming moves the
deadline by the working days it stood still. Both are in the history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.control.models import ControlKind
from app.control.service import decisions, extension_limit, resume, suspend
from app.documents.states import Action
from app.errors import Refused
from app.resolution.queries import HeadDesk, Tab
from app.workflow.deadlines import Urgency

REGISTERED = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)  # Monday 30 November, 10:00 Almaty
DUE = date(2026, 12, 21)
#: Monday 14 December 2026 and Friday 18 December: Wednesday 16th is Independence Day
SUSPENDED = datetime(2026, 12, 14, 6, 0, tzinfo=UTC)
RESUMED = datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
GROUND = "Запрошено заключение Комитета автомобильных дорог (исх. № 12-4/881)"


def test_the_clock_stops_and_resumes_by_the_working_days_spent(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)

    suspend(doc, head=org.head, reason=GROUND, now=SUSPENDED)
    assert doc.suspended_since == SUSPENDED and doc.due_date == DUE
    # long past its date, a suspended document is still not overdue
    assert rules.urgency_of(doc, today=date(2026, 12, 25)) is Urgency.SUSPENDED

    decision = resume(doc, head=org.head, reason="Заключение получено", now=RESUMED,
                      rules=rules)

    # the 15th, 17th and 18th did not count (the 16th is a holiday anyway)
    assert decision.working_days == 3
    assert doc.due_date == date(2026, 12, 24) and doc.suspended_since is None
    assert doc.due_date_by_hand  # the suspended days are in it: a rule change keeps them
    assert rules.urgency_of(doc, today=date(2026, 12, 25)) is Urgency.OVERDUE
    assert [(d.kind, d.previous_due, d.due) for d in decisions(doc)] == [
        (ControlKind.SUSPENSION, DUE, DUE),
        (ControlKind.RESUMPTION, DUE, date(2026, 12, 24)),
    ]
    suspended, resumed = doc.history[-2:]
    assert (suspended.action, suspended.comment, suspended.actor_id) == (
        Action.SUSPEND, GROUND, org.head.id)
    assert (resumed.action, resumed.facts) == (Action.RESUME, {
        "suspended_days": 3, "due": "2026-12-24", "previous_due": "2026-12-21"})


def test_suspended_and_resumed_on_one_day_the_deadline_stays(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)
    suspend(doc, head=org.head, reason=GROUND, now=SUSPENDED)
    assert resume(doc, head=org.head, now=SUSPENDED, rules=rules).working_days == 0
    assert doc.due_date == DUE


def test_the_days_suspended_move_the_two_month_limit(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)
    assert extension_limit(doc, rules) == date(2027, 1, 30)
    suspend(doc, head=org.head, reason=GROUND, now=SUSPENDED)
    resume(doc, head=org.head, now=RESUMED, rules=rules)
    # 30 January 2027 is a Saturday: three working days on, Wednesday 3 February
    assert extension_limit(doc, rules) == date(2027, 2, 3)


def test_suspending_twice_resuming_a_running_clock_and_no_ground_are_refused(
        org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)
    with pytest.raises(Refused) as running:
        resume(doc, head=org.head, now=RESUMED, rules=rules)
    assert running.value.code == "not_suspended"
    with pytest.raises(Refused) as groundless:
        suspend(doc, head=org.head, reason="  ", now=SUSPENDED)
    assert groundless.value.code == "suspension_reason_missing"
    suspend(doc, head=org.head, reason=GROUND, now=SUSPENDED)
    with pytest.raises(Refused) as twice:
        suspend(doc, head=org.head, reason=GROUND, now=RESUMED)
    assert twice.value.code == "already_suspended"


def test_the_heads_desk_counts_a_suspended_document_neither_overdue_nor_due_soon(
        org, rules, in_execution):
    late = in_execution(REGISTERED, DUE)
    suspended = in_execution(REGISTERED, DUE)
    suspend(suspended, head=org.head, reason=GROUND, now=SUSPENDED)
    desk = HeadDesk(head=org.head, today=date(2026, 12, 22), soon=date(2026, 12, 25))

    assert desk.documents(Tab.OVERDUE) == [late]
    assert suspended in desk.documents(Tab.CONTROL)
