"""Kalkan's GOST PKCS#12 containers: read them, and write them the same way.

The layout (checked on the NCA's test keys): an AuthenticatedSafe of a plain ``data``
SafeContents holding one PKCS#8 shrouded key bag (pbeWithSHA1And3-KeyTripleDES-CBC) and an
``encryptedData`` SafeContents holding the certificate bags (pbeWithSHA1And40BitRC2-CBC),
with a SHA-1 HMAC over it all. The key is PKCS#8 with the algorithm 1.2.398.3.10.1.1.2.2
(the NCA's curve and hash parameters) and a private key OCTET STRING wrapping another OCTET
STRING: the 64-byte little-endian scalar.

``cryptography`` gives up on the whole container because of the key, so the key bag is
decrypted here (3DES through ``cryptography``'s decrepit ciphers, the PKCS#12 key derivation
of RFC 7292 appendix B). The certificates are handed back to ``cryptography``: a container
with the certificate safe alone, re-MACed with the same password, which it opens as any
other (it has RC2-40; writing RC2 ourselves for that would be worse).

We write what ``load_gost_pkcs12`` and ``openssl pkcs12 -legacy`` both read: the same key
bag, the certificates in a 3DES ``encryptedData``, a SHA-1 MAC, 2048 iterations.

The iteration counts of a container are the file's word, and every one of them is work:
ten million MAC iterations cost 46 s of pure Python, 2**31 hours. ``check_iterations``
reads them all with asn1crypto before anything is computed, by us or by ``cryptography``
(for any PKCS#12, GOST or not), and refuses past ``MAX_ITERATIONS``.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from asn1crypto import algos, cms, core, pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import pkcs12 as crypto_pkcs12

from app.xmlsig.errors import KeyLoadError, TooManyIterations
from app.xmlsig.gost.keys import (
    GOST_KEY_OID,
    AlgorithmIdentifier,
    GostPrivateKey,
    algorithm_identifier,
    public_key_from_certificate,
)
from app.xmlsig.names import issuer_of, subject_of

_ITERATIONS = 2048
#: the most iterations of any password hash in a container we compute: Kalkan and NCALayer
#: write 1,024 or 2,048, OpenSSL 2,048, Java's keytool 10,000; 100,000 takes ~0.1 s here
MAX_ITERATIONS = 100_000
#: RFC 9579's password-based MAC (OpenSSL 3.4+ writes it), whose count is in its PBKDF2
_PBMAC1 = "1.2.840.113549.1.5.14"
_3DES = "pkcs12_sha1_tripledes_3key"
#: RFC 7292 appendix B.3: what the derived bytes are for
_KEY, _IV, _MAC = 1, 2, 3


class _PrivateKeyInfo(core.Sequence):
    """PKCS#8 for any algorithm (asn1crypto's refuses the ones it does not know)."""

    _fields = [
        ("version", core.Integer),
        ("private_key_algorithm", AlgorithmIdentifier),
        ("private_key", core.OctetString),
        ("attributes", core.Any, {"implicit": 0, "optional": True}),
    ]


class _Pbmac1Parameters(core.Sequence):
    _fields = [
        ("key_derivation_func", algos.KdfAlgorithm),
        ("message_auth_scheme", algos.HmacAlgorithm),
    ]


def check_iterations(data: bytes) -> None:
    """Refuse a PKCS#12 container that asks for more than ``MAX_ITERATIONS`` iterations of
    any password hash: its MAC's, each encrypted safe's, each shrouded key bag's (those in
    plain safes; a bag inside an encrypted safe is out of sight until that is decrypted).
    Raises ``KeyLoadError`` naming the count, or saying that the file cannot be read: a
    container we cannot look into is not handed on to be computed."""
    try:
        pfx = pkcs12.Pfx.load(data)
        content = pfx["auth_safe"]["content"].native
        mac_data = pfx["mac_data"]
        if mac_data.native is not None:
            _check_count(_mac_iterations(mac_data), "its integrity MAC")
        if not isinstance(content, bytes):
            return  # public-key integrity: no password, nothing of ours to bound
        for safe in pkcs12.AuthenticatedSafe.load(content):
            kind = safe["content_type"].native
            if kind == "data":
                _check_bags(pkcs12.SafeContents.load(safe["content"].native))
            elif kind == "encrypted_data":
                algorithm = safe["content"]["encrypted_content_info"][
                    "content_encryption_algorithm"]
                _check_count(_kdf_iterations(algorithm), "an encrypted safe")
    except KeyLoadError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError):
        raise KeyLoadError("the key container cannot be opened: wrong password, damaged or "
                           "unsupported file") from None


