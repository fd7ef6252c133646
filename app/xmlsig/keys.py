"""Signing keys from PKCS#12 containers, with an error that says what went wrong.

cryptography opens both the NCA's legacy containers (3DES-shrouded key, RC2-40 encrypted
certificates, SHA-1 MAC: every RSA fixture in keys/ loads) and modern PBES2/AES ones. It
cannot open the GOST containers, and it answers "Invalid password or PKCS12 data" both for
those and for a wrong password; checking the container's MAC ourselves tells the two apart,
so a clerk configuring the system key learns which it is. When the password is right, the
container goes to ``gost.load_gost_pkcs12``, which reads Kalkan's GOST 34.10-2015 keys.

Before either, ``check_iterations`` reads the container's iteration counts: cryptography
would run whatever count the file names, and so would our MAC check.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, pkcs12

from app.xmlsig.errors import KeyLoadError
from app.xmlsig.gost import GostPrivateKey, load_gost_pkcs12
from app.xmlsig.gost.pkcs12 import check_iterations, password_matches

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | GostPrivateKey


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
    check_iterations(data)  # before cryptography runs the counts the file asks for
    try:
        loaded = pkcs12.load_pkcs12(data, secret)
    except ValueError:
        if _password_matches(data, secret):
            return _load_gost(data, secret)
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


def _load_gost(data: bytes, secret: bytes) -> SigningKey:
    try:
        key, certificate, chain = load_gost_pkcs12(data, secret)
    except KeyLoadError as exc:
        raise KeyLoadError(
            "the password is right, but the container holds a key or an encryption we "
            f"cannot read: {exc}"
        ) from None
    return SigningKey(private_key=key, certificate=certificate, chain=tuple(chain))


def _password_matches(data: bytes, secret: bytes) -> bool:
    try:
        return password_matches(data, secret) is True
    except UnicodeDecodeError:  # a password that is not UTF-8 cannot be a PKCS#12 one
        return False


def _spki(public_key) -> bytes:
    return public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _why_unreadable(data: bytes, password: bytes) -> str:
    try:
        mac_matches = password_matches(data, password)
    except UnicodeDecodeError:
        mac_matches = None
    if mac_matches is False:
        return "wrong password for the key container"
    if mac_matches is True:  # pragma: no cover - load_pkcs12 hands those to _load_gost
        return "the password is right, but the container cannot be read"
    return "the key container cannot be opened: wrong password, damaged or unsupported file"
