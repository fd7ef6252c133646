"""Time in one place: stored in UTC, shown in the body's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local(moment: datetime, zone: str) -> datetime:
    """``moment`` on the wall clock of ``zone`` (the body's office: Settings.body.zone)."""
    return as_utc(moment).astimezone(ZoneInfo(zone))


def day_text(day: date) -> str:
    """A date as people read it here, DD.MM.YYYY (data and JSON keep ISO dates)."""
    return day.strftime("%d.%m.%Y")
