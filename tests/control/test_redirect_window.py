"""Redirection by competence within 3 working days of the registration: the head's desk
and the document page say by when, and how many working days are left."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import force_locale

from app.control.panel import redirect_words
from app.control.service import redirect_window
from app.extensions import db
from app.registration.service import register
from app.settings import current_settings
from app.timeutil import day_text, utcnow
from app.workflow.deadlines import DeadlineRules
from tests.execution import road
from tests.factories import Org, make_document

ZONE = "Asia/Almaty"
#: Friday 11 December 2026, 16:00 in Almaty
FRIDAY = datetime(2026, 12, 11, 11, 0, tzinfo=UTC)


def test_three_working_days_from_the_registration(db_session):
    org = Org()
    rules = DeadlineRules.of(current_settings())
    doc = make_document(received_at=FRIDAY)
    register(doc, clerk=org.clerk, now=FRIDAY, zone=ZONE)

    # Monday 14th, Tuesday 15th, (Independence Day on the 16th), Thursday 17th
    window = redirect_window(doc, rules=rules, today=date(2026, 12, 14))
    assert (window.by, window.left) == (date(2026, 12, 17), 2)
    last = redirect_window(doc, rules=rules, today=date(2026, 12, 17))
    assert last.left == 0
    with force_locale("en"):
        assert redirect_words(last) == "redirect by: 17.12.2026, today is the last day"
    assert redirect_window(doc, rules=rules, today=date(2026, 12, 18)).left == -1


def test_only_a_document_waiting_for_a_resolution_has_one(db_session):
    org = Org()
    rules = DeadlineRules.of(current_settings())
    doc = road.assigned(road.registered(make_document(), org), org)
    assert redirect_window(doc, rules=rules, today=date.today()) is None


def test_the_desk_and_the_page_say_how_long_is_left(app, login):
    with app.app_context():
        org = Org()
        doc = make_document()
        register(doc, clerk=org.clerk, now=utcnow(), zone=ZONE)
        rules = DeadlineRules.of(current_settings())
        by = rules.calendar.add_working_days(rules.today(utcnow()), 3)
        db.session.commit()
        doc_id = doc.id
    words = f"redirect by: {day_text(by)}, 3 working days left"

    client = login("head")
    desk = client.get("/resolution/?tab=resolution", headers={"Accept-Language": "en"}).text
    page = client.get(f"/documents/{doc_id}", headers={"Accept-Language": "en"}).text

    assert words in desk
    assert words in page
