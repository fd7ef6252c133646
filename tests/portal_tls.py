"""The portals' TLS client certificates, as the reverse proxy sees them: a portals' CA
and one certificate per portal, made with ``cryptography`` (EC P-256: no time spent on
keys), and the header nginx forwards a verified certificate in
(``$ssl_client_escaped_cert``: the PEM, URL-encoded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class TlsCertificate:
    pem: bytes
    subject: str
    sha256: str

    @property
    def forwarded(self) -> dict[str, str]:
        """The header nginx sends the app with this certificate verified."""
        return {"X-SSL-Client-Cert": quote(self.pem.decode(), safe="")}


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Portals of Kazakhstan"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


class PortalsCa:
    """The CA nginx checks the portals' certificates against (``ssl_client_certificate``)."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        self.name = _name("Portals TLS CA")
        self.certificate = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(self.key, hashes.SHA256()))

    @property
    def own(self) -> TlsCertificate:
        return _described(self.certificate)

    def issue(self, common_name: str, *, days: int = 365, ago: int = 1) -> TlsCertificate:
        """A portal's client certificate (clientAuth), valid ``days`` from ``ago`` days ago."""
        key = ec.generate_private_key(ec.SECP256R1())
        start = datetime.now(UTC) - timedelta(days=ago)
        certificate = (
            x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(self.name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(self.key, hashes.SHA256()))
        return _described(certificate)


def _described(certificate: x509.Certificate) -> TlsCertificate:
    return TlsCertificate(pem=certificate.public_bytes(Encoding.PEM),
                          subject=certificate.subject.rfc4514_string(),
                          sha256=certificate.fingerprint(hashes.SHA256()).hex())
