"""GOST 34.10-2015 XML signatures through the same path as RSA: Kalkan's sample, our own
signatures with the NCA's GOST test keys, sequences, tampering, algorithm mismatches.

These check the signature's own checks (shape, algorithms, coverage, digest, value); the
certificate chain of GOST signers is the chain tests' business."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from app.xmlsig.algorithms import DigestMethod, SignatureMethod
from app.xmlsig.keys import SigningKey, load_pkcs12
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CheckCode, Outcome, SubIndication
from app.xmlsig.shape import DS
from app.xmlsig.signer import sign_enveloped
from app.xmlsig.verifier import verify_bytes
from tests.xmlsig.certbuilder import Pki, fixture, fixture_cert
from tests.xmlsig.signatures import APPEAL, GOST_KEYS, PASSWORD, check, edited, find, result_of

NS = {"ds": DS}
GOST_2004 = "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311"
SIGNATURE_CHECKS = (CheckCode.SIGNATURE_SHAPE, CheckCode.ALGORITHMS,
                    CheckCode.REFERENCE_COVERS_DOCUMENT, CheckCode.DIGEST,
                    CheckCode.SIGNATURE_VALUE, CheckCode.CERTIFICATE_PRESENT)


def gost_key(name: str) -> SigningKey:
    return load_pkcs12(fixture(f"keys/gost2015/{name}.p12").read_bytes(), PASSWORD)


@pytest.fixture(scope="module")
def citizen() -> SigningKey:
    return gost_key("individual_valid")


@pytest.fixture(scope="module")
def head() -> SigningKey:
    return gost_key("legal_head_valid")


@pytest.fixture(scope="module")
def signed(citizen) -> bytes:
    return sign_enveloped(APPEAL, citizen)


def passed(verification) -> bool:
    return verification.verified and all(
        result_of(verification, code).outcome is Outcome.PASSED for code in SIGNATURE_CHECKS
    )


def signatures_of(data: bytes) -> list[etree._Element]:
    return etree.fromstring(data).findall(f"{{{DS}}}Signature")


# --- Kalkan's sample ------------------------------------------------------------------


def test_kalkans_gost_signature_verifies():
    data = fixture("signed/kalkan_rsa_gost_two_signers.xml").read_bytes()

    verification = check(data)

    assert passed(verification)
    assert verification.algorithm == "GOST 34.10-2015 512 bit"
    assert etree.QName(verification.signed_root).localname == "a"


def test_kalkans_two_signers_report_the_gost_signature_by_name():
    policy = TrustPolicy(
        anchors=(fixture_cert("ca/root_rsa_test.pem"), fixture_cert("ca/root_test_gost_2022.pem")),
        intermediates=(fixture_cert("ca/nca_rsa_test.pem"),
                       fixture_cert("ca/nca_gost2022_test.pem")),
    )
    result = verify_bytes(fixture("signed/kalkan_rsa_gost_two_signers.xml").read_bytes(),
                          policy=policy, at=datetime(2022, 10, 1, tzinfo=UTC))

    gost, rsa = result.report.signatures
    assert gost.algorithm == "GOST 34.10-2015 512 bit" and rsa.algorithm == "RSA-SHA256"
    for code in SIGNATURE_CHECKS:
        assert next(c for c in gost.checks if c.code is code).outcome is Outcome.PASSED, code
        assert next(c for c in rsa.checks if c.code is code).outcome is Outcome.PASSED, code
    assert result.signed_root is not None


# --- our own GOST signatures ----------------------------------------------------------


@pytest.mark.parametrize("name", GOST_KEYS)
def test_each_nca_gost_key_signs_what_we_verify(name):
    signed = sign_enveloped(APPEAL, gost_key(name))

    verification = check(signed)
    assert passed(verification)
    root = etree.fromstring(signed)
    assert find(root, "//ds:SignatureMethod").get("Algorithm") == (
        SignatureMethod.GOST34102015_512.value
    )
    assert find(root, "//ds:DigestMethod").get("Algorithm") == (
        DigestMethod.GOST34112015_512.value
    )
    assert len(base64.b64decode(find(root, "//ds:SignatureValue").text)) == 128


def test_two_gost_signers_in_sequence_both_verify(signed, head):
    both = sign_enveloped(signed, head)

    outer = check(both)
    inner = check(etree.tostring(_without_last(both)))
    assert passed(outer) and passed(inner)
    assert outer.certificate == head.certificate


def test_gost_over_rsa_and_rsa_over_gost(signed, citizen):
    pki = Pki.create()
    issued = pki.individual(rsa_bits=2048)
    rsa = SigningKey(private_key=issued.key, certificate=issued.certificate)

    rsa_over_gost = sign_enveloped(signed, rsa)
    gost_over_rsa = sign_enveloped(sign_enveloped(APPEAL, rsa), citizen)

    for data in (rsa_over_gost, gost_over_rsa):
        assert passed(check(data))
        assert passed(check(etree.tostring(_without_last(data))))


def test_a_broken_inner_signature_fails_under_a_sound_outer_one(signed, head):
    broken_inner = edited(signed, _flip_signature_bit)
    both = sign_enveloped(broken_inner, head)

    assert passed(check(both))
    inner = check(etree.tostring(_without_last(both)))
    assert result_of(inner, CheckCode.SIGNATURE_VALUE).outcome is Outcome.FAILED


def test_changed_text_fails_the_digest(signed):
    changed = signed.replace("Прошу рассмотреть".encode(), "Прошу отклонить".encode())

    verification = check(changed)
    digest = result_of(verification, CheckCode.DIGEST)
    assert digest.outcome is Outcome.FAILED
    assert digest.sub_indication is SubIndication.HASH_FAILURE
    assert result_of(verification, CheckCode.SIGNATURE_VALUE).outcome is Outcome.PASSED
    assert verification.signed_root is None


def test_a_flipped_signature_bit_fails_the_value(signed):
    verification = check(edited(signed, _flip_signature_bit))

    value = result_of(verification, CheckCode.SIGNATURE_VALUE)
    assert value.outcome is Outcome.FAILED
    assert value.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert result_of(verification, CheckCode.DIGEST).outcome is Outcome.SKIPPED


def test_a_changed_signed_info_fails_the_value(signed):
    def change_digest(root):
        value = find(root, "//ds:DigestValue")
        value.text = base64.b64encode(bytes(64)).decode()

    verification = check(edited(signed, change_digest))
    assert result_of(verification, CheckCode.SIGNATURE_VALUE).outcome is Outcome.FAILED


def test_another_gost_certificate_in_key_info_fails_the_value(signed, head):
    swapped = edited(signed, _set_certificate(head))

    verification = check(swapped)
    assert result_of(verification, CheckCode.SIGNATURE_VALUE).outcome is Outcome.FAILED
    assert verification.certificate == head.certificate


def test_an_rsa_certificate_under_a_gost_signature_method_is_refused_by_name(signed):
    rsa_certificate = fixture_cert("ca/root_rsa_test.pem")
    swapped = edited(signed, _set_certificate_der(rsa_certificate.public_bytes(Encoding.DER)))

    algorithms = result_of(check(swapped), CheckCode.ALGORITHMS)
    assert algorithms.outcome is Outcome.FAILED
    assert "GOST 34.10-2015 512 bit does not fit the certificate's key" in algorithms.detail


def test_a_gost_certificate_under_an_rsa_signature_method_is_refused(signed):
    rsa_method = edited(signed, lambda root: find(root, "//ds:SignatureMethod").set(
        "Algorithm", SignatureMethod.RSA_SHA256.value))

    algorithms = result_of(check(rsa_method), CheckCode.ALGORITHMS)
    assert algorithms.outcome is Outcome.FAILED
    assert "1.2.398.3.10.1.1.2.2" in algorithms.detail


def test_the_old_gost_34_310_is_named_as_unsupported_not_crashed_on(signed):
    old = edited(signed, lambda root: find(root, "//ds:SignatureMethod").set(
        "Algorithm", GOST_2004))

    verification = check(old)
    algorithms = result_of(verification, CheckCode.ALGORITHMS)
    assert algorithms.outcome is Outcome.INDETERMINATE
    assert f"GOST 34.310-2004 <{GOST_2004}> is not supported" in algorithms.detail
    assert verification.algorithm == "GOST 34.310-2004"
    assert not verification.verified


def test_an_rsa_signature_may_use_a_streebog_reference():
    pki = Pki.create()
    issued = pki.individual(rsa_bits=2048)
    rsa = SigningKey(private_key=issued.key, certificate=issued.certificate)

    signed = sign_enveloped(APPEAL, rsa, digest_method=DigestMethod.GOST34112015_512)
    assert passed(check(signed))


# --- helpers --------------------------------------------------------------------------

def _without_last(data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    last = root.findall(f"{{{DS}}}Signature")[-1]
    root.remove(last)
    return root


def _flip_signature_bit(root: etree._Element) -> None:
    value = root.findall(f"{{{DS}}}Signature")[-1].find(f"{{{DS}}}SignatureValue")
    raw = bytearray(base64.b64decode(value.text))
    raw[17] ^= 0x04
    value.text = base64.b64encode(bytes(raw)).decode()


def _set_certificate_der(der: bytes):
    def change(root: etree._Element) -> None:
        find(root, "//ds:X509Certificate").text = base64.b64encode(der).decode()

    return change


def _set_certificate(key: SigningKey):
    return _set_certificate_der(key.certificate.public_bytes(Encoding.DER))
