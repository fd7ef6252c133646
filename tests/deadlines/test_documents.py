"""Every document has its legal deadline from registration on: the head sees it while the
document waits for his resolution, the resolution proposes it, the page explains it; when
the calendar or a rule changes, open documents follow and say so in their history, and a
deadline a head set by hand stays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.deadlines.compute import compute_deadline
from app.deadlines.service import (
    DeadlineSetup,
    load_rules,
    recompute_open_deadlines,
    save_rule,
    seed_rules,
    set_calendar_day,
)
from app.documents.states import Action, DocumentState
from app.errors import Refused
from app.resolution import service as resolution
from app.timeutil import utcnow
from app.workdays import Calendar, WorkingHours
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document

HOURS = WorkingHours()


@pytest.fixture
def org(db_session):
    return Org()


def _setup() -> DeadlineSetup:
    return DeadlineSetup.load(calendar=Calendar(), hours=HOURS)


def _first_weekday_after(day: date) -> date:
    day += timedelta(days=1)
    while not Calendar().is_working_day(day):
        day += timedelta(days=1)
    return day


def test_registration_gives_the_legal_deadline_and_names_its_rule(org):
    arrived = datetime(2026, 11, 6, 14, 0, tzinfo=UTC)  # 19:00 in Almaty, a Friday
    complaint = make_document(received_at=arrived)
    complaint.content = {**complaint.content, "subtype": "complaint"}
    licence = make_document(kind="licence_new", n=2, received_at=arrived)
    road.registered(complaint, org)
    road.registered(licence, org)

    assert (complaint.due_date, complaint.deadline_rule_code) == (
        date(2026, 12, 7), "appc-complaint-2021")
    assert complaint.due_date_by_hand is False
    assert licence.deadline_rule_code == "permits-licence-new-2014"
    # 30 working days from Monday the 9th, Independence Day (16 December) skipped
    assert licence.due_date == date(2026, 12, 22)
    registration = next(e for e in complaint.history if e.action is Action.REGISTER)
    assert registration.facts["due"] == "2026-12-07"
    assert registration.facts["deadline_rule"] == "appc-complaint-2021"


def test_the_resolution_proposes_the_legal_deadline_later_only_with_a_reason(org):
    doc = road.registered(make_document(), org)
    assert doc.state is DocumentState.ON_RESOLUTION
    legal = doc.due_date
    proposed = resolution.proposed_due_date(doc, _setup())
    assert proposed == legal == compute_deadline(
        "statement", doc.received_at, rules=load_rules(), calendar=Calendar(),
        hours=HOURS).due
    with pytest.raises(Refused) as refused:
        resolution.assign(doc, head=org.head, executor=org.executor,
                          due_date=legal + timedelta(days=7), proposed=proposed, now=utcnow(),
                          rules=deadline_rules())
    assert refused.value.code == "deadline_later_without_reason"
    resolution.assign(doc, head=org.head, executor=org.executor, due_date=legal,
                      proposed=proposed, now=utcnow(), rules=deadline_rules())
    assert (doc.due_date, doc.due_date_by_hand) == (legal, False)


def test_a_calendar_change_moves_open_deadlines_and_says_so(org, db_session):
    legal = road.registered(make_document(), org)
    by_hand = road.registered(make_document(n=2), org)
    proposed = by_hand.due_date
    resolution.assign(by_hand, head=org.head, executor=org.executor,
                      due_date=proposed - timedelta(days=1), proposed=proposed, now=utcnow(),
                      rules=deadline_rules())
    assert by_hand.due_date_by_hand
    closed = road.registered(make_document(n=3), org)
    resolution.leave_without_consideration(closed, head=org.head, reason="Повторное",
                                           now=utcnow())
    before, hand_set = legal.due_date, by_hand.due_date
    day_off = _first_weekday_after(local_day(legal.received_at))

    moved = set_calendar_day(day_off, working=False, note="Постановление № 1", admin=org.admin,
                             now=utcnow(), calendar=Calendar(), hours=HOURS)

    assert moved == 1
    assert legal.due_date == _first_weekday_after(before)
    entry = legal.history[-1]
    assert entry.action is Action.RECOMPUTE_DEADLINE and entry.actor_id == org.admin.id
    assert entry.facts["previous_due"] == before.isoformat()
    assert entry.facts["due"] == legal.due_date.isoformat()
    assert entry.facts["calendar_day"] == day_off.isoformat()
    assert entry.comment == "Постановление № 1"
    assert entry.to_state is DocumentState.ON_RESOLUTION  # the state stays
    assert by_hand.due_date == hand_set and by_hand.history[-1].action is Action.ASSIGN
    assert closed.due_date is None
    # the same change again moves nothing and writes nothing
    count = len(legal.history)
    assert recompute_open_deadlines(_setup(), admin=org.admin, now=utcnow(),
                                    why={"calendar_day": day_off.isoformat()}) == 0
    assert len(legal.history) == count


def test_a_rule_change_moves_the_documents_it_judges(org):
    statement = road.registered(make_document(), org)
    licence = road.registered(make_document(kind="licence_new", n=2), org)
    before_licence = licence.due_date
    seed_rules()
    rule = load_rules().rule_for("statement", date.today()).to_dict()
    save_rule({**rule, "period": 10}, admin=org.admin, now=utcnow(), calendar=Calendar(),
              hours=HOURS)
    assert statement.due_date == compute_deadline(
        "statement", statement.received_at, rules=load_rules(), calendar=Calendar(),
        hours=HOURS).due
    assert statement.history[-1].facts["changed_rule"] == "appc-statement-2021"
    assert licence.due_date == before_licence


def local_day(moment: datetime) -> date:
    return HOURS.local(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).date()


def test_the_shipped_rules_are_copied_once_and_then_read_from_the_database(db_session):
    from app.deadlines.rules import shipped_rules

    assert load_rules() == shipped_rules()  # an empty table: the shipped rules apply
    assert seed_rules() == len(shipped_rules().rules)
    assert seed_rules() == 0
    assert {r.code for r in load_rules().rules} == {r.code for r in shipped_rules().rules}
