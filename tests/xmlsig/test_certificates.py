"""describe() and the certificate checks, on the NCA's real certificates first."""

from __future__ import annotations

from datetime import UTC

import pytest

from app.xmlsig.certificates import (
    NcaRole,
    check_certificate,
    check_key_purpose,
    check_validity,
    describe,
    serial_hex,
)
from app.xmlsig.names import readable
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CertificateInfo, CheckCode, HolderKind, Outcome, SubIndication
from app.xmlsig.trust_store import load_policy
from tests.xmlsig.certbuilder import (
    Pki,
    at,
    fixture,
    fixture_cert,
    keyinfo_certs,
    p12_cert,
)

GOST_CONTAINERS = [
    "keys/gost2015/individual_valid.p12",
    "keys/gost2015/individual_revoked.p12",
    "keys/gost2015/legal_head_valid.p12",
    "keys/gost2015/legal_employee_valid.p12",
]


@pytest.fixture(scope="module")
def rsa_test_policy() -> TrustPolicy:
    return load_policy(
        anchors=[fixture("ca/root_rsa_test.pem")],
        intermediates=[fixture("ca/nca_rsa_test.pem")],
        crls=[fixture("crl/nca_rsa_test.crl")],
    )


def by_code(checks):
    return {c.code: c for c in checks}


# --- describe -------------------------------------------------------------------------


def test_describe_kalkan_signer_reads_the_nca_subject_layout():
    (cert,) = keyinfo_certs("signed/kalkan_rsa_signed.xml")

    info = describe(cert)

    assert info.subject == (
        "CN=ТЕСТОВ ТЕСТ, SN=ТЕСТОВ, serialNumber=IIN123456789011, C=KZ, GN=ТЕСТОВИЧ"
    )
    assert info.issuer == "C=KZ, CN=ҰКО 3.0 (RSA TEST)"
    assert info.serial_number == "4279390A141F5353A62947B61ED65E81741467D1"
    assert info.not_before == at(2021, 1, 18, 13, 9, 14)
    assert info.not_after.tzinfo is UTC
    assert (info.common_name, info.surname, info.given_name) == (
        "ТЕСТОВ ТЕСТ",
        "ТЕСТОВ",
        "ТЕСТОВИЧ",
    )
    assert info.iin == "123456789011"
    assert info.bin is None and info.organization is None
    assert info.holder is HolderKind.INDIVIDUAL
    assert info.roles == ()
    assert info.key_usage == ("digitalSignature", "nonRepudiation")
    assert info.extended_key_usage == ("emailProtection", "1.2.398.3.3.4.1.1")
    assert info.key_algorithm == "RSA 2048 bit"
    assert len(info.sha256_fingerprint) == 64


def test_describe_is_the_same_for_the_container_and_the_keyinfo_copy():
    (from_xml,) = keyinfo_certs("signed/kalkan_rsa_signed.xml")

    assert describe(p12_cert("keys/key_individual_valid_sign_2004.p12")) == describe(from_xml)


def test_description_survives_json():
    info = describe(p12_cert("keys/key_individual_valid_sign_2004.p12"))

    assert CertificateInfo.from_dict(info.to_dict()) == info


@pytest.mark.parametrize(
    "relative",
    [
        "ca/root_test_gost_2022.pem",
        "ca/nca_gost2022_test.pem",
        "ca/root_gost_test.pem",
        "ca/nca_gost.pem",
    ],
)
def test_describe_gost_ca_certificates_without_loading_their_keys(relative):
    # cryptography parses these but cannot load their keys, and their 69-byte names
    # would warn (an error under our pytest settings) if read carelessly
    info = describe(fixture_cert(relative))

    assert info.key_algorithm.startswith("GOST")
    assert "ОРТАЛЫҚ" in info.subject or "КО" in info.subject
    assert info.iin is None


@pytest.mark.parametrize("relative", GOST_CONTAINERS)
def test_describe_gost_2015_containers(relative):
    info = describe(p12_cert(relative))

    assert info.key_algorithm == "GOST 34.10-2015 512 bit"
    assert info.issuer == "CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022, C=KZ"
    assert info.iin is not None


def test_gost_legal_entity_head_and_employee():
    head = describe(p12_cert("keys/gost2015/legal_head_valid.p12"))
    employee = describe(p12_cert("keys/gost2015/legal_employee_valid.p12"))

    assert head.holder is employee.holder is HolderKind.LEGAL_ENTITY
    assert head.bin == employee.bin == "123456789021"
    assert head.organization == 'АО "ТЕСТ"'
    assert head.roles == (NcaRole.FIRST_HEAD,)
    assert employee.roles == (NcaRole.EMPLOYEE,)
    assert employee.iin == "123456789012"


def test_gost_signer_of_the_two_signer_document():
    rsa_signer, gost_signer = keyinfo_certs("signed/kalkan_rsa_gost_two_signers.xml")

    assert describe(rsa_signer).key_algorithm == "RSA 2048 bit"
    assert describe(gost_signer).key_algorithm == "GOST 34.10-2015 512 bit"
    assert describe(gost_signer).iin == "123456789012"


def test_describe_generated_ec_key_and_unknown_holder():
    pki = Pki.create()
    cert = pki.individual(holder_oids=()).certificate

    info = describe(cert)

    assert info.key_algorithm == "ECDSA P-256"
    assert info.holder is HolderKind.UNKNOWN


def test_iin_and_bin_need_their_prefix_and_twelve_digits():
    pki = Pki.create()
    cert = pki.employee(roles=["first_head"], iin="12345", bin="123456789021").certificate

    info = describe(cert)

    assert info.iin is None
    assert info.bin == "123456789021"


