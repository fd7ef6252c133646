"""Working days in Kazakhstan: deadlines of appeals and applications count only these.

The public holidays come from ``holidays`` (its Kazakhstan calendar, with the days moved
by law when a holiday falls on a weekend). The government's decrees that swap a working
Saturday for a bridge day are not in it; they are announced a year ahead and would go into
``QUJAT_EXTRA_DAYS_OFF`` / ``QUJAT_EXTRA_WORKING_DAYS`` if a body needs them exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year))


class Calendar:
    """Which days are working days, with a body's own exceptions on top of the law's."""

    def __init__(self, days_off: Iterable[date] = (), working_days: Iterable[date] = ()):
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)

    def is_working_day(self, day: date) -> bool:
        if day in self._working_days:
            return True
        if day in self._days_off or day.weekday() >= 5:
            return False
        return day not in _public_holidays(day.year)

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted),
        as the law counts a period that begins on the day of registration."""
        if days < 0:
            raise ValueError("a period cannot be negative")
        day, left = start, days
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end``
        is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for n in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=n))
        )


def calendar_from_config(config) -> Calendar:
    return Calendar(
        days_off=[date.fromisoformat(d) for d in config.get("QUJAT_EXTRA_DAYS_OFF", [])],
        working_days=[date.fromisoformat(d) for d in config.get("QUJAT_EXTRA_WORKING_DAYS", [])],
    )
