"""The legal deadline of one document, and why it falls where it does. Pure: no Flask,
no database; the document page and ``qujat deadline`` render the same ``Deadline``.

The day is the body's: an arrival time is read in the body's zone (a naive time already
is one), the working hours decide whether it came "after working hours", and the calendar
(public holidays, weekends, the government's day swaps) which days count.
"""

from __future__ import annotations

import calendar as _months
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.deadlines.rules import Rule, RuleBook, StartEvent, Unit
from app.workdays import Calendar, WorkingHours

#: why a document is registered on the day it is
SAME_DAY = "same_day"
AFTER_HOURS = "after_hours"
DAY_OFF = "day_off"


@dataclass(frozen=True)
class SkippedDay:
    """A day the period did not count (or the end was moved over): ``reason`` is
    "weekend", "public_holiday" or "moved_day_off"; ``name`` a holiday's name."""

    day: date
    reason: str
    name: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "reason": self.reason, "name": self.name}


@dataclass(frozen=True)
class Deadline:
    kind: str
    rule: Rule
    #: the arrival in the body's zone
    arrived_at: datetime
    registered_on: date
    #: SAME_DAY, AFTER_HOURS or DAY_OFF
    registration_reason: str
    #: days off between the arrival and the registration day
    registration_skipped: tuple[SkippedDay, ...]
    #: the first day of the period
    start: date
    due: date
    #: days the period did not count, or that moved its end to a working day
    skipped: tuple[SkippedDay, ...]
    #: weekend days or holidays the government made working days, counted
    counted_swaps: tuple[date, ...]
    #: for periods in calendar days or months: the end before it moved off a day off
    nominal_due: date | None = None
    #: the administrator's reopening the period counts anew from (the body's zone); then
    #: ``registered_on`` is the day consideration starts again
    reopened_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "arrived_at": self.arrived_at.isoformat(),
            "registered_on": self.registered_on.isoformat(),
            "registration": self.registration_reason,
            "registration_skipped": [d.to_dict() for d in self.registration_skipped],
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "nominal_due": self.nominal_due.isoformat() if self.nominal_due else None,
            "reopened_at": self.reopened_at.isoformat() if self.reopened_at else None,
            "rule": self.rule.to_dict(),
            "citation": self.rule.citation,
            "skipped": [d.to_dict() for d in self.skipped],
            "counted_working_days_off": [d.isoformat() for d in self.counted_swaps],
        }


def _skipped(calendar: Calendar, day: date) -> SkippedDay:
    reason, name = calendar.why_off(day) or ("weekend", "")
    return SkippedDay(day=day, reason=reason, name=name)


def registration_day(arrived: datetime, *, calendar: Calendar,
                     hours: WorkingHours) -> tuple[date, str, tuple[SkippedDay, ...]]:
    """The day a document arriving at ``arrived`` is registered: that day when it is a
    working day and the document came before the end of working hours, else the next
    working day. Returns (day, reason, days off passed over)."""
    local = hours.local(arrived)
    day = local.date()
    if calendar.is_working_day(day):
        if local.time() < hours.end:
            return day, SAME_DAY, ()
        reason = AFTER_HOURS
    else:
        reason = DAY_OFF
    passed: list[SkippedDay] = [] if reason == AFTER_HOURS else [_skipped(calendar, day)]
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        passed.append(_skipped(calendar, day))
        day += timedelta(days=1)
    return day, reason, tuple(passed)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def compute_deadline(kind: str, arrived: datetime, *, rules: RuleBook, calendar: Calendar,
                     hours: WorkingHours, judged_on: date | None = None) -> Deadline:
    """The legal deadline of a document of ``kind`` arriving at ``arrived`` (aware; naive
    means the body's zone), by the rule in force on the day it arrived (on ``judged_on``,
    when given: a reopened document counts from its reopening by its first arrival's rule).

    Raises UnknownKind or NoRuleInForce (app.deadlines.rules) when no rule applies.
    """
    local = hours.local(arrived)
    rule = rules.rule_for(kind, judged_on or local.date())
    registered_on, why, passed = registration_day(local, calendar=calendar, hours=hours)
    event = local.date() if rule.starts_on is StartEvent.ARRIVAL else registered_on
    start = event if rule.start_day_counts else event + timedelta(days=1)
    skipped: list[SkippedDay] = []
    swaps: list[date] = []
    nominal: date | None = None
    if rule.unit is Unit.WORKING_DAYS:
        day, counted = start, 0
        while True:
            if calendar.is_working_day(day):
                counted += 1
                if calendar.is_moved_working_day(day):
                    swaps.append(day)
                if counted == rule.period:
                    break
            else:
                skipped.append(_skipped(calendar, day))
            day += timedelta(days=1)
        due = day
    else:
        if rule.unit is Unit.CALENDAR_DAYS:
            nominal = start + timedelta(days=rule.period - 1)
        else:  # months: to the same date of the last month (the day before, when the
            # starting day itself counts), the last of the month when it has no such date
            nominal = _add_months(event, rule.period)
            if rule.start_day_counts:
                nominal -= timedelta(days=1)
        due = nominal
        while not calendar.is_working_day(due):
            skipped.append(_skipped(calendar, due))
            due += timedelta(days=1)
        if due == nominal:
            nominal = None
    return Deadline(kind=kind, rule=rule, arrived_at=local, registered_on=registered_on,
                    registration_reason=why, registration_skipped=passed, start=start,
                    due=due, skipped=tuple(skipped), counted_swaps=tuple(swaps),
                    nominal_due=nominal)
