"""GOST-signed CRLs: verified like RSA ones, refused when their signature does not hold.

The NCA fixture CRL of «ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022» (openssl crl -inform
DER -text): thisUpdate 2022-07-27 11:26:06, nextUpdate 2023-01-23 11:26:06, CRL number 4,
six entries: five on hold (certificateHold) and 0FD51BA7059261AE60CC621F316DB4EF0EF4BA14
revoked 2022-07-27 10:13:19 for keyCompromise. It is four years older than the keys in
keys/gost2015 (issued 2026-05-08), so it cannot list individual_revoked.p12: the revoked
GOST key is tested with GOST CRLs we sign ourselves (and in tests/qujat_demo/pki with the
demo PKI's).
"""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa

from app.xmlsig.errors import ConfigurationError
from app.xmlsig.names import tolerant_names
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CheckCode, Outcome, SubIndication
from app.xmlsig.revocation import check_revocation, index_crl, load_crls
from app.xmlsig.trust_store import load_policy
from tests.xmlsig.certbuilder import NOW, at, fixture, fixture_cert, keyinfo_certs
from tests.xmlsig.gostpki import (
    GOST_CA,
    GOST_CRL,
    GOST_ROOT,
    GostPki,
    Revocation,
    gost_container,
    nca_gost_policy,
    sub_ca,
)

COMPROMISED = 0x0FD51BA7059261AE60CC621F316DB4EF0EF4BA14
FRESH = at(2022, 10, 1)  # the GOST CRL is current; the Kalkan GOST signer is valid
IN_2026 = at(2026, 6, 1)


@pytest.fixture(scope="module")
def gost_index():
    (loaded,) = load_crls(fixture(GOST_CRL))
    return index_crl(loaded, issuers=[fixture_cert(GOST_ROOT), fixture_cert(GOST_CA)],
                     label="fixture")


@pytest.fixture(scope="module")
def policy(gost_index) -> TrustPolicy:
    return nca_gost_policy(crls=(gost_index,))


def status(cert, policy, when, *, issuers=()):
    check = check_revocation((cert, *issuers), policy=policy, at=when)
    assert check.code is CheckCode.REVOCATION
    return check


# --- the NCA's GOST CRL ---------------------------------------------------------------------


def test_the_fixture_gost_crl_verifies_and_is_indexed(gost_index):
    assert gost_index.issuer_certificate == fixture_cert(GOST_CA)
    assert len(gost_index) == 6
    assert gost_index.crl_number == 4
    assert gost_index.this_update == at(2022, 7, 27, 11, 26, 6)
    assert gost_index.next_update == at(2023, 1, 23, 11, 26, 6)
    entry = gost_index.lookup(COMPROMISED)
    assert entry is not None and entry.reason is x509.ReasonFlags.key_compromise
    holds = [e for e in gost_index.entries
             if e.reason is x509.ReasonFlags.certificate_hold]
    assert len(holds) == 5


def test_the_stale_gost_crl_makes_the_verdict_indeterminate(policy):
    _, cert = gost_container("individual_valid")

    check = status(cert, policy, IN_2026, issuers=[fixture_cert(GOST_CA)])

    assert (check.outcome, check.sub_indication) == (Outcome.INDETERMINATE,
                                                      SubIndication.TRY_LATER)
    assert "2023-01-23" in check.detail


def test_the_kalkan_gost_signer_is_not_listed_while_the_crl_is_fresh(policy):
    _, signer = keyinfo_certs("signed/kalkan_rsa_gost_two_signers.xml")

    check = status(signer, policy, FRESH, issuers=[fixture_cert(GOST_CA)])

    assert check.outcome is Outcome.PASSED
    assert "not listed" in check.detail


def test_the_fixture_crl_predates_the_revoked_fixture_key(gost_index):
    _, revoked = gost_container("individual_revoked")

    assert gost_index.lookup(revoked.serial_number) is None
    assert gost_index.next_update < revoked.not_valid_before_utc


def test_a_gost_crl_with_a_broken_signature_is_refused():
    data = bytearray(fixture(GOST_CRL).read_bytes())
    data[-1] ^= 0x01  # the last byte of the signature
    (tampered,) = load_crls(bytes(data))

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(tampered, issuers=[fixture_cert(GOST_CA)])


