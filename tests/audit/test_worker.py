"""The worker seals readings and signs the chain's head every day and when it stops."""

from __future__ import annotations

import os
import signal
import threading
import time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from app import jobs
from app.audit.models import Checkpoint
from app.extensions import db


def test_the_chain_is_sealed_often_and_signed_daily_under_stable_ids(app):
    scheduler = BackgroundScheduler(timezone="UTC")
    jobs._add_jobs(scheduler, app)

    found = {job.id: job for job in scheduler.get_jobs()}
    assert found["audit.seal"].trigger.interval.total_seconds() == 60
    daily = found["audit.checkpoint"].trigger
    assert isinstance(daily, CronTrigger) and str(daily.timezone) == "Asia/Almaty"
    assert {f.name: str(f) for f in daily.fields if not f.is_default} == {
        "hour": "0", "minute": "5"}


def test_the_daily_job_signs_a_checkpoint(app):
    jobs.checkpoint_job(app)

    with app.app_context():
        assert db.session.scalars(select(Checkpoint.reason)).all() == ["daily"]


def test_stopping_the_worker_signs_a_checkpoint(app, monkeypatch):
    """SIGTERM, as a service manager stops it: the worker returns after signing."""
    # only the stop is tested here: the jobs the worker starts at once (reminders, the
    # sweep) would run on threads of their own against this test's rolled-back connection
    monkeypatch.setattr(jobs, "_add_jobs", lambda scheduler, app: None)

    def stop_when_listening():
        deadline = time.monotonic() + 30
        while signal.getsignal(signal.SIGTERM) is not jobs._stop:
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    threading.Thread(target=stop_when_listening, daemon=True).start()

    jobs.run_blocking(app)

    assert signal.getsignal(signal.SIGTERM) is before
    with app.app_context():
        assert db.session.scalars(select(Checkpoint.reason)).all() == ["shutdown"]
