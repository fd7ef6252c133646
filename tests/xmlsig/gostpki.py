"""GOST 34.10-2015 test chains, issued with the demo PKI's own functions (qujat_demo/pki/issue.py),
and the NCA's GOST fixtures.

``GostPki.create()`` gives a root → issuing CA pair with GOST keys and NCA-shaped
certificates; ``leaf`` issues a holder's certificate, ``crl`` a GOST-signed CRL, and
``resign`` re-issues a certificate with an extension dropped or changed, for the rules the
chain validator must enforce on GOST chains exactly as on RSA ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from qujat_demo.pki import GOST_2015_512, der, issue
from qujat_demo.pki.issue import Issuer, Policy, Revocation, Validity

__all__ = ["GostPki", "Revocation", "gost_container", "nca_gost_policy", "resign", "sub_ca"]
from app.xmlsig.certificates import NCA_INDIVIDUAL
from app.xmlsig.gost import GostPrivateKey, load_gost_pkcs12
from app.xmlsig.policy import TrustPolicy
from qujat_demo.pki.templates import CertificateTemplate
from tests.xmlsig.certbuilder import (
    CA_END,
    CA_START,
    CRL_NEXT_UPDATE,
    CRL_THIS_UPDATE,
    LEAF_END,
    LEAF_START,
    NCA_PASSWORD,
    fixture,
    fixture_cert,
)

GOST_ROOT = "ca/root_test_gost_2022.pem"
GOST_CA = "ca/nca_gost2022_test.pem"
GOST_CRL = "crl/nca_gost2022_test.crl"
GOST_CONTAINERS = ("individual_valid", "individual_revoked", "legal_head_valid",
                   "legal_employee_valid")
_POLICY = [Policy("1.2.398.3.3.2", "http://pki.invalid/cps")]


def gost_container(name: str) -> tuple[GostPrivateKey, x509.Certificate]:
    """The key and certificate of keys/gost2015/<name>.p12."""
    key, cert, _ = load_gost_pkcs12(fixture(f"keys/gost2015/{name}.p12").read_bytes(),
                                    NCA_PASSWORD)
    return key, cert


def nca_gost_policy(**options) -> TrustPolicy:
    return TrustPolicy(anchors=(fixture_cert(GOST_ROOT),),
                       intermediates=(fixture_cert(GOST_CA),), **options)


@dataclass(frozen=True)
class GostPki:
    root: Issuer
    ca: Issuer

    @classmethod
    def create(cls, *, ca_start: datetime = CA_START, ca_end: datetime = CA_END,
               ca_path_length: int | None = 0) -> GostPki:
        root = _issuer(x509.Name([_cn("НЕГІЗГІ КО GOST TEST (QUJAT)"), _kz()]),
                       start=CA_START, end=CA_END)
        ca = _issuer(x509.Name([_kz(), _cn("ҰКО GOST TEST (QUJAT)")]), parent=root,
                     start=ca_start, end=ca_end, path_length=ca_path_length)
        return cls(root=root, ca=ca)

    def policy(self, **options) -> TrustPolicy:
        return TrustPolicy(anchors=(self.root.certificate,),
                           intermediates=(self.ca.certificate,), **options)

    def leaf(self, *, issuer: Issuer | None = None, start: datetime = LEAF_START,
             end: datetime = LEAF_END) -> tuple[GostPrivateKey, x509.Certificate]:
        key = GOST_2015_512.generate_key()
        cert = issue.issue_end_entity(
            subject=x509.Name([_cn("ТЕСТОВ ТЕСТ"), _kz()]),
            public_key=GOST_2015_512.public_key_info(key),
            issuer=issuer or self.ca,
            validity=Validity(start, end),
            usage=issue.SIGN_AND_AUTH_KEY_USAGE,
            extended_usage=[issue.EMAIL_PROTECTION, NCA_INDIVIDUAL.dotted_string],
            policies=_POLICY,
        )
        return key, cert

    def crl(self, revoked: Sequence[Revocation] = (), *, issuer: Issuer | None = None,
            this_update: datetime = CRL_THIS_UPDATE,
            next_update: datetime = CRL_NEXT_UPDATE) -> x509.CertificateRevocationList:
        return issue.issue_crl(issuer=issuer or self.ca, number=1, this_update=this_update,
                               next_update=next_update, revoked=revoked)


def sub_ca(parent: Issuer, name: str = "ҰКО GOST SUB (QUJAT)") -> Issuer:
    return _issuer(x509.Name([_kz(), _cn(name)]), parent=parent, start=CA_START, end=CA_END)


def resign(cert: x509.Certificate, *, public_key: bytes, issuer: Issuer,
           drop: x509.ObjectIdentifier | None = None,
           critical: dict[x509.ObjectIdentifier, bool] | None = None,
           add: Sequence[tuple[x509.ExtensionType, bool]] = (),
           algorithm: str | None = None) -> x509.Certificate:
    """``cert`` issued again by ``issuer``, without the ``drop`` extension, with the
    criticality in ``critical`` changed, with ``add`` appended; signed with the OID
    ``algorithm`` when given (to forge an algorithm we cannot check)."""
    critical = critical or {}
    template = CertificateTemplate(
        subject=cert.subject,
        issuer=issuer.certificate.subject,
        serial_number=cert.serial_number,
        validity=Validity(cert.not_valid_before_utc, cert.not_valid_after_utc),
        public_key=public_key,
        extensions=(*((e.value, critical.get(e.oid, e.critical))
                      for e in cert.extensions if e.oid != drop), *add),
    )
    if algorithm is None:
        return issuer.algorithm.sign_certificate(template, issuer.key)
    assert isinstance(issuer.key, GostPrivateKey)
    return x509.load_der_x509_certificate(der.certificate(
        template, algorithm=der.algorithm_identifier(algorithm), sign=issuer.key.sign))


def _issuer(subject: x509.Name, *, parent: Issuer | None = None, start: datetime,
            end: datetime, path_length: int | None = 0) -> Issuer:
    key = GOST_2015_512.generate_key()
    if parent is None:
        cert = issue.issue_root_ca(subject=subject, key=key, algorithm=GOST_2015_512,
                                   validity=Validity(start, end), policies=_POLICY)
    else:
        cert = issue.issue_intermediate_ca(
            subject=subject, public_key=GOST_2015_512.public_key_info(key), issuer=parent,
            validity=Validity(start, end), policies=_POLICY, path_length=path_length)
    return Issuer(certificate=cert, key=key, algorithm=GOST_2015_512,
                  certificate_url="http://pki.invalid/ca.cer",
                  crl_url="http://pki.invalid/ca.crl")


def _cn(value: str) -> x509.NameAttribute:
    return x509.NameAttribute(x509.NameOID.COMMON_NAME, value)


def _kz() -> x509.NameAttribute:
    return x509.NameAttribute(x509.NameOID.COUNTRY_NAME, "KZ")
