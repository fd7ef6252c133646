"""Numbering resource (seed 002): ranges of numbers per territory, never allocated twice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text

from app.errors import Refused
from app.extensions import db
from app.permits.models import NumberAllocation, PermitEntry

#: where allocation starts in an area code: the first seven-digit subscriber number
#: the office hands out (numbers below are the operators' service ranges)
FIRST_SUBSCRIBER_NUMBER = 2_000_000
#: the last seven-digit number
LAST_SUBSCRIBER_NUMBER = 9_999_999


def lock_area(area_code: str) -> None:
    """Hold the area code's numbers until the transaction ends, so two permits signed at
    once cannot both take the same free range (PostgreSQL: a transaction-level advisory
    lock; SQLite: its database-wide write lock does the same)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                           {"key": f"qujat-numbering:{area_code}"})


def next_free(area_code: str, count: int) -> int:
    """The first number of the next ``count`` free numbers in ``area_code``."""
    lock_area(area_code)
    highest = db.session.scalar(
        select(func.max(NumberAllocation.last)).where(NumberAllocation.area_code == area_code))
    return max(FIRST_SUBSCRIBER_NUMBER, (highest or 0) + 1)


def allocate(entry: PermitEntry, *, territory: str, area_code: str, first: int,
             last: int) -> NumberAllocation:
    """Allocate ``first``..``last`` in ``area_code`` to ``entry``; refused when the range is
    empty, out of the numbering plan, or overlaps a range already allocated."""
    if first > last or first < 0 or last > LAST_SUBSCRIBER_NUMBER:
        raise Refused(_l("The range %(first)s–%(last)s is not a range of the numbering plan.",
                         first=first, last=last),
                      code="numbering_range_invalid", first=first, last=last)
    lock_area(area_code)
    clash = db.session.scalar(
        select(NumberAllocation).where(NumberAllocation.area_code == area_code,
                                       NumberAllocation.first <= last,
                                       NumberAllocation.last >= first)
        .order_by(NumberAllocation.first).limit(1))
    if clash is not None:
        raise Refused(_l("The numbers %(first)s–%(last)s of code %(area_code)s overlap the "
                         "range %(taken_first)s–%(taken_last)s already allocated by permit "
                         "№ %(permit)s.", first=first, last=last, area_code=area_code or "—",
                         taken_first=clash.first, taken_last=clash.last,
                         permit=clash.entry.number),
                      code="numbering_overlap", area_code=area_code, first=first, last=last,
                      permit=clash.entry.number)
    allocation = NumberAllocation(entry=entry, territory=territory, area_code=area_code,
                                  first=first, last=last)
    db.session.add(allocation)
    db.session.flush()
    return allocation
