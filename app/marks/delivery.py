"""Pushing status marks to the portals' callback URLs, with retries and back-off.

Three promises, each kept by the database rather than by one process's memory:

* **No transaction is open while we wait on a portal.** A mark is claimed in a short
  transaction (a lease: ``claimed_by``, ``claimed_until``), pushed with no transaction open,
  and its outcome recorded in a second short transaction. Intake and the desks never wait
  for a slow portal, and two workers never push the same mark at once.
* **Per document, marks arrive in the order they were made.** A mark is pushed only when
  every earlier mark of its document that was meant to be pushed has been acknowledged:
  while an earlier one waits out its back-off, the later ones wait too; other documents go
  on. A mark we gave up on (``MAX_ATTEMPTS`` failed pushes, or the portal's callback URL
  was removed) keeps holding back its document's later marks for good, since pushing them
  would break the order; the portal can pull every mark, given up or held back, with
  ``GET /api/v1/marks?since=N``. (Marks made while a portal had no callback URL were never
  meant to be pushed and hold nothing back.)
* **An acknowledgement is recorded as it arrives**, in its own commit right after the 2xx:
  a worker that dies (kill -9, power cut) pushes again at most the one mark it had in
  flight, once that mark's lease has run out. Every push names its mark in the
  ``X-Qujat-Mark-Id`` header (the ``MarkId`` of the signed XML, ``M`` + the id the pull API
  gives), so a portal can drop the repeat.

``deliver_due_marks`` commits the session it runs in: call it with no work of your own
pending (the worker's job and ``qujat deliver-marks`` do).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import aliased

from app.documents.models import Document, Sender
from app.extensions import db
from app.marks.models import Mark
from app.marks.receipt import letter_received
from app.marks.service import current_issuer
from app.timeutil import utcnow

log = logging.getLogger(__name__)

#: after this many failed pushes we stop pushing; the portal can still pull the mark
MAX_ATTEMPTS = 24
#: at most this many marks per run
BATCH = 100
#: seconds we wait on a portal to connect, and then for each read of its answer
TIMEOUT = 10
#: how long a claim holds: far longer than a push (a letter and its mark, two posts of a
#: few TIMEOUTs at worst), so no other worker takes a mark that is still being pushed; a
#: dead worker's mark is pushed again by the next run after it runs out
LEASE = timedelta(minutes=5)

#: ``post(url, body, headers)`` → the HTTP status; raises requests.RequestException
Poster = Callable[[str, bytes, Mapping[str, str]], int]


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s, … capped at one hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


def _post(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    response = requests.post(
        url, data=body, timeout=TIMEOUT,
        headers={"Content-Type": "application/xml; charset=utf-8", **headers},
    )
    response.close()
    return response.status_code


@dataclass(frozen=True)
class _Push:
    """What one push needs, read while the mark was claimed: plain values, so that nothing
    touches the database (and opens a transaction) while the portal is waited on."""

    mark_id: int
    attempts: int
    url: str | None
    xml: bytes
    letter_id: int | None
    letter_xml: bytes | None


@dataclass(frozen=True)
class _Outcome:
    ok: bool
    status: str
    error: str | None = None
    #: nothing to retry: there is no callback URL to push to
    hopeless: bool = False
    #: the portal answered 2xx to the letter pushed before the mark: it has the letter
    letter_delivered: bool = False


def deliver_due_marks(*, now: datetime | None = None, post: Poster = _post,
                      limit: int = BATCH) -> int:
    """Push the marks due by now, up to ``limit``, one at a time: claim, push, record.
    Returns how many were delivered. ``now`` fixes the clock (tests); by default each
    step reads it."""

    def clock() -> datetime:
        return now if now is not None else utcnow()

    due = clock()  # what falls due while we run waits for the next run
    worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    delivered = 0
    for _ in range(limit):
        push = _claim_next(due=due, now=clock(), worker=worker)
        if push is None:
            break
        outcome = _push(push, post)
        _record(push, outcome, now=clock(), worker=worker)
        delivered += outcome.ok
    return delivered


def _claimable(*, due: datetime, now: datetime) -> ColumnElement[bool]:
    """Due, not delivered, not claimed by a live lease, and not held back by an earlier
    mark of its document still waiting to be pushed or given up."""
    earlier = aliased(Mark)
    held_back = (
        select(earlier.id)
        .where(
            earlier.document_id == Mark.document_id,
            earlier.id < Mark.id,
            earlier.delivered_at.is_(None),
            or_(earlier.next_attempt_at.is_not(None), earlier.given_up_at.is_not(None)),
        )
        .exists()
    )
    return and_(
        Mark.delivered_at.is_(None),
        Mark.next_attempt_at <= due,
        or_(Mark.claimed_until.is_(None), Mark.claimed_until <= now),
        ~held_back,
    )


def _claim_next(*, due: datetime, now: datetime, worker: str) -> _Push | None:
    """Claim the oldest claimable mark for ``worker`` and read what pushing it needs, in one
    short transaction. The UPDATE repeats the conditions, so of two workers that picked
    the same mark only one gets it (on PostgreSQL the other skips the locked row).

    A document's marks get their ids while its row is locked by the change that queues
    them (``queue_mark`` flushes the document first), so ids follow the order of commits
    per document and "earlier" means "made earlier"."""
    try:
        while True:
            candidate = (select(Mark.id).where(_claimable(due=due, now=now))
                         .order_by(Mark.id).limit(1))
            if db.session.get_bind().dialect.name == "postgresql":
                candidate = candidate.with_for_update(skip_locked=True, of=Mark)
            mark_id = db.session.scalar(candidate)
            if mark_id is None:
                db.session.commit()
                return None
            claimed = db.session.execute(
                update(Mark)
                .where(Mark.id == mark_id, _claimable(due=due, now=now))
                .values(claimed_by=worker, claimed_until=now + LEASE,
                        attempts=Mark.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                push = _read(mark_id)
                db.session.commit()
                return push
            db.session.rollback()  # another worker took it meanwhile: look again
    except BaseException:
        db.session.rollback()
        raise


def _read(mark_id: int) -> _Push:
    mark = db.session.execute(
        select(Mark).where(Mark.id == mark_id).execution_options(populate_existing=True)
    ).scalar_one()
    url = db.session.scalar(
        select(Sender.callback_url).join(Document, Document.sender_id == Sender.id)
        .where(Document.id == mark.document_id)
    )
    letter = mark.letter
    return _Push(mark_id=mark.id, attempts=mark.attempts, url=url, xml=mark.xml,
                 letter_id=letter.id if letter is not None else None,
                 letter_xml=letter.xml if letter is not None else None)


def _push(push: _Push, post: Poster) -> _Outcome:
    """The network part: no database here."""
    if not push.url:
        return _Outcome(ok=False, status="no callback", error="no callback URL",
                        hopeless=True)
    try:
        # a letter goes just before the (executed) mark carrying it; its 2xx says the portal
        # has the letter, which makes the "letter" mark (receipt.py); a portal that already
        # holds it answers 2xx again
        status = 200
        letter_delivered = False
        if push.letter_xml is not None:
            status = post(push.url, push.letter_xml, {"X-Qujat-Letter-Id": f"L{push.letter_id}"})
            letter_delivered = 200 <= status < 300
        if 200 <= status < 300:
            status = post(push.url, push.xml, {"X-Qujat-Mark-Id": f"M{push.mark_id}"})
    except requests.RequestException as exc:
        return _Outcome(ok=False, status="network", error=str(exc)[:500],
                        letter_delivered=letter_delivered)
    ok = 200 <= status < 300
    return _Outcome(ok=ok, status=str(status), error=None if ok else f"HTTP {status}",
                    letter_delivered=letter_delivered)


def _record(push: _Push, outcome: _Outcome, *, now: datetime, worker: str) -> None:
    """The outcome of one push, in its own short transaction, and the claim let go.

    An acknowledgement is a fact whoever holds the claim; a failure is recorded only by
    the claim's holder (a worker whose lease ran out leaves the mark to the one that took
    it over)."""
    stmt = update(Mark).where(Mark.id == push.mark_id, Mark.delivered_at.is_(None))
    values: dict = {"claimed_by": None, "claimed_until": None,
                    "last_status": outcome.status, "last_error": outcome.error}
    if outcome.ok:
        values |= {"delivered_at": now, "next_attempt_at": None}
    else:
        stmt = stmt.where(Mark.claimed_by == worker)
        if outcome.hopeless or push.attempts >= MAX_ATTEMPTS:
            values |= {"next_attempt_at": None, "given_up_at": now}
            log.warning("mark %s: giving up after %s attempts (%s); its document's later "
                        "marks are held back, the portal can pull them",
                        push.mark_id, push.attempts, outcome.error)
        else:
            values["next_attempt_at"] = now + backoff(push.attempts)
    try:
        db.session.execute(stmt.values(**values)
                           .execution_options(synchronize_session=False))
        if outcome.letter_delivered:
            # the portal has the letter: the "letter" mark, in the same commit (receipt.py)
            letter_received(push.mark_id, now=now, issuer=current_issuer())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
