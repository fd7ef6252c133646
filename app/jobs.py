"""Timed work, run in one place: ``qujat worker`` (or the demo's single process).

Each job is a thin wrapper around a service function, has a stable id, and is safe to run
twice or in two workers at once (mark delivery claims each mark it pushes with a lease;
sealing the audit chain holds its head; a reminder is written once per document, person,
kind and deadline by a unique key; an e-mail is claimed before it is sent). On top of that
every scheduled run first takes the job's lease in ``job_runs`` (``app.scheduling``), so
with two workers by mistake each job still runs once per tick, and its last run and
outcome are recorded for /admin/jobs.

The audit chain's head is signed with the system key every day (``audit.checkpoint``) and
when ``qujat worker`` stops (Ctrl+C or SIGTERM), so the last stretch of the chain before a
stop is vouched for too.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

log = logging.getLogger(__name__)


def deliver_marks_job(app: Flask) -> int:
    from app.marks.delivery import deliver_due_marks

    with app.app_context():
        return deliver_due_marks()


def verify_queued_job(app: Flask) -> int:
    """Verify the documents the queued intake stored, in batches (app/intake/queue.py)."""
    from app.documents.storage import blob_store
    from app.intake.queue import verify_queued
    from app.settings import current_settings
    from app.timeutil import utcnow
    from app.trust import current_policy

    with app.app_context():
        settings = current_settings()
        return verify_queued(policy=current_policy(), store=blob_store(),
                             batch=settings.intake_batch, clock=utcnow,
                             budget_seconds=verify_budget_seconds(settings.intake_verify_seconds))


def verify_budget_seconds(intake_verify_seconds: int) -> float:
    """How long one run of the queued intake's verification goes on taking batches: twenty
    ticks, at least 10 s. A stopping worker waits for it (deploy/qujat-worker.service's
    TimeoutStopSec allows for it)."""
    return max(intake_verify_seconds * 20, 10)


def reload_crls_job(app: Flask) -> None:
    from app.trust import reload_policy

    with app.app_context():
        reload_policy(app)


def sweep_blobs_job(app: Flask) -> int:
    from app.documents.storage import blob_store

    with app.app_context():
        removed = blob_store().sweep_incoming()
    if removed:
        log.info("removed %s half-written blob files left by killed processes", removed)
    return removed
def seal_audit_job(app: Flask) -> int:
    from app.audit.service import seal_all

    with app.app_context():
        return seal_all()


def checkpoint_job(app: Flask, reason: str = "daily") -> None:
    from app.audit.service import seal_and_sign

    with app.app_context():
        checkpoint = seal_and_sign(reason=reason)
        # in the worker's log too, outside the database a DBA could rewrite
        log.info("audit checkpoint %s (%s): %s entries, head %s", checkpoint.id, reason,
                 checkpoint.entries, checkpoint.head)


def remind_job(app: Flask) -> int:
    """Write the due reminders and overdue notices, then e-mail what waits."""
    from app.deadlines.service import urgency_rules
    from app.notifications.mail import send_waiting_mail
    from app.notifications.reminders import write_reminders
    from app.settings import current_settings

    with app.app_context():
        settings = current_settings()
        # counted on the deadlines' calendar: the administrator's day swaps too
        written = write_reminders(settings, today=_today(settings),
                                  calendar=urgency_rules(settings).calendar)
        send_waiting_mail(settings.smtp)
        return written


def mail_job(app: Flask) -> int:
    """E-mail the notifications that wait for it (new ones, and failed ones due again)."""
    from app.notifications.mail import send_waiting_mail
    from app.settings import current_settings

    with app.app_context():
        return send_waiting_mail(current_settings().smtp)


def fold_counts_job(app: Flask) -> int:
    """Fold the rows the documents' triggers appended into one per state, so the desks'
    counts stay a sum over a few rows (app/documents/counts.py)."""
    from app.documents.counts import fold
    from app.extensions import db

    with app.app_context():
        folded = fold()
        db.session.commit()
        return folded


def purge_sessions_job(app: Flask) -> int:
    """Delete the login sessions past ``qujat_session_retention_days``."""
    from app.auth.service import purge_sessions
    from app.extensions import db
    from app.settings import current_settings
    from app.timeutil import utcnow

    with app.app_context():
        days = current_settings().session_retention_days
        removed = purge_sessions(now=utcnow(), retention=timedelta(days=days))
        db.session.commit()
    if removed:
        log.info("deleted %s login sessions ended or started over %s days ago", removed, days)
    return removed


def _today(settings) -> date:
    """The body's local date, or the one a test pinned (QUJAT_TEST_TODAY, TESTING only)."""
    from app.timeutil import local, utcnow

    return settings.test_today or local(utcnow(), settings.body.zone).date()


def _exclusive(added: dict[str, Any], app: Flask, job_id: str, job: Callable[[Flask], Any], *,
               gap: timedelta, exclusive: bool = True) -> Callable[[], None]:
    """``job`` run under its lease in job_runs, its outcome recorded (see app.scheduling).
    ``added`` holds the scheduler's Job of each id once added."""

    def run() -> None:
        from app.scheduling.lease import run_exclusive

        def next_run() -> datetime | None:
            # the Job object add_job returned: the memory job store keeps that very object
            # and moves its next_run_time. Not scheduler.get_job(): its lock is held by a
            # shutdown waiting for this very thread to end (a worker stopped while a job
            # ran hung for good)
            return getattr(added.get(job_id), "next_run_time", None)

        with app.app_context():
            run_exclusive(job_id, lambda: job(app), gap=gap, next_run=next_run,
                          exclusive=exclusive)

    run.__name__ = f"{job.__name__}_exclusive"
    return run