def test_a_gost_crl_with_a_changed_entry_is_refused():
    data = fixture(GOST_CRL).read_bytes()
    serial = COMPROMISED.to_bytes(20, "big")
    assert serial in data
    (forged,) = load_crls(data.replace(serial, (COMPROMISED + 1).to_bytes(20, "big")))

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(forged, issuers=[fixture_cert(GOST_CA)])


def test_a_broken_gost_crl_stops_the_trust_store(tmp_path):
    data = bytearray(fixture(GOST_CRL).read_bytes())
    data[-1] ^= 0x01
    broken = tmp_path / "gost.crl"
    broken.write_bytes(bytes(data))

    with pytest.raises(ConfigurationError, match="gost.crl: the signature does not verify"):
        load_policy(anchors=[fixture(GOST_ROOT)], intermediates=[fixture(GOST_CA)],
                    crls=[broken])
    assert len(load_policy(anchors=[fixture(GOST_ROOT)], intermediates=[fixture(GOST_CA)],
                           crls=[fixture(GOST_CRL)]).crls) == 1


def test_an_rsa_ca_under_the_gost_name_cannot_vouch_for_the_gost_crl():
    gost_ca = fixture_cert(GOST_CA)
    key = rsa.generate_private_key(65537, 2048)
    with tolerant_names():
        impostor = (x509.CertificateBuilder().subject_name(gost_ca.subject)
                    .issuer_name(gost_ca.issuer).public_key(key.public_key())
                    .serial_number(1).not_valid_before(gost_ca.not_valid_before_utc)
                    .not_valid_after(gost_ca.not_valid_after_utc)
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .sign(key, hashes.SHA256()))

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(load_crls(fixture(GOST_CRL))[0], issuers=[impostor])


# --- GOST CRLs we sign ourselves ------------------------------------------------------------


@pytest.fixture(scope="module")
def gost_pki() -> GostPki:
    return GostPki.create()


def test_a_revoked_gost_key_fails_while_the_crl_is_fresh(gost_pki):
    _, cert = gost_pki.leaf()
    listed = gost_pki.crl([Revocation(cert.serial_number, at(2024, 3, 1))])
    policy = gost_pki.policy(crls=(index_crl(listed, issuers=[gost_pki.ca.certificate]),))

    check = status(cert, policy, NOW, issuers=[gost_pki.ca.certificate])

    assert (check.outcome, check.sub_indication) == (Outcome.FAILED, SubIndication.REVOKED)
    assert "keyCompromise" in check.detail
    # signed before the revocation, the signature stands
    assert status(cert, policy, at(2024, 2, 1)).outcome is Outcome.PASSED


def test_a_revoked_gost_issuing_ca_fails_the_signer(gost_pki):
    _, cert = gost_pki.leaf()
    root_crl = gost_pki.crl(
        [Revocation(gost_pki.ca.certificate.serial_number, at(2024, 2, 1),
                    x509.ReasonFlags.ca_compromise)],
        issuer=gost_pki.root,
    )
    policy = gost_pki.policy(crls=(index_crl(root_crl, issuers=[gost_pki.root.certificate]),))

    check = status(cert, policy, NOW,
                   issuers=[gost_pki.ca.certificate, gost_pki.root.certificate])

    assert check.outcome is Outcome.FAILED
    assert "issuing CA «ҰКО GOST TEST (QUJAT)» was revoked" in check.detail


def test_a_crl_of_a_renewed_gost_ca_does_not_speak_for_the_old_key(gost_pki):
    renewed = sub_ca(gost_pki.root, name="ҰКО GOST TEST (QUJAT)")  # same name, new key
    _, cert = gost_pki.leaf()
    by_name = gost_pki.crl([Revocation(cert.serial_number, at(2024, 2, 1))], issuer=renewed)
    policy = TrustPolicy(
        anchors=(gost_pki.root.certificate,),
        intermediates=(gost_pki.ca.certificate, renewed.certificate),
        crls=(index_crl(by_name, issuers=[renewed.certificate]),),
    )

    check = status(cert, policy, NOW, issuers=[gost_pki.ca.certificate])

    assert check.outcome is Outcome.SKIPPED


def test_a_gost_crl_signed_by_a_same_named_impostor_is_refused(gost_pki):
    impostor = GostPki.create()

    with pytest.raises(ConfigurationError, match="does not verify"):
        index_crl(impostor.crl(), issuers=[gost_pki.ca.certificate])
