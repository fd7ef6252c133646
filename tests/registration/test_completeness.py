"""Completeness within the permits law's two working days: by when the clerk must have
checked an application (counted on the working calendar from the day it counts as
received), shown on its page and in the inbox, where an incomplete one is named so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.documents.models import Document, DocumentFamily
from app.documents.states import DocumentState
from app.extensions import db
from app.registration.completeness import completeness_due, completeness_of
from app.workdays import Calendar, WorkingHours
from tests.permits.steps import received

HOURS = WorkingHours(zone="Asia/Almaty")  # UTC+5


def arrived(at: datetime, *, family=DocumentFamily.APPLICATION,
            state=DocumentState.RECEIVED) -> Document:
    return Document(kind="licence_new" if family is DocumentFamily.APPLICATION
                    else "appeal_individual", family=family, state=state, received_at=at)


@pytest.mark.parametrize(("at", "due"), [
    # Wednesday 10:00 in Almaty: Thursday and Friday are the two working days
    (datetime(2026, 11, 18, 5, 0, tzinfo=UTC), date(2026, 11, 20)),
    # Wednesday 19:00, after working hours: received on Thursday, so Friday and Monday
    (datetime(2026, 11, 18, 14, 0, tzinfo=UTC), date(2026, 11, 23)),
    # Saturday: received on Monday, so Tuesday and Wednesday
    (datetime(2026, 11, 21, 6, 0, tzinfo=UTC), date(2026, 11, 25)),
    # Monday before Independence Day (16 December, a Wednesday): Tuesday and Thursday
    (datetime(2026, 12, 14, 5, 0, tzinfo=UTC), date(2026, 12, 17)),
])
def test_the_check_is_due_two_working_days_after_arrival(at, due):
    assert completeness_due(arrived(at), calendar=Calendar(), hours=HOURS) == due


def test_a_day_off_by_decree_moves_the_check():
    at = datetime(2026, 11, 18, 5, 0, tzinfo=UTC)
    calendar = Calendar(days_off=[date(2026, 11, 19)])
    assert completeness_due(arrived(at), calendar=calendar, hours=HOURS) == date(2026, 11, 23)


def test_only_an_application_waiting_for_the_clerk_has_the_check_to_do():
    at = datetime(2026, 11, 18, 5, 0, tzinfo=UTC)
    appeal = arrived(at, family=DocumentFamily.APPEAL)
    registered = arrived(at, state=DocumentState.ON_RESOLUTION)
    refused = arrived(at, state=DocumentState.REJECTED)
    for doc in (appeal, registered, refused):
        assert completeness_due(doc, calendar=Calendar(), hours=HOURS) is None
    waiting = completeness_of(arrived(at), calendar=Calendar(), hours=HOURS,
                              today=date(2026, 11, 20))
    assert waiting.due == date(2026, 11, 20) and not waiting.late
    late = completeness_of(arrived(at), calendar=Calendar(), hours=HOURS,
                           today=date(2026, 11, 23))
    assert late.late


def test_the_page_and_the_inbox_say_incomplete_and_by_when(db_session, portal, login):
    incomplete = received(portal, "licence-restore", sender="ELICENSE", attachments=())
    incomplete.received_at = datetime(2026, 11, 18, 5, 0, tzinfo=UTC)
    complete = received(portal, "licence-restore", sender="ELICENSE")
    appeal = received(portal, "appeal", sender="EGOV")
    db.session.flush()
    client = login("clerk")
    client.get("/language/ru")

    page = client.get(f"/documents/{incomplete.id}").text
    assert 'id="incomplete"' in page and 'id="completeness-due"' in page
    assert "в течение 2 рабочих дней" in page and "20.11.2026" in page
    assert "Срок истёк." in page
    assert 'id="completeness-due"' not in client.get(f"/documents/{appeal.id}").text

    inbox = client.get("/", query_string={"kind": "licence_restore"}).text
    rows = {doc.id: row_of(inbox, doc) for doc in (incomplete, complete)}
    assert "Некомплектно" in rows[incomplete.id]
    assert "Проверить комплектность до 20.11.2026" in rows[incomplete.id]
    assert "Некомплектно" not in rows[complete.id]
    assert "Проверить комплектность до" in rows[complete.id]
    appeals = client.get("/", query_string={"kind": "appeal_individual"}).text
    assert "Проверить комплектность до" not in row_of(appeals, appeal)


def row_of(page: str, doc: Document) -> str:
    """The inbox row of ``doc``: from its link to the end of its row."""
    start = page.index(f"/documents/{doc.id}")
    return page[start:page.index("</tr>", start)]
