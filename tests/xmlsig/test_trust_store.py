"""load_policy: what we trust, read from files, refused with the file's name when wrong."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization

from app.xmlsig.errors import ConfigurationError
from app.xmlsig.revocation import RevocationIndex
from app.xmlsig.trust_store import load_certificates, load_policy
from tests.xmlsig.certbuilder import Pki, crl, der, fixture, fixture_cert, legacy_root, pem


def test_nca_test_trust_store_from_files():
    policy = load_policy(
        anchors=[fixture("ca/root_rsa_test.pem")],
        intermediates=[fixture("ca/nca_rsa_test.pem")],
        crls=[fixture("crl/nca_rsa_test.crl")],
        revocation_required=True,
    )

    assert policy.anchors == (fixture_cert("ca/root_rsa_test.pem"),)
    assert policy.intermediates == (fixture_cert("ca/nca_rsa_test.pem"),)
    (index,) = policy.crls
    assert isinstance(index, RevocationIndex)
    assert len(index) == 126
    assert index.source.endswith("nca_rsa_test.crl")
    assert policy.revocation_required is True


def test_gost_and_rsa_anchors_load_side_by_side():
    policy = load_policy(
        anchors=[fixture("ca/root_test_gost_2022.pem"), fixture("ca/root_rsa_test.pem")],
        intermediates=[fixture("ca/nca_gost2022_test.pem")],
    )

    assert len(policy.anchors) == 2


def test_der_bytes_and_multi_certificate_pem_bundles():
    pki, other = Pki.create(), Pki.create(root_name="НЕГІЗГІ КО TEST 2 (QUJAT)")

    policy = load_policy(
        anchors=[der(pki.root.certificate), pem(other.root.certificate, pki.root.certificate)],
        intermediates=[pem(pki.ca.certificate, other.ca.certificate)],
        crls=[der_crl(pki)],
    )

    # the root given twice is kept once
    assert policy.anchors == (pki.root.certificate, other.root.certificate)
    assert policy.intermediates == (pki.ca.certificate, other.ca.certificate)
    assert len(policy.crls) == 1


def test_an_issuing_ca_is_refused_as_anchor():
    with pytest.raises(ConfigurationError) as refused:
        load_policy(anchors=[fixture("ca/nca_rsa_test.pem")])

    message = str(refused.value)
    assert "nca_rsa_test.pem" in message
    assert "not self-signed" in message
    assert "never a trust anchor" in message


def test_a_root_signed_with_sha1_is_refused_naming_its_algorithm():
    with pytest.raises(ConfigurationError) as refused:
        load_policy(anchors=[der(legacy_root("sha1_rsa"))])

    message = str(refused.value)
    assert "the root's signature algorithm sha1WithRSAEncryption is not accepted" in message
    assert "not self-signed" not in message


def test_a_root_is_refused_as_intermediate():
    with pytest.raises(ConfigurationError, match="root_rsa.pem.*self-signed root"):
        load_policy(
            anchors=[fixture("ca/root_rsa_test.pem")], intermediates=[fixture("ca/root_rsa.pem")]
        )


def test_a_signer_certificate_is_refused_as_intermediate():
    with pytest.raises(ConfigurationError, match="rsa_auth.cer.*is not a CA"):
        load_policy(
            anchors=[fixture("ca/root_rsa_test.pem")],
            intermediates=[fixture("keys/individual_valid_sign_2004_rsa_auth.cer")],
        )


def test_no_anchor_is_refused():
    with pytest.raises(ConfigurationError, match="no trust anchor"):
        load_policy(anchors=[])


def test_unreadable_files_are_named(tmp_path):
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    text = tmp_path / "notes.txt"
    text.write_bytes(b"hello")

    with pytest.raises(ConfigurationError, match="garbage.pem: not a readable certificate"):
        load_policy(anchors=[garbage])
    with pytest.raises(ConfigurationError, match="notes.txt: not a readable certificate"):
        load_policy(anchors=[text])
    with pytest.raises(ConfigurationError, match="absent.pem: cannot read"):
        load_policy(anchors=[tmp_path / "absent.pem"])
    with pytest.raises(ConfigurationError, match="trust anchor #2"):
        load_policy(anchors=[fixture("ca/root_rsa_test.pem").read_bytes(), b"junk"])


def test_a_tampered_crl_stops_the_load(tmp_path):
    data = bytearray(fixture("crl/nca_rsa_test.crl").read_bytes())
    data[-1] ^= 0x01
    tampered = tmp_path / "nca_rsa_test.crl"
    tampered.write_bytes(bytes(data))

    with pytest.raises(ConfigurationError, match="nca_rsa_test.crl: the signature does not verify"):
        load_policy(
            anchors=[fixture("ca/root_rsa_test.pem")],
            intermediates=[fixture("ca/nca_rsa_test.pem")],
            crls=[tampered],
        )


def test_a_crl_of_an_unconfigured_ca_stops_the_load():
    with pytest.raises(ConfigurationError, match="is not a configured CA"):
        load_policy(
            anchors=[fixture("ca/root_rsa_test.pem")], crls=[fixture("crl/nca_rsa_test.crl")]
        )


def test_a_single_path_instead_of_a_list_is_a_programming_error():
    with pytest.raises(TypeError, match="list"):
        load_policy(anchors=str(fixture("ca/root_rsa_test.pem")))


def test_load_certificates_reads_pem_and_der():
    root = fixture_cert("ca/root_rsa_test.pem")

    assert load_certificates(fixture("ca/root_rsa_test.pem")) == (root,)
    assert load_certificates(der(root)) == (root,)


def der_crl(pki: Pki) -> bytes:
    return crl(issuer=pki.ca).public_bytes(serialization.Encoding.DER)
