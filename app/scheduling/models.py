"""One row per timed job: who holds it now, until when, and how its last run went."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import enum_type
from app.extensions import Model


class RunOutcome(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"


class JobRun(Model):
    """A job's lease and last run. The lease is taken by a conditional UPDATE (the row
    free or its lease run out), so of two workers that reach the same tick one runs it;
    after a run the lease is kept until shortly before the next tick is due, so the
    other worker's tick of the same period finds it taken."""

    __tablename__ = "job_runs"

    #: the job's stable id, as the scheduler names it ("marks.deliver", ...)
    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: "host:pid:random" of the worker holding the lease
    holder: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_outcome: Mapped[RunOutcome | None] = mapped_column(enum_type(RunOutcome, 16))
    #: what the job returned (a count), or the error of a failed run
    last_result: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(Text)
    #: when the worker that ran it last expects the next run (None: not known)
    next_run_at: Mapped[datetime | None]
    runs: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