def test_serial_hex_is_padded_to_whole_bytes():
    assert serial_hex(0xFF06211DC82BEB00253FFA000F1DE84ABEF454F).startswith("0FF0")
    assert serial_hex(0x0A) == "0A"


def test_readable_keeps_certificate_order_and_letters():
    cert = fixture_cert("ca/root_rsa_test.pem")

    assert readable(cert.subject) == "CN=НЕГІЗГІ КО TEST (RSA), C=KZ"


# --- validity ---------------------------------------------------------------------------


def test_validity_is_judged_at_the_receipt_time():
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")

    assert check_validity(cert, at=at(2021, 6, 1)).outcome is Outcome.PASSED
    expired = check_validity(cert, at=at(2023, 6, 1))
    early = check_validity(cert, at=at(2020, 6, 1))

    assert (expired.outcome, expired.sub_indication) == (Outcome.FAILED, SubIndication.EXPIRED)
    assert (early.outcome, early.sub_indication) == (Outcome.FAILED, SubIndication.NOT_YET_VALID)
    assert "2022-01-18" in expired.detail


def test_validity_bounds_are_inclusive():
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")

    assert check_validity(cert, at=cert.not_valid_after_utc).outcome is Outcome.PASSED
    assert check_validity(cert, at=cert.not_valid_before_utc).outcome is Outcome.PASSED


def test_naive_moment_is_refused():
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")

    with pytest.raises(ValueError, match="timezone-aware"):
        check_validity(cert, at=at(2021, 6, 1).replace(tzinfo=None))


# --- key purpose ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "keys/key_individual_auth_revoked_2004.p12",
        "keys/individual_valid_sign_2004_rsa_auth.cer",
        "keys/AUTH_RSA256_6b361b864c679601b652fe387f61fcd9303c0327.p12",
    ],
)
def test_authentication_keys_cannot_sign_documents(relative):
    cert = fixture_cert(relative) if relative.endswith(".cer") else p12_cert(relative)

    check = check_key_purpose(cert, policy=TrustPolicy())

    assert check.outcome is Outcome.FAILED
    assert check.sub_indication is SubIndication.SIG_CONSTRAINTS_FAILURE
    assert "authentication key" in check.detail


@pytest.mark.parametrize(
    "relative",
    [
        "keys/key_individual_valid_sign_2004.p12",
        "keys/RSA256_8426360556902ce4ac33977836f873e1dc190976.p12",
        *GOST_CONTAINERS,
    ],
)
def test_signing_keys_pass(relative):
    check = check_key_purpose(p12_cert(relative), policy=TrustPolicy())

    assert check.outcome is Outcome.PASSED


def test_gost_2022_keys_serve_both_purposes_through_non_repudiation():
    # Since 2022 the NCA issues one GOST key for signing and logging in; its key usage
    # still asserts nonRepudiation, which is what makes it a signing key here.
    info = describe(p12_cert("keys/gost2015/individual_valid.p12"))

    assert info.key_usage == ("digitalSignature", "nonRepudiation", "keyAgreement")


def test_key_purpose_can_be_waived_by_policy():
    cert = p12_cert("keys/key_individual_auth_revoked_2004.p12")

    check = check_key_purpose(cert, policy=TrustPolicy(require_signing_key=False))

    assert check.outcome is Outcome.SKIPPED


def test_a_ca_certificate_is_no_signing_key():
    pki = Pki.create()

    check = check_key_purpose(pki.ca.certificate, policy=TrustPolicy())

    assert check.outcome is Outcome.FAILED
    assert "CA" in check.detail


# --- all together -----------------------------------------------------------------------


def test_kalkan_signer_passes_as_of_2021_without_crl():
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")
    policy = load_policy(
        anchors=[fixture("ca/root_rsa_test.pem")], intermediates=[fixture("ca/nca_rsa_test.pem")]
    )

    checks = by_code(check_certificate(cert, policy=policy, at=at(2021, 6, 1)))

    assert list(checks) == [
        CheckCode.CERTIFICATE_CHAIN,
        CheckCode.CERTIFICATE_VALIDITY,
        CheckCode.REVOCATION,
        CheckCode.KEY_PURPOSE,
    ]
    assert checks[CheckCode.CERTIFICATE_CHAIN].outcome is Outcome.PASSED
    assert checks[CheckCode.CERTIFICATE_VALIDITY].outcome is Outcome.PASSED
    assert checks[CheckCode.REVOCATION].outcome is Outcome.SKIPPED
    assert checks[CheckCode.KEY_PURPOSE].outcome is Outcome.PASSED


def test_expired_signer_fails_on_validity_not_on_the_chain(rsa_test_policy):
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")

    checks = by_code(check_certificate(cert, policy=rsa_test_policy, at=at(2023, 6, 1)))

    assert checks[CheckCode.CERTIFICATE_CHAIN].outcome is Outcome.PASSED
    assert checks[CheckCode.CERTIFICATE_VALIDITY].sub_indication is SubIndication.EXPIRED


def test_revoked_signer_fails_while_the_crl_is_fresh(rsa_test_policy):
    cert = p12_cert("keys/key_individual_sign_revoked_2004.p12")

    checks = by_code(check_certificate(cert, policy=rsa_test_policy, at=at(2022, 6, 1)))

    assert checks[CheckCode.REVOCATION].outcome is Outcome.FAILED
    assert checks[CheckCode.REVOCATION].sub_indication is SubIndication.REVOKED


def test_no_chain_skips_revocation():
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")
    policy = TrustPolicy(anchors=(fixture_cert("ca/root_rsa_test.pem"),))

    checks = by_code(check_certificate(cert, policy=policy, at=at(2021, 6, 1)))

    assert checks[CheckCode.CERTIFICATE_CHAIN].outcome is Outcome.FAILED
    assert checks[CheckCode.REVOCATION].outcome is Outcome.SKIPPED
