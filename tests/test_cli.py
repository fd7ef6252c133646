"""The console commands a user types: verify with its exit codes, the portal simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from app.cli import cli
from tests.xmlsig.certbuilder import FIXTURES

CA = FIXTURES / "ca"
KALKAN = FIXTURES / "signed" / "kalkan_rsa_signed.xml"
RSA_CHAIN = ["--trust-anchor", str(CA / "root_rsa_test.pem"),
             "--intermediate", str(CA / "nca_rsa_test.pem")]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def verdict(result) -> str:
    """The verdict the first line of `verify` gives: "PASSED" or "FAILED / HASH_FAILURE"."""
    return result.output.splitlines()[0].split(": ", 1)[1]


def test_the_kalkan_sample_passes_as_of_2021(tmp_path):
    result = run("verify", str(KALKAN), "--at", "2021-06-01", *RSA_CHAIN)

    assert result.exit_code == 0, result.output
    assert verdict(result) == "PASSED" and "IIN 123456789011" in result.output


def test_the_kalkan_sample_changed_by_one_letter_fails(tmp_path):
    changed = tmp_path / "changed.xml"
    changed.write_bytes(KALKAN.read_bytes().replace(b"<b>test</b>", b"<b>tost</b>"))

    result = run("verify", str(changed), "--at", "2021-06-01", *RSA_CHAIN)

    assert result.exit_code == 1
    assert verdict(result) == "FAILED / HASH_FAILURE"


def test_several_files_get_a_verdict_line_each_and_the_worst_exit_code(tmp_path):
    changed = tmp_path / "changed.xml"
    changed.write_bytes(KALKAN.read_bytes().replace(b"<b>test</b>", b"<b>tost</b>"))

    result = run("verify", str(KALKAN), str(changed), "--at", "2021-06-01", *RSA_CHAIN)

    assert result.output.splitlines() == [f"{KALKAN}: PASSED",
                                          f"{changed}: FAILED / HASH_FAILURE"]
    assert result.exit_code == 1


def test_several_files_as_json_lines_name_their_file(tmp_path):
    result = run("verify", str(KALKAN), str(KALKAN), "--at", "2021-06-01", "--json",
                 *RSA_CHAIN)

    reports = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["file"], r["indication"]) for r in reports] == [(str(KALKAN), "PASSED")] * 2
    assert result.exit_code == 0


def test_the_console_script_verifies_without_building_the_application(tmp_path):
    # a fresh interpreter, as the shell runs `qujat verify`: Flask is never imported
    script = ("import sys\n"
              "from app.console import main\n"
              "try:\n"
              f"    main({['verify', str(KALKAN), '--at', '2021-06-01', *RSA_CHAIN]!r})\n"
              "except SystemExit as exit:\n"
              "    print('exit', exit.code, 'flask' in sys.modules, 'sqlalchemy' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)

    assert done.stdout.splitlines()[0] == f"{KALKAN}: PASSED", done.stderr
    assert done.stdout.splitlines()[-1] == "exit 0 False False"


def test_an_issuing_ca_given_as_trust_anchor_is_refused_as_configuration(tmp_path):
    result = run("verify", str(KALKAN), "--at", "2021-06-01",
                 "--trust-anchor", str(CA / "nca_rsa_test.pem"))

    assert result.exit_code == 3
    assert "never a trust anchor" in result.output


def test_the_kalkan_sample_without_its_issuing_ca_fails(tmp_path):
    result = run("verify", str(KALKAN), "--at", "2021-06-01",
                 "--trust-anchor", str(CA / "root_rsa_test.pem"))

    assert result.exit_code == 1
    assert verdict(result) == "FAILED / NO_CERTIFICATE_CHAIN_FOUND"


def _sign_with_fixture_key(tmp_path, key_file: str):
    xml = tmp_path / "unsigned.xml"
    xml.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?><doc><text>Test</text></doc>')
    signed = tmp_path / "signed.xml"
    result = run("portal", "sign", str(xml), "--key", str(FIXTURES / "keys" / key_file),
                 "--password", "Qwerty12", "-o", str(signed))
    assert result.exit_code == 0, result.output
    return signed


def test_a_document_signed_with_the_fixtures_authentication_key_fails(tmp_path):
    signed = _sign_with_fixture_key(tmp_path, "key_individual_auth_revoked_2004.p12")

    # while the certificate is valid, so the key's purpose alone fails it
    result = run("verify", str(signed), "--at", "2022-06-01", *RSA_CHAIN)

    assert result.exit_code == 1
    assert verdict(result) == "FAILED / SIG_CONSTRAINTS_FAILURE"
    assert "✗ key_purpose failed: an authentication key" in result.output


def test_a_document_signed_with_the_fixtures_revoked_key_fails(tmp_path):
    signed = _sign_with_fixture_key(tmp_path, "key_individual_sign_revoked_2004.p12")

    result = run("verify", str(signed), "--at", "2022-01-19", *RSA_CHAIN,
                 "--crl", str(FIXTURES / "crl" / "nca_rsa_test.crl"))

    assert result.exit_code == 1, result.output
    assert verdict(result) == "FAILED / REVOKED"
    assert "✗ revocation failed: revoked on 2022-01-18" in result.output


def test_a_stale_crl_makes_the_verdict_indeterminate(tmp_path):
    signed = _sign_with_fixture_key(tmp_path, "key_individual_valid_sign_2004.p12")

    result = run("verify", str(signed), "--at", "2021-12-01", *RSA_CHAIN,
                 "--crl", str(FIXTURES / "crl" / "nca_rsa_test.crl"))

    assert result.exit_code == 2, result.output
    assert verdict(result) == "INDETERMINATE / TRY_LATER"
    assert "? revocation indeterminate" in result.output


def test_not_xml_is_a_failed_verdict_not_a_crash(tmp_path):
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"\x00\x01 not xml")

    result = run("verify", str(junk), *RSA_CHAIN)

    assert result.exit_code == 1
    assert verdict(result) == "FAILED / FORMAT_FAILURE"


def test_the_portal_builds_an_unsigned_schema_valid_document_of_every_kind(tmp_path):
    from app.formats import schemas
    from qujat_demo.samples import SAMPLE_KINDS

    for kind in SAMPLE_KINDS:
        out = tmp_path / f"{kind}.xml"
        result = run("portal", "build", kind, "--unsigned", "-o", str(out))
        assert result.exit_code == 0, result.output
        schemas.validate(etree.fromstring(out.read_bytes()))


def test_the_portal_signs_with_a_demo_key_and_the_signature_passes(tmp_path, pki):
    out = tmp_path / "appeal.xml"
    result = run("portal", "build", "appeal", "--key", str(pki.keys["individual_sign"].path),
                 "--password", pki.password, "-o", str(out))
    assert result.exit_code == 0, result.output

    verdict = run("verify", str(out), "--trust-anchor", str(pki.citizen_root),
                  "--intermediate", str(pki.citizen_ca), "--crl", str(pki.citizen_crl))
    assert verdict.exit_code == 0, verdict.output
    assert pki.keys["individual_sign"].iin in verdict.output


def test_help_without_a_configuration_says_why_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUJAT_")}
    done = subprocess.run([str(Path(sys.executable).with_name("qujat")), "--help"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)

    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert "no trust anchor configured" in done.stderr
    assert "verify" in done.stdout and "init-db" in done.stdout
    # nothing but that line before the help: no library's chatter (Alembic's plugins)
    assert "setup plugin" not in done.stdout + done.stderr
