"""The demo PKI's GOST 34.10-2015 family: shaped like the NCA's GOST fixtures, signed with
GOST, read back by cryptography (which parses what it cannot sign), by the verifier's own
PKCS#12 loader and by the chain and CRL checks.

As in test_hierarchy.py, the expectations are written out here, not imported from qujat_demo.pki.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.xmlsig.certificates import check_certificate
from app.xmlsig.chain import is_self_signed, signed_by
from app.xmlsig.gost import GostPrivateKey, public_key_from_certificate
from app.xmlsig.keys import load_pkcs12
from app.xmlsig.report import CheckCode, Indication, Outcome, SubIndication
from app.xmlsig.revocation import index_crl, load_crls
from app.xmlsig.signer import sign_enveloped
from app.xmlsig.trust_store import load_policy
from app.xmlsig.verifier import verify_bytes
from qujat_demo.pki import DemoPki, KeyPurpose, PkiError, init_demo_pki, load_demo_pki
from qujat_demo.pki.templates import key_identifier

NOW = datetime.now(UTC).replace(microsecond=0)
GOST_SIGNATURE = "1.2.398.3.10.1.1.2.3.2"
GOST_KEY = "1.2.398.3.10.1.1.2.2"
EMAIL = ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string
INDIVIDUAL = "1.2.398.3.3.4.1.1"
LEGAL = "1.2.398.3.3.4.1.2"

#: role -> (issuing CA, extended key usage in order, certificate policy, RSA twin)
EXPECTED_GOST_KEYS = {
    "gost_individual_sign": ("citizen", [EMAIL, INDIVIDUAL], "1.2.398.3.3.2", "individual_sign"),
    "gost_individual_revoked_sign": (
        "citizen", [EMAIL, INDIVIDUAL], "1.2.398.3.3.2", "individual_revoked_sign"),
    "gost_legal_head_sign": (
        "citizen", [EMAIL, LEGAL, f"{LEGAL}.1"], "1.2.398.3.3.2", "legal_head_sign"),
    "gost_legal_signer_sign": (
        "citizen", [EMAIL, LEGAL, f"{LEGAL}.2"], "1.2.398.3.3.2", "legal_signer_sign"),
    "gost_legal_employee_sign": (
        "citizen", [EMAIL, LEGAL, f"{LEGAL}.5"], "1.2.398.3.3.2", "legal_employee_sign"),
    "gost_official_sign": ("state", [EMAIL, LEGAL, f"{LEGAL}.2"], "1.2.398.3.2.2", "official_sign"),
    "gost_system_sign": ("state", [EMAIL, LEGAL, f"{LEGAL}.6"], "1.2.398.3.2.2", "system_sign"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> DemoPki:
    return init_demo_pki(tmp_path_factory.mktemp("pki"), now=NOW)


@pytest.fixture(scope="module")
def policy(demo):
    return load_policy(anchors=demo.anchors, intermediates=demo.intermediates, crls=demo.crls)


def cert_at(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def ext(cert, kind):
    return cert.extensions.get_extension_for_class(kind)


def chain_of(demo: DemoPki, ca: str) -> tuple[x509.Certificate, x509.Certificate]:
    return cert_at(getattr(demo, f"gost_{ca}_root")), cert_at(getattr(demo, f"gost_{ca}_ca"))


# --- CA certificates ----------------------------------------------------------------------


@pytest.mark.parametrize("ca", ["citizen", "state"])
def test_gost_ca_chain(demo, ca):
    root, issuing = chain_of(demo, ca)

    assert is_self_signed(root)
    assert signed_by(issuing, root) and not signed_by(issuing, issuing)
    for cert, path_length in ((root, 1), (issuing, 0)):
        assert cert.signature_algorithm_oid.dotted_string == GOST_SIGNATURE
        assert cert.public_key_algorithm_oid.dotted_string == GOST_KEY
        constraints = ext(cert, x509.BasicConstraints)
        assert constraints.critical and constraints.value.ca
        assert constraints.value.path_length == path_length
        usage = ext(cert, x509.KeyUsage)
        assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
        assert cert.not_valid_before_utc == NOW - timedelta(days=1)
    aki = ext(issuing, x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ext(root, x509.SubjectKeyIdentifier).value.digest
    assert aki.authority_cert_serial_number == root.serial_number
    (point,) = ext(issuing, x509.CRLDistributionPoints).value
    assert point.full_name[0].value == f"http://demo.invalid/crl/gost_{ca}_root.crl"


def test_gost_ca_names(demo):
    names = [cert_at(getattr(demo, f)).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0]
             .value for f in ("gost_citizen_root", "gost_citizen_ca", "gost_state_ca")]
    assert names == ["НЕГІЗГІ КО (GOST) DEMO", "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) DEMO",
                     "МЕМЛЕКЕТТІК ОРГАНДАРДЫҢ КО (GOST) DEMO"]


# --- holders' keys ------------------------------------------------------------------------


def test_every_gost_key_is_there(demo):
    assert {r for r in demo.keys if r.startswith("gost_")} == set(EXPECTED_GOST_KEYS)
    assert [r for r, e in demo.keys.items() if e.revoked] == [
        "individual_revoked_sign", "gost_individual_revoked_sign"]


@pytest.mark.parametrize("role", sorted(EXPECTED_GOST_KEYS))
def test_gost_key_certificate(demo, role):
    ca, eku, policy_oid, twin = EXPECTED_GOST_KEYS[role]
    root, issuing = chain_of(demo, ca)
    entry = demo.keys[role]

    # the verifier's own loader reads the container, as it reads Kalkan's
    key = load_pkcs12(entry.path.read_bytes(), demo.password)
    assert demo.signing_key(role).certificate == key.certificate
    cert = key.certificate
    assert isinstance(key.private_key, GostPrivateKey)
    assert key.private_key.public_key() == public_key_from_certificate(cert)
    assert key.chain == (issuing, root)
    assert signed_by(cert, issuing)

    usage = ext(cert, x509.KeyUsage)
    assert usage.critical
    # as the NCA's 2026 GOST keys: one key signs and logs in
    assert usage.value.digital_signature and usage.value.content_commitment
    assert usage.value.key_agreement
    assert not usage.value.key_encipherment and not usage.value.key_cert_sign
    assert [o.dotted_string for o in ext(cert, x509.ExtendedKeyUsage).value] == eku
    (info,) = ext(cert, x509.CertificatePolicies).value
    assert info.policy_identifier.dotted_string == policy_oid
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert (ext(cert, x509.AuthorityKeyIdentifier).value.key_identifier
            == ext(issuing, x509.SubjectKeyIdentifier).value.digest)

    # the same holder as the RSA twin, in the same subject layout
    rsa_subject = demo.open_key(twin).cert.certificate.subject
    assert cert.subject == rsa_subject
    assert entry.purpose is KeyPurpose.SIGN_AND_AUTH
    assert entry.algorithm == "GOST-34.10-2015-512"
    assert f"{cert.serial_number:X}" == entry.serial_number
    assert entry.iin == demo.keys[twin].iin and entry.bin == demo.keys[twin].bin


def test_gost_container_opens_with_openssl_legacy(demo):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    result = subprocess.run(
        [openssl, "pkcs12", "-legacy", "-nokeys", "-in", str(demo.keys["gost_system_sign"].path),
         "-passin", f"pass:{demo.password}"], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(b"BEGIN CERTIFICATE") == 3


def test_open_key_refuses_gost_and_points_to_signing_key(demo):
    with pytest.raises(PkiError, match="signing_key"):
        demo.open_key("gost_individual_sign")


# --- the verifier meets the GOST family ---------------------------------------------------


def test_every_gost_key_passes_the_certificate_checks_but_the_revoked_one(demo, policy):
    for role in EXPECTED_GOST_KEYS:
        checks = {c.code: c for c in check_certificate(demo.signing_key(role).certificate,
                                                        policy=policy, at=NOW)}
        assert checks[CheckCode.CERTIFICATE_CHAIN].outcome is Outcome.PASSED, role
        assert "(GOST) DEMO" in checks[CheckCode.CERTIFICATE_CHAIN].detail
        assert checks[CheckCode.KEY_PURPOSE].outcome is Outcome.PASSED, role
        revocation = checks[CheckCode.REVOCATION]
        if role == "gost_individual_revoked_sign":
            assert revocation.sub_indication is SubIndication.REVOKED
            assert "keyCompromise" in revocation.detail
        else:
            assert revocation.outcome is Outcome.PASSED, (role, revocation.detail)


def test_the_gost_crl_is_gost_signed_and_lists_the_revoked_key(demo):
    issuing = cert_at(demo.gost_citizen_ca)
    (crl,) = load_crls(demo.gost_citizen_crl)
    assert crl.signature_algorithm_oid.dotted_string == GOST_SIGNATURE

    index = index_crl(crl, issuers=[issuing])

    revoked = demo.signing_key("gost_individual_revoked_sign").certificate
    assert [e.serial_number for e in index.entries] == [revoked.serial_number]
    assert index.this_update <= NOW < index.next_update
    for field, issuer in (("gost_state_crl", "gost_state_ca"),
                          ("gost_citizen_root_crl", "gost_citizen_root"),
                          ("gost_state_root_crl", "gost_state_root")):
        (other,) = load_crls(getattr(demo, field))
        assert len(index_crl(other, issuers=[cert_at(getattr(demo, issuer))])) == 0


def test_a_document_signed_with_the_gost_system_key_verifies(demo, policy):
    signed = sign_enveloped(b"<mark><status>registered</status></mark>",
                            demo.signing_key("gost_system_sign"))

    report = verify_bytes(signed, policy=policy, at=NOW).report

    assert report.indication is Indication.PASSED, report.to_dict()
    assert report.signer.bin == demo.keys["gost_system_sign"].bin


# --- files and manifest -------------------------------------------------------------------


def test_trust_paths_cover_both_families(demo):
    assert demo.anchors == (demo.citizen_root, demo.state_root, demo.gost_citizen_root,
                            demo.gost_state_root)
    assert len(demo.intermediates) == 4 and len(demo.crls) == 8
    assert demo.gost_citizen_crl.name == "gost_citizen_ca.crl"
    assert load_demo_pki(demo.directory) == demo


def test_an_rsa_only_directory_loads_without_gost_files(tmp_path):
    written = init_demo_pki(tmp_path, gost=None)

    loaded = load_demo_pki(tmp_path)

    assert loaded == written
    assert loaded.gost_citizen_root is None
    assert loaded.anchors == (loaded.citizen_root, loaded.state_root)
    assert not any(role.startswith("gost_") for role in loaded.keys)


def test_key_identifier_is_cryptographys_for_rsa():
    public = rsa.generate_private_key(65537, 2048).public_key()
    spki = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    assert key_identifier(spki) == x509.SubjectKeyIdentifier.from_public_key(public).digest
