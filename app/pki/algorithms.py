"""Key algorithms: how keys of one family are made and how they sign certificates and CRLs.

RSA is the only family ``cryptography`` can sign with. GOST 34.10-2015 (which the NCA
issues to legal entities since 2022) will be another ``KeyAlgorithm`` that signs the same
builders by other means; nothing else in this package names an algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa

#: the private key types the algorithms below produce; GOST will widen this
PrivateKey = rsa.RSAPrivateKey
PublicKey = rsa.RSAPublicKey


class KeyAlgorithm(Protocol):
    """How keys of one family are made and how a key of that family signs."""

    #: short label written to the manifest, e.g. "RSA-2048"
    @property
    def label(self) -> str: ...

    #: family named in CA names, e.g. "RSA" as in "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"
    @property
    def family(self) -> str: ...

    def generate_key(self) -> PrivateKey: ...

    def sign_certificate(
        self, builder: x509.CertificateBuilder, key: PrivateKey
    ) -> x509.Certificate: ...

    def sign_crl(
        self, builder: x509.CertificateRevocationListBuilder, key: PrivateKey
    ) -> x509.CertificateRevocationList: ...


@dataclass(frozen=True)
class Rsa:
    """RSA with PKCS#1 v1.5 and SHA-256: sha256WithRSAEncryption, as the NCA signs."""

    bits: int = 2048

    @property
    def label(self) -> str:
        return f"RSA-{self.bits}"

    @property
    def family(self) -> str:
        return "RSA"

    def generate_key(self) -> PrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=self.bits)

    def sign_certificate(
        self, builder: x509.CertificateBuilder, key: PrivateKey
    ) -> x509.Certificate:
        return builder.sign(key, hashes.SHA256())

    def sign_crl(
        self, builder: x509.CertificateRevocationListBuilder, key: PrivateKey
    ) -> x509.CertificateRevocationList:
        return builder.sign(key, hashes.SHA256())


RSA_2048 = Rsa(bits=2048)
