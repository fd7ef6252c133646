"""The reminders' job run twice in a row (a tick repeated, a worker restarted) writes each
reminder once: the second run finds nothing left to do. (Mark delivery, sealing and the
e-mail outbox claim their rows: tests/marks, tests/audit, tests/notifications.)"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.jobs import remind_job
from app.notifications.models import Notification
from app.settings import current_settings
from app.timeutil import local, utcnow
from tests.factories import make_controlled, user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_reminders_job_run_twice_writes_each_reminder_once(committed_db):
    app = committed_db
    with app.app_context():
        today = local(utcnow(), current_settings().body.zone).date()
        executor, head = user("executor"), user("head")
        make_controlled(n=1, due=today, executor=executor, approver=head)  # due today
        make_controlled(n=2, due=today - timedelta(days=3), executor=executor,
                        approver=head)  # overdue: the executor and the head
        db.session.commit()

    assert remind_job(app) == 3
    assert remind_job(app) == 0
    with app.app_context():
        assert _count(Notification) == 3