def _check_bags(contents: pkcs12.SafeContents) -> None:
    for bag in contents:
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag":
            _check_count(_kdf_iterations(bag["bag_value"]["encryption_algorithm"]),
                         "the private key's encryption")
        elif kind == "safe_contents":
            _check_bags(bag["bag_value"])


def _mac_iterations(mac_data: pkcs12.MacData) -> int:
    algorithm = mac_data["mac"]["digest_algorithm"]
    if algorithm["algorithm"].dotted == _PBMAC1:
        parameters = _Pbmac1Parameters.load(algorithm["parameters"].dump())
        return _pbkdf2_iterations(parameters["key_derivation_func"])
    return mac_data["iterations"].native


def _kdf_iterations(algorithm: algos.EncryptionAlgorithm) -> int:
    if algorithm["algorithm"].native == "pbes2":
        return _pbkdf2_iterations(algorithm["parameters"]["key_derivation_func"])
    return algorithm.kdf_iterations  # the PKCS#5 v1.5 and PKCS#12 schemes; ValueError else


def _pbkdf2_iterations(kdf: algos.KdfAlgorithm) -> int:
    if kdf["algorithm"].native != "pbkdf2":
        # scrypt and the like bound their work by other parameters, which we do not weigh
        raise KeyLoadError(f"the key container derives its keys with "
                           f"{kdf['algorithm'].native}, which we do not open")
    return kdf["parameters"]["iteration_count"].native


def _check_count(count: int, what: str) -> None:
    if count > MAX_ITERATIONS:
        raise TooManyIterations(
            f"the key container asks for {count:,} iterations of the password hash of "
            f"{what}; at most {MAX_ITERATIONS:,} are accepted (Kalkan and NCALayer write a "
            "few thousand)", count=count, maximum=MAX_ITERATIONS
        )


def load_gost_pkcs12(
    data: bytes, password: bytes | str
) -> tuple[GostPrivateKey, x509.Certificate, list[x509.Certificate]]:
    """(key, its certificate, the other certificates with the signer's issuer first) from a
    Kalkan GOST container; ``KeyLoadError`` naming the problem otherwise (a wrong password
    is told apart from a damaged file by the container's MAC)."""
    check_iterations(data)
    secret = _bmp(password)
    try:
        pfx = pkcs12.Pfx.load(data)
        auth_safe = pfx["auth_safe"]
        content = auth_safe["content"].native
        if auth_safe["content_type"].native != "data" or not isinstance(content, bytes):
            raise KeyLoadError("the key container is not password-integrity protected")
        if pfx["mac_data"].native is None:
            raise KeyLoadError("the key container has no integrity MAC")
        if not _mac_matches(pfx["mac_data"], content, secret):
            raise KeyLoadError("wrong password for the key container")
        safes = pkcs12.AuthenticatedSafe.load(content)
        keys, certificate_safes = [], []
        for safe in safes:
            if safe["content_type"].native == "data":
                keys.extend(_keys_in(pkcs12.SafeContents.load(safe["content"].native), secret))
            else:
                certificate_safes.append(safe)
        certificates = _certificates(certificate_safes, safes, password, secret)
        for safe in safes:
            if safe["content_type"].native == "data":
                certificates.extend(_plain_certificates(safe))
    except KeyLoadError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise KeyLoadError(f"the key container cannot be read: {exc}") from None
    if not keys:
        raise KeyLoadError("the container holds no GOST private key")
    key = keys[0]
    own = key.public_key()
    mine = [c for c in certificates if _key_of(c) == own]
    if not mine:
        raise KeyLoadError("the container holds no certificate for its private key")
    others = [c for c in certificates if c is not mine[0]]
    issuer = issuer_of(mine[0])
    others.sort(key=lambda c: subject_of(c) != issuer)
    return key, mine[0], others


