"""How urgent a deadline is, in the words the desks colour by."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.documents.models import Document
from app.settings import Settings
from app.timeutil import local
from app.workdays import Calendar


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"
    #: the head stopped the clock (app/control/): not overdue, whatever the date says
    SUSPENDED = "suspended"

    @property
    def label(self):
        return {
            Urgency.OVERDUE: _l("Overdue"),
            Urgency.DUE_SOON: _l("Due soon"),
            Urgency.ON_TIME: _l("On time"),
            Urgency.SUSPENDED: _l("Suspended"),
        }[self]


@dataclass(frozen=True)
class DeadlineRules:
    """The body's deadline settings and what they make of a date."""

    calendar: Calendar
    #: "due soon" means this many working days or fewer are left
    soon_days: int
    zone: str

    @classmethod
    def of(cls, settings: Settings) -> DeadlineRules:
        return cls(calendar=settings.calendar, soon_days=settings.due_soon_days,
                   zone=settings.body.zone)

    def today(self, now: datetime) -> date:
        return local(now, self.zone).date()

    def urgency(self, due: date | None, *, today: date) -> Urgency | None:
        if due is None:
            return None
        if due < today:
            return Urgency.OVERDUE
        # more calendar days than weekends and holidays could ever fill: no need to count
        if (due - today).days > 2 * self.soon_days + 14:
            return Urgency.ON_TIME
        if self.calendar.working_days_between(today, due) <= self.soon_days:
            return Urgency.DUE_SOON
        return Urgency.ON_TIME

    def urgency_of(self, document: Document, *, today: date) -> Urgency | None:
        """The document's urgency: "suspended" while its clock stands still, however
        late the date it had when it stopped."""
        if document.due_date is not None and document.suspended_since is not None:
            return Urgency.SUSPENDED
        return self.urgency(document.due_date, today=today)

    def soon_limit(self, today: date) -> date:
        """The last due date that still counts as "due soon" today."""
        return self.calendar.add_working_days(today, self.soon_days)
