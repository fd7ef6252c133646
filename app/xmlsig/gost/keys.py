"""GOST 34.10-2015 (512 bit) keys as the NCA writes them.

Every number is little-endian, 64 bytes: the hash entering the signature is
``int.from_bytes(streebog512(data), "little")``; a signature is r then s; the public key in
a certificate is an OCTET STRING (inside the BIT STRING) holding x then y; a private key in
PKCS#8 is an OCTET STRING holding the scalar. Certificates, CRLs and the XML SignatureValue
follow the same rules.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from typing import ClassVar

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from app.xmlsig.gost import curve
from app.xmlsig.gost.oids import (
    GOST_HASH_PARAMETERS_OID,
    GOST_KEY_OID,
    GOST_KEY_PARAMETERS_OID,
)
from app.xmlsig.gost.streebog import streebog512

#: the older GOST 34.310-2004 keys, for a message that names them
_KNOWN_OTHERS = {
    "1.2.398.3.10.1.1.1.1": "GOST 34.310-2004",
    "1.2.398.3.10.1.1.1.2": "GOST 34.310-2004",
}

_SIZE = 64


class GostKeyParameters(core.Sequence):
    """The AlgorithmIdentifier parameters of a GOST 2015 key: SEQUENCE of two OIDs."""

    _fields = [
        ("curve", core.ObjectIdentifier),
        ("hash", core.ObjectIdentifier),
    ]


class AlgorithmIdentifier(core.Sequence):
    """Any AlgorithmIdentifier: asn1crypto's own refuse algorithms they do not know."""

    _fields = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class SubjectPublicKeyInfo(core.Sequence):
    _fields = [
        ("algorithm", AlgorithmIdentifier),
        ("public_key", core.OctetBitString),
    ]


def algorithm_identifier() -> dict:
    """The key's AlgorithmIdentifier as asn1crypto takes it (SPKI and PKCS#8 alike)."""
    return {
        "algorithm": GOST_KEY_OID,
        "parameters": GostKeyParameters(
            {"curve": GOST_KEY_PARAMETERS_OID, "hash": GOST_HASH_PARAMETERS_OID}
        ),
    }


@dataclass(frozen=True)
class GostPublicKey:
    """A point of the curve; constructing one off the curve raises ``ValueError``."""

    x: int
    y: int
    key_size: ClassVar[int] = 512

    def __post_init__(self):
        if not curve.on_curve(self.x, self.y):
            raise ValueError("the GOST public key is not a point of paramSetA")

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Does ``signature`` (128 bytes, r then s, little-endian) sign ``data``?"""
        return self.verify_digest(signature, streebog512(data))

    def verify_digest(self, signature: bytes, digest: bytes) -> bool:
        """Like ``verify`` for a Streebog-512 digest already computed; never raises."""
        if len(signature) != 2 * _SIZE or len(digest) != _SIZE:
            return False
        r = int.from_bytes(signature[:_SIZE], "little")
        s = int.from_bytes(signature[_SIZE:], "little")
        return curve.verify(self.x, self.y, int.from_bytes(digest, "little"), r, s)

    def point_bytes(self) -> bytes:
        """x then y, 64 bytes each, little-endian: the content of the key's OCTET STRING."""
        return self.x.to_bytes(_SIZE, "little") + self.y.to_bytes(_SIZE, "little")

    def spki_der(self) -> bytes:
        """The SubjectPublicKeyInfo exactly as NCA certificates carry it."""
        return SubjectPublicKeyInfo(
            {
                "algorithm": algorithm_identifier(),
                "public_key": core.OctetString(self.point_bytes()).dump(),
            }
        ).dump()

    @classmethod
    def from_spki_der(cls, data: bytes) -> GostPublicKey:
        """The key of a SubjectPublicKeyInfo; ``ValueError`` naming the problem."""
        try:
            info = SubjectPublicKeyInfo.load(data)
            oid = info["algorithm"]["algorithm"].dotted
            key_octets = info["public_key"].native
        except (ValueError, TypeError) as exc:
            raise ValueError(f"the public key info cannot be read: {exc}") from None
        if oid != GOST_KEY_OID:
            name = _KNOWN_OTHERS.get(oid)
            what = f"{name} ({oid})" if name else oid
            raise ValueError(
                f"the key algorithm is {what}, not GOST 34.10-2015 512 bit ({GOST_KEY_OID})"
            )
        try:
            point = core.OctetString.load(key_octets).native
        except (ValueError, TypeError) as exc:
            raise ValueError(f"the GOST public key is not an OCTET STRING: {exc}") from None
        if len(point) != 2 * _SIZE:
            raise ValueError(f"the GOST public key has {len(point)} bytes, not {2 * _SIZE}")
        return cls(int.from_bytes(point[:_SIZE], "little"), int.from_bytes(point[_SIZE:], "little"))


class GostPrivateKey:
    """A GOST 34.10-2015 (512 bit) private key: the scalar ``d``, 0 < d < q."""

    key_size = 512

    def __init__(self, d: int):
        if not 0 < d < curve.Q:
            raise ValueError("a GOST private key must lie between 0 and the group order")
        self._d = d

    def __repr__(self) -> str:
        # never the scalar: a repr ends up in logs and tracebacks
        return f"<GostPrivateKey, public x={self.public_key().x:#x}>"

    @property
    def d(self) -> int:
        return self._d

    @classmethod
    def generate(cls) -> GostPrivateKey:
        return cls(secrets.randbelow(curve.Q - 1) + 1)

    @classmethod
    def from_scalar_bytes(cls, data: bytes) -> GostPrivateKey:
        """From the 64-byte little-endian scalar of Kalkan's PKCS#8."""
        if len(data) != _SIZE:
            raise ValueError(f"a GOST private key has {_SIZE} bytes, not {len(data)}")
        return cls(int.from_bytes(data, "little"))

    def scalar_bytes(self) -> bytes:
        return self._d.to_bytes(_SIZE, "little")

    @functools.cached_property
    def _public(self) -> GostPublicKey:
        return GostPublicKey(*curve.multiply_base(self._d))

    def public_key(self) -> GostPublicKey:
        return self._public

    def sign(self, data: bytes) -> bytes:
        """128 bytes: r then s, little-endian, over Streebog-512 of ``data``."""
        return self.sign_digest(streebog512(data))

    def sign_digest(self, digest: bytes) -> bytes:
        if len(digest) != _SIZE:
            raise ValueError(f"a Streebog-512 digest has {_SIZE} bytes, not {len(digest)}")
        r, s = curve.sign(self._d, int.from_bytes(digest, "little"))
        return r.to_bytes(_SIZE, "little") + s.to_bytes(_SIZE, "little")


def _spki_of(certificate: x509.Certificate) -> bytes:
    tbs = asn1_x509.TbsCertificate.load(certificate.tbs_certificate_bytes)
    return tbs["subject_public_key_info"].dump()


@functools.lru_cache(maxsize=4096)
def public_key_from_certificate(certificate: x509.Certificate) -> GostPublicKey:
    """The GOST 2015 key of ``certificate``; ``ValueError`` naming the problem otherwise.

    Cached (certificates hash and compare by their DER, the key is frozen): the signature
    check asks twice per document, and the chain asks for the same CAs every time; the
    DER walk through asn1crypto costs a tenth of a GOST verification."""
    return GostPublicKey.from_spki_der(_spki_of(certificate))
