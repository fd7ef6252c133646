"""The bell on the desk, the list of one's notifications, the account's e-mail settings,
the administrator's users and jobs pages."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.reminders import write_reminders
from app.settings import current_settings
from tests.conftest import csrf_token
from tests.factories import make_controlled, user

MONDAY = date(2026, 11, 23)


def _overdue_and_due_soon(app) -> list[int]:
    """Two notifications for the executor (one overdue, one due soon), one for the head."""
    with app.app_context():
        executor, head = user("executor"), user("head")
        first = make_controlled(n=1, due=date(2026, 11, 20), executor=executor, approver=head)
        second = make_controlled(n=2, due=date(2026, 11, 24), executor=executor, approver=head)
        write_reminders(current_settings(), today=MONDAY)
        return [first.id, second.id]


def _bell(html: str) -> str:
    found = re.search(r'class="bell[^"]*".*?<span class="count">(\d+)</span>', html, re.S)
    assert found, "no bell on the page"
    return found.group(1)


def test_the_bell_counts_unread_and_the_list_leads_to_the_document(app, login):
    first, _second = _overdue_and_due_soon(app)
    executor = login("executor")

    desk = executor.get("/execution/")
    assert _bell(desk.text) == "2"
    page = executor.get("/notifications")
    assert page.status_code == 200
    assert "ЖТ-2026-000001" in page.text and "ЖТ-2026-000002" in page.text
    with app.app_context():
        overdue = db.session.scalar(select(Notification.id).where(
            Notification.document_id == first, Notification.user_id == user("executor").id))

    opened = executor.post(f"/notifications/{overdue}/open",
                           data={"csrf_token": csrf_token(page.text)})

    assert opened.status_code == 302 and opened.location.endswith(f"/documents/{first}")
    assert _bell(executor.get("/notifications").text) == "1"


def test_mark_all_read(app, login):
    _overdue_and_due_soon(app)
    executor = login("executor")
    page = executor.get("/notifications")

    executor.post("/notifications/read", data={"csrf_token": csrf_token(page.text)})

    assert _bell(executor.get("/notifications").text) == "0"
    with app.app_context():  # the head's own stays unread
        unread = db.session.scalars(select(Notification.user_id).where(
            Notification.read_at.is_(None))).all()
        assert unread == [user("head").id]


def test_another_users_notification_is_not_found(app, login):
    _overdue_and_due_soon(app)
    with app.app_context():
        heads = db.session.scalar(select(Notification.id).where(
            Notification.user_id == user("head").id))
    executor = login("executor")
    page = executor.get("/notifications")

    answer = executor.post(f"/notifications/{heads}/open",
                           data={"csrf_token": csrf_token(page.text)})

    assert answer.status_code == 404


def test_a_user_sets_an_e_mail_address_and_turns_e_mail_off(app, login):
    executor = login("executor")
    page = executor.get("/account")
    assert page.status_code == 200

    bad = executor.post("/account", data={"csrf_token": csrf_token(page.text),
                                          "email": "not an address",
                                          "email_notifications": "y"})
    assert bad.status_code == 422 and "not an address" in bad.text
    executor.post("/account", data={"csrf_token": csrf_token(page.text),
                                    "email": "executor@example.kz"})  # box unticked: off

    with app.app_context():
        me = db.session.scalar(select(User).where(User.login == "executor"))
        assert (me.email, me.email_notifications) == ("executor@example.kz", False)


def test_the_administrator_gives_a_user_an_e_mail_address(app, login):
    admin = login("admin")
    with app.app_context():
        person = user("executor")
        person_id, roles = person.id, [r.value for r in person.role_set]
    page = admin.get("/admin/users")

    admin.post(f"/admin/users/{person_id}", data={
        "csrf_token": csrf_token(page.text), f"u{person_id}-roles": roles,
        f"u{person_id}-active": "y", f"u{person_id}-email": "orындаушы@example.kz"})

    with app.app_context():
        assert db.session.get(User, person_id).email == "orындаушы@example.kz"
    assert 'value="orындаушы@example.kz"' in admin.get("/admin/users").text


def test_the_administrator_sees_the_jobs_last_runs(app, login):
    from apscheduler.schedulers.background import BackgroundScheduler

    from app import jobs

    scheduler = BackgroundScheduler(timezone="UTC")
    jobs._add_jobs(scheduler, app)
    scheduler.get_job("audit.seal").func()

    page = login("admin").get("/admin/jobs")

    assert page.status_code == 200
    assert "audit.seal" in page.text and "notifications.remind" not in page.text
    assert login("executor").get("/admin/jobs").status_code == 403