def dump_gost_pkcs12(
    key: GostPrivateKey,
    certificate: x509.Certificate,
    chain: list[x509.Certificate] | tuple[x509.Certificate, ...],
    password: bytes | str,
    *,
    friendly_name: str | None = None,
) -> bytes:
    """A container in Kalkan's layout that ``load_gost_pkcs12`` and
    ``openssl pkcs12 -legacy`` read."""
    secret = _bmp(password)
    local_key_id = hashlib.sha1(certificate.public_bytes(Encoding.DER)).digest()
    attributes = [{"type": "local_key_id", "values": [local_key_id]}]
    if friendly_name:
        attributes.append({"type": "friendly_name", "values": [friendly_name]})
    pkcs8 = _PrivateKeyInfo({
        "version": 0,
        "private_key_algorithm": algorithm_identifier(),
        "private_key": core.OctetString(key.scalar_bytes()).dump(),
    }).dump()
    salt = os.urandom(20)
    key_bag = pkcs12.SafeBag({
        "bag_id": "pkcs8_shrouded_key_bag",
        "bag_value": {
            "encryption_algorithm": {
                "algorithm": _3DES,
                "parameters": {"salt": salt, "iterations": _ITERATIONS},
            },
            "encrypted_data": _3des(secret, salt, _ITERATIONS, pkcs8, encrypt=True),
        },
        "bag_attributes": attributes,
    })
    cert_bags = [
        pkcs12.SafeBag({
            "bag_id": "cert_bag",
            "bag_value": pkcs12.CertBag({
                "cert_id": "x509",
                "cert_value": asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)),
            }),
            "bag_attributes": attributes if c is certificate else [],
        })
        for c in (certificate, *chain)
    ]
    cert_salt = os.urandom(20)
    encrypted_certificates = cms.EncryptedData({
        "version": "v0",
        "encrypted_content_info": {
            "content_type": "data",
            "content_encryption_algorithm": {
                "algorithm": _3DES,
                "parameters": {"salt": cert_salt, "iterations": _ITERATIONS},
            },
            "encrypted_content": _3des(secret, cert_salt, _ITERATIONS,
                                       pkcs12.SafeContents(cert_bags).dump(), encrypt=True),
        },
    })
    auth_safe = pkcs12.AuthenticatedSafe([
        {"content_type": "data",
         "content": core.OctetString(pkcs12.SafeContents([key_bag]).dump())},
        {"content_type": "encrypted_data", "content": encrypted_certificates},
    ]).dump()
    return _pfx(auth_safe, secret)


def password_matches(data: bytes, password: bytes | str) -> bool | None:
    """Does ``password`` open the container's integrity MAC? None when the container has
    no MAC we can check, or is not PKCS#12 at all. Works for any PKCS#12, GOST or not."""
    try:
        check_iterations(data)
        pfx = pkcs12.Pfx.load(data)
        content = pfx["auth_safe"]["content"].native
        if pfx["mac_data"].native is None or not isinstance(content, bytes):
            return None
        return _mac_matches(pfx["mac_data"], content, _bmp(password))
    except (ValueError, TypeError, KeyError, KeyLoadError):
        return None


# --- pieces --------------------------------------------------------------------------


def _bmp(password: bytes | str) -> bytes:
    """The password as PKCS#12 hashes it: UTF-16BE with a terminating NUL."""
    text = password.decode("utf-8") if isinstance(password, bytes) else password
    return text.encode("utf-16-be") + b"\x00\x00"


def _pfx(auth_safe: bytes, secret: bytes) -> bytes:
    salt = os.urandom(20)
    mac_key = pkcs12_kdf(secret, salt, _ITERATIONS, _MAC, 20)
    return pkcs12.Pfx({
        "version": "v3",
        "auth_safe": {"content_type": "data", "content": core.OctetString(auth_safe)},
        "mac_data": {
            "mac": {
                "digest_algorithm": {"algorithm": "sha1", "parameters": None},
                "digest": hmac.new(mac_key, auth_safe, "sha1").digest(),
            },
            "mac_salt": salt,
            "iterations": _ITERATIONS,
        },
    }).dump()


def _mac_matches(mac_data: pkcs12.MacData, content: bytes, secret: bytes) -> bool:
    algorithm = mac_data["mac"]["digest_algorithm"]["algorithm"].native
    if algorithm not in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        raise KeyLoadError(f"the container's MAC uses {algorithm}, which we cannot check")
    size = hashlib.new(algorithm).digest_size
    mac_key = pkcs12_kdf(secret, mac_data["mac_salt"].native, mac_data["iterations"].native,
                         _MAC, size, algorithm)
    actual = hmac.new(mac_key, content, algorithm).digest()
    return hmac.compare_digest(actual, mac_data["mac"]["digest"].native)


