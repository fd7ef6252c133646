"""Timed work, run in one place: ``qujat worker`` (or the demo's single process).

Each job is a thin wrapper around a service function, has a stable id, and is safe to run
twice or in two workers at once (mark delivery claims each mark it pushes with a lease).
"""

from __future__ import annotations

import logging
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


def run_blocking(app: Flask) -> None:
    scheduler = BlockingScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    log.info("worker started: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()


def start_background(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    scheduler.start()
    return scheduler
