"""Reminders before a deadline and overdue notices, with the calendar pinned to a day:
each written once per document, person, kind and deadline, whatever runs them twice."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.documents.states import DocumentState
from app.extensions import db
from app.notifications.models import Notification, NotificationKind
from app.notifications.reminders import write_reminders
from app.settings import current_settings
from app.workdays import Calendar
from tests.factories import make_controlled, user

#: Monday 23 November 2026: the 3rd working day after is Thursday the 26th
MONDAY = date(2026, 11, 23)


def _written() -> set[tuple[str, str, str, int, str]]:
    return {(n.document.registration_number or "", n.user.login, n.kind.value, n.days_before,
             n.due_date.isoformat())
            for n in db.session.scalars(select(Notification))}


@pytest.fixture
def people(db_session):
    return user("executor"), user("head")


def test_the_executor_is_reminded_3_and_1_working_days_ahead_and_both_are_told_when_overdue(
        people):
    executor, head = people
    make_controlled(n=1, due=date(2026, 11, 26), executor=executor, approver=head)  # in 3
    make_controlled(n=2, due=date(2026, 11, 24), executor=executor, approver=head)  # in 1
    make_controlled(n=3, due=MONDAY, executor=executor, approver=head)  # today
    make_controlled(n=4, due=date(2026, 11, 20), executor=executor, approver=head)  # Friday
    make_controlled(n=5, due=date(2026, 11, 27), executor=executor, approver=head)  # in 4
    make_controlled(n=6, due=date(2026, 11, 19), executor=executor, approver=head,
                    state=DocumentState.ANSWERED)  # closed: nothing

    assert write_reminders(current_settings(), today=MONDAY) == 5

    assert _written() == {
        ("ЖТ-2026-000001", "executor", "due_soon", 3, "2026-11-26"),
        ("ЖТ-2026-000002", "executor", "due_soon", 1, "2026-11-24"),
        ("ЖТ-2026-000003", "executor", "due_soon", 1, "2026-11-23"),
        ("ЖТ-2026-000004", "executor", "overdue", 0, "2026-11-20"),
        ("ЖТ-2026-000004", "head", "overdue", 0, "2026-11-20"),
    }


def test_a_second_run_writes_nothing_and_the_next_days_bring_the_next_reminders(people):
    executor, head = people
    document = make_controlled(n=1, due=date(2026, 11, 26), executor=executor, approver=head)

    assert write_reminders(current_settings(), today=MONDAY) == 1
    assert write_reminders(current_settings(), today=MONDAY) == 0
    # Tuesday: 2 working days left, still within the 3-day reminder, already sent
    assert write_reminders(current_settings(), today=date(2026, 11, 24)) == 0
    # Wednesday: 1 working day left
    assert write_reminders(current_settings(), today=date(2026, 11, 25)) == 1
    # Thursday, the day itself: the 1-day reminder stands for it too
    assert write_reminders(current_settings(), today=date(2026, 11, 26)) == 0
    # Friday: overdue, to the executor and the head who resolved it, once
    assert write_reminders(current_settings(), today=date(2026, 11, 27)) == 2
    assert write_reminders(current_settings(), today=date(2026, 11, 30)) == 0

    kinds = sorted((n.kind.value, n.days_before, n.user.login)
                   for n in db.session.scalars(select(Notification)))
    assert kinds == [("due_soon", 1, "executor"), ("due_soon", 3, "executor"),
                     ("overdue", 0, "executor"), ("overdue", 0, "head")]
    texts = {n.days_before: n.params for n in document_notes(document.id)
             if n.kind is NotificationKind.DUE_SOON}
    assert texts[3]["days"] == 3 and texts[1]["days"] == 1


def document_notes(document_id: int) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.document_id == document_id)))


def test_a_moved_deadline_makes_new_reminders_possible(people):
    executor, head = people
    document = make_controlled(n=1, due=date(2026, 11, 20), executor=executor, approver=head)
    assert write_reminders(current_settings(), today=MONDAY) == 2  # overdue, twice

    document.due_date = date(2026, 11, 26)  # extended
    db.session.flush()

    assert write_reminders(current_settings(), today=MONDAY) == 1
    assert ("ЖТ-2026-000001", "executor", "due_soon", 3, "2026-11-26") in _written()


def test_a_suspended_document_is_neither_due_soon_nor_overdue(people):
    executor, head = people
    overdue = make_controlled(n=1, due=date(2026, 11, 20), executor=executor, approver=head)
    soon = make_controlled(n=2, due=date(2026, 11, 24), executor=executor, approver=head)
    for document in (overdue, soon):
        document.suspended_since = datetime(2026, 11, 19, 6, 0, tzinfo=UTC)
    db.session.flush()

    assert write_reminders(current_settings(), today=MONDAY) == 0


def test_a_document_waiting_for_its_resolution_tells_the_head_expected_to_write_it(people):
    _executor, head = people
    document = make_controlled(n=1, due=date(2026, 11, 20), state=DocumentState.ON_RESOLUTION)
    document.resolver_id = head.id
    db.session.flush()

    assert write_reminders(current_settings(), today=MONDAY) == 1
    assert _written() == {("ЖТ-2026-000001", "head", "overdue", 0, "2026-11-20")}


def test_the_reminder_days_are_a_setting(people):
    executor, head = people
    make_controlled(n=1, due=date(2026, 11, 30), executor=executor, approver=head)  # in 5
    settings = dataclasses.replace(current_settings(), reminder_days=(5,))

    assert write_reminders(settings, today=MONDAY) == 1
    assert write_reminders(current_settings(), today=MONDAY) == 0  # 5 is beyond 3


def test_the_text_is_said_in_the_readers_language(app, people):
    from flask_babel import force_locale

    from app.notifications.texts import text

    executor, head = people
    make_controlled(n=1, due=date(2026, 11, 24), executor=executor, approver=head)
    write_reminders(current_settings(), today=MONDAY)
    notification = db.session.scalars(select(Notification)).one()

    with app.test_request_context():
        with force_locale("en"):
            english = text(notification)
        with force_locale("ru"):
            russian = text(notification)
    assert english == "Document ЖТ-2026-000001 is due in 1 working day, on 24.11.2026."
    assert russian != english and "ЖТ-2026-000001" in russian and "24.11.2026" in russian


def test_lead_days_are_working_days_of_the_deadlines_calendar_and_overdue_starts_the_day_after(
        people):
    executor, head = people
    make_controlled(n=1, due=date(2026, 11, 27), executor=executor, approver=head)  # Friday
    make_controlled(n=2, due=date(2026, 11, 20), executor=executor, approver=head)
    settings = current_settings()

    # Saturday the 21st, the day after Friday the 20th's deadline (a day off): overdue
    assert write_reminders(settings, today=date(2026, 11, 21)) == 2
    # Monday: Friday the 27th is 4 working days ahead, nothing yet; with Wednesday made a
    # day off by decree it is 3, and the 3-day reminder is due
    assert write_reminders(settings, today=MONDAY) == 0
    assert write_reminders(settings, today=MONDAY, calendar=Calendar(
        days_off=[date(2026, 11, 25)])) == 1
    assert {(n, login, kind) for n, login, kind, _lead, _due in _written()} == {
        ("ЖТ-2026-000001", "executor", "due_soon"),
        ("ЖТ-2026-000002", "executor", "overdue"), ("ЖТ-2026-000002", "head", "overdue")}
