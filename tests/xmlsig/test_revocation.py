"""CRLs: verified once, indexed once, asked as of the receipt time.

The NCA fixture CRL of «ҰКО 3.0 (RSA TEST)» (openssl crl -inform DER -text): thisUpdate
2022-03-29 04:18:29, nextUpdate 2022-09-25 04:18:29, 126 entries, among them
46757A2158A604189C40FB1FCDAB1143F83F32DB (key_individual_sign_revoked_2004, valid from
2022-01-18 04:39:33) revoked 2022-01-18 04:40:24, reason superseded.
"""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.xmlsig import crlindex
from app.xmlsig.errors import ConfigurationError
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CheckCode, Outcome, SubIndication
from app.xmlsig.revocation import RevocationIndex, check_revocation, index_crl, load_crls
from tests.xmlsig.certbuilder import (
    NOW,
    Pki,
    at,
    crl,
    crl_der,
    fixture,
    fixture_cert,
    issuing_ca,
    p12_cert,
)

REVOKED_SERIAL = 0x46757A2158A604189C40FB1FCDAB1143F83F32DB
FRESH = at(2022, 6, 1)  # between the fixture CRL's thisUpdate and nextUpdate
STALE = at(2022, 10, 1)  # past its nextUpdate, while the 2022 certificates are still valid


@pytest.fixture(scope="module")
def nca_rsa_test() -> x509.Certificate:
    return fixture_cert("ca/nca_rsa_test.pem")


@pytest.fixture(scope="module")
def root_rsa_test() -> x509.Certificate:
    return fixture_cert("ca/root_rsa_test.pem")


@pytest.fixture(scope="module")
def nca_index(nca_rsa_test, root_rsa_test) -> RevocationIndex:
    (loaded,) = load_crls(fixture("crl/nca_rsa_test.crl"))
    return index_crl(loaded, issuers=[root_rsa_test, nca_rsa_test], label="fixture")


@pytest.fixture(scope="module")
def policy(nca_rsa_test, root_rsa_test, nca_index) -> TrustPolicy:
    return TrustPolicy(anchors=(root_rsa_test,), intermediates=(nca_rsa_test,), crls=(nca_index,))


def status(cert, policy, when, *, issuers=()):
    check = check_revocation((cert, *issuers), policy=policy, at=when)
    assert check.code is CheckCode.REVOCATION
    return check


# --- loading and indexing -------------------------------------------------------------------


def test_fixture_crl_is_indexed_once(nca_index):
    assert len(nca_index) == 126
    assert nca_index.this_update == at(2022, 3, 29, 4, 18, 29)
    assert nca_index.next_update == at(2022, 9, 25, 4, 18, 29)
    assert nca_index.crl_number == 9
    entry = nca_index.lookup(REVOKED_SERIAL)
    assert entry is not None
    assert entry.revoked_at == at(2022, 1, 18, 4, 40, 24)
    assert entry.reason is x509.ReasonFlags.superseded
    assert nca_index.lookup(1) is None


def test_pem_bundle_of_crls(nca_rsa_test):
    pki = Pki.create()
    der = fixture("crl/nca_rsa_test.crl").read_bytes()
    bundle = x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM) + crl(
        issuer=pki.ca
    ).public_bytes(serialization.Encoding.PEM)

    loaded = load_crls(bundle)

    assert [len(c) for c in loaded] == [126, 0]


