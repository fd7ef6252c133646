"""A job runs once per tick however many workers tick: it first takes its lease.

``run_exclusive`` takes the job's row with one conditional UPDATE (free, or its lease run
out) and commits; a second worker's UPDATE of the same row waits for that commit on
PostgreSQL (a row lock, not an advisory lock held by a session) and then matches nothing;
on SQLite the writers take turns on the database. The run is recorded in a second short
transaction, and the lease is then kept until ``gap`` after the start, a little less than
the job's period: the other worker's tick of the same period finds it taken, the next
period's tick finds it free. A worker killed mid-run holds the job at most ``lease``.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.scheduling.models import JobRun, RunOutcome
from app.timeutil import utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

#: this process, as written into the rows it holds
HOLDER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _ensure_row(job_id: str) -> None:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(JobRun).values(job_id=job_id, runs=0, failures=0)
                       .on_conflict_do_nothing(index_elements=["job_id"]))


def claim(job_id: str, *, holder: str, now: datetime, lease: timedelta,
          exclusive: bool = True) -> bool:
    """Take the job's lease for ``holder`` until ``now + lease``; False when another
    holds it. Commits. Not ``exclusive``: the run is only recorded (work each process
    does for itself, such as reloading its own CRLs)."""
    _ensure_row(job_id)
    free = or_(JobRun.lease_until.is_(None), JobRun.lease_until <= now)
    taken = db.session.execute(
        update(JobRun)
        .where(JobRun.job_id == job_id, free if exclusive else JobRun.job_id.is_not(None))
        .values(holder=holder, lease_until=now + lease, last_started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.commit()
    return taken


def finish(job_id: str, *, holder: str, now: datetime, keep_until: datetime,
           outcome: RunOutcome, result: str | None = None, error: str | None = None,
           next_run_at: datetime | None = None) -> None:
    """Record the run and keep the lease until ``keep_until``. Commits. A holder whose
    lease ran out and was taken meanwhile records nothing over the new holder's run."""
    db.session.execute(
        update(JobRun)
        .where(JobRun.job_id == job_id, JobRun.holder == holder)
        .values(lease_until=max(keep_until, now) if outcome is RunOutcome.OK else now,
                last_finished_at=now, last_outcome=outcome,
                last_result=(result or None) and result[:200], last_error=error,
                next_run_at=next_run_at, runs=JobRun.runs + 1,
                failures=JobRun.failures + (1 if outcome is RunOutcome.FAILED else 0))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_exclusive(job_id: str, work: Callable[[], T], *, gap: timedelta,
                  lease: timedelta = timedelta(minutes=15), holder: str = HOLDER,
                  exclusive: bool = True,
                  clock: Callable[[], datetime] = utcnow,
                  next_run: Callable[[], datetime | None] = lambda: None,
                  ) -> tuple[bool, T | None]:
    """Run ``work`` if this holder gets the job's lease; returns (ran, what it returned).
    A failure is recorded (outcome and error) and logged, not raised: the scheduler ticks
    on, and the failed job may run again at the next tick (the lease is let go)."""
    started = clock()
    if not claim(job_id, holder=holder, now=started, lease=lease, exclusive=exclusive):
        log.debug("%s: held by another worker, skipped", job_id)
        return False, None
    db.session.remove()  # the work opens its own transactions
    try:
        value = work()
    except Exception as exc:  # noqa: BLE001 - recorded and logged, the worker goes on
        db.session.rollback()
        log.exception("%s failed", job_id)
        finish(job_id, holder=holder, now=clock(), keep_until=started,
               outcome=RunOutcome.FAILED, result=type(exc).__name__,
               error=f"{type(exc).__name__}: {exc}"[:2000], next_run_at=next_run())
        return True, None
    finish(job_id, holder=holder, now=clock(), keep_until=started + gap,
           outcome=RunOutcome.OK, result=None if value is None else str(value),
           next_run_at=next_run())
    return True, value
