"""A portal's TLS client certificate, as its administrator hands it over (a PEM file) or as
the reverse proxy forwards it (nginx's ``$ssl_client_escaped_cert``: the PEM, URL-encoded).

The proxy verifies the certificate against the portals' CA; what this module gives the
app is which certificate it was, by the SHA-256 of its DER, so that a sender's token is
accepted only with the certificate pinned for that sender (app/documents/senders.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes

_PEM_BEGIN = b"-----BEGIN CERTIFICATE-----"


class UnreadableCertificate(ValueError):
    """Raised when the bytes given as a client certificate are not one X.509 certificate
    in PEM; the message says what is wrong with them."""


@dataclass(frozen=True)
class ClientCertificate:
    """What is kept of a client certificate: its fingerprint, and for people its subject
    and the end of its validity."""

    #: SHA-256 of the certificate's DER, lower-case hex (64 characters)
    sha256: str
    #: the subject as RFC 4514 writes it, e.g. "CN=egov.kz,O=NITEC,C=KZ"
    subject: str
    not_after: datetime
    #: whether the certificate is a CA's (basicConstraints cA): never a portal's own
    is_ca: bool = False

    @property
    def short(self) -> str:
        """The first bytes of the fingerprint, as a person compares them: ``3F:9A:…``."""
        return short_fingerprint(self.sha256)


def short_fingerprint(sha256: str) -> str:
    """``3f9a0c…`` as ``3F:9A:0C:11:…``: enough of it to tell two certificates apart."""
    head = sha256[:16].upper()
    return ":".join(head[i:i + 2] for i in range(0, len(head), 2)) + ":…"


def read_pem(data: bytes) -> ClientCertificate:
    """The one certificate of a PEM text (a file of the portal's certificate).

    Raises UnreadableCertificate for anything else: no PEM certificate at all, several
    (a chain: give the portal's own certificate alone), or one that does not parse."""
    found = data.count(_PEM_BEGIN)
    if found == 0:
        raise UnreadableCertificate("it holds no PEM certificate "
                                    "(no '-----BEGIN CERTIFICATE-----' line)")
    if found > 1:
        raise UnreadableCertificate(f"it holds {found} certificates; give the portal's own "
                                    "certificate alone, not its chain")
    try:
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError as exc:
        raise UnreadableCertificate(f"its certificate does not parse ({exc})") from exc
    return _described(certificate)


def read_forwarded(value: str) -> ClientCertificate:
    """The certificate the reverse proxy forwarded: URL-encoded PEM
    (``$ssl_client_escaped_cert``). ``unquote``, not ``unquote_plus``: a '+' of base64 is
    a '+'."""
    try:
        data = unquote(value, errors="strict").encode("ascii")
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise UnreadableCertificate("it is not URL-encoded PEM") from exc
    return read_pem(data)


def _described(certificate: x509.Certificate) -> ClientCertificate:
    try:
        subject = certificate.subject.rfc4514_string()
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        is_ca = constraints.value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    except ValueError as exc:  # a malformed name or extension, parsed lazily
        raise UnreadableCertificate(f"its certificate does not parse ({exc})") from exc
    return ClientCertificate(
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        subject=subject, not_after=certificate.not_valid_after_utc, is_ca=is_ca)
