"""Paths to our trust anchors: the NCA's real chains first, then generated edge cases."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from app.xmlsig.chain import build_chain, is_self_signed
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CheckCode, Outcome, SubIndication
from tests.xmlsig.certbuilder import (
    NOW,
    Pki,
    at,
    fixture_cert,
    issuing_ca,
    keyinfo_certs,
    leaf,
    legacy_root,
    p12_cert,
    resign,
)

ROOT_RSA_TEST = "ca/root_rsa_test.pem"
NCA_RSA_TEST = "ca/nca_rsa_test.pem"


def kalkan_signer() -> x509.Certificate:
    (cert,) = keyinfo_certs("signed/kalkan_rsa_signed.xml")
    return cert


def rsa_test_policy(**options) -> TrustPolicy:
    return TrustPolicy(
        anchors=(fixture_cert(ROOT_RSA_TEST),),
        intermediates=(fixture_cert(NCA_RSA_TEST),),
        **options,
    )


def assert_no_path(result, *, reason: str) -> None:
    assert result.check.code is CheckCode.CERTIFICATE_CHAIN
    assert result.check.outcome is Outcome.FAILED
    assert result.check.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    assert reason in result.check.detail
    assert result.path == ()


# --- the NCA's own chains -------------------------------------------------------------------


def test_kalkan_signer_reaches_the_test_root_through_the_issuing_ca():
    result = build_chain(kalkan_signer(), policy=rsa_test_policy(), at=at(2021, 6, 1))

    assert result.check.outcome is Outcome.PASSED
    assert result.path == (
        kalkan_signer(),
        fixture_cert(NCA_RSA_TEST),
        fixture_cert(ROOT_RSA_TEST),
    )
    assert "ҰКО 3.0 (RSA TEST)" in result.check.detail


def test_an_issuing_ca_given_as_anchor_is_never_trusted():
    policy = TrustPolicy(anchors=(fixture_cert(NCA_RSA_TEST),))

    result = build_chain(kalkan_signer(), policy=policy, at=at(2021, 6, 1))

    assert_no_path(result, reason="not self-signed")
    assert "never trusted on its own" in result.check.detail


@pytest.mark.parametrize(("algorithm", "name"), [
    ("sha1_rsa", "sha1WithRSAEncryption"),
    ("md5_rsa", "md5WithRSAEncryption"),
    ("sha1_dsa", "dsa-with-sha1"),
])
def test_a_root_signed_with_a_weak_algorithm_is_refused_naming_it(algorithm, name):
    root = legacy_root(algorithm)

    result = build_chain(root, policy=TrustPolicy(anchors=(root,)), at=NOW)

    assert_no_path(result, reason=f"the root's signature algorithm {name} is not accepted")
    assert "not self-signed" not in result.check.detail
    assert not is_self_signed(root)


def test_an_issuing_ca_beside_the_root_among_the_anchors_is_not_used():
    policy = TrustPolicy(anchors=(fixture_cert(ROOT_RSA_TEST), fixture_cert(NCA_RSA_TEST)))

    result = build_chain(kalkan_signer(), policy=policy, at=at(2021, 6, 1))

    assert_no_path(result, reason="«ҰКО 3.0 (RSA TEST)» is configured as a trust anchor")


def test_without_the_intermediate_there_is_no_path():
    policy = TrustPolicy(anchors=(fixture_cert(ROOT_RSA_TEST),))

    result = build_chain(kalkan_signer(), policy=policy, at=at(2021, 6, 1))

    assert_no_path(result, reason="neither a configured trust anchor nor a configured intermediate")


def test_another_root_is_no_anchor_for_this_chain():
    policy = TrustPolicy(
        anchors=(fixture_cert("ca/root_rsa.pem"),), intermediates=(fixture_cert(NCA_RSA_TEST),)
    )

    result = build_chain(kalkan_signer(), policy=policy, at=at(2021, 6, 1))

    assert_no_path(result, reason="НЕГІЗГІ КО TEST (RSA)")


def test_no_anchor_at_all():
    assert_no_path(
        build_chain(kalkan_signer(), policy=TrustPolicy(), at=at(2021, 6, 1)),
        reason="no trust anchor is configured",
    )


def test_expired_signer_still_has_its_path_as_of_its_last_valid_moment():
    # the expiry is CERTIFICATE_VALIDITY's to report; "no chain" would hide it
    result = build_chain(kalkan_signer(), policy=rsa_test_policy(), at=at(2023, 6, 1))

    assert result.check.outcome is Outcome.PASSED
    assert "checked as of 2022-01-18" in result.check.detail


def test_former_production_chain_with_short_key_identifiers():
    # nca_rsa has a 4-byte subject key identifier and the roots carry authorityCertIssuer
    cert = p12_cert("keys/RSA256_8426360556902ce4ac33977836f873e1dc190976.p12")
    policy = TrustPolicy(
        anchors=(fixture_cert("ca/root_rsa.pem"),), intermediates=(fixture_cert("ca/nca_rsa.pem"),)
    )

    assert build_chain(cert, policy=policy, at=at(2019, 1, 1)).check.outcome is Outcome.PASSED


def test_gost_signer_of_an_unconfigured_ca_simply_has_no_path():
    _, gost_signer = keyinfo_certs("signed/kalkan_rsa_gost_two_signers.xml")

    assert_no_path(
        build_chain(gost_signer, policy=rsa_test_policy(), at=at(2023, 1, 1)),
        reason="neither a configured trust anchor",
    )


def test_self_signed():
    assert is_self_signed(fixture_cert(ROOT_RSA_TEST))
    assert not is_self_signed(fixture_cert(NCA_RSA_TEST))
    # GOST 34.10-2015 signatures are checked too (tests/xmlsig/test_gost_chain.py)
    assert is_self_signed(fixture_cert("ca/root_test_gost_2022.pem"))
    assert not is_self_signed(fixture_cert("ca/nca_gost2022_test.pem"))


def test_naive_moment_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        build_chain(
            kalkan_signer(), policy=rsa_test_policy(), at=at(2021, 6, 1).replace(tzinfo=None)
        )


# --- generated: what we relaxed, and what we did not ------------------------------------


@pytest.mark.parametrize("purpose", ["sign", "auth", "gost2022"])
def test_nca_style_signers_without_client_auth_or_subject_alt_name_pass(purpose):
    pki = Pki.create()
    signer = pki.individual(purpose=purpose).certificate

    result = build_chain(signer, policy=pki.policy(), at=NOW)

    assert result.check.outcome is Outcome.PASSED
    assert result.path[-1] == pki.root.certificate


def test_issuing_ca_expired_at_receipt():
    pki = Pki.create(ca_end=at(2024, 3, 1))
    signer = pki.individual(start=at(2023, 6, 1), end=at(2024, 6, 1)).certificate

    result = build_chain(signer, policy=pki.policy(), at=at(2024, 4, 1))

    assert_no_path(result, reason="the CA «ҰКО TEST (QUJAT)» was not valid at 2024-04-01")


def test_forged_issuer_name():
    pki = Pki.create()
    impostor = Pki.create()  # same names, other keys
    signer = impostor.individual().certificate

    result = build_chain(signer, policy=pki.policy(), at=NOW)

    assert_no_path(
        result, reason="does not verify with the key of the configured «ҰКО TEST (QUJAT)»"
    )


def test_a_ca_with_non_critical_basic_constraints_is_still_refused():
    pki = Pki.create(ca_basic_constraints_critical=False)

    result = build_chain(pki.individual().certificate, policy=pki.policy(), at=NOW)

    assert_no_path(result, reason="2.5.29.19")


def test_a_signer_without_authority_key_identifier_is_still_refused():
    pki = Pki.create()
    signer = resign(pki.individual().certificate, pki.ca,
                    drop=ExtensionOID.AUTHORITY_KEY_IDENTIFIER)

    assert_no_path(build_chain(signer, policy=pki.policy(), at=NOW), reason="2.5.29.35")


def test_a_ca_without_key_usage_is_still_refused():
    pki = Pki.create()
    ca = resign(pki.ca.certificate, pki.root, drop=ExtensionOID.KEY_USAGE)
    policy = TrustPolicy(anchors=(pki.root.certificate,), intermediates=(ca,))

    assert_no_path(
        build_chain(pki.individual().certificate, policy=policy, at=NOW), reason="2.5.29.15"
    )


def test_a_leaf_issued_straight_by_the_root():
    pki = Pki.create()
    signer = leaf(issuer=pki.root).certificate

    result = build_chain(signer, policy=TrustPolicy(anchors=(pki.root.certificate,)), at=NOW)

    assert result.path == (signer, pki.root.certificate)


def test_a_second_issuing_ca_is_found_among_several():
    pki = Pki.create()
    other = issuing_ca(issuer=pki.root, name="ҰКО TEST 2 (QUJAT)")
    signer = leaf(issuer=other).certificate
    policy = TrustPolicy(
        anchors=(pki.root.certificate,), intermediates=(pki.ca.certificate, other.certificate)
    )

    assert build_chain(signer, policy=policy, at=NOW).path[1] == other.certificate
