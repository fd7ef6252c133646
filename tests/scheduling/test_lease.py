"""A timed job takes its lease in job_runs before it runs: one run per tick, however many
workers tick, and each run's outcome recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.scheduling.lease import run_exclusive
from app.scheduling.models import JobRun, RunOutcome

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _at(moment: datetime):
    return lambda: moment


def test_a_second_worker_in_the_same_tick_finds_the_job_taken(db_session):
    ran = []
    gap = timedelta(seconds=8)  # of a 10-second period

    first = run_exclusive("test.job", lambda: ran.append("a") or 1, gap=gap,
                          holder="worker-a", clock=_at(NOON))
    second = run_exclusive("test.job", lambda: ran.append("b") or 1, gap=gap,
                           holder="worker-b", clock=_at(NOON + timedelta(seconds=3)))
    next_tick = run_exclusive("test.job", lambda: ran.append("b") or 1, gap=gap,
                              holder="worker-b", clock=_at(NOON + timedelta(seconds=10)))

    assert (first, second, next_tick) == ((True, 1), (False, None), (True, 1))
    assert ran == ["a", "b"]
    row = db.session.get(JobRun, "test.job")
    assert (row.runs, row.holder, row.last_outcome) == (2, "worker-b", RunOutcome.OK)
    assert row.last_started_at == NOON + timedelta(seconds=10)
    assert row.lease_until == NOON + timedelta(seconds=18)


def test_a_failure_is_recorded_and_lets_the_job_go_for_the_next_tick(db_session):
    def broken():
        raise RuntimeError("the portal is down")

    assert run_exclusive("test.job", broken, gap=timedelta(hours=1), holder="a",
                         clock=_at(NOON)) == (True, None)

    row = db.session.get(JobRun, "test.job")
    assert row.last_outcome is RunOutcome.FAILED and row.failures == 1
    assert row.last_error == "RuntimeError: the portal is down"
    # not held for the hour a success would keep it: the next tick tries again
    assert run_exclusive("test.job", lambda: "ok", gap=timedelta(hours=1), holder="b",
                         clock=_at(NOON + timedelta(seconds=1))) == (True, "ok")


def test_a_worker_killed_mid_run_holds_the_job_only_until_its_lease_runs_out(db_session):
    from app.scheduling.lease import claim

    assert claim("test.job", holder="killed", now=NOON, lease=timedelta(minutes=15))
    db.session.remove()

    held = run_exclusive("test.job", lambda: 1, gap=timedelta(seconds=8), holder="b",
                         clock=_at(NOON + timedelta(minutes=5)))
    after = run_exclusive("test.job", lambda: 1, gap=timedelta(seconds=8), holder="b",
                          clock=_at(NOON + timedelta(minutes=15)))

    assert (held, after) == ((False, None), (True, 1))


def test_work_each_process_does_for_itself_is_recorded_but_never_held(db_session):
    for holder in ("a", "b"):
        assert run_exclusive("test.local", lambda: None, gap=timedelta(hours=1),
                             holder=holder, clock=_at(NOON), exclusive=False) == (True, None)
    assert db.session.scalar(select(JobRun.runs).where(JobRun.job_id == "test.local")) == 2


def test_every_job_of_the_worker_runs_under_its_lease_and_is_recorded(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    from app import jobs

    scheduler = BackgroundScheduler(timezone="UTC")
    jobs._add_jobs(scheduler, app)
    found = {job.id: job for job in scheduler.get_jobs()}
    assert {"marks.deliver", "notifications.remind", "notifications.mail",
            "audit.seal", "audit.checkpoint", "blobs.sweep_incoming",
            "trust.reload_crls"} <= set(found)

    found["notifications.remind"].func()
    found["marks.deliver"].func()

    with app.app_context():
        rows = {r.job_id: r for r in db.session.scalars(select(JobRun))}
        assert rows["notifications.remind"].last_outcome is RunOutcome.OK
        assert rows["notifications.remind"].last_result == "0"
        assert rows["marks.deliver"].runs == 1


def test_workers_claiming_the_same_tick_at_once_get_it_once(committed_db):
    """Eight workers' claims of one tick race on their own connections: one wins."""
    import threading

    from app.scheduling.lease import claim

    start = threading.Barrier(8)
    won: list[str] = []

    def worker(name: str) -> None:
        with committed_db.app_context():
            start.wait()
            if claim("test.race", holder=name, now=NOON, lease=timedelta(minutes=1)):
                won.append(name)
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(won) == 1
    with committed_db.app_context():
        assert db.session.get(JobRun, "test.race").holder == won[0]
