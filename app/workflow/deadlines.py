"""How urgent a deadline is, in the words the desks colour by."""

from __future__ import annotations

import enum
from datetime import date

from flask_babel import lazy_gettext as _l

from app.workdays import Calendar


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"

    @property
    def label(self):
        return {
            Urgency.OVERDUE: _l("Overdue"),
            Urgency.DUE_SOON: _l("Due soon"),
            Urgency.ON_TIME: _l("On time"),
        }[self]


def urgency(due: date | None, *, today: date, calendar: Calendar, soon_days: int) -> Urgency | None:
    if due is None:
        return None
    if due < today:
        return Urgency.OVERDUE
    # more calendar days than weekends and holidays could ever fill: no need to count
    if (due - today).days > 2 * soon_days + 14:
        return Urgency.ON_TIME
    if calendar.working_days_between(today, due) <= soon_days:
        return Urgency.DUE_SOON
    return Urgency.ON_TIME


def soon_limit(*, today: date, calendar: Calendar, soon_days: int) -> date:
    """The last due date that still counts as "due soon" today."""
    return calendar.add_working_days(today, soon_days)
