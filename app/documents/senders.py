"""Sending systems and their bearer tokens.

Each portal gets a random 256-bit token, shown once; we keep only its SHA-256, so a
leaked database does not let anyone post as a portal. (In production the same identity
would come from mutual TLS at the gateway; the token is what this product checks itself.)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.documents.models import Sender
from app.errors import Forbidden, Refused, Unauthenticated
from app.extensions import db


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_sender(*, code: str, name: str, callback_url: str | None = None,
               token: str | None = None, by: User | None = None) -> tuple[Sender, str]:
    """A new sending portal and its token; chained into the audit log (``by`` None: the
    command line), the token never."""
    if db.session.scalar(select(Sender).where(Sender.code == code)):
        raise Refused(_l("A sending system with the code “%(sender_code)s” already exists.",
                         sender_code=code),
                      code="sender_code_taken", sender_code=code)
    token = token or secrets.token_urlsafe(32)
    sender = Sender(code=code, name=name, callback_url=callback_url, token_sha256=_digest(token))
    db.session.add(sender)
    db.session.flush()
    record(AuditKind.SENDER_ADDED, actor_id=by.id if by is not None else None,
           target=f"sender {code}",
           details={"sender_id": sender.id, "name": name, "callback_url": callback_url})
    return sender, token


def sender_for_token(authorization: str | None) -> Sender:
    """The sender a ``Authorization: Bearer <token>`` header identifies."""
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthenticated("Send the portal's token as 'Authorization: Bearer <token>'.")
    digest = _digest(authorization[len("Bearer "):].strip())
    sender = db.session.scalar(select(Sender).where(Sender.token_sha256 == digest))
    # compare again in constant time: the index lookup alone leaks nothing useful, but
    # this keeps the check honest if the lookup ever becomes a prefix match
    if sender is None or not hmac.compare_digest(sender.token_sha256, digest):
        raise Unauthenticated("The token is not known.")
    if not sender.active:
        raise Forbidden(f"The sender '{sender.code}' is disabled.")
    return sender
