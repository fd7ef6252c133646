"""Signing keys from PKCS#12 containers, with an error that says what went wrong.

cryptography opens both the NCA's legacy containers (3DES-shrouded key, RC2-40 encrypted
certificates, SHA-1 MAC: every RSA fixture in keys/ loads) and modern PBES2/AES ones. It
cannot open the GOST containers, and it answers "Invalid password or PKCS12 data" both for
those and for a wrong password; checking the container's MAC ourselves tells the two apart,
so a clerk configuring the system key learns which it is.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12

from app.xmlsig.errors import KeyLoadError

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class SigningKey:
    private_key: PrivateKey
    #: the signer's own certificate, the only one a signature carries
    certificate: x509.Certificate
    #: the container's other certificates (issuing CAs), signer's issuer first when present
    chain: tuple[x509.Certificate, ...] = ()


def load_pkcs12(data: bytes, password: str | bytes) -> SigningKey:
    """Open a PKCS#12 container or raise ``KeyLoadError`` naming the problem."""
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        loaded = pkcs12.load_pkcs12(data, secret)
    except ValueError:
        raise KeyLoadError(_why_unreadable(data, secret)) from None
    if loaded.key is None:
        raise KeyLoadError("the container holds no private key, only certificates")
    if not isinstance(loaded.key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise KeyLoadError(
            f"{type(loaded.key).__name__.removesuffix('PrivateKey')} keys cannot sign here: "
            "only RSA and EC keys are supported"
        )
    certificates = ([loaded.cert.certificate] if loaded.cert else []) + [
        c.certificate for c in loaded.additional_certs
    ]
    own = _spki(loaded.key.public_key())
    mine = [c for c in certificates if _spki(c.public_key()) == own]
    if not mine:
        raise KeyLoadError("the container holds no certificate for its private key")
    others = tuple(c for c in certificates if c is not mine[0])
    issuer_first = sorted(others, key=lambda c: c.subject != mine[0].issuer)
    return SigningKey(private_key=loaded.key, certificate=mine[0], chain=tuple(issuer_first))


def _spki(public_key) -> bytes:
    return public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _why_unreadable(data: bytes, password: bytes) -> str:
    try:
        mac_matches = _mac_matches(data, password)
    except (ValueError, IndexError):
        mac_matches = None
    if mac_matches is False:
        return "wrong password for the key container"
    if mac_matches is True:
        return (
            "the password is right, but the container holds a key or an encryption "
            "cryptography cannot read (GOST keys cannot sign here yet)"
        )
    return "the key container cannot be opened: wrong password, damaged or unsupported file"


# --- the PKCS#12 integrity MAC (RFC 7292, appendix B) ---------------------------------

_MAC_HASHES = {
    bytes.fromhex("2b0e03021a"): hashes.SHA1,
    bytes.fromhex("608648016503040204"): hashes.SHA224,
    bytes.fromhex("608648016503040201"): hashes.SHA256,
    bytes.fromhex("608648016503040202"): hashes.SHA384,
    bytes.fromhex("608648016503040203"): hashes.SHA512,
}


def _mac_matches(data: bytes, password: bytes) -> bool | None:
    """True or False when the container's MAC can be checked with ``password``; None when
    it has no MAC we know how to check."""
    pfx = _children(data, *_tlv(data, 0)[1:])
    if len(pfx) < 3:
        return None
    auth_safe = _children(data, pfx[1][1], pfx[1][2])
    explicit = _children(data, auth_safe[1][1], auth_safe[1][2])
    tag, start, end = explicit[0]
    if tag != 0x04:  # a constructed (BER) OCTET STRING: too rare to be worth reading
        return None
    content = data[start:end]
    mac_data = _children(data, pfx[2][1], pfx[2][2])
    digest_info = _children(data, mac_data[0][1], mac_data[0][2])
    algorithm = _children(data, digest_info[0][1], digest_info[0][2])
    hash_class = _MAC_HASHES.get(data[algorithm[0][1] : algorithm[0][2]])
    if hash_class is None:
        return None
    expected = data[digest_info[1][1] : digest_info[1][2]]
    salt = data[mac_data[1][1] : mac_data[1][2]]
    iterations = int.from_bytes(data[mac_data[2][1] : mac_data[2][2]]) if len(mac_data) > 2 else 1
    secret = password.decode("utf-8").encode("utf-16-be") + b"\x00\x00"
    key = _pkcs12_kdf(hash_class(), secret, salt, iterations, hash_class.digest_size)
    actual = hmac.new(key, content, hash_class.name).digest()
    return hmac.compare_digest(actual, expected)


def _pkcs12_kdf(algorithm, password: bytes, salt: bytes, iterations: int, length: int) -> bytes:
    v, purpose = algorithm.block_size, 3  # 3: the key is for the integrity MAC

    def stretch(value: bytes) -> bytes:
        # repeated to fill whole blocks of v bytes
        if not value:
            return b""
        size = v * -(-len(value) // v)
        return (value * (size // len(value) + 1))[:size]

    block = stretch(salt) + stretch(password)
    output = b""
    while len(output) < length:
        digest = bytes([purpose]) * v + block
        for _ in range(iterations):
            hasher = hashes.Hash(algorithm)
            hasher.update(digest)
            digest = hasher.finalize()
        output += digest
        addend = int.from_bytes((digest * (v // len(digest) + 1))[:v]) + 1
        block = b"".join(
            ((int.from_bytes(block[i : i + v]) + addend) % (1 << (8 * v))).to_bytes(v)
            for i in range(0, len(block), v)
        )
    return output[:length]


def _tlv(data: bytes, position: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``position``."""
    tag, length = data[position], data[position + 1]
    position += 2
    if length & 0x80:
        size = length & 0x7F
        if size == 0:
            raise ValueError("indefinite length")
        length = int.from_bytes(data[position : position + size])
        position += size
    if position + length > len(data):
        raise ValueError("truncated")
    return tag, position, position + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    found = []
    while start < end:
        element = _tlv(data, start)
        found.append(element)
        start = element[2]
    return found
