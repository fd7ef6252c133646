"""The login sessions table does not grow for ever: the worker deletes sessions that ended
longer ago than ``qujat_session_retention_days``, and those started longer ago and still
open (such a login is abandoned: its cookie opens nothing once the row is gone)."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select, update

from app import jobs
from app.auth.models import LoginSession, SessionEnd, User
from app.auth.service import purge_sessions
from app.extensions import db
from app.scheduling.models import JobRun, RunOutcome
from app.timeutil import utcnow
from tests.conftest import PASSWORD, csrf_token

DAY = timedelta(days=1)


def _log_in(app, login: str):
    client = app.test_client()
    page = client.get("/login")
    answer = client.post("/login", data={"login": login, "password": PASSWORD,
                                         "csrf_token": csrf_token(page.text)})
    assert answer.status_code == 302, answer.text
    return client


def _opens(client) -> bool:
    """Whether the client's login opens the executor's desk (else: off to the login)."""
    answer = client.get("/execution/")
    assert answer.status_code in (200, 302), answer.status_code
    return answer.status_code == 200


def _sessions(user: User, now) -> dict[str, LoginSession]:
    """One session of each age and kind, by name."""
    rows = {
        "ended long ago": LoginSession(started_at=now - 40 * DAY, ended_at=now - 31 * DAY),
        "ended lately": LoginSession(started_at=now - 40 * DAY, ended_at=now - 29 * DAY),
        "open since long ago": LoginSession(started_at=now - 31 * DAY),
        "open": LoginSession(started_at=now - 29 * DAY),
        "ended today": LoginSession(started_at=now - DAY, ended_at=now),
    }
    for n, row in enumerate(rows.values()):
        row.user_id, row.token_sha256, row.address = user.id, f"{n:064d}", "10.0.0.1"
        if row.ended_at is not None:
            row.ended_why = SessionEnd.LOGOUT.value
    db.session.add_all(rows.values())
    db.session.flush()
    return rows


def _left() -> set[str]:
    return set(db.session.scalars(select(LoginSession.token_sha256)))


def test_sessions_past_the_retention_are_deleted_the_rest_kept(app):
    with app.app_context():
        now = utcnow()
        user = db.session.scalar(select(User).where(User.login == "clerk"))
        rows = _sessions(user, now)
        tokens = {name: row.token_sha256 for name, row in rows.items()}

        assert purge_sessions(now=now, retention=30 * DAY) == 2
        assert _left() == {tokens["ended lately"], tokens["open"], tokens["ended today"]}
        assert purge_sessions(now=now, retention=30 * DAY) == 0  # safe to run twice


def test_the_worker_purges_hourly_under_its_lease(app):
    scheduler = BackgroundScheduler(timezone="UTC")
    jobs._add_jobs(scheduler, app)
    job = {found.id: found for found in scheduler.get_jobs()}["auth.purge_sessions"]
    assert job.trigger.interval == timedelta(hours=1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "head"))
        _sessions(user, utcnow())
        db.session.commit()

    job.func()

    with app.app_context():
        run = db.session.scalar(select(JobRun).where(JobRun.job_id == "auth.purge_sessions"))
        assert run.last_outcome is RunOutcome.OK and run.last_result == "2"
        assert len(_left()) == 3


def test_a_login_left_open_past_the_retention_opens_nothing_once_purged(app):
    executor = _log_in(app, "executor")
    assert _opens(executor)
    with app.app_context():
        db.session.execute(update(LoginSession).values(started_at=utcnow() - 31 * DAY))
        assert purge_sessions(now=utcnow(), retention=30 * DAY) == 1
        db.session.commit()
    assert not _opens(executor)
