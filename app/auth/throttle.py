"""Slowing down password guessing, per login and per client address.

Every attempt is written to ``login_failures`` *before* its password is checked and
committed at once, so app processes running side by side see each other's attempts, and
a burst of parallel guesses counts against itself. An attempt then waits while the
failures before it, within the last hour, reach a threshold: 5 for a login, then a pause
of 30 s that doubles with every further failure, up to 15 minutes; 30 for an address
(an office behind one NAT address shares it), with the same growth. A refused attempt is
deleted again (it tested no password, so it does not lengthen the pause); a successful
one is deleted and takes its login's failures out of the login's count (they still count
against the addresses they came from).

A login nobody has is counted and paused exactly like a real one, and the refusal says
the same words: nothing here tells whether an account exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import QueryableAttribute

from app.auth.models import LoginFailure
from app.extensions import db
from app.timeutil import as_utc

#: failures older than this are forgotten
WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Backoff:
    """After ``threshold`` failures, wait ``first``; twice as long after each further
    failure, never longer than ``cap``."""

    threshold: int
    first: timedelta
    cap: timedelta

    def pause(self, failures: int) -> timedelta:
        if failures < self.threshold:
            return timedelta(0)
        doublings = min(failures - self.threshold, 30)  # 2**30 × 30 s is far past any cap
        return min(self.first * 2**doublings, self.cap)


PER_LOGIN = Backoff(threshold=5, first=timedelta(seconds=30), cap=timedelta(minutes=15))
PER_ADDRESS = Backoff(threshold=30, first=timedelta(seconds=30), cap=timedelta(minutes=15))


def login_key(login: str) -> str:
    """The login as the throttle counts it: "Executor " and "executor" are one account."""
    return login.strip().casefold()[:64]


@dataclass(frozen=True)
class Attempt:
    """A login attempt let through (``wait`` zero: check the password now) or refused
    (``wait``: how long until the next one may be made)."""

    row_id: int | None
    login_key: str
    wait: timedelta

    @property
    def refused(self) -> bool:
        return self.wait > timedelta(0)

    @property
    def wait_seconds(self) -> int:
        return math.ceil(self.wait.total_seconds())


def begin(login: str, address: str, *, now: datetime) -> Attempt:
    """Record an attempt at ``login`` from ``address`` and say whether it may go on.
    Commits: the other app processes must see the attempt before its password is
    checked."""
    key, address = login_key(login), address[:64]
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - WINDOW))
    row = LoginFailure(at=now, login_key=key, address=address)
    db.session.add(row)
    db.session.flush()
    row_id = row.id
    db.session.commit()
    # only the attempts before this one count: of a parallel burst, the first ones pass
    wait = max(
        _wait(LoginFailure.login_key == key, LoginFailure.counts_for_login, PER_LOGIN,
              before=row_id, now=now),
        _wait(LoginFailure.address == address, LoginFailure.counts_for_address, PER_ADDRESS,
              before=row_id, now=now),
    )
    if wait > timedelta(0):
        db.session.execute(delete(LoginFailure).where(LoginFailure.id == row_id))
        db.session.commit()
        return Attempt(row_id=None, login_key=key, wait=wait)
    return Attempt(row_id=row_id, login_key=key, wait=timedelta(0))


def succeeded(attempt: Attempt) -> None:
    """The password was right: this attempt was no failure, and the login starts afresh."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.row_id))
    _forget_login(attempt.login_key)
    db.session.commit()


def _wait(where: ColumnElement[bool], counts: QueryableAttribute[bool], backoff: Backoff, *,
          before: int, now: datetime) -> timedelta:
    failures, last = db.session.execute(
        select(func.count(), func.max(LoginFailure.at))
        .where(where, counts, LoginFailure.id < before, LoginFailure.at >= now - WINDOW)
    ).one()
    if failures < backoff.threshold or last is None:
        return timedelta(0)
    return max(as_utc(last) + backoff.pause(failures) - now, timedelta(0))


# --- what the administrator sees and clears ------------------------------------------------


@dataclass(frozen=True)
class Failures:
    """Recent failures of one login or one address, and how long it is paused for."""

    who: str
    failures: int
    wait: timedelta

    @property
    def wait_seconds(self) -> int:
        return math.ceil(self.wait.total_seconds())


def _failures(column: QueryableAttribute[str], counts: QueryableAttribute[bool],
              backoff: Backoff, *, now: datetime,
              among: list[str] | None = None) -> list[Failures]:
    stmt = (select(column, func.count(), func.max(LoginFailure.at))
            .where(counts, LoginFailure.at >= now - WINDOW)
            .group_by(column))
    if among is not None:
        stmt = stmt.where(column.in_(among))
    return [Failures(who=who, failures=failures,
                     wait=max(as_utc(last) + backoff.pause(failures) - now, timedelta(0)))
            for who, failures, last in db.session.execute(stmt)]


def login_failures(logins: list[str], *, now: datetime) -> dict[str, Failures]:
    """The recent failures of these logins (by login as typed), those that have any."""
    keys = {login_key(login): login for login in logins}
    found = _failures(LoginFailure.login_key, LoginFailure.counts_for_login, PER_LOGIN,
                      now=now, among=list(keys))
    return {keys[f.who]: f for f in found}


def paused_addresses(*, now: datetime) -> list[Failures]:
    """The addresses that failed often enough to be paused, longest pause first."""
    found = _failures(LoginFailure.address, LoginFailure.counts_for_address, PER_ADDRESS,
                      now=now)
    return sorted((f for f in found if f.failures >= PER_ADDRESS.threshold),
                  key=lambda f: (-f.wait, f.who))


def _forget_login(key: str) -> None:
    db.session.execute(update(LoginFailure).where(LoginFailure.login_key == key)
                       .values(counts_for_login=False))


def clear_login(login: str) -> None:
    """The administrator lets a paused account try again now."""
    _forget_login(login_key(login))


def clear_address(address: str) -> None:
    """The administrator lets a paused address try again now."""
    db.session.execute(update(LoginFailure).where(LoginFailure.address == address[:64])
                       .values(counts_for_address=False))
