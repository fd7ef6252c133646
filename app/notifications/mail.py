"""E-mailing notifications: an outbox in the notifications table.

A notification to be e-mailed is committed with ``mail_state`` WAITING; nothing is sent
inside that transaction. ``send_waiting_mail`` then claims one at a time in a short
transaction (a lease, as status marks are claimed), sends it with no transaction open,
and records SENT, or the error and a later attempt (back-off); after ``MAX_ATTEMPTS`` it
gives up (FAILED) and the notification stays on the desk. An SMTP server that is down
loses nothing: the notification is there, and its e-mail goes when the server is back.
A worker killed mid-send sends that one again after its lease: at most one repeat.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from app.auth.models import User
from app.extensions import db
from app.notifications.models import MailState, Notification
from app.notifications.texts import subject, text
from app.settings import Smtp
from app.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
BATCH = 100
LEASE = timedelta(minutes=5)
TIMEOUT = 20


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4, ... at most 4 hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 4 * 3600))


@dataclass(frozen=True)
class _Letter:
    notification_id: int
    attempts: int
    to: str
    subject: str
    body: str


def send_waiting_mail(smtp: Smtp | None, *, now: datetime | None = None,
                      limit: int = BATCH) -> int:
    """Send the e-mails due by now, up to ``limit``; returns how many were sent. Without
    SMTP nothing is sent (the notifications wait on the desk). Commits."""
    if smtp is None:
        return 0
    worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    due = now or utcnow()
    sent = 0
    for _ in range(limit):
        letter = _claim_next(due=due, now=now or utcnow(), worker=worker, sender=smtp.sender)
        if letter is None:
            break
        error = _send(smtp, letter)
        _record(letter, error, now=now or utcnow(), worker=worker)
        sent += error is None
    return sent


def _claim_next(*, due: datetime, now: datetime, worker: str, sender: str) -> _Letter | None:
    claimable = (
        Notification.mail_state == MailState.WAITING,
        Notification.mail_next_at <= due,
        or_(Notification.mail_claimed_until.is_(None), Notification.mail_claimed_until <= now),
    )
    while True:
        candidate = db.session.scalar(
            select(Notification.id).where(*claimable).order_by(Notification.id).limit(1))
        if candidate is None:
            db.session.commit()
            return None
        taken = db.session.execute(
            update(Notification).where(Notification.id == candidate, *claimable)
            .values(mail_claimed_until=now + LEASE, mail_claimed_by=worker)
            .execution_options(synchronize_session=False)).rowcount
        if not taken:  # another worker was first: look again
            db.session.commit()
            continue
        notification = db.session.get(Notification, candidate, populate_existing=True)
        assert notification is not None
        user = db.session.get(User, notification.user_id)
        if user is None or not user.email or not user.email_notifications:
            # the address was removed or e-mail turned off since: nothing to send
            notification.mail_state = None
            notification.mail_claimed_until = None
            db.session.commit()
            continue
        letter = _Letter(notification.id, notification.mail_attempts, user.email,
                         *_words(notification))
        db.session.commit()
        return letter


def _words(notification: Notification) -> tuple[str, str]:
    """Subject in the body's default language; the text in each desk language but English
    (an e-mail has no reader's choice to follow)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = [default] + [code for code in current_app.config["LANGUAGES"]
                             if code not in (default, "en")]
    with force_locale(default):
        title = subject(notification)
    parts = []
    for code in languages:
        with force_locale(code):
            parts.append(text(notification))
    return title, "\n\n".join(parts) + "\n"


def _send(smtp: Smtp, letter: _Letter) -> str | None:
    """None when the server took it, else what went wrong."""
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = letter.to
    message["Subject"] = letter.subject
    # the same id if it is ever sent twice (a worker killed mid-send): mail clients drop it
    domain = smtp.sender.rpartition("@")[2] or "qujat.local"
    message["Message-ID"] = f"<qujat-notification-{letter.notification_id}@{domain}>"
    message.set_content(letter.body)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("notification %s: e-mail to %s failed: %s", letter.notification_id,
                    letter.to, exc)
        return f"{type(exc).__name__}: {exc}"[:1000]
    return None


def _record(letter: _Letter, error: str | None, *, now: datetime, worker: str) -> None:
    values: dict[str, object] = {"mail_claimed_until": None, "mail_claimed_by": None}
    if error is None:
        values |= {"mail_state": MailState.SENT, "mail_sent_at": now, "mail_error": None}
    else:
        attempts = letter.attempts + 1
        values |= {"mail_attempts": attempts, "mail_error": error,
                   "mail_next_at": now + backoff(attempts)}
        if attempts >= MAX_ATTEMPTS:
            values["mail_state"] = MailState.FAILED
    db.session.execute(
        update(Notification)
        .where(Notification.id == letter.notification_id,
               Notification.mail_claimed_by == worker)
        .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
