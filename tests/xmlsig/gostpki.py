"""GOST 34.10-2015 test chains, issued with the demo PKI's own functions (qujat_demo/pki/issue.py),
and the NCA's GOST fixtures.

``GostPki.create()`` gives a root → issuing CA pair with GOST keys and NCA-shaped
certificates; ``leaf`` issues a holder's certificate and ``crl`` a GOST-signed CRL.
certbuilder's ``resign`` changes them for the rules the chain validator must enforce on
GOST chains exactly as on RSA ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509

from app.xmlsig.certificates import NCA_INDIVIDUAL
from app.xmlsig.gost import GostPrivateKey, load_gost_pkcs12
from app.xmlsig.policy import TrustPolicy
from qujat_demo.pki import GOST_2015_512, issue
from qujat_demo.pki.issue import Issuer, Policy, Revocation, Validity
from qujat_demo.pki.oids import POLICY_NCA_GOST_LEAF
from tests.xmlsig.certbuilder import (
    CA_END,
    CA_START,
    CRL_NEXT_UPDATE,
    CRL_THIS_UPDATE,
    KZ,
    LEAF_END,
    LEAF_START,
    NCA_PASSWORD,
    cn,
    fixture,
    fixture_cert,
)

__all__ = ["GostPki", "Revocation", "gost_container", "nca_gost_policy", "sub_ca"]

GOST_ROOT = "ca/root_test_gost_2022.pem"
GOST_CA = "ca/nca_gost2022_test.pem"
GOST_CRL = "crl/nca_gost2022_test.crl"
GOST_CONTAINERS = ("individual_valid", "individual_revoked", "legal_head_valid",
                   "legal_employee_valid")
_POLICY = [Policy(POLICY_NCA_GOST_LEAF, "http://pki.invalid/cps")]


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
        root = _issuer(x509.Name([cn("НЕГІЗГІ КО GOST TEST (QUJAT)"), KZ]),
                       start=CA_START, end=CA_END)
        ca = _issuer(x509.Name([KZ, cn("ҰКО GOST TEST (QUJAT)")]), parent=root,
                     start=ca_start, end=ca_end, path_length=ca_path_length)
        return cls(root=root, ca=ca)

    def policy(self, **options) -> TrustPolicy:
        return TrustPolicy(anchors=(self.root.certificate,),
                           intermediates=(self.ca.certificate,), **options)

    def leaf(self, *, issuer: Issuer | None = None, start: datetime = LEAF_START,
             end: datetime = LEAF_END) -> tuple[GostPrivateKey, x509.Certificate]:
        key = GOST_2015_512.generate_key()
        cert = issue.issue_end_entity(
            subject=x509.Name([cn("ТЕСТОВ ТЕСТ"), KZ]),
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
    return _issuer(x509.Name([KZ, cn(name)]), parent=parent, start=CA_START, end=CA_END)


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
