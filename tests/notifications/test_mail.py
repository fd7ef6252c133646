"""Notifications go by e-mail through a real SMTP server started by the test; when the
server is down nothing is lost and the e-mail goes later."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.mail import send_waiting_mail
from app.notifications.models import MailState, Notification
from app.notifications.reminders import write_reminders
from app.settings import Smtp, current_settings
from app.timeutil import utcnow
from tests.factories import make_controlled, user

MONDAY = date(2026, 11, 23)


@pytest.fixture
def people(db_session):
    executor, head = user("executor"), user("head")
    executor.email = "executor@example.kz"
    head.email = "head@example.kz"
    db.session.flush()
    return executor, head


def _settings(host: str, port: int):
    return dataclasses.replace(current_settings(), smtp=Smtp(
        host=host, port=port, sender="qujat@example.kz"))


def test_each_notification_is_e_mailed_once(people, smtp_server):
    host, port, mailbox = smtp_server
    make_controlled(n=1, due=date(2026, 11, 20), **_roles(people))
    settings = _settings(host, port)

    assert write_reminders(settings, today=MONDAY) == 2
    assert send_waiting_mail(settings.smtp) == 2
    assert send_waiting_mail(settings.smtp) == 0  # sent is sent

    to_head = mailbox.to("head@example.kz")
    assert len(to_head) == 1 and len(mailbox.messages) == 2
    assert to_head[0]["From"] == "qujat@example.kz"
    assert "ЖТ-2026-000001" in to_head[0]["Subject"]
    body = to_head[0].get_content()
    assert "ЖТ-2026-000001" in body and "20.11.2026" in body
    assert {n.mail_state for n in db.session.scalars(select(Notification))} == {MailState.SENT}


def _roles(people):
    executor, head = people
    return {"executor": executor, "approver": head}


def test_smtp_down_keeps_the_notification_and_the_e_mail_goes_when_it_is_back(
        people, smtp_server, closed_port):
    host, port, mailbox = smtp_server
    make_controlled(n=1, due=date(2026, 11, 24), **_roles(people))
    down = _settings("127.0.0.1", closed_port)

    assert write_reminders(down, today=MONDAY) == 1
    assert send_waiting_mail(down.smtp) == 0

    notification = db.session.scalars(select(Notification)).one()
    db.session.refresh(notification)
    assert notification.mail_state is MailState.WAITING and notification.mail_attempts == 1
    assert notification.mail_error and notification.read_at is None
    # not before its back-off; then through the server that is up
    up = _settings(host, port)
    assert send_waiting_mail(up.smtp) == 0
    assert send_waiting_mail(up.smtp, now=utcnow() + timedelta(minutes=2)) == 1
    assert len(mailbox.to("executor@example.kz")) == 1


def test_no_e_mail_for_a_user_who_turned_it_off_or_has_no_address(people, smtp_server):
    host, port, mailbox = smtp_server
    executor, head = people
    executor.email_notifications = False
    head.email = None
    make_controlled(n=1, due=date(2026, 11, 20), **_roles(people))
    settings = _settings(host, port)

    assert write_reminders(settings, today=MONDAY) == 2
    assert send_waiting_mail(settings.smtp) == 0

    assert mailbox.messages == []
    assert {n.mail_state for n in db.session.scalars(select(Notification))} == {None}


def test_without_smtp_notifications_stay_on_the_desk(people):
    make_controlled(n=1, due=date(2026, 11, 20), **_roles(people))
    assert current_settings().smtp is None

    assert write_reminders(current_settings(), today=MONDAY) == 2
    assert send_waiting_mail(None) == 0
    assert {n.mail_state for n in db.session.scalars(select(Notification))} == {None}
