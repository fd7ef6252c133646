"""Pushing status marks to the portals' callback URLs, with retries and back-off."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import requests
from sqlalchemy import select

from app.extensions import db
from app.marks.models import Mark
from app.timeutil import utcnow

log = logging.getLogger(__name__)

#: after this many failed pushes we stop pushing; the portal can still pull the mark
MAX_ATTEMPTS = 24
BATCH = 100


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s, … capped at one hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


Poster = Callable[[str, bytes], int]


def _post(url: str, body: bytes) -> int:
    response = requests.post(
        url, data=body, headers={"Content-Type": "application/xml; charset=utf-8"}, timeout=10
    )
    return response.status_code


def deliver_due_marks(*, now: datetime | None = None, post: Poster = _post) -> int:
    """Push up to one batch of due marks; returns how many were delivered. The job owns
    the transaction: it commits the batch's outcomes at the end."""
    delivered = 0
    now = now or utcnow()
    stmt = (
        select(Mark)
        .where(Mark.delivered_at.is_(None), Mark.next_attempt_at <= now)
        .order_by(Mark.id)
        .limit(BATCH)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # two workers never push the same mark twice at once
        stmt = stmt.with_for_update(skip_locked=True)
    for mark in list(db.session.scalars(stmt)):
        if _deliver_one(mark, now=now, post=post):
            delivered += 1
    db.session.commit()
    return delivered


def _deliver_one(mark: Mark, *, now: datetime, post: Poster) -> bool:
    url = mark.document.sender.callback_url
    mark.attempts += 1
    if not url:
        mark.next_attempt_at = None
        return False
    try:
        # a letter goes before the mark announcing it, so the portal never shows a
        # "letter" mark without the letter; a portal that already holds it answers 2xx again
        status = post(url, mark.letter.xml) if mark.letter is not None else 200
        if 200 <= status < 300:
            status = post(url, mark.xml)
        ok = 200 <= status < 300
        mark.last_status = str(status)
        mark.last_error = None if ok else f"HTTP {status}"
    except requests.RequestException as exc:
        ok = False
        mark.last_status = "network"
        mark.last_error = str(exc)[:500]
    if ok:
        mark.delivered_at = now
        mark.next_attempt_at = None
    elif mark.attempts >= MAX_ATTEMPTS:
        mark.next_attempt_at = None
        log.warning("mark %s: giving up after %s attempts", mark.id, mark.attempts)
    else:
        mark.next_attempt_at = now + backoff(mark.attempts)
    return ok
