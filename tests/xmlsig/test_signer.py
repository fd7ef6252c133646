"""Signing the NCALayer way, and opening the PKCS#12 containers the keys come in."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from lxml import etree

from app.xmlsig.errors import InvalidInput, KeyLoadError
from app.xmlsig.gost import GostPrivateKey
from app.xmlsig.keys import SigningKey, load_pkcs12
from app.xmlsig.parsing import parse_xml
from app.xmlsig.shape import DS, enveloped_signatures
from app.xmlsig.signature import verify_signature
from app.xmlsig.signer import sign_enveloped
from tests.xmlsig.certbuilder import NCA_PASSWORD, Pki, fixture, p12_with_iterations

NS = {"ds": DS}
DOCUMENT = b'<?xml-stylesheet href="mark.xsl"?><mark xmlns="urn:qujat:test:mark"><n>1</n></mark>'
RSA_FIXTURES = [
    "keys/key_individual_valid_sign_2004.p12",
    "keys/key_individual_sign_revoked_2004.p12",
    "keys/key_individual_auth_revoked_2004.p12",
    "keys/RSA256_8426360556902ce4ac33977836f873e1dc190976.p12",
    "keys/AUTH_RSA256_6b361b864c679601b652fe387f61fcd9303c0327.p12",
]
GOST_FIXTURES = ["keys/gost2015/individual_valid.p12", "keys/gost2015/legal_head_valid.p12"]


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki.create()


@pytest.fixture(scope="module")
def rsa_key(pki) -> SigningKey:
    issued = pki.individual(rsa_bits=2048)
    return SigningKey(private_key=issued.key, certificate=issued.certificate,
                      chain=(pki.ca.certificate,))


@pytest.fixture(scope="module")
def ec_key(pki) -> SigningKey:
    issued = pki.individual(surname="ЕКІНШІ")
    return SigningKey(private_key=issued.key, certificate=issued.certificate)


def parse(data: bytes) -> etree._ElementTree:
    return parse_xml(data, max_bytes=10_000_000, max_depth=64)


def algorithms(signature: etree._Element) -> list[str]:
    return [e.get("Algorithm") for e in signature.iter() if e.get("Algorithm")]


# --- the signature ------------------------------------------------------------------


def test_the_signature_is_shaped_as_ncalayer_shapes_it(rsa_key):
    root = parse(sign_enveloped(DOCUMENT, rsa_key)).getroot()

    signature = root[-1]
    assert signature.tag == f"{{{DS}}}Signature"
    assert signature.prefix == "ds"
    assert algorithms(signature) == [
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        "http://www.w3.org/2001/04/xmlenc#sha256",
    ]
    assert signature.xpath("ds:SignedInfo/ds:Reference/@URI", namespaces=NS) == [""]
    certificates = signature.xpath("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
    assert [base64.b64decode(c.text) for c in certificates] == [
        rsa_key.certificate.public_bytes(Encoding.DER)
    ]  # the leaf alone, never the chain


def test_an_ec_key_signs_with_ecdsa_sha256_as_raw_r_and_s(ec_key):
    signature = parse(sign_enveloped(DOCUMENT, ec_key)).getroot()[-1]

    assert "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" in algorithms(signature)
    value = signature.findtext(f"{{{DS}}}SignatureValue")
    assert len(base64.b64decode(value)) == 64


def test_the_output_is_utf8_with_a_declaration_and_keeps_top_level_instructions(rsa_key):
    signed = sign_enveloped(DOCUMENT, rsa_key)

    assert signed.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<?xml-stylesheet")


@pytest.mark.parametrize("form", ["bytes", "element", "tree"])
def test_any_form_of_document_is_signed_and_left_unchanged(rsa_key, form):
    tree = parse(DOCUMENT)
    given = {"bytes": DOCUMENT, "element": tree.getroot(), "tree": tree}[form]
    before = etree.tostring(tree)

    signed = parse(sign_enveloped(given, rsa_key))

    assert verify_signature(signed, signed.getroot()[-1]).verified
    assert etree.tostring(tree) == before


def test_an_element_inside_a_document_is_signed_as_a_document_of_its_own(rsa_key):
    outer = etree.fromstring(b'<outer xmlns:u="urn:unused"><mark>1</mark>tail</outer>')

    signed = parse(sign_enveloped(outer[0], rsa_key))

    assert signed.getroot().tag == "mark"
    assert verify_signature(signed, signed.getroot()[-1]).verified


def test_bytes_go_through_the_hardened_parser(rsa_key):
    with pytest.raises(InvalidInput, match="DOCTYPE"):
        sign_enveloped(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', rsa_key)


def test_signing_a_signed_document_adds_a_signature_that_covers_the_first(rsa_key, ec_key):
    twice = parse(sign_enveloped(sign_enveloped(DOCUMENT, rsa_key), ec_key))
    first, second = enveloped_signatures(twice.getroot())

    assert twice.getroot()[-1] is second
    assert verify_signature(twice, second).verified
    # the outer signature covers the inner one: changing it breaks the outer digest
    first.find(f"{{{DS}}}KeyInfo").tail = " "
    assert not verify_signature(twice, second).verified


def test_a_key_we_cannot_sign_with_is_refused():
    key = SigningKey(private_key=ed25519.Ed25519PrivateKey.generate(), certificate=None)

    with pytest.raises(TypeError, match="Ed25519PrivateKey"):
        sign_enveloped(DOCUMENT, key)


def test_a_document_signed_with_the_nca_test_key_verifies():
    key = load_pkcs12(fixture("keys/key_individual_valid_sign_2004.p12").read_bytes(), "Qwerty12")
    signed = parse(sign_enveloped(DOCUMENT, key))

    verification = verify_signature(signed, signed.getroot()[-1])

    assert verification.verified
    assert verification.certificate == key.certificate


# --- keys ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", RSA_FIXTURES)
def test_the_nca_legacy_containers_open(name):
    key = load_pkcs12(fixture(name).read_bytes(), NCA_PASSWORD)

    assert key.private_key.key_size == 2048
    assert key.certificate.public_key().public_numbers() == (
        key.private_key.public_key().public_numbers())


def test_a_str_password_works_like_bytes():
    data = fixture(RSA_FIXTURES[0]).read_bytes()

    assert load_pkcs12(data, "Qwerty12").certificate == load_pkcs12(data, b"Qwerty12").certificate


@pytest.mark.parametrize("name", [RSA_FIXTURES[0], *GOST_FIXTURES])
def test_a_wrong_password_is_named(name):
    with pytest.raises(KeyLoadError, match="^wrong password"):
        load_pkcs12(fixture(name).read_bytes(), "Qwerty13")


@pytest.mark.parametrize("name", GOST_FIXTURES)
def test_a_gost_container_opens_for_signing(name):
    # the GOST keys themselves are tested in test_gost_crypto.py and test_gost_xml.py
    key = load_pkcs12(fixture(name).read_bytes(), NCA_PASSWORD)

    assert isinstance(key.private_key, GostPrivateKey)


def test_a_modern_container_opens_with_its_chain(rsa_key, pki):
    data = pkcs12.serialize_key_and_certificates(
        b"signer", rsa_key.private_key, rsa_key.certificate, [pki.root.certificate,
                                                               pki.ca.certificate],
        BestAvailableEncryption(b"p\xc3\xa4ss"))

    key = load_pkcs12(data, "päss")

    assert key.certificate == rsa_key.certificate
    assert key.chain == (pki.ca.certificate, pki.root.certificate)  # the issuer first
    with pytest.raises(KeyLoadError, match="^wrong password"):
        load_pkcs12(data, "pass")


def test_a_container_without_a_key_is_named(pki):
    data = pkcs12.serialize_key_and_certificates(None, None, None, [pki.ca.certificate],
                                                 NoEncryption())

    with pytest.raises(KeyLoadError, match="no private key"):
        load_pkcs12(data, "")


def test_a_container_whose_certificate_is_not_the_keys_is_named(rsa_key, ec_key):
    data = pkcs12.serialize_key_and_certificates(None, ec_key.private_key, None,
                                                 [rsa_key.certificate], NoEncryption())

    with pytest.raises(KeyLoadError, match="no certificate for its private key"):
        load_pkcs12(data, "")


def test_a_key_type_we_cannot_sign_with_is_named():
    data = pkcs12.serialize_key_and_certificates(None, ed25519.Ed25519PrivateKey.generate(),
                                                 None, None, NoEncryption())

    with pytest.raises(KeyLoadError, match="Ed25519 keys cannot sign here"):
        load_pkcs12(data, "")


def test_bytes_that_are_no_container_are_named():
    with pytest.raises(KeyLoadError, match="cannot be opened"):
        load_pkcs12(b"not a pkcs12 file", "Qwerty12")


# --- the work a container may ask for -------------------------------------------------

#: the cap on the iterations of a container's password hashes (Kalkan writes 1,024 or 2,048)
CAP = 100_000


# 2**31 - 1 iterations would take hours of pure Python at the MAC check; the cap is checked
# before anything is computed, so the rewritten counts (whose MAC and keys no longer
# match) are refused at once, naming the count
@pytest.mark.parametrize("count", [CAP + 1, 10_000_000, 2**31 - 1])
@pytest.mark.parametrize("where, what", [
    ("mac", "its integrity MAC"),
    ("key", "the private key's encryption"),
    ("certificates", "an encrypted safe"),
])
@pytest.mark.parametrize("name", [RSA_FIXTURES[0], GOST_FIXTURES[0]])
def test_a_container_asking_for_too_many_iterations_is_refused_before_any_work(
        name, where, what, count):
    data = p12_with_iterations(fixture(name).read_bytes(), **{where: count})

    with pytest.raises(KeyLoadError) as refused:
        load_pkcs12(data, NCA_PASSWORD)

    assert str(refused.value) == (
        f"the key container asks for {count:,} iterations of the password hash of {what}; "
        f"at most {CAP:,} are accepted (Kalkan and NCALayer write a few thousand)")


def test_the_gost_reader_refuses_them_too():
    from app.xmlsig.gost import load_gost_pkcs12

    data = p12_with_iterations(fixture(GOST_FIXTURES[0]).read_bytes(), mac=10_000_000)

    with pytest.raises(KeyLoadError, match="asks for 10,000,000 iterations"):
        load_gost_pkcs12(data, NCA_PASSWORD)


def _pbes2_container(key: SigningKey, rounds: int) -> bytes:
    encryption = (PrivateFormat.PKCS12.encryption_builder().kdf_rounds(rounds)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256()).build(b"Qwerty12"))
    return pkcs12.serialize_key_and_certificates(b"k", key.private_key, key.certificate, None,
                                                 encryption)


def test_a_sound_container_past_the_cap_is_refused_and_one_at_it_opens(rsa_key):
    # made by cryptography with PBKDF2 and an HMAC-SHA256 MAC of the given rounds: valid
    # containers, so the cap is what refuses the first, not a MAC that no longer matches
    with pytest.raises(KeyLoadError, match=f"asks for {CAP + 1:,} iterations"):
        load_pkcs12(_pbes2_container(rsa_key, CAP + 1), "Qwerty12")

    assert load_pkcs12(_pbes2_container(rsa_key, CAP), "Qwerty12").certificate == (
        rsa_key.certificate)


def test_a_pbmac1_container_is_bounded_by_its_pbkdf2_count():
    # RFC 9579 (OpenSSL 3.4+): the MAC key comes from PBKDF2, whose count is what runs
    from asn1crypto import algos, core
    from asn1crypto import pkcs12 as asn1_pkcs12

    pfx = asn1_pkcs12.Pfx.load(fixture(RSA_FIXTURES[0]).read_bytes())
    parameters = core.Sequence(contents=(
        algos.KdfAlgorithm({"algorithm": "pbkdf2", "parameters": {
            "salt": {"specified": b"0123456789abcdef"}, "iteration_count": 10_000_000,
            "key_length": 32, "prf": {"algorithm": "sha256"}}}).dump()
        + algos.HmacAlgorithm({"algorithm": "sha256"}).dump()))
    pfx["mac_data"]["mac"]["digest_algorithm"] = {
        "algorithm": "1.2.840.113549.1.5.14", "parameters": core.Any.load(parameters.dump())}

    with pytest.raises(KeyLoadError, match="asks for 10,000,000 iterations.*integrity MAC"):
        load_pkcs12(pfx.dump(force=True), NCA_PASSWORD)