def test_unreadable_crl_names_the_file(tmp_path):
    broken = tmp_path / "broken.crl"
    broken.write_bytes(b"\x30\x03abc")

    with pytest.raises(ConfigurationError, match="broken.crl: not a readable CRL"):
        load_crls(broken)
    with pytest.raises(ConfigurationError, match="missing.crl: cannot read"):
        load_crls(tmp_path / "missing.crl")
    with pytest.raises(ConfigurationError, match="without an X509 CRL block"):
        load_crls(b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")


def test_tampered_crl_is_refused(nca_rsa_test):
    der = bytearray(fixture("crl/nca_rsa_test.crl").read_bytes())
    der[-1] ^= 0x01  # the last byte of the signature
    (tampered,) = load_crls(bytes(der))

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(tampered, issuers=[nca_rsa_test])


def test_crl_with_a_removed_entry_is_refused(nca_rsa_test):
    # dropping a revocation is the forgery that matters; the signature must catch it
    der = fixture("crl/nca_rsa_test.crl").read_bytes()
    serial = REVOKED_SERIAL.to_bytes(20, "big")
    assert serial in der
    forged = der.replace(serial, (REVOKED_SERIAL + 1).to_bytes(20, "big"))
    (loaded,) = load_crls(forged)

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(loaded, issuers=[nca_rsa_test])


def test_crl_of_an_unconfigured_ca_is_refused(root_rsa_test):
    (loaded,) = load_crls(fixture("crl/nca_rsa_test.crl"))

    with pytest.raises(ConfigurationError, match="is not a configured CA"):
        index_crl(loaded, issuers=[root_rsa_test])


def test_crl_signed_by_a_same_named_impostor_is_refused():
    pki, impostor = Pki.create(), Pki.create()

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(crl(issuer=impostor.ca), issuers=[pki.ca.certificate])


@pytest.mark.parametrize(
    "extension",
    [
        x509.DeltaCRLIndicator(1),
        x509.IssuingDistributionPoint(
            full_name=None,
            relative_name=None,
            only_contains_user_certs=False,
            only_contains_ca_certs=False,
            only_some_reasons=frozenset({x509.ReasonFlags.key_compromise}),
            indirect_crl=False,
            only_contains_attribute_certs=False,
        ),
    ],
    ids=["delta", "some-reasons"],
)
def test_partial_crls_are_refused(extension):
    pki = Pki.create()

    with pytest.raises(ConfigurationError, match="full CRL"):
        index_crl(crl(issuer=pki.ca, extensions=[extension]), issuers=[pki.ca.certificate])


def test_crl_without_next_update_is_refused():
    pki = Pki.create()

    (loaded,) = load_crls(crl_der(issuer=pki.ca, serials=(), revoked_at=NOW, next_update=None))

    with pytest.raises(ConfigurationError, match="no nextUpdate"):
        index_crl(loaded, issuers=[pki.ca.certificate])


# --- the NCA fixtures as of chosen moments --------------------------------------------------


def test_revoked_key_fails_while_the_crl_is_fresh(policy, nca_rsa_test):
    cert = p12_cert("keys/key_individual_sign_revoked_2004.p12")

    check = status(cert, policy, FRESH, issuers=[nca_rsa_test])

    assert check.outcome is Outcome.FAILED
    assert check.sub_indication is SubIndication.REVOKED
    assert "2022-01-18 04:40" in check.detail
    assert "superseded" in check.detail


def test_a_known_revocation_stands_even_once_the_crl_is_stale(policy):
    cert = p12_cert("keys/key_individual_sign_revoked_2004.p12")

    assert status(cert, policy, STALE).sub_indication is SubIndication.REVOKED


def test_signed_before_the_revocation(policy):
    cert = p12_cert("keys/key_individual_sign_revoked_2004.p12")

    check = status(cert, policy, at(2022, 1, 18, 4, 40, 0))

    assert check.outcome is Outcome.PASSED
    assert "revoked later" in check.detail


def test_unlisted_certificate_passes_on_a_fresh_crl(policy):
    cert = fixture_cert("keys/individual_valid_sign_2004_rsa_auth.cer")

    check = status(cert, policy, FRESH)

    assert check.outcome is Outcome.PASSED
    assert "not listed" in check.detail


def test_stale_crl_is_indeterminate_never_passed(policy):
    cert = fixture_cert("keys/individual_valid_sign_2004_rsa_auth.cer")

    check = status(cert, policy, STALE)

    assert check.outcome is Outcome.INDETERMINATE
    assert check.sub_indication is SubIndication.TRY_LATER
    assert "2022-09-25" in check.detail


def test_a_crl_issued_after_the_certificate_expired_proves_nothing(policy):
    # key_individual_valid_sign_2004 expired 2022-01-18; the CRL is of 2022-03-29
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")

    check = status(cert, policy, at(2021, 6, 1))

    assert check.outcome is Outcome.INDETERMINATE
    assert "postdates the certificate's expiry" in check.detail


def test_no_crl_for_the_issuer():
    cert = p12_cert("keys/key_individual_valid_sign_2004.p12")

    skipped = status(cert, TrustPolicy(), at(2021, 6, 1))
    required = status(cert, TrustPolicy(revocation_required=True), at(2021, 6, 1))

    assert skipped.outcome is Outcome.SKIPPED
    assert (required.outcome, required.sub_indication) == (
        Outcome.INDETERMINATE,
        SubIndication.TRY_LATER,
    )
    assert "ҰКО 3.0 (RSA TEST)" in required.detail


# --- generated ------------------------------------------------------------------------------


def test_a_hold_is_a_suspension_not_a_verdict():
    pki = Pki.create()
    signer = pki.individual().certificate
    listed = crl(
        issuer=pki.ca,
        revoked=[(signer.serial_number, at(2024, 3, 1), x509.ReasonFlags.certificate_hold)],
    )
    policy = pki.policy(crls=(index_crl(listed, issuers=[pki.ca.certificate]),))

    check = status(signer, policy, NOW, issuers=[pki.ca.certificate])

    assert check.outcome is Outcome.INDETERMINATE
    assert "certificateHold" in check.detail


def test_the_newest_crl_wins():
    pki = Pki.create()
    signer = pki.individual().certificate
    on_hold = crl(
        issuer=pki.ca,
        revoked=[(signer.serial_number, at(2024, 3, 1), x509.ReasonFlags.certificate_hold)],
        this_update=at(2024, 4, 1),
    )
    released = crl(issuer=pki.ca, this_update=at(2024, 5, 1))
    indexes = tuple(index_crl(c, issuers=[pki.ca.certificate]) for c in (released, on_hold))

    check = status(signer, pki.policy(crls=indexes), NOW, issuers=[pki.ca.certificate])

    assert check.outcome is Outcome.PASSED


def test_revoked_issuing_ca_fails_the_signer():
    pki = Pki.create()
    signer = pki.individual().certificate
    root_crl = crl(
        issuer=pki.root,
        revoked=[
            (pki.ca.certificate.serial_number, at(2024, 2, 1), x509.ReasonFlags.ca_compromise)
        ],
    )
    policy = pki.policy(crls=(index_crl(root_crl, issuers=[pki.root.certificate]),))

    check = status(signer, policy, NOW, issuers=[pki.ca.certificate, pki.root.certificate])

    assert check.outcome is Outcome.FAILED
    assert "issuing CA «ҰКО TEST (QUJAT)» was revoked" in check.detail
    assert "cACompromise" in check.detail


def test_crl_of_a_renewed_ca_does_not_speak_for_the_old_key():
    pki = Pki.create()
    renewed = issuing_ca(issuer=pki.root)  # same name, new key
    signer = pki.individual().certificate
    revoked_by_name = crl(issuer=renewed, revoked=[(signer.serial_number, at(2024, 2, 1), None)])
    policy = TrustPolicy(
        anchors=(pki.root.certificate,),
        intermediates=(pki.ca.certificate, renewed.certificate),
        crls=(index_crl(revoked_by_name, issuers=[renewed.certificate]),),
    )

    check = status(signer, policy, NOW, issuers=[pki.ca.certificate])

    assert check.outcome is Outcome.SKIPPED


def test_crl_limited_to_user_certificates_covers_the_signer():
    pki = Pki.create()
    signer = pki.individual().certificate
    user_only = crl(
        issuer=pki.ca,
        revoked=[(signer.serial_number, at(2024, 2, 1), x509.ReasonFlags.key_compromise)],
        extensions=[
            x509.IssuingDistributionPoint(
                full_name=None,
                relative_name=None,
                only_contains_user_certs=True,
                only_contains_ca_certs=False,
                only_some_reasons=None,
                indirect_crl=False,
                only_contains_attribute_certs=False,
            )
        ],
    )
    policy = pki.policy(crls=(index_crl(user_only, issuers=[pki.ca.certificate]),))

    assert status(signer, policy, NOW).sub_indication is SubIndication.REVOKED


def test_partitioned_crl_does_not_speak_for_certificates_outside_its_partition():
    pki = Pki.create()
    signer = pki.individual().certificate  # carries no cRLDistributionPoints
    partition = crl(
        issuer=pki.ca,
        extensions=[
            x509.IssuingDistributionPoint(
                full_name=[x509.UniformResourceIdentifier("http://crl.invalid/part1.crl")],
                relative_name=None,
                only_contains_user_certs=False,
                only_contains_ca_certs=False,
                only_some_reasons=None,
                indirect_crl=False,
                only_contains_attribute_certs=False,
            )
        ],
    )
    policy = pki.policy(
        crls=(index_crl(partition, issuers=[pki.ca.certificate]),), revocation_required=True
    )

    assert status(signer, policy, NOW).outcome is Outcome.INDETERMINATE


def test_a_hundred_thousand_serials_are_answered_by_key_not_by_scan(monkeypatch):
    pki = Pki.create()
    der = crl_der(issuer=pki.ca, serials=range(1, 100_001), revoked_at=at(2024, 2, 1))
    (loaded,) = load_crls(der)
    index = index_crl(loaded, issuers=[pki.ca.certificate])
    policy = pki.policy(crls=(index,))
    last = pki.individual(serial_number=100_000).certificate
    absent = pki.individual(serial_number=100_001).certificate
    # every DER element the lookups read is counted: a scan would read 200,000
    read = []
    tlv = crlindex._tlv
    monkeypatch.setattr(crlindex, "_tlv", lambda *a: read.append(1) or tlv(*a))

    assert len(index) == 100_000
    assert index.lookup(1) is not None and index.lookup(50_000) is not None
    assert status(last, policy, NOW).sub_indication is SubIndication.REVOKED
    assert status(absent, policy, NOW).outcome is Outcome.PASSED
    assert len(read) < 200
