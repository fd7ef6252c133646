"""Sending systems and their bearer tokens.

Each portal gets a random 256-bit token, shown once; we keep only its SHA-256, so a
leaked database does not let anyone post as a portal. (In production the same identity
would come from mutual TLS at the gateway; the token is what this product checks itself.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.documents.models import Sender
from app.errors import Forbidden, Refused, Unauthenticated
from app.extensions import db


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_sender(*, code: str, name: str, callback_url: str | None = None,
               token: str | None = None, by: User | None = None, name_kk: str = "",
               name_en: str = "") -> tuple[Sender, str]:
    """A new sending portal and its token; chained into the audit log (``by`` None: the
    command line), the token never. Named in Russian and, when given, Kazakh and English
    (readers of those see the Russian name until they are written)."""
    if db.session.scalar(select(Sender).where(Sender.code == code)):
        raise Refused(_l("A sending system with the code “%(sender_code)s” already exists.",
                         sender_code=code),
                      code="sender_code_taken", sender_code=code)
    token = token or secrets.token_urlsafe(32)
    sender = Sender(code=code, name=name, name_kk=(name_kk or "").strip(),
                    name_en=(name_en or "").strip(), callback_url=callback_url,
                    token_sha256=_digest(token))
    db.session.add(sender)
    db.session.flush()
    forget_senders()
    record(AuditKind.SENDER_ADDED, actor_id=by.id if by is not None else None,
           target=f"sender {code}",
           details={"sender_id": sender.id, "name": name, "name_kk": sender.name_kk,
                    "name_en": sender.name_en, "callback_url": callback_url})
    return sender, token


def name_sender(sender: Sender, *, name: str | None = None, name_kk: str | None = None,
                name_en: str | None = None, by: User | None = None) -> None:
    """Change a portal's names; None leaves that one as it is, an empty Kazakh or English
    name shows the Russian one to its readers."""
    before = [sender.name, sender.name_kk, sender.name_en]
    if name is not None:
        if not name.strip():
            raise Refused(_l("A sending system needs its name in Russian."),
                          code="sender_name_missing")
        sender.name = name.strip()
    if name_kk is not None:
        sender.name_kk = name_kk.strip()
    if name_en is not None:
        sender.name_en = name_en.strip()
    record(AuditKind.NAMES_SET, actor_id=by.id if by is not None else None,
           target=f"sender {sender.code}",
           details={"sender_id": sender.id, "before": before,
                    "after": [sender.name, sender.name_kk, sender.name_en]})


#: how long a process trusts a token it has looked up: a sender disabled, or given a new
#: token, in the database is refused by every process within this many seconds
SENDER_CACHE_SECONDS = 10.0


class _SenderCache:
    """Known tokens' senders, per process: a portal posting hundreds of documents a second
    is looked up once every ``SENDER_CACHE_SECONDS``, not once a request. Only senders
    found are kept (an unknown token asks the database every time, so a sender added is
    known at once); each request gets its own copy in its session (``merge`` without
    loading), never the kept instance itself."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, Sender]] = {}

    def get(self, digest: str) -> Sender | None:
        kept = self._kept.get(digest)
        if kept is None or kept[0] < time.monotonic():
            return None
        return db.session.merge(kept[1], load=False)

    def keep(self, digest: str, sender: Sender) -> Sender:
        db.session.expunge(sender)
        with self._lock:
            if len(self._kept) > 1000:  # tokens replaced over the years: start again
                self._kept.clear()
            self._kept[digest] = (time.monotonic() + SENDER_CACHE_SECONDS, sender)
        return db.session.merge(sender, load=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_SENDERS = _SenderCache()


@event.listens_for(Sender, "after_update")
@event.listens_for(Sender, "after_delete")
def _sender_changed(mapper, connection, target) -> None:
    """A sender changed through this process (its URL, its token, disabled) is looked up
    again at once here; other processes see it within ``SENDER_CACHE_SECONDS``."""
    _SENDERS.clear()


def forget_senders() -> None:
    """Look every token up again (after a sender was changed in this process)."""
    _SENDERS.clear()


def sender_for_token(authorization: str | None) -> Sender:
    """The sender a ``Authorization: Bearer <token>`` header identifies."""
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthenticated("Send the portal's token as 'Authorization: Bearer <token>'.")
    digest = _digest(authorization[len("Bearer "):].strip())
    sender = _SENDERS.get(digest)
    if sender is None:
        sender = db.session.scalar(select(Sender).where(Sender.token_sha256 == digest))
        if sender is not None:
            sender = _SENDERS.keep(digest, sender)
    # compare again in constant time: the index lookup alone leaks nothing useful, but
    # this keeps the check honest if the lookup ever becomes a prefix match
    if sender is None or not hmac.compare_digest(sender.token_sha256, digest):
        raise Unauthenticated("The token is not known.")
    if not sender.active:
        raise Forbidden(f"The sender '{sender.code}' is disabled.")
    return sender
