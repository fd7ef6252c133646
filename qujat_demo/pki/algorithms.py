"""Key algorithms: how keys of one family are made, how they sign certificates and CRLs,
and how they are packed into PKCS#12.

Two families, as the NCA issues them: RSA (signed through cryptography's builders) and
GOST 34.10-2015 512 bit (since 2022; cryptography knows no GOST, so its certificates and
CRLs are encoded by ``der.py`` and signed with ``app.xmlsig.gost``, and its containers are
Kalkan's format from ``dump_gost_pkcs12``). A third, ECDSA P-256, is no NCA family: the
tests' generated chains use it because its keys are made in microseconds. Nothing else in
this package names an algorithm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PublicFormat,
    pkcs12,
)

from app.xmlsig import gost

from . import der
from .templates import CertificateTemplate, CrlTemplate

#: the private key types the algorithms below produce
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | gost.GostPrivateKey


class KeyAlgorithm(Protocol):
    """How keys of one family are made and how a key of that family signs."""

    #: short label written to the manifest, e.g. "RSA-2048"
    @property
    def label(self) -> str: ...

    #: family named in CA names, e.g. "RSA" as in "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"
    @property
    def family(self) -> str: ...

    def generate_key(self) -> PrivateKey: ...

    def public_key_info(self, key: PrivateKey) -> bytes:
        """The SubjectPublicKeyInfo (DER) of ``key``'s public half."""
        ...

    def sign_certificate(self, template: CertificateTemplate, key: PrivateKey) -> x509.Certificate:
        ...

    def sign_crl(self, template: CrlTemplate, key: PrivateKey) -> x509.CertificateRevocationList:
        ...

    def pkcs12(
        self,
        *,
        key: PrivateKey,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate],
        password: str,
        friendly_name: str,
    ) -> bytes: ...


class _CryptographyFamily:
    """A family cryptography signs itself, with SHA-256, through its builders."""

    _key_type: type

    def public_key_info(self, key: PrivateKey) -> bytes:
        assert isinstance(key, self._key_type)
        return key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    def sign_certificate(self, template: CertificateTemplate, key: PrivateKey) -> x509.Certificate:
        assert isinstance(key, self._key_type)
        return template.builder().sign(key, hashes.SHA256())

    def sign_crl(self, template: CrlTemplate, key: PrivateKey) -> x509.CertificateRevocationList:
        assert isinstance(key, self._key_type)
        return template.builder().sign(key, hashes.SHA256())

    def pkcs12(
        self,
        *,
        key: PrivateKey,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate],
        password: str,
        friendly_name: str,
    ) -> bytes:
        # Modern encryption (AES-256, PBKDF2): OpenSSL 3 reads it without -legacy.
        assert isinstance(key, self._key_type)
        return pkcs12.serialize_key_and_certificates(
            name=friendly_name.encode("ascii"),
            key=key,
            cert=certificate,
            cas=list(chain),
            encryption_algorithm=BestAvailableEncryption(password.encode("utf-8")),
        )


@dataclass(frozen=True)
class Rsa(_CryptographyFamily):
    """RSA with PKCS#1 v1.5 and SHA-256: sha256WithRSAEncryption, as the NCA signs."""

    bits: int = 2048
    _key_type = rsa.RSAPrivateKey

    @property
    def label(self) -> str:
        return f"RSA-{self.bits}"

    @property
    def family(self) -> str:
        return "RSA"

    def generate_key(self) -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=self.bits)


@dataclass(frozen=True)
class EcdsaP256(_CryptographyFamily):
    """ECDSA on P-256 with SHA-256. Not issued by the NCA: for the tests' own chains."""

    _key_type = ec.EllipticCurvePrivateKey

    @property
    def label(self) -> str:
        return "ECDSA-P256"

    @property
    def family(self) -> str:
        return "EC"

    def generate_key(self) -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

@dataclass(frozen=True)
class Gost2015:
    """GOST 34.10-2015, 512 bit, with Streebog-512 (1.2.398.3.10.1.1.2.3.2), as the NCA's
    GOST CAs sign since 2022: the signature is r then s, little-endian, in the BIT STRING."""

    @property
    def label(self) -> str:
        return "GOST-34.10-2015-512"

    @property
    def family(self) -> str:
        return "GOST"

    def generate_key(self) -> gost.GostPrivateKey:
        return gost.GostPrivateKey.generate()

    def public_key_info(self, key: PrivateKey) -> bytes:
        assert isinstance(key, gost.GostPrivateKey)
        return key.public_key().spki_der()

    def sign_certificate(self, template: CertificateTemplate, key: PrivateKey) -> x509.Certificate:
        assert isinstance(key, gost.GostPrivateKey)
        return x509.load_der_x509_certificate(
            der.certificate(template, algorithm=self._algorithm, sign=key.sign)
        )

    def sign_crl(self, template: CrlTemplate, key: PrivateKey) -> x509.CertificateRevocationList:
        assert isinstance(key, gost.GostPrivateKey)
        return x509.load_der_x509_crl(der.crl(template, algorithm=self._algorithm, sign=key.sign))

    def pkcs12(
        self,
        *,
        key: PrivateKey,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate],
        password: str,
        friendly_name: str,
    ) -> bytes:
        # Kalkan's layout (3DES-shrouded key, 3DES certificates): `openssl pkcs12 -legacy`.
        assert isinstance(key, gost.GostPrivateKey)
        return gost.dump_gost_pkcs12(
            key, certificate, list(chain), password, friendly_name=friendly_name
        )

    @property
    def _algorithm(self) -> bytes:
        # as in the NCA's certificates and CRLs: the OID with NULL parameters
        return der.algorithm_identifier(gost.GOST_SIGNATURE_OID)


RSA_2048 = Rsa(bits=2048)
GOST_2015_512 = Gost2015()
ECDSA_P256 = EcdsaP256()
