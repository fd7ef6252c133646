"""Test certificates shaped like the NCA's, and loaders for the real NCA fixtures.

``Pki.create()`` gives a root → issuing CA pair; its ``individual`` and ``employee`` methods
issue leaves with the NCA subject layout (CN "SURNAME NAME", SN, serialNumber "IIN…",
GN = patronymic, O and OU "BIN…" for companies), key usages and extended key usages.
EC P-256 keys keep key generation out of the test time.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from lxml import etree

from app.xmlsig.certificates import NCA_INDIVIDUAL, NCA_LEGAL_ENTITY, NcaRole
from app.xmlsig.policy import TrustPolicy


def _fixtures() -> Path:
    """The NCA's published test material: $QUJAT_NCA_FIXTURES, else tests/data/kz-nca if
    the fixtures move into the repository, else the shared copy beside it (as conftest)."""
    candidates = [
        Path(__file__).resolve().parents[1] / "data" / "kz-nca",
        Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "kz-nca",
    ]
    if configured := os.environ.get("QUJAT_NCA_FIXTURES"):
        candidates.insert(0, Path(configured))
    return next((p for p in candidates if p.is_dir()), candidates[-1])


FIXTURES = _fixtures()
NCA_PASSWORD = b"Qwerty12"

#: a moment inside every generated certificate's validity, and the CRLs' current period
NOW = datetime(2024, 6, 1, tzinfo=UTC)
LEAF_START = datetime(2024, 1, 1, tzinfo=UTC)
LEAF_END = datetime(2025, 1, 1, tzinfo=UTC)
CA_START = datetime(2020, 1, 1, tzinfo=UTC)
CA_END = datetime(2030, 1, 1, tzinfo=UTC)
CRL_THIS_UPDATE = datetime(2024, 5, 1, tzinfo=UTC)
CRL_NEXT_UPDATE = datetime(2024, 7, 1, tzinfo=UTC)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# ---------------------------------------------------------------------------------------
# generated certificates


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def name(self) -> x509.Name:
        return self.certificate.subject


@dataclass(frozen=True)
class Pki:
    root: Issued
    ca: Issued

    @classmethod
    def create(
        cls,
        *,
        root_name: str = "НЕГІЗГІ КО TEST (QUJAT)",
        ca_name: str = "ҰКО TEST (QUJAT)",
        ca_start: datetime = CA_START,
        ca_end: datetime = CA_END,
        ca_basic_constraints_critical: bool = True,
    ) -> Pki:
        root = root_ca(name=root_name)
        ca = issuing_ca(
            issuer=root,
            name=ca_name,
            start=ca_start,
            end=ca_end,
            basic_constraints_critical=ca_basic_constraints_critical,
        )
        return cls(root=root, ca=ca)

    def policy(self, **options) -> TrustPolicy:
        return TrustPolicy(
            anchors=(self.root.certificate,), intermediates=(self.ca.certificate,), **options
        )

    def individual(self, **kwargs) -> Issued:
        return leaf(issuer=self.ca, **kwargs)

    def employee(
        self,
        *,
        roles: Sequence[str],
        bin: str = "123456789021",
        organization: str = 'АО "ТЕСТ"',
        **kwargs,
    ) -> Issued:
        return leaf(issuer=self.ca, bin=bin, organization=organization, roles=roles, **kwargs)


def root_ca(*, name: str = "НЕГІЗГІ КО TEST (QUJAT)") -> Issued:
    key = _key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    builder = _ca_builder(subject, subject, key.public_key(), at(2018, 1, 1), at(2038, 1, 1))
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
    )
    return Issued(builder.sign(key, hashes.SHA256()), key)


def issuing_ca(
    *,
    issuer: Issued,
    name: str = "ҰКО TEST (QUJAT)",
    start: datetime = CA_START,
    end: datetime = CA_END,
    basic_constraints_critical: bool = True,
) -> Issued:
    key = _key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    builder = _ca_builder(
        subject,
        issuer.name,
        key.public_key(),
        start,
        end,
        basic_constraints_critical=basic_constraints_critical,
    ).add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
        critical=False,
    )
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def leaf(
    *,
    issuer: Issued,
    iin: str | None = "123456789011",
    surname: str = "ТЕСТОВ",
    first_name: str = "ТЕСТ",
    patronymic: str = "ТЕСТОВИЧ",
    bin: str | None = None,
    organization: str | None = None,
    roles: Sequence[str] = (),
    purpose: str = "sign",
    start: datetime = LEAF_START,
    end: datetime = LEAF_END,
    serial_number: int | None = None,
    rsa_bits: int | None = None,
    holder_oids: Sequence[x509.ObjectIdentifier] | None = None,
) -> Issued:
    """An NCA-style leaf. ``purpose``: "sign" (digitalSignature + nonRepudiation,
    emailProtection), "auth" (digitalSignature + keyEncipherment, clientAuth) or "gost2022"
    (one key for both: digitalSignature + nonRepudiation + keyAgreement)."""
    key = rsa.generate_private_key(65537, rsa_bits) if rsa_bits else _key()
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, f"{surname} {first_name}"),
        x509.NameAttribute(NameOID.SURNAME, surname),
    ]
    if iin:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"))
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if bin:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin}"))
    attributes.append(x509.NameAttribute(NameOID.GIVEN_NAME, patronymic))
    if holder_oids is None:
        holder_oids = [NCA_LEGAL_ENTITY] if bin else [NCA_INDIVIDUAL]
    usage, purposes = _PURPOSES[purpose]
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(issuer.name)
        .public_key(key.public_key())
        .serial_number(serial_number or x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [*purposes, *holder_oids, *(NcaRole(r).oid for r in roles)]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def crl(
    *,
    issuer: Issued,
    revoked: Iterable[tuple[int, datetime, x509.ReasonFlags | None]] = (),
    this_update: datetime = CRL_THIS_UPDATE,
    next_update: datetime = CRL_NEXT_UPDATE,
    extensions: Iterable[x509.ExtensionType] = (),
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.name)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for extension in extensions:
        builder = builder.add_extension(extension, critical=True)
    for serial, when, reason in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        if reason is not None:
            entry = entry.add_extension(x509.CRLReason(reason), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(issuer.key, hashes.SHA256())


def crl_der(
    *,
    issuer: Issued,
    serials: Iterable[int],
    revoked_at: datetime,
    this_update: datetime = CRL_THIS_UPDATE,
    next_update: datetime | None = CRL_NEXT_UPDATE,
) -> bytes:
    """A signed CRL encoded by hand, for what cryptography's builder will not make: 100,000
    entries (it copies its entry list on every addition, minutes at that size) or no
    nextUpdate (it refuses)."""
    when = _der(0x17, revoked_at.strftime("%y%m%d%H%M%SZ").encode())
    entries = b"".join(_der(0x30, _der_integer(s) + when) for s in serials)
    algorithm = _der(0x30, _der(0x06, bytes.fromhex("2a8648ce3d040302")))  # ecdsa-with-SHA256
    tbs = _der(
        0x30,
        _der_integer(1)  # v2
        + algorithm
        + issuer.name.public_bytes()
        + _der(0x17, this_update.strftime("%y%m%d%H%M%SZ").encode())
        + (_der(0x17, next_update.strftime("%y%m%d%H%M%SZ").encode()) if next_update else b"")
        + (_der(0x30, entries) if entries else b""),
    )
    signature = issuer.key.sign(tbs, ec.ECDSA(hashes.SHA256()))  # type: ignore[call-arg]
    return _der(0x30, tbs + algorithm + _der(0x03, b"\x00" + signature))


_PURPOSES = {
    "sign": (
        x509.KeyUsage(True, True, False, False, False, False, False, False, False),
        [ExtendedKeyUsageOID.EMAIL_PROTECTION],
    ),
    "auth": (
        x509.KeyUsage(True, False, True, False, False, False, False, False, False),
        [ExtendedKeyUsageOID.CLIENT_AUTH],
    ),
    "gost2022": (
        x509.KeyUsage(True, True, False, False, True, False, False, False, False),
        [ExtendedKeyUsageOID.EMAIL_PROTECTION],
    ),
}


def _ca_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key,
    start: datetime,
    end: datetime,
    *,
    basic_constraints_critical: bool = True,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), basic_constraints_critical)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def _der_integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


# ---------------------------------------------------------------------------------------
# the real NCA fixtures


def fixture(relative: str) -> Path:
    return FIXTURES / relative


def fixture_cert(relative: str) -> x509.Certificate:
    data = fixture(relative).read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def fixture_crl(relative: str) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(fixture(relative).read_bytes())


def p12_cert(relative: str) -> x509.Certificate:
    """The certificate of an NCA key container. cryptography opens the RSA ones; it refuses
    a whole PKCS#12 whose key is GOST, so those go through openssl, whose legacy provider
    decrypts the certificate bag (RC2-40) and leaves the key alone."""
    data = fixture(relative).read_bytes()
    try:
        loaded = pkcs12.load_pkcs12(data, NCA_PASSWORD)
    except ValueError:
        return _openssl_p12_cert(fixture(relative))
    assert loaded.cert is not None
    return loaded.cert.certificate


def keyinfo_certs(relative: str) -> tuple[x509.Certificate, ...]:
    """The signer certificates in a signed fixture's ds:KeyInfo, in document order."""
    tree = etree.fromstring(
        fixture(relative).read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True)
    )
    values = tree.iter("{http://www.w3.org/2000/09/xmldsig#}X509Certificate")
    return tuple(
        x509.load_der_x509_certificate(base64.b64decode("".join(v.text.split()))) for v in values
    )


def _openssl_p12_cert(path: Path) -> x509.Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to open GOST PKCS#12 containers")
    result = subprocess.run(
        [
            openssl,
            "pkcs12",
            "-legacy",
            "-in",
            str(path),
            "-nokeys",
            "-clcerts",
            "-passin",
            f"pass:{NCA_PASSWORD.decode()}",
        ],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"openssl could not open {path.name}: {result.stderr.decode()[:200]}")
    return x509.load_pem_x509_certificate(result.stdout)


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)
