"""Working days in Kazakhstan: deadlines of appeals and applications count only these.

The public holidays come from ``holidays`` (its Kazakhstan calendar, with the days moved
by law when a holiday falls on a weekend). The government's decrees that swap a working
Saturday for a bridge day are not in it; they are announced a year ahead and would go into
``QUJAT_EXTRA_DAYS_OFF`` / ``QUJAT_EXTRA_WORKING_DAYS`` if a body needs them exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=64)
def _names_in(year: int, language: str) -> dict[date, str]:
    return {day: str(name) for day, name in
            holidays.country_holidays("KZ", years=year, language=language).items()}


def _holiday_names(year: int) -> dict[date, str]:
    """The holidays' names in English (the same whatever the machine's locale)."""
    return _names_in(year, "en_US")


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(_holiday_names(year))


def public_holidays(year: int, language: str = "en") -> list[tuple[date, str]]:
    """The public holidays of ``year`` as ``holidays`` knows them, with their names in
    ``language`` (``holiday_name``)."""
    return sorted((day, holiday_name(day, language)) for day in _holiday_names(year))


#: the readers' languages ``holidays`` names Kazakhstan's holidays in, as it spells them
_LIBRARY_LANGUAGES = {"kk": "kk", "en": "en_US"}

#: Russian, which ``holidays`` does not offer for Kazakhstan: by the English names
_RUSSIAN = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Eid al-Adha": "Курбан айт",
    "Capital Day": "День Столицы",
    "Constitution Day": "День Конституции Республики Казахстан",
    "Republic Day": "День Республики",
    "First President Day": "День Первого Президента Республики Казахстан",
    "Independence Day": "День Независимости",
}
_OBSERVED = re.compile(r"^(?P<name>.+) \(observed\)$")
_ESTIMATED = re.compile(r"^(?P<name>.+) \(estimated\)$")
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (?P<m>\d\d)/(?P<d>\d\d)/(?P<y>\d{4})\)$")


def _in_russian(english: str) -> str:
    if found := _OBSERVED.match(english):
        return f"{_in_russian(found['name'])} (перенесённый выходной)"
    if found := _ESTIMATED.match(english):
        return f"{_in_russian(found['name'])} (предварительная дата)"
    if found := _SUBSTITUTED.match(english):
        return f"Выходной день (перенесён с {found['d']}.{found['m']}.{found['y']})"
    return _RUSSIAN.get(english, english)


def holiday_name(day: date, language: str) -> str:
    """The name of the public holiday on ``day`` in the reader's ``language`` ("ru", "kk"
    or "en"): as ``holidays`` gives it where it offers the language for Kazakhstan (Kazakh
    and English), from our table of the handful of Kazakhstan's holidays in Russian; the
    English name for anything else. "" for a day that is no public holiday."""
    english = _holiday_names(day.year).get(day, "")
    library = _LIBRARY_LANGUAGES.get(language)
    if english and library in _localized():
        return _names_in(day.year, library).get(day, english)
    if english and language == "ru":
        return "; ".join(_in_russian(part) for part in english.split("; "))
    return english


@lru_cache(maxsize=1)
def _localized() -> frozenset[str]:
    """The languages ``holidays`` names Kazakhstan's holidays in."""
    return frozenset(holidays.list_localized_countries().get("KZ", ()))


class Calendar:
    """Which days are working days, with a body's own exceptions on top of the law's."""

    def __init__(self, days_off: Iterable[date] = (), working_days: Iterable[date] = ()):
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)

    def with_swaps(self, days_off: Iterable[date] = (),
                   working_days: Iterable[date] = ()) -> Calendar:
        """This calendar with more of the government's day swaps on top."""
        return Calendar(days_off=self._days_off | frozenset(days_off),
                        working_days=self._working_days | frozenset(working_days))

    def why_off(self, day: date) -> tuple[str, str] | None:
        """Why ``day`` is not a working day, as (reason code, holiday name): "moved_day_off",
        "public_holiday" or "weekend"; None for a working day."""
        if day in self._working_days:
            return None
        if day in self._days_off:
            return ("moved_day_off", "")
        name = _holiday_names(day.year).get(day)
        if name:
            return ("public_holiday", str(name))
        if day.weekday() >= 5:
            return ("weekend", "")
        return None

    def is_moved_working_day(self, day: date) -> bool:
        """A weekend day or holiday the government made a working day."""
        return day in self._working_days and (
            day.weekday() >= 5 or day in _public_holidays(day.year))

    def swaps(self) -> dict[date, bool]:
        """The day swaps on top of the public calendar: date -> True for a working day."""
        return {**{d: False for d in self._days_off}, **{d: True for d in self._working_days}}

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


@dataclass(frozen=True)
class WorkingHours:
    """The body's office hours in its zone; an arrival at ``end`` or later is "after
    working hours" and is registered on the next working day."""

    start: time = time(9, 0)
    end: time = time(18, 30)
    zone: str = "Asia/Almaty"

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"working hours must start before they end "
                             f"({self.start:%H:%M}–{self.end:%H:%M})")
        ZoneInfo(self.zone)  # an unknown zone fails here, not at the first document

    @classmethod
    def parse(cls, text: str, zone: str) -> WorkingHours:
        """``"09:00-18:30"`` (a hyphen or an en dash)."""
        parts = text.replace("–", "-").split("-")
        if len(parts) != 2:
            raise ValueError(f"working hours {text!r} are not HH:MM-HH:MM")
        return cls(start=time.fromisoformat(parts[0].strip()),
                   end=time.fromisoformat(parts[1].strip()), zone=zone)

    def local(self, moment: datetime) -> datetime:
        tz = ZoneInfo(self.zone)
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def calendar_from_config(config) -> Calendar:
    return Calendar(
        days_off=[date.fromisoformat(d) for d in config.get("QUJAT_EXTRA_DAYS_OFF", [])],
        working_days=[date.fromisoformat(d) for d in config.get("QUJAT_EXTRA_WORKING_DAYS", [])],
    )
