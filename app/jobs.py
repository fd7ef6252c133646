"""Timed work, run in one place: ``qujat worker`` (or the demo's single process).

Each job is a thin wrapper around a service function, has a stable id, and is safe to run
twice or in two workers at once (mark delivery claims each mark it pushes with a lease;
sealing the audit chain holds its head).

The audit chain's head is signed with the system key every day (``audit.checkpoint``) and
when ``qujat worker`` stops (Ctrl+C or SIGTERM), so the last stretch of the chain before a
stop is vouched for too.
"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

log = logging.getLogger(__name__)


def deliver_marks_job(app: Flask) -> int:
    from app.marks.delivery import deliver_due_marks

    with app.app_context():
        return deliver_due_marks()


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


def _add_jobs(scheduler, app: Flask) -> None:
    scheduler.add_job(
        deliver_marks_job, "interval", args=[app], id="marks.deliver",
        seconds=app.extensions["qujat.settings"].mark_delivery_seconds,
        max_instances=1, coalesce=True, replace_existing=True,
    )
    scheduler.add_job(
        reload_crls_job, "interval", args=[app], id="trust.reload_crls",
        seconds=app.extensions["qujat.settings"].crl_reload_seconds,
        max_instances=1, coalesce=True, replace_existing=True,
    )
    # at start (what a killed predecessor left) and then hourly
    scheduler.add_job(
        sweep_blobs_job, "interval", args=[app], id="blobs.sweep_incoming", hours=1,
        next_run_time=datetime.now(UTC), max_instances=1, coalesce=True,
        replace_existing=True,
    )
    scheduler.add_job(
        seal_audit_job, "interval", args=[app], id="audit.seal",
        seconds=app.extensions["qujat.settings"].audit_seal_seconds,
        max_instances=1, coalesce=True, replace_existing=True,
    )
    # a few minutes after midnight where the body works
    scheduler.add_job(
        checkpoint_job, "cron", args=[app], id="audit.checkpoint", hour=0, minute=5,
        timezone=app.extensions["qujat.settings"].body.zone,
        max_instances=1, coalesce=True, replace_existing=True, misfire_grace_time=3600,
    )


def last_runs() -> dict[str, datetime | None]:
    """When each job last did its work, as far as the database shows it (for /metrics):
    the daily checkpoint by its latest signed checkpoint, mark delivery by the latest mark
    a portal acknowledged. The other jobs leave no trace of a run yet (None). Call it in
    an app context."""
    from sqlalchemy import func, select

    from app.audit.models import Checkpoint
    from app.extensions import db
    from app.marks.models import Mark

    checkpoint, delivered = db.session.execute(select(
        select(func.max(Checkpoint.at)).where(Checkpoint.reason == "daily").scalar_subquery(),
        select(func.max(Mark.delivered_at)).scalar_subquery(),
    )).one()
    return {"audit.checkpoint": checkpoint, "marks.deliver": delivered,
            "trust.reload_crls": None, "blobs.sweep_incoming": None, "audit.seal": None}


def _stop(signum, frame) -> None:
    raise SystemExit(0)


def run_blocking(app: Flask) -> None:
    """Run the jobs until Ctrl+C or SIGTERM, then sign an audit checkpoint and return."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    previous = signal.signal(signal.SIGTERM, _stop)  # stop as Ctrl+C does
    log.info("worker started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("worker stopping")
    finally:
        signal.signal(signal.SIGTERM, previous)
        if scheduler.running:
            scheduler.shutdown(wait=True)  # let a running job finish first
        checkpoint_job(app, reason="shutdown")


def start_background(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    scheduler.start()
    return scheduler
