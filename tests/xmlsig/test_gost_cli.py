"""``qujat verify`` on GOST documents: the same options and exit codes as for RSA
(0 PASSED, 1 FAILED, 2 INDETERMINATE, 3 unusable trust configuration)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.xmlsig.keys import load_pkcs12
from app.xmlsig.signer import sign_enveloped
from tests.xmlsig.certbuilder import FIXTURES, NCA_PASSWORD

CA = FIXTURES / "ca"
GOST_CRL = FIXTURES / "crl" / "nca_gost2022_test.crl"
TWO_SIGNERS = FIXTURES / "signed" / "kalkan_rsa_gost_two_signers.xml"
GOST_CHAIN = ["--trust-anchor", str(CA / "root_test_gost_2022.pem"),
              "--intermediate", str(CA / "nca_gost2022_test.pem")]
RSA_CHAIN = ["--trust-anchor", str(CA / "root_rsa_test.pem"),
             "--intermediate", str(CA / "nca_rsa_test.pem")]
IN_2026 = "2026-06-01"  # inside the keys/gost2015 certificates' validity


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def gost_signed(tmp_path_factory):
    key = load_pkcs12((FIXTURES / "keys" / "gost2015" / "legal_head_valid.p12").read_bytes(),
                      NCA_PASSWORD)
    path = tmp_path_factory.mktemp("gost") / "signed.xml"
    path.write_bytes(sign_enveloped(b"<doc><text>\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82</text></doc>",
                                    key))
    return path


def test_a_gost_signed_document_passes(gost_signed):
    result = run("verify", str(gost_signed), "--at", IN_2026, *GOST_CHAIN)

    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output and "GOST" in result.output
    assert "BIN 123456789021" in result.output
    assert "(GOST) TEST 2022" in result.output


def test_the_stale_gost_crl_makes_it_indeterminate(gost_signed):
    result = run("verify", str(gost_signed), "--at", IN_2026, *GOST_CHAIN,
                 "--crl", str(GOST_CRL))

    assert result.exit_code == 2, result.output
    assert "TRY_LATER" in result.output


def test_a_gost_document_against_an_rsa_only_anchor_fails(gost_signed):
    result = run("verify", str(gost_signed), "--at", IN_2026, *RSA_CHAIN)

    assert result.exit_code == 1
    assert "NO_CERTIFICATE_CHAIN_FOUND" in result.output


def test_a_moment_outside_the_gost_certificate_fails(gost_signed):
    result = run("verify", str(gost_signed), "--at", "2027-06-01", *GOST_CHAIN)

    assert result.exit_code == 1
    assert "EXPIRED" in result.output


def test_a_gost_crl_with_a_broken_signature_is_a_configuration_error(gost_signed, tmp_path):
    broken = tmp_path / "broken.crl"
    data = bytearray(GOST_CRL.read_bytes())
    data[-1] ^= 0x01
    broken.write_bytes(bytes(data))

    result = run("verify", str(gost_signed), "--at", IN_2026, *GOST_CHAIN, "--crl", str(broken))

    assert result.exit_code == 3
    assert "does not verify" in result.output


def test_kalkan_two_signers_with_both_chains_as_of_2022(tmp_path):
    result = run("verify", str(TWO_SIGNERS), "--at", "2022-10-01", *GOST_CHAIN, *RSA_CHAIN,
                 "--crl", str(GOST_CRL), "--json")

    # the GOST signature and its chain pass; the RSA signer's certificate had expired
    assert result.exit_code == 1, result.output
    assert '"sub_indication": "EXPIRED"' in result.output
    assert result.output.count('"indication": "PASSED"') == 1
