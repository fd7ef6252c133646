"""A worker stopped while a job runs ends: the job finishing does not wait for the
scheduler, whose shutdown holds the job stores' lock until every running job has ended
(seen: two `qujat worker`s given SIGTERM while their start-up jobs ran, hung for good)."""

from __future__ import annotations

import threading
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from app.extensions import db
from app.jobs import _add_jobs, _aware
from app.scheduling.models import JobRun


def test_a_job_ends_while_the_scheduler_shutting_down_holds_its_lock(committed_db):
    app = committed_db
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_jobs(scheduler, app)
    scheduler.start(paused=True)  # the jobs are in their store, none runs by itself
    try:
        run = scheduler.get_job("documents.fold_counts").func
        before = scheduler.get_job("documents.fold_counts").next_run_time
        job = threading.Thread(target=run, daemon=True)
        with scheduler._jobstores_lock:  # as BaseScheduler.shutdown holds it, waiting
            job.start()
            job.join(timeout=30)
            assert not job.is_alive(), "the job waited for the scheduler's lock"
    finally:
        scheduler.shutdown(wait=False)
    # and the run still records when the scheduler will run it next (for /admin/jobs)
    with app.app_context():
        recorded = db.session.get(JobRun, "documents.fold_counts")
        assert recorded.next_run_at is not None
        assert abs(_aware(recorded.next_run_at) - before) < timedelta(seconds=1)
