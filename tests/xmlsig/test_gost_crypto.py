"""app.xmlsig.gost: Streebog-512, the curve arithmetic, keys and Kalkan's PKCS#12, checked
against the NCA's own fixtures and an independent implementation (gostcrypto)."""

from __future__ import annotations

import subprocess

import gostcrypto.gostsignature as gostcrypto_signature
import pytest
from cryptography import x509
from gostcrypto import gosthash

from app.xmlsig import gost
from app.xmlsig.errors import KeyLoadError
from app.xmlsig.gost import (
    GostPrivateKey,
    GostPublicKey,
    _streebog_py,
    curve,
    dump_gost_pkcs12,
    is_gost_certificate,
    load_gost_pkcs12,
    public_key_from_certificate,
    streebog,
    streebog512,
)
from app.xmlsig.keys import load_pkcs12
from tests.xmlsig.certbuilder import fixture, fixture_cert
from tests.xmlsig.signatures import GOST_KEYS, PASSWORD

_PARAM_SET_A = gostcrypto_signature.CURVES_R_1323565_1_024_2019[
    "id-tc26-gost-3410-12-512-paramSetA"
]


def gost_p12(name: str) -> bytes:
    return fixture(f"keys/gost2015/{name}.p12").read_bytes()


@pytest.fixture(scope="module")
def fixture_key() -> tuple[GostPrivateKey, x509.Certificate]:
    key, certificate, _ = load_gost_pkcs12(gost_p12("individual_valid"), PASSWORD)
    return key, certificate


# --- Streebog-512 ---------------------------------------------------------------------

MESSAGES = [b"", b"abc", bytes(range(256)) * 3 + b"tail", "Өтініш".encode() * 40]


def test_the_fast_path_is_there_on_a_machine_set_up_by_scripts_setup():
    assert gost.fast_path_available()
    assert gost.fast_path_warning() is None


def test_without_the_fast_path_hashing_falls_back_with_a_warning_naming_the_package(
    monkeypatch,
):
    monkeypatch.setattr(streebog, "fast_path_available", lambda: False)

    assert "libengine-gost-openssl" in streebog.fast_path_warning()
    assert isinstance(streebog.new_streebog512(), _streebog_py.Streebog512)
    assert streebog.streebog512(b"abc") == bytes(gosthash.new("streebog512", data=b"abc").digest())


@pytest.mark.parametrize("data", MESSAGES, ids=lambda d: f"{len(d)} bytes")
def test_streebog_agrees_with_gostcrypto_in_c_and_in_python(data):
    expected = bytes(gosthash.new("streebog512", data=data).digest())

    assert streebog512(data) == expected
    assert _streebog_py.Streebog512(data).digest() == expected


def test_streebog_objects_hash_in_pieces():
    data = bytes(range(200)) * 7
    for make in (gost.new_streebog512, _streebog_py.Streebog512):
        hasher = make()
        for start in range(0, len(data), 61):
            hasher.update(data[start : start + 61])
        copied = hasher.copy()
        copied.update(b"more")
        assert hasher.digest() == streebog512(data)
        assert copied.digest() == streebog512(data + b"more")


def test_the_standards_first_example():
    # GOST R 34.11-2012, appendix A, example 1 (the message and digest as the standard
    # writes them, least significant byte last)
    message = bytes.fromhex(
        "3231303938373635343332313039383736353433323130393837363534333231"
        "30393837363534333231303938373635343332313039383736353433323130"
    )[::-1]
    digest = bytes.fromhex(
        "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0"
        "352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b"
    )[::-1]
    assert streebog512(message) == digest


# --- keys and certificates ------------------------------------------------------------


def test_a_certificate_key_reads_and_writes_back_byte_for_byte(fixture_key):
    key, certificate = fixture_key
    public = public_key_from_certificate(certificate)

    assert is_gost_certificate(certificate)
    assert public == key.public_key()
    assert public.key_size == 512
    spki = certificate.tbs_certificate_bytes
    assert public.spki_der() in spki
    assert GostPublicKey.from_spki_der(public.spki_der()) == public


def test_the_nca_chain_signatures_verify_with_our_arithmetic():
    root = fixture_cert("ca/root_test_gost_2022.pem")
    issuing = fixture_cert("ca/nca_gost2022_test.pem")
    crl = x509.load_der_x509_crl(fixture("crl/nca_gost2022_test.crl").read_bytes())
    root_key, issuing_key = public_key_from_certificate(root), public_key_from_certificate(issuing)

    assert root_key.verify(root.signature, root.tbs_certificate_bytes)
    assert root_key.verify(issuing.signature, issuing.tbs_certificate_bytes)
    assert issuing_key.verify(crl.signature, crl.tbs_certlist_bytes)
    assert not issuing_key.verify(root.signature, root.tbs_certificate_bytes)


def test_a_certificate_key_is_read_once_however_often_asked():
    # a certificate parsed again from the same DER is the same key, not a second DER walk
    first = public_key_from_certificate(fixture_cert("ca/nca_gost2022_test.pem"))
    again = public_key_from_certificate(fixture_cert("ca/nca_gost2022_test.pem"))

    assert again is first
    assert public_key_from_certificate(fixture_cert("ca/root_test_gost_2022.pem")) != first