def _keys_in(contents: pkcs12.SafeContents, secret: bytes) -> list[GostPrivateKey]:
    found = []
    for bag in contents:
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag":
            value = bag["bag_value"]
            algorithm = value["encryption_algorithm"]
            if algorithm["algorithm"].native != _3DES:
                raise KeyLoadError(
                    f"the private key is encrypted with {algorithm['algorithm'].native}, "
                    "not Kalkan's pbeWithSHA1And3-KeyTripleDES-CBC"
                )
            parameters = algorithm["parameters"]
            pkcs8 = _3des(secret, parameters["salt"].native, parameters["iterations"].native,
                          value["encrypted_data"].native, encrypt=False)
            found.append(_gost_key(pkcs8))
        elif kind == "key_bag":
            found.append(_gost_key(bag["bag_value"].dump()))
    return found


def _gost_key(pkcs8: bytes) -> GostPrivateKey:
    info = _PrivateKeyInfo.load(pkcs8)
    oid = info["private_key_algorithm"]["algorithm"].dotted
    if oid != GOST_KEY_OID:
        raise KeyLoadError(f"the private key is {oid}, not GOST 34.10-2015 512 bit")
    octets = info["private_key"].native
    if len(octets) != 64:  # Kalkan wraps the scalar in a second OCTET STRING
        octets = core.OctetString.load(octets).native
    return GostPrivateKey.from_scalar_bytes(octets)


def _certificates(
    encrypted: list[cms.ContentInfo], safes: pkcs12.AuthenticatedSafe,
    password: bytes | str, secret: bytes,
) -> list[x509.Certificate]:
    """The certificates of the encrypted safes, decrypted by ``cryptography`` from a
    container holding only those safes (see the module docstring)."""
    if not encrypted:
        return []
    auth_safe = pkcs12.AuthenticatedSafe(list(encrypted)).dump()
    loaded = crypto_pkcs12.load_pkcs12(
        _pfx(auth_safe, secret),
        password.encode("utf-8") if isinstance(password, str) else password,
    )
    return [c.certificate for c in ([loaded.cert] if loaded.cert else [])
            + list(loaded.additional_certs)]


def _plain_certificates(safe: cms.ContentInfo) -> list[x509.Certificate]:
    return [
        x509.load_der_x509_certificate(bag["bag_value"]["cert_value"].parsed.dump())
        for bag in pkcs12.SafeContents.load(safe["content"].native)
        if bag["bag_id"].native == "cert_bag"
    ]


def _key_of(certificate: x509.Certificate):
    try:
        return public_key_from_certificate(certificate)
    except ValueError:
        return None


def _3des(secret: bytes, salt: bytes, iterations: int, data: bytes, *, encrypt: bool) -> bytes:
    key = pkcs12_kdf(secret, salt, iterations, _KEY, 24)
    iv = pkcs12_kdf(secret, salt, iterations, _IV, 8)
    cipher = Cipher(TripleDES(key), modes.CBC(iv))
    if encrypt:
        padder = padding.PKCS7(64).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = cipher.encryptor()
        return encryptor.update(padded) + encryptor.finalize()
    decryptor = cipher.decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(64).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise KeyLoadError("the private key cannot be decrypted with this password") from None


def pkcs12_kdf(secret: bytes, salt: bytes, iterations: int, purpose: int, length: int,
               hash_name: str = "sha1") -> bytes:
    """RFC 7292 appendix B.2: ``secret`` is the BMPString password with its NUL. Never
    runs more than ``MAX_ITERATIONS`` (``check_iterations`` names the part that asked)."""
    _check_count(iterations, "this container")
    v = hashlib.new(hash_name).block_size

    def stretch(value: bytes) -> bytes:
        # repeated to fill whole blocks of v bytes
        if not value:
            return b""
        size = v * -(-len(value) // v)
        return (value * (size // len(value) + 1))[:size]

    block = stretch(salt) + stretch(secret)
    output = b""
    while len(output) < length:
        digest = bytes([purpose]) * v + block
        for _ in range(iterations):
            digest = hashlib.new(hash_name, digest).digest()
        output += digest
        addend = int.from_bytes((digest * (v // len(digest) + 1))[:v]) + 1
        block = b"".join(
            ((int.from_bytes(block[i : i + v]) + addend) % (1 << (8 * v))).to_bytes(v)
            for i in range(0, len(block), v)
        )
    return output[:length]


__all__ = [
    "MAX_ITERATIONS",
    "check_iterations",
    "dump_gost_pkcs12",
    "load_gost_pkcs12",
    "password_matches",
    "pkcs12_kdf",
]
