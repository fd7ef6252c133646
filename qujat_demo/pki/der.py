"""Signing certificates and CRLs that ``cryptography`` cannot sign (GOST keys).

cryptography's builders accept only the keys it knows, so for GOST we write the
TBSCertificate and TBSCertList ourselves, in DER, from the same parts: names and extension
values still come from cryptography (``Name.public_bytes``, ``ExtensionType.public_bytes``),
so only the few outer structures of RFC 5280 are encoded here. The signer is any callable
from the bytes to be signed to the signature value; the result is read back with
cryptography, which parses what it cannot sign.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from cryptography import x509

from .templates import CertificateTemplate, CrlTemplate

Sign = Callable[[bytes], bytes]


def certificate(template: CertificateTemplate, *, algorithm: bytes, sign: Sign) -> bytes:
    """A v3 certificate; ``algorithm`` is the DER AlgorithmIdentifier of the signature."""
    tbs = sequence(
        _tlv(0xA0, integer(2)),  # [0] EXPLICIT version v3
        integer(template.serial_number),
        algorithm,
        template.issuer.public_bytes(),
        sequence(time(template.validity.not_before), time(template.validity.not_after)),
        template.subject.public_bytes(),
        template.public_key,
        _tlv(0xA3, extensions(template.extensions)),
    )
    return sequence(tbs, algorithm, bit_string(sign(tbs)))


def crl(template: CrlTemplate, *, algorithm: bytes, sign: Sign) -> bytes:
    """A v2 CRL, its entries in the template's order, each with its reason code if it has
    one. Optional parts the template leaves empty (nextUpdate, extensions) are left out."""
    entries = [
        sequence(
            integer(entry.serial_number),
            time(entry.revoked_at),
            *([] if entry.reason is None else [_reason(entry.reason)]),
        )
        for entry in template.revoked
    ]
    parts = [
        integer(1),  # v2
        algorithm,
        template.issuer.public_bytes(),
        time(template.this_update),
    ]
    if template.next_update is not None:
        parts.append(time(template.next_update))
    if entries:
        parts.append(sequence(*entries))
    if template.extensions:
        parts.append(_tlv(0xA0, extensions(template.extensions)))
    tbs = sequence(*parts)
    return sequence(tbs, algorithm, bit_string(sign(tbs)))


def _reason(reason: x509.ReasonFlags) -> bytes:
    return extensions([(x509.CRLReason(reason), False)])


def algorithm_identifier(oid: str, *, null_parameters: bool = True) -> bytes:
    return sequence(object_identifier(oid), *([b"\x05\x00"] if null_parameters else []))


def extensions(items: Sequence[tuple[x509.ExtensionType, bool]]) -> bytes:
    return sequence(
        *(
            sequence(
                object_identifier(value.oid.dotted_string),
                *([b"\x01\x01\xff"] if critical else []),  # DEFAULT FALSE is left out
                _tlv(0x04, value.public_bytes()),
            )
            for value, critical in items
        )
    )


# --- primitives ------------------------------------------------------------------------


def sequence(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def integer(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def bit_string(data: bytes) -> bytes:
    return _tlv(0x03, b"\x00" + data)


def object_identifier(dotted: str) -> bytes:
    first, second, *rest = (int(p) for p in dotted.split("."))
    body = bytearray()
    for arc in (40 * first + second, *rest):
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, bytes(body))


def time(moment: datetime) -> bytes:
    """UTCTime through 2049, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5)."""
    moment = moment.astimezone(UTC)
    if moment.year < 2050:
        return _tlv(0x17, moment.strftime("%y%m%d%H%M%SZ").encode())
    return _tlv(0x18, moment.strftime("%Y%m%d%H%M%SZ").encode())


def _tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content
