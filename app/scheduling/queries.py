"""What the administrator's jobs page reads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.scheduling.models import JobRun


def job_runs() -> list[JobRun]:
    """Every job that has run at least once, by id."""
    return list(db.session.scalars(select(JobRun).order_by(JobRun.job_id)))


#: what each job does, in words (the ids are app.jobs')
JOB_LABELS = {
    "marks.deliver": _l("Pushing status marks to the portals"),
    "trust.reload_crls": _l("Reloading the revocation lists (each worker its own)"),
    "blobs.sweep_incoming": _l("Removing half-written files"),
    "audit.seal": _l("Sealing readings into the audit chain"),
    "audit.checkpoint": _l("Signing the audit chain's head daily"),
    "notifications.remind": _l("Reminders before deadlines and overdue notices"),
    "notifications.mail": _l("E-mailing notifications"),
    "documents.fold_counts": _l("Folding the counts of documents per state"),
    "auth.purge_sessions": _l("Deleting old login sessions"),
}
