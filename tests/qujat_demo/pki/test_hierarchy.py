"""The demo PKI: issued once per module, then read back with cryptography only.

The expectations are written out here rather than imported from qujat_demo.pki, so a wrong OID
or a misplaced attribute in the layout fails a test instead of agreeing with itself.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from qujat_demo.pki import (
    DEFAULT_PASSWORD,
    DemoPki,
    DirectoryNotEmpty,
    KeyPurpose,
    ManifestError,
    init_demo_pki,
    load_demo_pki,
)
from qujat_demo.pki.cli import pki as pki_group

NOW = datetime.now(UTC).replace(microsecond=0)

EMAIL = ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string
CLIENT = ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string
INDIVIDUAL = "1.2.398.3.3.4.1.1"
LEGAL = "1.2.398.3.3.4.1.2"

#: role -> (issuing CA, purpose, extended key usage in order, certificate policy)
EXPECTED_KEYS = {
    "individual_sign": ("citizen", "sign", [EMAIL, INDIVIDUAL], "1.2.398.3.3.2.3"),
    "individual_auth": ("citizen", "auth", [CLIENT, INDIVIDUAL], "1.2.398.3.3.2.4"),
    "individual_revoked_sign": ("citizen", "sign", [EMAIL, INDIVIDUAL], "1.2.398.3.3.2.3"),
    "legal_head_sign": ("citizen", "sign", [EMAIL, LEGAL, f"{LEGAL}.1"], "1.2.398.3.3.2.1"),
    "legal_head_auth": ("citizen", "auth", [CLIENT, LEGAL, f"{LEGAL}.1"], "1.2.398.3.3.2.2"),
    "legal_signer_sign": ("citizen", "sign", [EMAIL, LEGAL, f"{LEGAL}.2"], "1.2.398.3.3.2.1"),
    "legal_employee_sign": ("citizen", "sign", [EMAIL, LEGAL, f"{LEGAL}.5"], "1.2.398.3.3.2.1"),
    "official_sign": ("state", "sign", [EMAIL, LEGAL, f"{LEGAL}.2"], "1.2.398.3.2.2"),
    "system_sign": ("state", "sign", [EMAIL, LEGAL, f"{LEGAL}.6"], "1.2.398.3.2.2"),
}

#: NCA subject layout, in order
PERSON_LAYOUT = [
    NameOID.COMMON_NAME,
    NameOID.SURNAME,
    NameOID.SERIAL_NUMBER,
    NameOID.COUNTRY_NAME,
    NameOID.GIVEN_NAME,
]
EMPLOYEE_LAYOUT = [
    NameOID.COMMON_NAME,
    NameOID.SURNAME,
    NameOID.SERIAL_NUMBER,
    NameOID.COUNTRY_NAME,
    NameOID.ORGANIZATION_NAME,
    NameOID.ORGANIZATIONAL_UNIT_NAME,
    NameOID.GIVEN_NAME,
]
SYSTEM_LAYOUT = [
    NameOID.COMMON_NAME,
    NameOID.COUNTRY_NAME,
    NameOID.ORGANIZATION_NAME,
    NameOID.ORGANIZATIONAL_UNIT_NAME,
]


# --- Kazakhstan's IIN/BIN check digit, written independently of qujat_demo.pki ---------------
def _check_digit(first11: str) -> int | None:
    digits = [int(c) for c in first11]
    total = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if total == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        total = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if total == 10:
            return None  # such a number is never issued
    return total


def is_valid_number(number: str) -> bool:
    return len(number) == 12 and number.isdigit() and _check_digit(number[:11]) == int(number[11])


def iin_birth(iin: str) -> tuple[date, str]:
    """Birth date and sex from digits 1-7 (7: 1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s)."""
    century_sex = int(iin[6])
    century = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}[century_sex]
    born = date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))
    return born, "male" if century_sex % 2 else "female"


def test_checker_itself():
    assert is_valid_number("850314301283")
    assert not is_valid_number("850314301284")  # wrong check digit
    assert not is_valid_number("85031430128")  # too short
    # 1000000002x: weights 1..11 give 1 + 2*10 + 8*11 = 109 = 10 (mod 11), so the second
    # weights decide: 3 + 2*1 + 8*2 = 21 = 10 again, and no such number is ever issued
    assert _check_digit("10000000028") is None
    # 10000000020: first 1 + 2*10 = 21 = 10 (mod 11), second 3 + 2*1 = 5: check digit 5
    assert is_valid_number("100000000205")


# --- fixtures -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> DemoPki:
    return init_demo_pki(tmp_path_factory.mktemp("pki"), now=NOW)


def cert_at(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def crl_at(path: Path) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(path.read_bytes())


def ext(cert: x509.Certificate, kind):
    return cert.extensions.get_extension_for_class(kind)


def attr(name: x509.Name, oid) -> str:
    (value,) = name.get_attributes_for_oid(oid)
    return value.value


def chain_of(demo: DemoPki, ca: str) -> tuple[x509.Certificate, x509.Certificate]:
    return cert_at(getattr(demo, f"{ca}_root")), cert_at(getattr(demo, f"{ca}_ca"))


# --- CA certificates ----------------------------------------------------------------
@pytest.mark.parametrize("ca", ["citizen", "state"])
def test_ca_chain(demo, ca):
    root, issuing = chain_of(demo, ca)
    root.verify_directly_issued_by(root)
    issuing.verify_directly_issued_by(root)
    for cert, path_length, min_years in ((root, 1, 15), (issuing, 0, 10)):
        constraints = ext(cert, x509.BasicConstraints)
        assert constraints.critical and constraints.value.ca
        assert constraints.value.path_length == path_length
        usage = ext(cert, x509.KeyUsage)
        assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
        assert not usage.value.digital_signature
        assert cert.not_valid_before_utc == NOW - timedelta(days=1)
        assert cert.not_valid_after_utc - cert.not_valid_before_utc >= timedelta(
            days=365 * min_years
        )
        assert cert.public_key().key_size == 2048
        assert "DEMO" in attr(cert.subject, NameOID.COMMON_NAME)
        assert attr(cert.subject, NameOID.COUNTRY_NAME) == "KZ"
    # full AKI on CA certificates, as the NCA writes it: key id, issuer name and serial
    aki = ext(issuing, x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ext(root, x509.SubjectKeyIdentifier).value.digest
    assert aki.authority_cert_issuer == [x509.DirectoryName(root.subject)]
    assert aki.authority_cert_serial_number == root.serial_number
    assert (
        ext(root, x509.AuthorityKeyIdentifier).value.key_identifier
        == ext(root, x509.SubjectKeyIdentifier).value.digest
    )
    assert [
        p.policy_identifier.dotted_string for p in ext(root, x509.CertificatePolicies).value
    ] == ["1.2.398.3.1.2"]
    expected_policy = "1.2.398.3.3.1.1" if ca == "citizen" else "1.2.398.3.2.1"
    assert [
        p.policy_identifier.dotted_string for p in ext(issuing, x509.CertificatePolicies).value
    ] == [expected_policy]
    (point,) = ext(issuing, x509.CRLDistributionPoints).value
    assert point.full_name[0].value == f"http://demo.invalid/crl/{ca}_root.crl"


def test_ca_names_keep_kazakh_letters(demo):
    assert attr(cert_at(demo.citizen_ca).subject, NameOID.COMMON_NAME) == (
        "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) DEMO"
    )
    assert attr(cert_at(demo.state_ca).subject, NameOID.COMMON_NAME) == (
        "МЕМЛЕКЕТТІК ОРГАНДАРДЫҢ КО (RSA) DEMO"
    )
    # the NCA's order: CN then C on roots, C then CN on issuing CAs
    assert [a.oid for a in cert_at(demo.citizen_root).subject] == [
        NameOID.COMMON_NAME,
        NameOID.COUNTRY_NAME,
    ]
    assert [a.oid for a in cert_at(demo.citizen_ca).subject] == [
        NameOID.COUNTRY_NAME,
        NameOID.COMMON_NAME,
    ]


# --- holders' certificates ----------------------------------------------------------
def test_every_expected_key_is_there(demo):
    # the GOST family's keys (gost_*) are tested in test_gost_family.py
    assert {r for r in demo.keys if not r.startswith("gost_")} == set(EXPECTED_KEYS)
    for role, entry in demo.keys.items():
        assert entry.role == role
        assert entry.path == demo.directory / "keys" / f"{role}.p12"
        assert entry.path.is_file()


@pytest.mark.parametrize("role", sorted(EXPECTED_KEYS))
def test_key_certificate(demo, role):
    ca, purpose, eku, policy = EXPECTED_KEYS[role]
    bundle = demo.open_key(role)
    cert = bundle.cert.certificate
    root, issuing = chain_of(demo, ca)

    cert.verify_directly_issued_by(issuing)
    assert bundle.key.public_key().public_numbers() == cert.public_key().public_numbers()
    assert [c.certificate for c in bundle.additional_certs] == [issuing, root]
    assert (
        bundle.cert.friendly_name
        == ext(cert, x509.SubjectKeyIdentifier).value.digest.hex().encode()
    )

    usage = ext(cert, x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature
    assert usage.value.content_commitment == (purpose == "sign")
    assert usage.value.key_encipherment == (purpose == "auth")
    assert not usage.value.key_cert_sign and not usage.value.crl_sign
    assert [o.dotted_string for o in ext(cert, x509.ExtendedKeyUsage).value] == eku
    (info,) = ext(cert, x509.CertificatePolicies).value
    assert info.policy_identifier.dotted_string == policy
    assert isinstance(info.policy_qualifiers[0], str)  # the CPS pointer
    assert isinstance(info.policy_qualifiers[1], x509.UserNotice)

    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert (
        ext(cert, x509.AuthorityKeyIdentifier).value.key_identifier
        == ext(issuing, x509.SubjectKeyIdentifier).value.digest
    )
    assert ext(cert, x509.SubjectKeyIdentifier).value == (
        x509.SubjectKeyIdentifier.from_public_key(cert.public_key())
    )
    (point,) = ext(cert, x509.CRLDistributionPoints).value
    assert point.full_name[0].value == f"http://demo.invalid/crl/{ca}_ca.crl"

    assert cert.not_valid_before_utc == NOW - timedelta(days=1)
    assert (
        timedelta(days=365)
        <= cert.not_valid_after_utc - cert.not_valid_before_utc
        <= (timedelta(days=2 * 366))
    )
    assert cert.public_key().key_size == 2048
    assert f"{cert.serial_number:X}" == demo.keys[role].serial_number


@pytest.mark.parametrize("role", sorted(EXPECTED_KEYS))
def test_subject_matches_holder(demo, role):
    entry = demo.keys[role]
    subject = demo.open_key(role).cert.certificate.subject
    layout = [a.oid for a in subject]
    assert attr(subject, NameOID.COUNTRY_NAME) == "KZ"
    assert attr(subject, NameOID.COMMON_NAME) == entry.common_name
    if entry.iin is None:
        assert role == "system_sign"
        assert layout == SYSTEM_LAYOUT
    else:
        assert layout == (EMPLOYEE_LAYOUT if entry.organization else PERSON_LAYOUT)
        assert entry.common_name == f"{entry.surname} {entry.name}"
        assert attr(subject, NameOID.SURNAME) == entry.surname
        assert attr(subject, NameOID.SERIAL_NUMBER) == f"IIN{entry.iin}"
        assert attr(subject, NameOID.GIVEN_NAME) == entry.patronymic  # givenName = patronymic
    if entry.organization:
        assert attr(subject, NameOID.ORGANIZATION_NAME) == entry.organization
        assert attr(subject, NameOID.ORGANIZATIONAL_UNIT_NAME) == f"BIN{entry.bin}"
    assert entry.purpose is KeyPurpose(EXPECTED_KEYS[role][1])


def test_legal_entities_share_one_bin(demo):
    company = {demo.keys[r].bin for r in demo.keys if r.startswith("legal_")}
    state_body = {demo.keys[r].bin for r in ("official_sign", "system_sign")}
    assert len(company) == 1 and len(state_body) == 1 and company != state_body
    assert demo.keys["legal_head_sign"].roles == ("first_head",)
    assert demo.keys["legal_employee_sign"].roles == ("employee",)
    assert demo.keys["system_sign"].roles == ("system",)


def test_identifiers_are_valid(demo):
    for entry in demo.keys.values():
        if entry.iin is not None:
            assert is_valid_number(entry.iin), entry.iin
            born, sex = iin_birth(entry.iin)
            assert date(1940, 1, 1) < born < NOW.date()
            # Kazakh patronymics say it: -ҰЛЫ son of, -ҚЫЗЫ daughter of
            assert entry.patronymic.endswith("ҰЛЫ" if sex == "male" else "ҚЫЗЫ"), entry
        if entry.bin is not None:
            assert is_valid_number(entry.bin), entry.bin
            assert 1 <= int(entry.bin[2:4]) <= 12  # registration month
            assert entry.bin[4] in "456"  # resident, non-resident, sole proprietor
    people = {e.iin for e in demo.keys.values() if e.iin}
    assert len(people) == 6


# --- revocation lists ---------------------------------------------------------------
def test_citizen_crl_lists_the_revoked_key(demo):
    issuing = cert_at(demo.citizen_ca)
    crl = crl_at(demo.citizen_crl)
    assert crl.is_signature_valid(issuing.public_key())
    assert crl.issuer == issuing.subject
    assert crl.last_update_utc <= NOW < crl.next_update_utc
    assert timedelta(days=6) <= crl.next_update_utc - NOW <= timedelta(days=8)
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 1
    assert (
        crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
        == ext(issuing, x509.SubjectKeyIdentifier).value.digest
    )

    revoked_cert = demo.open_key("individual_revoked_sign").cert.certificate
    (entry,) = list(crl)
    assert entry.serial_number == revoked_cert.serial_number
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason is (
        x509.ReasonFlags.key_compromise
    )
    assert revoked_cert.not_valid_before_utc < entry.revocation_date_utc <= crl.last_update_utc
    assert [r for r, e in demo.keys.items() if e.revoked and r in EXPECTED_KEYS] == [
        "individual_revoked_sign"
    ]
    for role in EXPECTED_KEYS:
        if role != "individual_revoked_sign":
            serial = demo.open_key(role).cert.certificate.serial_number
            assert crl.get_revoked_certificate_by_serial_number(serial) is None


@pytest.mark.parametrize(
    ("crl_role", "issuer_role"),
    [
        ("state_crl", "state_ca"),
        ("citizen_root_crl", "citizen_root"),
        ("state_root_crl", "state_root"),
    ],
)
def test_other_crls_are_empty_and_signed(demo, crl_role, issuer_role):
    issuer = cert_at(getattr(demo, issuer_role))
    crl = crl_at(getattr(demo, crl_role))
    assert crl.is_signature_valid(issuer.public_key())
    assert crl.issuer == issuer.subject
    assert len(crl) == 0
    assert crl.next_update_utc > NOW


# --- containers and manifest ----------------------------------------------------------
def test_pkcs12_needs_the_password(demo):
    data = demo.keys["individual_sign"].path.read_bytes()
    assert pkcs12.load_pkcs12(data, DEFAULT_PASSWORD.encode()).key is not None
    with pytest.raises(ValueError):
        pkcs12.load_pkcs12(data, b"wrong")


def test_manifest_round_trips(demo):
    assert load_demo_pki(demo.directory) == demo
    document = json.loads(demo.manifest.read_text(encoding="utf-8"))
    listed = {item["path"] for item in document["files"]}
    on_disk = {
        p.relative_to(demo.directory).as_posix() for p in demo.directory.rglob("*") if p.is_file()
    } - {"manifest.json"}
    assert listed == on_disk
    for item in document["files"]:
        assert item["role"] and item["kind"] in {"certificate", "crl", "pkcs12"}
        if item["kind"] == "pkcs12":
            assert item["password"] == DEFAULT_PASSWORD
            assert set(item["holder"]) >= {"surname", "name", "patronymic", "iin", "bin"}
    # Kazakh letters stay letters in the file, not \u escapes
    assert "ӘБІЛҚАЙЫРОВ" in demo.manifest.read_text(encoding="utf-8")


def test_demo_pki_is_frozen(demo):
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo.password = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        demo.keys["x"] = demo.keys["individual_sign"]  # type: ignore[index]


def test_load_refuses_a_directory_without_manifest(tmp_path):
    with pytest.raises(ManifestError):
        load_demo_pki(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ManifestError, match="format"):
        load_demo_pki(tmp_path)


def test_init_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DirectoryNotEmpty):
        init_demo_pki(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


# --- command line -----------------------------------------------------------------
def test_cli_init_force_and_password(tmp_path):
    runner = CliRunner()
    target = tmp_path / "pki"

    first = runner.invoke(pki_group, ["init", str(target), "--password", "Secret-1"])
    assert first.exit_code == 0, first.output
    assert "Secret-1" in first.output
    created = load_demo_pki(target)
    assert created.password == "Secret-1"
    assert created.open_key("system_sign").key is not None
    root_before = created.citizen_root.read_bytes()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")

    refused = runner.invoke(pki_group, ["init", str(target)])
    assert refused.exit_code == 1
    assert "not empty" in refused.output and "--force" in refused.output
    assert created.citizen_root.read_bytes() == root_before

    forced = runner.invoke(pki_group, ["init", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    replaced = load_demo_pki(target)
    assert replaced.password == DEFAULT_PASSWORD
    assert replaced.citizen_root.read_bytes() != root_before
    # --force replaces what init wrote and nothing else
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_cli_refuses_an_empty_password(tmp_path):
    result = CliRunner().invoke(pki_group, ["init", str(tmp_path / "pki"), "--password", ""])
    assert result.exit_code == 2
    assert "Invalid value for --password: must not be empty" in result.output
    assert not (tmp_path / "pki").exists()