def test_rsa_and_old_gost_certificates_are_refused_by_name():
    rsa = fixture_cert("ca/root_rsa_test.pem")
    old = fixture_cert("ca/root_gost_test.pem")

    assert not is_gost_certificate(rsa) and not is_gost_certificate(old)
    with pytest.raises(ValueError, match="1.2.840.113549.1.1.1"):
        public_key_from_certificate(rsa)
    with pytest.raises(ValueError, match="GOST 34.310-2004"):
        public_key_from_certificate(old)


def test_a_point_off_the_curve_is_not_a_key():
    with pytest.raises(ValueError, match="not a point"):
        GostPublicKey(curve.GX, curve.GY + 1)


@pytest.mark.parametrize(
    "broken",
    [b"", b"\x00" * 128, b"\xff" * 128, b"\x01" * 127],
    ids=["empty", "zeros", "beyond the order", "short"],
)
def test_a_malformed_signature_is_false_not_an_exception(fixture_key, broken):
    assert not fixture_key[0].public_key().verify(broken, b"data")


# --- signatures, both ways with gostcrypto -------------------------------------------


def _gostcrypto():
    return gostcrypto_signature.new(gostcrypto_signature.MODE_512, _PARAM_SET_A)


def _big_endian(signature: bytes) -> bytearray:
    """gostcrypto writes r then s big-endian; the NCA little-endian."""
    return bytearray(signature[:64][::-1] + signature[64:][::-1])


def test_gostcrypto_verifies_what_we_sign(fixture_key):
    key, _ = fixture_key
    public = key.public_key()
    digest = streebog512(b"appeal")
    signature = key.sign_digest(digest)

    assert _gostcrypto().verify(
        bytearray(public.x.to_bytes(64, "big") + public.y.to_bytes(64, "big")),
        bytearray(digest[::-1]),
        _big_endian(signature),
    )


def test_we_verify_what_gostcrypto_signs(fixture_key):
    key, _ = fixture_key
    digest = streebog512(b"appeal")
    theirs = bytes(_gostcrypto().sign(bytearray(key.d.to_bytes(64, "big")),
                                      bytearray(digest[::-1])))
    signature = bytes(_big_endian(theirs))

    assert key.public_key().verify_digest(signature, digest)
    assert not key.public_key().verify_digest(signature, streebog512(b"appeaL"))


def test_gostcrypto_derives_the_same_public_key(fixture_key):
    key, _ = fixture_key
    theirs = _gostcrypto().public_key_generate(bytearray(key.d.to_bytes(64, "big")))

    assert int.from_bytes(theirs[:64], "big") == key.public_key().x
    assert int.from_bytes(theirs[64:], "big") == key.public_key().y


def test_signatures_use_a_fresh_nonce_each_time(fixture_key):
    key, _ = fixture_key
    first, second = key.sign(b"same"), key.sign(b"same")

    assert first != second
    assert key.public_key().verify(first, b"same") and key.public_key().verify(second, b"same")


def test_a_generated_key_signs_and_verifies():
    key = GostPrivateKey.generate()

    assert key.public_key().verify(key.sign(b"mark"), b"mark")
    assert not key.public_key().verify(key.sign(b"mark"), b"Mark")
    assert "d=" not in repr(key) and str(key.d) not in repr(key)


# --- PKCS#12 --------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOST_KEYS)
def test_kalkans_gost_containers_load(name):
    key, certificate, chain = load_gost_pkcs12(gost_p12(name), PASSWORD)

    assert public_key_from_certificate(certificate) == key.public_key()
    assert chain == []
    signing_key = load_pkcs12(gost_p12(name), PASSWORD)
    assert isinstance(signing_key.private_key, GostPrivateKey)
    assert signing_key.certificate == certificate


def test_a_wrong_password_says_so():
    with pytest.raises(KeyLoadError, match="wrong password"):
        load_gost_pkcs12(gost_p12("individual_valid"), "Qwerty13")
    with pytest.raises(KeyLoadError, match="wrong password"):
        load_pkcs12(gost_p12("individual_valid"), "Qwerty13")


def test_an_rsa_container_is_not_a_gost_one():
    with pytest.raises(KeyLoadError, match="1.2.840.113549.1.1.1, not GOST 34.10-2015"):
        load_gost_pkcs12(fixture("keys/key_individual_valid_sign_2004.p12").read_bytes(),
                         PASSWORD)


def test_damaged_containers_raise_key_load_error():
    with pytest.raises(KeyLoadError):
        load_gost_pkcs12(b"not a container", PASSWORD)
    with pytest.raises(KeyLoadError):
        load_gost_pkcs12(gost_p12("individual_valid")[:600], PASSWORD)


def test_a_container_we_write_loads_here_and_in_openssl(fixture_key, tmp_path):
    key, certificate = fixture_key
    issuing = fixture_cert("ca/nca_gost2022_test.pem")
    root = fixture_cert("ca/root_test_gost_2022.pem")
    data = dump_gost_pkcs12(key, certificate, [root, issuing], "құпия сөз")

    loaded_key, loaded_certificate, chain = load_gost_pkcs12(data, "құпия сөз")
    assert loaded_key.d == key.d
    assert loaded_certificate == certificate
    assert chain == [issuing, root]  # the signer's issuer first
    assert load_pkcs12(data, "құпия сөз").chain == (issuing, root)

    path = tmp_path / "key.p12"
    path.write_bytes(data)
    shown = subprocess.run(
        ["openssl", "pkcs12", "-legacy", "-nokeys", "-in", str(path), "-passin",
         "pass:құпия сөз"],
        capture_output=True, check=True,
    ).stdout
    assert shown.count(b"BEGIN CERTIFICATE") == 3
