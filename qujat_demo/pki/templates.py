"""What a certificate or CRL will say, before a key of some family signs it.

``issue.py`` fills these in; the issuer's ``KeyAlgorithm`` (algorithms.py) signs them:
through cryptography's builders for RSA, through ``der.py`` for GOST, which cryptography
cannot sign with. The public key travels as SubjectPublicKeyInfo DER for the same reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_der_public_key

#: (extension value, critical), in the order the certificate lists them
Extensions = tuple[tuple[x509.ExtensionType, bool], ...]


@dataclass(frozen=True)
class Validity:
    not_before: datetime
    not_after: datetime

    @classmethod
    def starting(cls, start: datetime, *, days: int) -> Validity:
        return cls(not_before=start, not_after=start + timedelta(days=days))


@dataclass(frozen=True)
class Revocation:
    serial_number: int
    revoked_at: datetime
    #: None: the entry carries no reason code
    reason: x509.ReasonFlags | None = x509.ReasonFlags.key_compromise


@dataclass(frozen=True)
class CertificateTemplate:
    subject: x509.Name
    issuer: x509.Name
    serial_number: int
    validity: Validity
    #: the subject's SubjectPublicKeyInfo, DER
    public_key: bytes
    extensions: Extensions

    def builder(self) -> x509.CertificateBuilder:
        """The same certificate as a cryptography builder, for keys it can sign with."""
        builder = (
            x509.CertificateBuilder()
            .subject_name(self.subject)
            .issuer_name(self.issuer)
            .public_key(load_der_public_key(self.public_key))  # type: ignore[arg-type]
            .serial_number(self.serial_number)
            .not_valid_before(self.validity.not_before)
            .not_valid_after(self.validity.not_after)
        )
        for value, critical in self.extensions:
            builder = builder.add_extension(value, critical=critical)
        return builder


@dataclass(frozen=True)
class CrlTemplate:
    issuer: x509.Name
    this_update: datetime
    #: None: no nextUpdate (der.py writes that; cryptography's builder refuses it)
    next_update: datetime | None
    extensions: Extensions
    revoked: tuple[Revocation, ...] = ()

    def builder(self) -> x509.CertificateRevocationListBuilder:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.issuer)
            .last_update(self.this_update)
        )
        if self.next_update is not None:
            builder = builder.next_update(self.next_update)
        for value, critical in self.extensions:
            builder = builder.add_extension(value, critical=critical)
        for entry in self.revoked:
            revoked = (
                x509.RevokedCertificateBuilder()
                .serial_number(entry.serial_number)
                .revocation_date(entry.revoked_at)
            )
            if entry.reason is not None:
                revoked = revoked.add_extension(x509.CRLReason(entry.reason), critical=False)
            builder = builder.add_revoked_certificate(revoked.build())
        return builder


def key_identifier(public_key_info: bytes) -> bytes:
    """SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2, method 1), for any family:
    for RSA the same value as cryptography's ``SubjectKeyIdentifier.from_public_key``."""
    _, start, _ = _tlv(public_key_info, 0)  # SubjectPublicKeyInfo
    _, _, algorithm_end = _tlv(public_key_info, start)  # AlgorithmIdentifier
    tag, bits, end = _tlv(public_key_info, algorithm_end)
    if tag != 0x03:
        raise ValueError("not a SubjectPublicKeyInfo: no BIT STRING after the algorithm")
    return hashlib.sha1(public_key_info[bits + 1 : end]).digest()  # skip the unused-bits byte


def _tlv(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at ``offset``."""
    tag, length = data[offset], data[offset + 1]
    start = offset + 2
    if length & 0x80:
        size = length & 0x7F
        length = int.from_bytes(data[start : start + size], "big")
        start += size
    return tag, start, start + length