#: the part of a period a run holds its job after it starts: less than the period, so the
#: next tick finds it free whatever the jitter, more than half, so a second worker's tick
#: of the same period finds it taken
_GAP = 0.8


def _every(seconds: float) -> timedelta:
    return timedelta(seconds=seconds * _GAP)


def _add_jobs(scheduler, app: Flask) -> None:
    settings = app.extensions["qujat.settings"]

    added: dict[str, Any] = {}

    def add(job, job_id: str, trigger: str, *, gap: timedelta, exclusive: bool = True,
            **options) -> None:
        added[job_id] = scheduler.add_job(
            _exclusive(added, app, job_id, job, gap=gap, exclusive=exclusive),
            trigger, id=job_id, name=job_id, max_instances=1, coalesce=True,
            replace_existing=True, **options)

    add(deliver_marks_job, "marks.deliver", "interval",
        seconds=settings.mark_delivery_seconds, gap=_every(settings.mark_delivery_seconds))
    # queued documents: every worker takes its own batches (FOR UPDATE SKIP LOCKED on
    # PostgreSQL, turns at SQLite's write lock), so the job is recorded, never held: a
    # killed worker holds no lease that would stop the others verifying
    add(verify_queued_job, "intake.verify", "interval", seconds=settings.intake_verify_seconds,
        gap=_every(settings.intake_verify_seconds), exclusive=False,
        next_run_time=datetime.now(UTC))
    # each process reloads its own CRLs: recorded, never held from another worker
    add(reload_crls_job, "trust.reload_crls", "interval", seconds=settings.crl_reload_seconds,
        gap=_every(settings.crl_reload_seconds), exclusive=False)
    # at start (what a killed predecessor left) and then hourly
    add(sweep_blobs_job, "blobs.sweep_incoming", "interval", hours=1,
        next_run_time=datetime.now(UTC), gap=_every(3600))
    add(seal_audit_job, "audit.seal", "interval", seconds=settings.audit_seal_seconds,
        gap=_every(settings.audit_seal_seconds))
    # a few minutes after midnight where the body works
    add(checkpoint_job, "audit.checkpoint", "cron", hour=0, minute=5, timezone=settings.body.zone,
        misfire_grace_time=3600, gap=timedelta(hours=12))
    # at start (a worker down over midnight catches up) and then every few minutes
    add(remind_job, "notifications.remind", "interval", seconds=settings.reminder_seconds,
        next_run_time=datetime.now(UTC), gap=_every(settings.reminder_seconds))
    add(mail_job, "notifications.mail", "interval", seconds=settings.mail_seconds,
        gap=_every(settings.mail_seconds))
    add(fold_counts_job, "documents.fold_counts", "interval", seconds=60, gap=_every(60))
    # at start and then hourly: the table of logins never grows past the retention
    add(purge_sessions_job, "auth.purge_sessions", "interval", hours=1,
        next_run_time=datetime.now(UTC), gap=_every(3600))


def last_runs() -> dict[str, datetime | None]:
    """When each job last did its work (for /metrics): the end of its last successful run
    as ``job_runs`` records it, or, for the two jobs whose work leaves its own trace, that
    trace when it is later (a checkpoint signed by hand, a mark pushed by
    `qujat deliver-marks`). None: no run seen. Call it in an app context."""
    from sqlalchemy import func, select

    from app.audit.models import Checkpoint
    from app.extensions import db
    from app.marks.models import Mark
    from app.scheduling.models import JobRun, RunOutcome

    runs: dict[str, datetime | None] = {
        "audit.checkpoint": None, "marks.deliver": None, "trust.reload_crls": None,
        "blobs.sweep_incoming": None, "audit.seal": None}
    for job_id, finished in db.session.execute(
            select(JobRun.job_id, JobRun.last_finished_at)
            .where(JobRun.last_outcome == RunOutcome.OK)):
        runs[job_id] = finished
    checkpoint, delivered = db.session.execute(select(
        select(func.max(Checkpoint.at)).where(Checkpoint.reason == "daily").scalar_subquery(),
        select(func.max(Mark.delivered_at)).scalar_subquery(),
    )).one()
    for job_id, trace in (("audit.checkpoint", checkpoint), ("marks.deliver", delivered)):
        if trace is not None and (runs[job_id] is None or _aware(trace) > _aware(runs[job_id])):
            runs[job_id] = trace
    return runs


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive UTC back
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


#: the scheduler ``run_blocking`` runs, for the SIGTERM handler
_running: dict[str, BlockingScheduler] = {}


def _stop(signum, frame) -> None:
    """SIGTERM: the scheduler is shut down from a thread of its own (letting a running job
    finish), and its ``start`` returns. Not an exception raised in the main thread, as
    Ctrl+C does: raised at an arbitrary point, it could leave a lock that thread held at
    that moment (the scheduler's, a log handler's) held for good, and a job thread waiting
    for it would keep the worker from ever exiting."""
    scheduler = _running.get("scheduler")
    if scheduler is not None:
        threading.Thread(target=_shut_down, args=(scheduler,), daemon=True).start()


def _shut_down(scheduler: BlockingScheduler) -> None:
    log.info("worker stopping")
    if scheduler.running:
        scheduler.shutdown(wait=True)


def run_blocking(app: Flask) -> None:
    """Run the jobs until Ctrl+C or SIGTERM, then sign an audit checkpoint and return."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    _running["scheduler"] = scheduler
    previous = signal.signal(signal.SIGTERM, _stop)
    log.info("worker started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        log.info("worker stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
        _running.pop("scheduler", None)
        if scheduler.running:
            scheduler.shutdown(wait=True)  # let a running job finish first
        checkpoint_job(app, reason="shutdown")


def start_background(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    scheduler.start()
    return scheduler
