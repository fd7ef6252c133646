"""GOST 34.10-2015 chains through the one validator of app/xmlsig/chain.py, and the proof
that RSA chains keep the verdicts cryptography's RFC 5280 validator gave them.

The NCA's GOST chain: root_test_gost_2022 → nca_gost2022_test (2022-07 to 2032-07) →
the keys in keys/gost2015 (2026-05-08 to 2027-05-08) and the GOST signer of
signed/kalkan_rsa_gost_two_signers.xml (2022-07-28 to 2023-07-28).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtensionOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from app.xmlsig import pathrules
from app.xmlsig.certificates import check_certificate
from app.xmlsig.chain import build_chain, is_self_signed, signed_by
from app.xmlsig.names import tolerant_names
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CheckCode, Indication, Outcome, SubIndication
from app.xmlsig.trust_store import load_policy
from app.xmlsig.verifier import verify_bytes
from qujat_demo.pki import RSA_2048, Rsa
from tests.xmlsig.certbuilder import (
    NOW,
    Issued,
    Pki,
    at,
    fixture,
    fixture_cert,
    issuing_ca,
    keyinfo_certs,
    leaf,
    p12_cert,
    resign,
)
from tests.xmlsig.gostpki import (
    GOST_CA,
    GOST_CONTAINERS,
    GOST_ROOT,
    GostPki,
    gost_container,
    nca_gost_policy,
    sub_ca,
)

IN_2026 = at(2026, 6, 1)  # inside every keys/gost2015 certificate's validity
#: the GOST root's own key identifier cannot describe an RSA key
_NO_GOST_AKI = ExtensionOID.AUTHORITY_KEY_IDENTIFIER


def kalkan_gost_signer() -> x509.Certificate:
    _, signer = keyinfo_certs("signed/kalkan_rsa_gost_two_signers.xml")
    return signer


def assert_no_path(result, *, reason: str) -> None:
    assert result.check.outcome is Outcome.FAILED, result.check
    assert result.check.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    assert reason in result.check.detail
    assert result.path == ()


def check(checks, code: CheckCode):
    return next(c for c in checks if c.code is code)


# --- the NCA's GOST chain -------------------------------------------------------------------


@pytest.mark.parametrize("name", GOST_CONTAINERS)
def test_every_fixture_gost_key_reaches_the_gost_root(name):
    _, cert = gost_container(name)

    result = build_chain(cert, policy=nca_gost_policy(), at=IN_2026)

    assert result.check.outcome is Outcome.PASSED, result.check
    assert result.path == (cert, fixture_cert(GOST_CA), fixture_cert(GOST_ROOT))
    assert "(GOST) TEST 2022" in result.check.detail


def test_the_kalkan_gost_signer_reaches_the_gost_root():
    result = build_chain(kalkan_gost_signer(), policy=nca_gost_policy(), at=at(2022, 10, 1))

    assert result.check.outcome is Outcome.PASSED
    assert len(result.path) == 3


def test_gost_signatures_are_really_checked():
    root, ca = fixture_cert(GOST_ROOT), fixture_cert(GOST_CA)
    forged = _flip_signature(ca)

    assert is_self_signed(root)
    assert not is_self_signed(_flip_signature(root))
    assert signed_by(ca, root)
    assert not signed_by(forged, root)
    assert not signed_by(ca, ca)


def test_a_forged_issuing_ca_breaks_the_gost_chain():
    _, cert = gost_container("individual_valid")
    policy = TrustPolicy(anchors=(fixture_cert(GOST_ROOT),),
                         intermediates=(_flip_signature(fixture_cert(GOST_CA)),))

    assert_no_path(build_chain(cert, policy=policy, at=IN_2026),
                   reason="does not verify with the key of the configured «НЕГІЗГІ")


def test_a_gost_chain_against_an_rsa_only_anchor_fails():
    _, cert = gost_container("individual_valid")
    policy = TrustPolicy(
        anchors=(fixture_cert("ca/root_rsa_test.pem"),),
        intermediates=(fixture_cert("ca/nca_rsa_test.pem"), fixture_cert(GOST_CA)),
    )

    assert_no_path(build_chain(cert, policy=policy, at=IN_2026),
                   reason="«CN=НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022, C=KZ», is neither")


def test_an_rsa_root_named_like_the_gost_root_does_not_verify_the_gost_ca():
    # same name, other family: the RSA key cannot have made the GOST CA's signature
    gost_root = fixture_cert(GOST_ROOT)
    key = rsa.generate_private_key(65537, 2048)
    with tolerant_names():
        impostor = resign(gost_root, Issued(gost_root, key), drop=_NO_GOST_AKI,
                          public_key=RSA_2048.public_key_info(key))
    _, cert = gost_container("individual_valid")
    policy = TrustPolicy(anchors=(impostor,), intermediates=(fixture_cert(GOST_CA),))

    assert is_self_signed(impostor)

    assert_no_path(build_chain(cert, policy=policy, at=IN_2026), reason="does not verify")


def test_an_rsa_signer_under_a_gost_issuer_name_does_not_verify():
    _, gost_cert = gost_container("individual_valid")
    pki = GostPki.create()
    rsa_ca = Issued(certificate=pki.ca.certificate, key=rsa.generate_private_key(65537, 2048))
    # the RSA key's signature claims the GOST CA as issuer
    signer = leaf(issuer=rsa_ca).certificate

    assert_no_path(build_chain(signer, policy=pki.policy(), at=NOW), reason="does not verify")
    assert not signed_by(gost_cert, pki.ca.certificate)


@pytest.mark.parametrize(("moment", "sub_indication"), [
    (at(2027, 6, 1), SubIndication.EXPIRED),
    (at(2026, 1, 1), SubIndication.NOT_YET_VALID),
])
def test_a_moment_outside_the_certificate_validity_fails(moment, sub_indication):
    _, cert = gost_container("legal_head_valid")

    checks = check_certificate(cert, policy=nca_gost_policy(), at=moment)

    validity = check(checks, CheckCode.CERTIFICATE_VALIDITY)
    assert (validity.outcome, validity.sub_indication) == (Outcome.FAILED, sub_indication)
    # the path itself held while the certificate was valid
    assert check(checks, CheckCode.CERTIFICATE_CHAIN).outcome is Outcome.PASSED


def test_the_gost_chain_check_costs_one_signature_per_document(gost_pki):
    # CA signatures are checked once and remembered; only the signer's link is new
    build_chain(gost_pki.leaf()[1], policy=gost_pki.policy(), at=NOW)
    _, fresh = gost_pki.leaf()

    before = pathrules._certificate_signed_by.cache_info().misses
    build_chain(fresh, policy=gost_pki.policy(), at=NOW)
    build_chain(fresh, policy=gost_pki.policy(), at=NOW)

    assert pathrules._certificate_signed_by.cache_info().misses - before == 1


def test_kalkan_two_signers_with_both_chains_as_of_2022_10_01():
    policy = load_policy(
        anchors=[fixture("ca/root_rsa_test.pem"), fixture(GOST_ROOT)],
        intermediates=[fixture("ca/nca_rsa_test.pem"), fixture(GOST_CA)],
        crls=[fixture("crl/nca_gost2022_test.crl")],
    )

    report = verify_bytes(fixture("signed/kalkan_rsa_gost_two_signers.xml").read_bytes(),
                          policy=policy, at=at(2022, 10, 1)).report

    gost, rsa_signature = report.signatures
    assert gost.indication is Indication.PASSED, gost
    assert gost.algorithm.startswith(("GOST", "ГОСТ"))
    assert check(gost.checks, CheckCode.CERTIFICATE_CHAIN).outcome is Outcome.PASSED
    assert check(gost.checks, CheckCode.REVOCATION).outcome is Outcome.PASSED
    validity = check(rsa_signature.checks, CheckCode.CERTIFICATE_VALIDITY)
    assert (validity.outcome, validity.sub_indication) == (Outcome.FAILED, SubIndication.EXPIRED)
    assert check(rsa_signature.checks, CheckCode.SIGNATURE_VALUE).outcome is Outcome.PASSED
    assert (report.indication, report.sub_indication) == (Indication.FAILED,
                                                          SubIndication.EXPIRED)


# --- generated GOST chains: the same rules as for RSA ---------------------------------------


@pytest.fixture(scope="module")
def gost_pki() -> GostPki:
    return GostPki.create()


def test_a_generated_gost_chain_passes(gost_pki):
    _, cert = gost_pki.leaf()

    result = build_chain(cert, policy=gost_pki.policy(), at=NOW)

    assert result.path == (cert, gost_pki.ca.certificate, gost_pki.root.certificate)


def test_a_same_named_gost_impostor_is_refused(gost_pki):
    _, cert = GostPki.create().leaf()  # same names, other keys

    assert_no_path(build_chain(cert, policy=gost_pki.policy(), at=NOW),
                   reason="does not verify with the key of the configured «ҰКО GOST TEST")


def test_gost_issuing_ca_expired_at_receipt():
    pki = GostPki.create(ca_end=at(2024, 3, 1))
    _, cert = pki.leaf(start=at(2023, 6, 1), end=at(2024, 6, 1))

    assert_no_path(build_chain(cert, policy=pki.policy(), at=at(2024, 4, 1)),
                   reason="the CA «ҰКО GOST TEST (QUJAT)» was not valid at 2024-04-01")


def test_gost_ca_with_non_critical_basic_constraints_is_refused(gost_pki):
    ca = _resigned_ca(gost_pki, critical={ExtensionOID.BASIC_CONSTRAINTS: False})
    _, cert = gost_pki.leaf()

    assert_no_path(build_chain(cert, policy=_with_ca(gost_pki, ca), at=NOW), reason="2.5.29.19")


def test_gost_ca_without_key_usage_is_refused(gost_pki):
    ca = _resigned_ca(gost_pki, drop=ExtensionOID.KEY_USAGE)
    _, cert = gost_pki.leaf()

    assert_no_path(build_chain(cert, policy=_with_ca(gost_pki, ca), at=NOW), reason="2.5.29.15")


def test_gost_signer_without_authority_key_identifier_is_refused(gost_pki):
    _, cert = gost_pki.leaf()
    bare = resign(cert, gost_pki.ca, drop=ExtensionOID.AUTHORITY_KEY_IDENTIFIER)

    assert_no_path(build_chain(bare, policy=gost_pki.policy(), at=NOW), reason="2.5.29.35")


def test_an_unknown_critical_extension_is_refused(gost_pki):
    _, cert = gost_pki.leaf()
    marked = resign(cert, gost_pki.ca, add=[
        (x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.398.3.3.99"), b"\x05\x00"), True)])

    assert_no_path(build_chain(marked, policy=gost_pki.policy(), at=NOW),
                   reason="critical extension this validator does not process (1.2.398.3.3.99)")


def test_the_path_length_constraint_holds_for_gost(gost_pki):
    below = sub_ca(gost_pki.ca)  # the issuing CA allows no CA below it
    _, cert = gost_pki.leaf(issuer=below)
    policy = TrustPolicy(anchors=(gost_pki.root.certificate,),
                         intermediates=(gost_pki.ca.certificate, below.certificate))

    assert_no_path(build_chain(cert, policy=policy, at=NOW), reason="pathLenConstraint")


def test_a_signature_algorithm_we_cannot_check_is_indeterminate(gost_pki):
    _, cert = gost_pki.leaf()
    # GOST 34.310-2004 with GOST 34.311-95: named, but not implemented here
    old = resign(cert, gost_pki.ca, algorithm="1.2.398.3.10.1.1.1.2")

    result = build_chain(old, policy=gost_pki.policy(), at=NOW)

    assert result.check.outcome is Outcome.INDETERMINATE
    assert result.check.sub_indication is SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE
    assert "1.2.398.3.10.1.1.1.2" in result.check.detail


# --- RSA: the same verdicts as cryptography's validator -------------------------------------


def _cryptography_passes(cert: x509.Certificate, policy: TrustPolicy, moment: datetime) -> bool:
    """The validator chain.py used before GOST, with the two relaxations it documented,
    asked as of the same moment (the signer's own validity is not the chain's question)."""
    moment = min(max(moment, cert.not_valid_before_utc), cert.not_valid_after_utc)
    ee = (ExtensionPolicy.webpki_defaults_ee()
          .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
          .may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None))
    verifier = (PolicyBuilder().store(Store(list(policy.anchors))).time(moment)
                .max_chain_depth(4)
                .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ee)
                .build_client_verifier())
    try:
        with tolerant_names():
            verifier.verify(cert, list(policy.intermediates))
    except VerificationError:
        return False
    return True


def _rsa_cases():
    kalkan, = keyinfo_certs("signed/kalkan_rsa_signed.xml")
    root, nca = fixture_cert("ca/root_rsa_test.pem"), fixture_cert("ca/nca_rsa_test.pem")
    nca_policy = TrustPolicy(anchors=(root,), intermediates=(nca,))
    yield "kalkan", kalkan, nca_policy, at(2021, 6, 1), True
    yield "kalkan-without-intermediate", kalkan, TrustPolicy(anchors=(root,)), at(2021, 6, 1), \
        False
    production = p12_cert("keys/RSA256_8426360556902ce4ac33977836f873e1dc190976.p12")
    yield "former-production", production, TrustPolicy(
        anchors=(fixture_cert("ca/root_rsa.pem"),),
        intermediates=(fixture_cert("ca/nca_rsa.pem"),)), at(2019, 1, 1), True
    yield "auth-key", p12_cert("keys/key_individual_auth_revoked_2004.p12"), nca_policy, \
        at(2022, 1, 1), True

    pki = Pki.create()
    yield "generated", pki.individual().certificate, pki.policy(), NOW, True
    yield "impostor", Pki.create().individual().certificate, pki.policy(), NOW, False
    weak = Pki.create(ca_basic_constraints_critical=False)
    yield "non-critical-bc", weak.individual().certificate, weak.policy(), NOW, False
    expired = Pki.create(ca_end=at(2024, 3, 1))
    yield "expired-ca", expired.individual(start=at(2023, 6, 1), end=at(2024, 6, 1)).certificate, \
        expired.policy(), at(2024, 4, 1), False
    signer = pki.individual()
    no_aki = resign(signer.certificate, pki.ca, drop=ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    yield "no-aki", no_aki, pki.policy(), NOW, False
    yield "leaf-is-ca", resign(signer.certificate, pki.ca, add=[
        (x509.BasicConstraints(ca=True, path_length=None), True)]), pki.policy(), NOW, False
    yield "unknown-critical", resign(signer.certificate, pki.ca, add=[
        (x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.398.3.3.99"), b"\x05\x00"),
         True)]), pki.policy(), NOW, False
    no_ku = resign(pki.ca.certificate, pki.root, drop=ExtensionOID.KEY_USAGE)
    yield "ca-without-ku", signer.certificate, TrustPolicy(
        anchors=(pki.root.certificate,), intermediates=(no_ku,)), NOW, False
    rsa_1024 = Rsa(bits=1024)
    small_key = rsa_1024.generate_key()
    small = Issued(resign(issuing_ca(issuer=pki.root, name="ҰКО TEST 1024 (QUJAT)").certificate,
                          pki.root, public_key=rsa_1024.public_key_info(small_key)), small_key)
    yield "rsa-1024-ca", leaf(issuer=small).certificate, TrustPolicy(
        anchors=(pki.root.certificate,), intermediates=(small.certificate,)), NOW, False
    deep = issuing_ca(issuer=pki.ca, name="ҰКО TEST SUB (QUJAT)")
    yield "path-length", leaf(issuer=deep).certificate, TrustPolicy(
        anchors=(pki.root.certificate,),
        intermediates=(resign(pki.ca.certificate, pki.root, replace=[
                           x509.BasicConstraints(ca=True, path_length=0)]),
                       deep.certificate)), NOW, False


_RSA_CASE_NAMES = ["kalkan", "kalkan-without-intermediate", "former-production", "auth-key",
                   "generated", "impostor", "non-critical-bc", "expired-ca", "no-aki",
                   "leaf-is-ca", "unknown-critical", "ca-without-ku", "rsa-1024-ca",
                   "path-length"]


@pytest.fixture(scope="module")
def rsa_cases() -> dict:
    cases = {name: rest for name, *rest in _rsa_cases()}
    assert list(cases) == _RSA_CASE_NAMES
    return cases


@pytest.mark.parametrize("name", _RSA_CASE_NAMES)
def test_rsa_verdicts_agree_with_cryptography(rsa_cases, name):
    cert, policy, moment, passes = rsa_cases[name]

    ours = build_chain(cert, policy=policy, at=moment).check

    assert (ours.outcome is Outcome.PASSED) is passes, ours.detail
    assert _cryptography_passes(cert, policy, moment) is passes


# --- helpers --------------------------------------------------------------------------------


def _flip_signature(cert: x509.Certificate) -> x509.Certificate:
    data = bytearray(cert.public_bytes(Encoding.DER))
    data[-5] ^= 0x01  # inside the signature BIT STRING
    return x509.load_der_x509_certificate(bytes(data))


def _resigned_ca(pki: GostPki, **changes) -> x509.Certificate:
    return resign(pki.ca.certificate, pki.root, **changes)


def _with_ca(pki: GostPki, ca: x509.Certificate) -> TrustPolicy:
    return TrustPolicy(anchors=(pki.root.certificate,), intermediates=(ca,))
