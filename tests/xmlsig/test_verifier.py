"""The whole verdict: document checks, every signature outermost first, what was signed.

These run the certificate checks of app/xmlsig/certificates.py too, with NCA-shaped test
certificates (tests/xmlsig/certbuilder.py) and with the NCA's real test material.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import os
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from app.xmlsig.keys import SigningKey
from app.xmlsig.parsing import parse_xml
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CheckCode, Indication, Outcome, SubIndication, VerificationReport
from app.xmlsig.shape import DS
from app.xmlsig.signer import sign_enveloped
from app.xmlsig.verifier import verify_bytes, verify_tree
from tests.xmlsig.certbuilder import NOW, Pki, fixture, fixture_cert

APPEAL = ('<appeal xmlns="urn:qujat:test:appeal"><!-- draft -->'
          "<author><iin>123456789011</iin></author><text>Прошу рассмотреть</text></appeal>"
          ).encode()
KALKAN_TIME = datetime(2021, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki.create()


@pytest.fixture(scope="module")
def policy(pki) -> TrustPolicy:
    return pki.policy()


def key_of(issued) -> SigningKey:
    return SigningKey(private_key=issued.key, certificate=issued.certificate)


@pytest.fixture(scope="module")
def citizen(pki) -> SigningKey:
    return key_of(pki.individual(rsa_bits=2048))


@pytest.fixture(scope="module")
def head(pki) -> SigningKey:
    return key_of(pki.employee(roles=["first_head"], surname="БАСШЫ", rsa_bits=2048))


@pytest.fixture(scope="module")
def nca_policy() -> TrustPolicy:
    return TrustPolicy(anchors=(fixture_cert("ca/root_rsa_test.pem"),),
                       intermediates=(fixture_cert("ca/nca_rsa_test.pem"),))


def check(report_or_signature, code: CheckCode):
    return next(c for c in report_or_signature.checks if c.code is code)


def document_check(report: VerificationReport, code: CheckCode):
    return next(c for c in report.document_checks if c.code is code)


# --- the NCA's own signed samples ---------------------------------------------------


def test_the_kalkan_sample_passes_as_of_2021(nca_policy):
    result = verify_bytes(fixture("signed/kalkan_rsa_signed.xml").read_bytes(),
                          policy=nca_policy, at=KALKAN_TIME)

    report = result.report
    assert report.indication is Indication.PASSED, report.to_dict()
    assert report.signer.iin == "123456789011"
    assert report.signatures[0].algorithm == "RSA-SHA256"
    assert etree.tostring(result.signed_root) == b"<a><b>test</b></a>"


def test_kalkans_two_signers_both_verify_but_the_gost_chain_needs_its_anchor(nca_policy):
    result = verify_bytes(fixture("signed/kalkan_rsa_gost_two_signers.xml").read_bytes(),
                          policy=nca_policy, at=KALKAN_TIME)

    gost, rsa = result.report.signatures
    assert (gost.index, rsa.index) == (0, 1)
    assert gost.algorithm == "GOST 34.10-2015 512 bit"
    for code in (CheckCode.ALGORITHMS, CheckCode.DIGEST, CheckCode.SIGNATURE_VALUE):
        assert check(gost, code).outcome is Outcome.PASSED
    # the GOST signer's chain does not reach the RSA-only anchor
    assert check(gost, CheckCode.CERTIFICATE_CHAIN).outcome is Outcome.FAILED
    assert rsa.indication is Indication.PASSED
    assert rsa.signer.iin == "123456789011"
    assert result.report.indication is Indication.FAILED


# --- our own signatures under a trust policy ----------------------------------------


def test_a_signed_appeal_passes_and_yields_only_its_signed_content(citizen, policy):
    result = verify_bytes(sign_enveloped(APPEAL, citizen), policy=policy, at=NOW)

    assert result.report.indication is Indication.PASSED, result.report.to_dict()
    assert [c.code for c in result.report.document_checks] == [
        CheckCode.WELL_FORMED, CheckCode.SIGNATURE_PRESENT]
    assert [c.code for c in result.report.signatures[0].checks] == [
        CheckCode.SIGNATURE_SHAPE, CheckCode.ALGORITHMS, CheckCode.REFERENCE_COVERS_DOCUMENT,
        CheckCode.DIGEST, CheckCode.SIGNATURE_VALUE, CheckCode.CERTIFICATE_PRESENT,
        CheckCode.CERTIFICATE_CHAIN, CheckCode.CERTIFICATE_VALIDITY, CheckCode.REVOCATION,
        CheckCode.KEY_PURPOSE]
    assert result.report.signer.surname == "ТЕСТОВ"
    content = result.signed_root
    assert content.findtext("{urn:qujat:test:appeal}text") == "Прошу рассмотреть"
    assert not content.xpath("//comment() | //*[local-name()='Signature']")


def test_two_sequential_signatures_pass_outermost_first(citizen, head, policy):
    twice = sign_enveloped(sign_enveloped(APPEAL, citizen), head)

    result = verify_bytes(twice, policy=policy, at=NOW)

    report = result.report
    assert report.indication is Indication.PASSED, report.to_dict()
    assert [s.signer.surname for s in report.signatures] == ["БАСШЫ", "ТЕСТОВ"]
    assert report.signer.surname == "БАСШЫ"
    assert not result.signed_root.xpath("//*[local-name()='Signature']")


def test_an_inner_signature_that_does_not_hold_fails_the_document(citizen, head, policy):
    # the citizen signs, someone changes the text, the head countersigns the changed text
    changed = sign_enveloped(APPEAL, citizen).replace("рассмотреть".encode(), "отклонить".encode())
    twice = sign_enveloped(changed, head)

    result = verify_bytes(twice, policy=policy, at=NOW)

    outer, inner = result.report.signatures
    assert outer.indication is Indication.PASSED
    assert check(inner, CheckCode.DIGEST).outcome is Outcome.FAILED
    assert result.report.indication is Indication.FAILED
    assert result.report.sub_indication is SubIndication.HASH_FAILURE


def test_the_tree_is_not_changed_by_verification(citizen, head, policy):
    tree = parse_xml(sign_enveloped(sign_enveloped(APPEAL, citizen), head),
                     max_bytes=1_000_000, max_depth=64)
    before = etree.tostring(tree)

    verify_tree(tree, policy=policy, at=NOW)

    assert etree.tostring(tree) == before


def test_a_root_element_is_accepted_as_well_as_a_tree(citizen, policy):
    root = etree.fromstring(sign_enveloped(APPEAL, citizen))

    assert verify_tree(root, policy=policy, at=NOW).report.indication is Indication.PASSED


def test_tampered_content_fails_and_nothing_counts_as_signed(citizen, policy):
    data = sign_enveloped(APPEAL, citizen).replace(b"123456789011", b"999999999999")

    result = verify_bytes(data, policy=policy, at=NOW)

    assert result.report.indication is Indication.FAILED
    assert result.report.sub_indication is SubIndication.HASH_FAILURE
    assert result.signed_root is None


def test_a_forged_signature_names_no_signer_and_skips_the_certificate(citizen, head, policy):
    root = etree.fromstring(sign_enveloped(APPEAL, citizen))
    certificate = root.find(f".//{{{DS}}}X509Certificate")
    certificate.text = base64.b64encode(head.certificate.public_bytes(Encoding.DER)).decode()

    signature = verify_tree(root, policy=policy, at=NOW).report.signatures[0]

    assert signature.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert signature.signer is None
    assert check(signature, CheckCode.CERTIFICATE_CHAIN).outcome is Outcome.SKIPPED


def test_the_certificate_checks_decide_when_the_signature_holds(pki, policy):
    authentication_key = key_of(pki.individual(purpose="auth", rsa_bits=2048))

    result = verify_bytes(sign_enveloped(APPEAL, authentication_key), policy=policy, at=NOW)

    signature = result.report.signatures[0]
    assert check(signature, CheckCode.SIGNATURE_VALUE).outcome is Outcome.PASSED
    assert check(signature, CheckCode.KEY_PURPOSE).outcome is Outcome.FAILED
    assert result.report.indication is Indication.FAILED
    # the signature itself holds, so the application may still read what was signed
    assert result.signed_root is not None


def test_a_certificate_expired_at_receipt_fails(citizen, policy):
    later = datetime(2025, 6, 1, tzinfo=UTC)

    report = verify_bytes(sign_enveloped(APPEAL, citizen), policy=policy, at=later).report

    assert report.sub_indication is SubIndication.EXPIRED


# --- documents that are not what they should be -------------------------------------


def test_malformed_input_is_a_failed_report_not_an_exception(policy):
    report = verify_bytes(b"<appeal><text></appeal>", policy=policy, at=NOW).report

    assert report.indication is Indication.FAILED
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    assert "line 1" in document_check(report, CheckCode.WELL_FORMED).detail
    assert report.signatures == ()


def test_a_document_with_a_dtd_is_a_failed_report(policy):
    data = b'<!DOCTYPE appeal [<!ENTITY x "y">]><appeal>&x;</appeal>'

    report = verify_bytes(data, policy=policy, at=NOW).report

    assert "DOCTYPE" in document_check(report, CheckCode.WELL_FORMED).detail
    assert report.indication is Indication.FAILED


def test_an_oversized_document_is_a_failed_report(citizen):
    small = TrustPolicy(max_document_bytes=1000)

    report = verify_bytes(sign_enveloped(APPEAL, citizen), policy=small, at=NOW).report

    assert "more than the limit of 1,000" in document_check(report, CheckCode.WELL_FORMED).detail


def test_a_document_nested_too_deep_is_a_failed_report(policy):
    shallow = TrustPolicy(max_depth=3)

    report = verify_bytes(b"<a><b><c><d/></c></b></a>", policy=shallow, at=NOW).report

    assert "more than 3 levels deep" in document_check(report, CheckCode.WELL_FORMED).detail


def test_a_document_past_the_limits_is_a_failed_report_naming_the_limit(citizen, policy):
    signed = sign_enveloped(APPEAL, citizen)
    end = signed.rindex(b"</")
    flood = signed[:end] + f'<ds:Signature xmlns:ds="{DS}"/>'.encode() * 10_000 + signed[end:]

    report = verify_bytes(flood, policy=policy, at=NOW).report

    well_formed = document_check(report, CheckCode.WELL_FORMED)
    assert well_formed.outcome is Outcome.FAILED
    assert "more than 10 ds:Signature elements" in well_formed.detail
    assert "(max_signatures)" in well_formed.detail
    assert report.sub_indication is SubIndication.FORMAT_FAILURE
    assert report.signatures == ()


def test_a_tree_past_the_limits_is_refused_however_it_was_parsed(citizen, policy):
    from app.xmlsig.limits import Limits

    tree = parse_xml(sign_enveloped(sign_enveloped(APPEAL, citizen), citizen),
                     max_bytes=1_000_000, max_depth=64)
    one = dataclasses.replace(policy, limits=Limits(max_signatures=1))

    report = verify_tree(tree, policy=one, at=NOW).report

    assert "more than 1 ds:Signature elements" in document_check(
        report, CheckCode.WELL_FORMED).detail
    assert report.indication is Indication.FAILED


def test_ten_signatures_each_over_the_one_before_all_pass(citizen, head, policy):
    data = APPEAL
    for turn in range(10):
        data = sign_enveloped(data, (citizen, head)[turn % 2])

    result = verify_bytes(data, policy=policy, at=NOW)

    assert result.report.indication is Indication.PASSED, result.report.to_dict()
    assert len(result.report.signatures) == 10
    assert not result.signed_root.xpath("//*[local-name()='Signature']")


def test_an_object_in_a_later_signature_is_that_signatures_refusal_alone(citizen, head,
                                                                         policy):
    twice = etree.fromstring(sign_enveloped(sign_enveloped(APPEAL, citizen), head))
    outer = twice[-1]
    outer.append(etree.Element(f"{{{DS}}}Object"))

    outer_report, inner_report = verify_tree(twice, policy=policy, at=NOW).report.signatures

    assert "ds:Object inside the signature" in check(outer_report,
                                                     CheckCode.SIGNATURE_SHAPE).detail
    assert inner_report.indication is Indication.PASSED


def test_an_unsigned_document_fails_for_want_of_a_signature(policy):
    report = verify_bytes(APPEAL, policy=policy, at=NOW).report

    present = document_check(report, CheckCode.SIGNATURE_PRESENT)
    assert present.outcome is Outcome.FAILED
    assert report.sub_indication is SubIndication.FORMAT_FAILURE


def test_a_signed_document_wrapped_in_a_new_root_fails(citizen, policy):
    wrapper = etree.Element("batch")
    wrapper.append(etree.fromstring(sign_enveloped(APPEAL, citizen)))

    result = verify_tree(wrapper, policy=policy, at=NOW)

    coverage = check(result.report.signatures[0], CheckCode.REFERENCE_COVERS_DOCUMENT)
    assert coverage.outcome is Outcome.FAILED
    assert result.report.indication is Indication.FAILED
    assert result.signed_root is None


def test_a_countersigned_wrapper_around_someone_elses_signed_document_fails(
    citizen, head, policy
):
    wrapper = etree.Element("batch")
    wrapper.append(etree.fromstring(sign_enveloped(APPEAL, citizen)))
    countersigned = sign_enveloped(wrapper, head)

    report = verify_bytes(countersigned, policy=policy, at=NOW).report

    outer, buried = report.signatures
    assert outer.indication is Indication.PASSED
    assert check(buried, CheckCode.REFERENCE_COVERS_DOCUMENT).outcome is Outcome.FAILED
    assert report.indication is Indication.FAILED


def test_the_report_survives_a_round_trip_through_json(citizen, head, policy):
    report = verify_bytes(sign_enveloped(sign_enveloped(APPEAL, citizen), head),
                          policy=policy, at=NOW).report

    assert VerificationReport.from_dict(report.to_dict()) == report


def test_a_naive_moment_is_refused(citizen, policy):
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_bytes(sign_enveloped(APPEAL, citizen), policy=policy, at=datetime(2024, 6, 1))


def test_an_appeal_with_a_large_attachment_verifies(citizen, policy):
    attachment = base64.encodebytes(os.urandom(10 * 1024 * 1024)).decode()
    root = etree.fromstring(APPEAL)
    etree.SubElement(root, "{urn:qujat:test:appeal}attachment", name="scan.pdf").text = attachment
    signed = sign_enveloped(root, citizen)

    result = verify_bytes(signed, policy=policy, at=NOW)

    assert result.report.indication is Indication.PASSED
    assert result.signed_root[-1].text == attachment


def test_verifying_twice_gives_the_same_report(citizen, policy):
    tree = parse_xml(sign_enveloped(APPEAL, citizen), max_bytes=1_000_000, max_depth=64)

    first = verify_tree(tree, policy=policy, at=NOW).report
    second = verify_tree(copy.deepcopy(tree), policy=policy, at=NOW).report

    assert first == second
