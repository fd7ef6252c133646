"""Sending systems and their bearer tokens.

Each portal gets a random 256-bit token, shown once; we keep only its SHA-256, so a
leaked database does not let anyone post as a portal. In production the reverse proxy
checks the portal's TLS client certificate against the portals' CA and forwards it; a
sender with a pinned certificate is accepted only with that one, so portal A's certificate
with portal B's stolen token is refused (``check_client_certificate``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.documents.client_certificates import (
    ClientCertificate,
    UnreadableCertificate,
    read_forwarded,
)
from app.documents.models import Sender
from app.errors import Forbidden, Refused, Unauthenticated
from app.extensions import db
from app.settings import Settings
from app.timeutil import day_text, utcnow


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


# --- the pinned client certificate ------------------------------------------------------

#: the header the reverse proxy sets to the client certificate it verified (nginx:
#: ``proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;``, deploy/nginx.conf)
CLIENT_CERT_HEADER = "X-SSL-Client-Cert"


def pin_certificate(sender: Sender, certificate: ClientCertificate, *,
                    by: User | None = None) -> None:
    """Accept ``sender``'s token only with ``certificate`` from now on (one pinned at a
    time: pinning another replaces it); chained into the audit log (``by`` None: the
    command line)."""
    if certificate.is_ca:
        raise Refused(_l("The certificate “%(subject)s” is a certificate authority's, not "
                         "a portal's own: pin the certificate the portal presents.",
                         subject=certificate.subject),
                      code="client_certificate_is_ca", subject=certificate.subject)
    if certificate.not_after <= utcnow():
        raise Refused(_l("The certificate “%(subject)s” expired on %(day)s: the proxy "
                         "would refuse it. Pin the portal's current certificate.",
                         subject=certificate.subject, day=day_text(certificate.not_after)),
                      code="client_certificate_expired", subject=certificate.subject)
    other = db.session.scalar(select(Sender).where(
        Sender.client_cert_sha256 == certificate.sha256, Sender.id != sender.id))
    if other is not None:
        raise Refused(_l("This certificate is already pinned for the sending system "
                         "“%(sender_code)s”: each portal has a certificate of its own.",
                         sender_code=other.code),
                      code="client_certificate_taken", sender_code=other.code)
    before = sender.client_cert_sha256
    sender.client_cert_sha256 = certificate.sha256
    sender.client_cert_subject = certificate.subject
    sender.client_cert_not_after = certificate.not_after
    db.session.flush()
    forget_senders()
    record(AuditKind.CLIENT_CERTIFICATE_PINNED, actor_id=by.id if by is not None else None,
           target=f"sender {sender.code}",
           details={"sender_id": sender.id, "subject": certificate.subject,
                    "fingerprint": certificate.sha256,
                    "not_after": certificate.not_after.isoformat(),
                    "replaced": before})


def unpin_certificate(sender: Sender, *, by: User | None = None) -> None:
    """Accept ``sender``'s token with any certificate the proxy let through again (unless
    QUJAT_REQUIRE_CLIENT_CERTIFICATE); chained into the audit log."""
    if sender.client_cert_sha256 is None:
        raise Refused(_l("The sending system “%(sender_code)s” has no pinned certificate.",
                         sender_code=sender.code),
                      code="no_client_certificate_pinned", sender_code=sender.code)
    details = {"sender_id": sender.id, "subject": sender.client_cert_subject,
               "fingerprint": sender.client_cert_sha256}
    sender.client_cert_sha256 = None
    sender.client_cert_subject = None
    sender.client_cert_not_after = None
    db.session.flush()
    forget_senders()
    record(AuditKind.CLIENT_CERTIFICATE_UNPINNED, actor_id=by.id if by is not None else None,
           target=f"sender {sender.code}", details=details)


def forwarded_certificate(headers: Mapping[str, str], settings: Settings) -> str | None:
    """The client certificate the reverse proxy forwarded, as it wrote it; None when it
    forwarded none, and always None when no proxy is trusted: a client speaking to the app
    directly could write anything in that header."""
    if not settings.trusted_proxies:
        return None
    return headers.get(CLIENT_CERT_HEADER) or None


def check_client_certificate(sender: Sender, forwarded: str | None, *,
                             settings: Settings) -> None:
    """Raise Forbidden (403) unless the request may go on as ``sender``: a sender with a
    pinned certificate needs that very certificate forwarded; one without passes, unless
    the settings require every sender to have one. ``forwarded`` is what
    ``forwarded_certificate`` found."""
    if sender.client_cert_sha256 is None:
        if settings.require_client_certificate:
            raise Forbidden(
                f"The sender '{sender.code}' has no pinned client certificate, and this "
                f"server accepts only portals with one; the administrator pins it with "
                f"'qujat sender pin-certificate {sender.code} PEMFILE'.",
                code="client_certificate_not_pinned", sender=sender.code)
        return
    if forwarded is None:
        why = (f"the reverse proxy forwarded none ({CLIENT_CERT_HEADER})"
               if settings.trusted_proxies else
               f"no reverse proxy is trusted (qujat_trusted_proxies is 0), so the "
               f"{CLIENT_CERT_HEADER} header is not read")
        raise Forbidden(f"The sender '{sender.code}' has a pinned client certificate and "
                        f"this request came without one: {why}.",
                        code="client_certificate_missing", sender=sender.code)
    try:
        presented = read_forwarded(forwarded)
    except UnreadableCertificate as exc:
        raise Forbidden(f"The client certificate the reverse proxy forwarded for the sender "
                        f"'{sender.code}' cannot be read: {exc}.",
                        code="client_certificate_unreadable", sender=sender.code) from exc
    if not hmac.compare_digest(presented.sha256, sender.client_cert_sha256):
        raise Forbidden(f"The client certificate presented ({presented.subject}, SHA-256 "
                        f"{presented.sha256}) is not the one pinned for the sender "
                        f"'{sender.code}'.",
                        code="client_certificate_mismatch", sender=sender.code,
                        presented_subject=presented.subject,
                        presented_sha256=presented.sha256)


def sender_for_request(headers: Mapping[str, str], *, settings: Settings) -> Sender:
    """The sender an API request comes from: its bearer token, held to the sender's pinned
    client certificate (the portals' GET endpoints; the intake checks the two in turn, so
    that a refused certificate is logged against the sender it claimed)."""
    sender = sender_for_token(headers.get("Authorization"))
    check_client_certificate(sender, forwarded_certificate(headers, settings),
                             settings=settings)
    return sender
