"""Test certificates shaped like the NCA's, issued with the demo PKI's own functions
(qujat_demo/pki/issue.py), and loaders for the real NCA fixtures.

``Pki.create()`` gives a root → issuing CA pair; its ``individual`` and ``employee`` methods
issue leaves with the NCA subject layout (CN "SURNAME NAME", SN, serialNumber "IIN…",
GN = patronymic, O and OU "BIN…" for companies), key usages and extended key usages.
EC P-256 keys keep key generation out of the test time. These CAs publish nothing, so
their certificates carry no policies, CRL distribution points or AIA. For the attack cases
``resign`` re-issues any certificate with an extension dropped, replaced, added or made
(non-)critical, and ``crl_der`` encodes CRLs that cryptography's builder will not make.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtensionOID, NameOID, SignatureAlgorithmOID
from lxml import etree

from app.xmlsig.certificates import NCA_INDIVIDUAL, NCA_LEGAL_ENTITY, NcaRole
from app.xmlsig.gost import GostPrivateKey
from app.xmlsig.policy import TrustPolicy
from qujat_demo.pki import ECDSA_P256, GOST_2015_512, KeyAlgorithm, Rsa, issue
from qujat_demo.pki import der as der_encoding
from qujat_demo.pki.algorithms import PrivateKey
from qujat_demo.pki.hierarchy import Organization, Person, holder_subject
from qujat_demo.pki.issue import Issuer, Revocation, Validity
from qujat_demo.pki.templates import CertificateTemplate, CrlTemplate


def _fixtures() -> Path:
    """The NCA's published test material: $QUJAT_NCA_FIXTURES, else tests/data/kz-nca if
    the fixtures move into the repository, else the shared copy beside it (as conftest)."""
    candidates = [
        Path(__file__).resolve().parents[1] / "data" / "kz-nca",
        Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "kz-nca",
    ]
    if configured := os.environ.get("QUJAT_NCA_FIXTURES"):
        candidates.insert(0, Path(configured))
    return next((p for p in candidates if p.is_dir()), candidates[-1])


FIXTURES = _fixtures()
NCA_PASSWORD = b"Qwerty12"

#: a moment inside every generated certificate's validity, and the CRLs' current period
NOW = datetime(2024, 6, 1, tzinfo=UTC)
LEAF_START = datetime(2024, 1, 1, tzinfo=UTC)
LEAF_END = datetime(2025, 1, 1, tzinfo=UTC)
CA_START = datetime(2020, 1, 1, tzinfo=UTC)
CA_END = datetime(2030, 1, 1, tzinfo=UTC)
CRL_THIS_UPDATE = datetime(2024, 5, 1, tzinfo=UTC)
CRL_NEXT_UPDATE = datetime(2024, 7, 1, tzinfo=UTC)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def cn(value: str) -> x509.NameAttribute:
    return x509.NameAttribute(NameOID.COMMON_NAME, value)


KZ = x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")


# ---------------------------------------------------------------------------------------
# generated certificates


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: PrivateKey

    @property
    def name(self) -> x509.Name:
        return self.certificate.subject

    @property
    def issuer(self) -> Issuer:
        """This certificate as a CA of the demo PKI that publishes nothing."""
        return Issuer(certificate=self.certificate, key=self.key,
                      algorithm=algorithm_of(self.key), certificate_url=None, crl_url=None)


def algorithm_of(key: PrivateKey) -> KeyAlgorithm:
    if isinstance(key, rsa.RSAPrivateKey):
        return Rsa(bits=key.key_size)
    if isinstance(key, GostPrivateKey):
        return GOST_2015_512
    return ECDSA_P256


@dataclass(frozen=True)
class Pki:
    root: Issued
    ca: Issued

    @classmethod
    def create(
        cls,
        *,
        root_name: str = "НЕГІЗГІ КО TEST (QUJAT)",
        ca_name: str = "ҰКО TEST (QUJAT)",
        ca_start: datetime = CA_START,
        ca_end: datetime = CA_END,
        ca_basic_constraints_critical: bool = True,
    ) -> Pki:
        root = root_ca(name=root_name)
        ca = issuing_ca(
            issuer=root,
            name=ca_name,
            start=ca_start,
            end=ca_end,
            basic_constraints_critical=ca_basic_constraints_critical,
        )
        return cls(root=root, ca=ca)

    def policy(self, **options) -> TrustPolicy:
        return TrustPolicy(
            anchors=(self.root.certificate,), intermediates=(self.ca.certificate,), **options
        )

    def individual(self, **kwargs) -> Issued:
        return leaf(issuer=self.ca, **kwargs)

    def employee(
        self,
        *,
        roles: Sequence[str],
        bin: str = "123456789021",
        organization: str = 'АО "ТЕСТ"',
        **kwargs,
    ) -> Issued:
        return leaf(issuer=self.ca, bin=bin, organization=organization, roles=roles, **kwargs)


def root_ca(*, name: str = "НЕГІЗГІ КО TEST (QUJAT)") -> Issued:
    key = ECDSA_P256.generate_key()
    certificate = issue.issue_root_ca(
        subject=x509.Name([cn(name), KZ]), key=key, algorithm=ECDSA_P256,
        validity=Validity(at(2018, 1, 1), at(2038, 1, 1)), policies=(), path_length=None,
    )
    return Issued(certificate, key)


def issuing_ca(
    *,
    issuer: Issued,
    name: str = "ҰКО TEST (QUJAT)",
    start: datetime = CA_START,
    end: datetime = CA_END,
    basic_constraints_critical: bool = True,
) -> Issued:
    key = ECDSA_P256.generate_key()
    certificate = issue.issue_intermediate_ca(
        subject=x509.Name([KZ, cn(name)]), public_key=ECDSA_P256.public_key_info(key),
        issuer=issuer.issuer, validity=Validity(start, end), policies=(), path_length=None,
    )
    if not basic_constraints_critical:
        certificate = resign(certificate, issuer,
                             critical={ExtensionOID.BASIC_CONSTRAINTS: False})
    return Issued(certificate, key)


#: key usage and the extended key usage naming the purpose, by ``leaf(purpose=...)``
_PURPOSES = {
    "sign": (issue.SIGNING_KEY_USAGE, issue.EMAIL_PROTECTION),
    "auth": (issue.AUTHENTICATION_KEY_USAGE, issue.CLIENT_AUTH),
    "gost2022": (issue.SIGN_AND_AUTH_KEY_USAGE, issue.EMAIL_PROTECTION),
}


def leaf(
    *,
    issuer: Issued,
    iin: str | None = "123456789011",
    surname: str = "ТЕСТОВ",
    first_name: str = "ТЕСТ",
    patronymic: str = "ТЕСТОВИЧ",
    bin: str | None = None,
    organization: str | None = None,
    roles: Sequence[str] = (),
    purpose: str = "sign",
    start: datetime = LEAF_START,
    end: datetime = LEAF_END,
    serial_number: int | None = None,
    rsa_bits: int | None = None,
    holder_oids: Sequence[x509.ObjectIdentifier] | None = None,
) -> Issued:
    """An NCA-style leaf. ``purpose``: "sign" (digitalSignature + nonRepudiation,
    emailProtection), "auth" (digitalSignature + keyEncipherment, clientAuth) or "gost2022"
    (one key for both: digitalSignature + nonRepudiation + keyAgreement)."""
    algorithm = Rsa(bits=rsa_bits) if rsa_bits else ECDSA_P256
    key = algorithm.generate_key()
    if holder_oids is None:
        holder_oids = [NCA_LEGAL_ENTITY] if bin else [NCA_INDIVIDUAL]
    usage, purpose_oid = _PURPOSES[purpose]
    certificate = issue.issue_end_entity(
        subject=holder_subject(
            person=Person(surname, first_name, patronymic, iin),
            organization=Organization(organization or "", bin) if bin else None,
        ),
        public_key=algorithm.public_key_info(key),
        issuer=issuer.issuer,
        validity=Validity(start, end),
        usage=usage,
        extended_usage=[purpose_oid, *(oid.dotted_string for oid in holder_oids),
                        *(NcaRole(r).oid.dotted_string for r in roles)],
        policies=(),
        serial_number=serial_number,
    )
    return Issued(certificate, key)


def crl(
    *,
    issuer: Issued,
    revoked: Iterable[tuple[int, datetime, x509.ReasonFlags | None]] = (),
    this_update: datetime = CRL_THIS_UPDATE,
    next_update: datetime = CRL_NEXT_UPDATE,
    extensions: Iterable[x509.ExtensionType] = (),
) -> x509.CertificateRevocationList:
    """A CRL of ``issuer`` (number 1); ``extensions`` are added as critical."""
    return issue.issue_crl(
        issuer=issuer.issuer, number=1, this_update=this_update, next_update=next_update,
        revoked=[Revocation(serial, when, reason) for serial, when, reason in revoked],
        extensions=[(extension, True) for extension in extensions],
    )


def crl_der(
    *,
    issuer: Issued,
    serials: Iterable[int],
    revoked_at: datetime,
    this_update: datetime = CRL_THIS_UPDATE,
    next_update: datetime | None = CRL_NEXT_UPDATE,
) -> bytes:
    """A signed CRL of an EC ``issuer`` encoded by der.py, for what cryptography's builder
    will not make: 100,000 entries (it copies its entry list on every addition, minutes at
    that size) or no nextUpdate (it refuses). No extensions, no reason codes."""
    assert isinstance(issuer.key, ec.EllipticCurvePrivateKey)
    template = CrlTemplate(
        issuer=issuer.name, this_update=this_update, next_update=next_update, extensions=(),
        revoked=tuple(Revocation(serial, revoked_at, reason=None) for serial in serials),
    )
    return der_encoding.crl(
        template,
        algorithm=der_encoding.algorithm_identifier(
            SignatureAlgorithmOID.ECDSA_WITH_SHA256.dotted_string, null_parameters=False),
        sign=lambda tbs: issuer.key.sign(tbs, ec.ECDSA(hashes.SHA256())),
    )


def resign(
    cert: x509.Certificate,
    issuer: Issued | Issuer,
    *,
    drop: x509.ObjectIdentifier | None = None,
    critical: dict[x509.ObjectIdentifier, bool] | None = None,
    replace: Sequence[x509.ExtensionType] = (),
    add: Sequence[tuple[x509.ExtensionType, bool]] = (),
    public_key: bytes | None = None,
    algorithm: str | None = None,
) -> x509.Certificate:
    """``cert`` issued again by ``issuer``: without the ``drop`` extension, with the
    criticality in ``critical`` changed, with the values in ``replace`` instead of the
    extensions of the same type, with ``add`` (value, critical) appended; for another
    subject key, ``public_key`` (SubjectPublicKeyInfo DER). A GOST issuer signs with the OID
    ``algorithm`` when given, to forge an algorithm the verifier cannot check."""
    issuer = issuer.issuer if isinstance(issuer, Issued) else issuer
    critical = critical or {}
    replacements = {value.oid: value for value in replace}
    template = CertificateTemplate(
        subject=cert.subject,
        issuer=issuer.certificate.subject,
        serial_number=cert.serial_number,
        validity=Validity(cert.not_valid_before_utc, cert.not_valid_after_utc),
        public_key=public_key or spki_of(cert),
        extensions=(
            *((replacements.get(e.oid, e.value), critical.get(e.oid, e.critical))
              for e in cert.extensions if e.oid != drop),
            *add,
        ),
    )
    if algorithm is None:
        return issuer.algorithm.sign_certificate(template, issuer.key)
    assert isinstance(issuer.key, GostPrivateKey)
    return x509.load_der_x509_certificate(der_encoding.certificate(
        template, algorithm=der_encoding.algorithm_identifier(algorithm), sign=issuer.key.sign))


def spki_of(cert: x509.Certificate) -> bytes:
    """The SubjectPublicKeyInfo (DER) of any certificate, GOST ones too."""
    tbs = asn1_x509.TbsCertificate.load(cert.tbs_certificate_bytes)
    return tbs["subject_public_key_info"].dump()


# ---------------------------------------------------------------------------------------
# the real NCA fixtures


def fixture(relative: str) -> Path:
    return FIXTURES / relative


def fixture_cert(relative: str) -> x509.Certificate:
    data = fixture(relative).read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def fixture_crl(relative: str) -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(fixture(relative).read_bytes())


def p12_cert(relative: str) -> x509.Certificate:
    """The certificate of an NCA key container. cryptography opens the RSA ones; it refuses
    a whole PKCS#12 whose key is GOST, so those go through openssl, whose legacy provider
    decrypts the certificate bag (RC2-40) and leaves the key alone."""
    data = fixture(relative).read_bytes()
    try:
        loaded = pkcs12.load_pkcs12(data, NCA_PASSWORD)
    except ValueError:
        return _openssl_p12_cert(fixture(relative))
    assert loaded.cert is not None
    return loaded.cert.certificate


def keyinfo_certs(relative: str) -> tuple[x509.Certificate, ...]:
    """The signer certificates in a signed fixture's ds:KeyInfo, in document order."""
    tree = etree.fromstring(
        fixture(relative).read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True)
    )
    values = tree.iter("{http://www.w3.org/2000/09/xmldsig#}X509Certificate")
    return tuple(
        x509.load_der_x509_certificate(base64.b64decode("".join(v.text.split()))) for v in values
    )


def _openssl_p12_cert(path: Path) -> x509.Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to open GOST PKCS#12 containers")
    result = subprocess.run(
        [
            openssl,
            "pkcs12",
            "-legacy",
            "-in",
            str(path),
            "-nokeys",
            "-clcerts",
            "-passin",
            f"pass:{NCA_PASSWORD.decode()}",
        ],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"openssl could not open {path.name}: {result.stderr.decode()[:200]}")
    return x509.load_pem_x509_certificate(result.stdout)


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


#: the keys and hashes of the legacy roots ``legacy_root`` makes, by asn1crypto's names
_LEGACY = {
    "sha1_rsa": ("rsa", hashes.SHA1),
    "md5_rsa": ("rsa", hashes.MD5),
    "sha1_dsa": ("dsa", hashes.SHA1),
}


def legacy_root(algorithm: str, *, name: str = "ЕСКІ ТҮБІР TEST") -> x509.Certificate:
    """A self-signed CA certificate signed with ``algorithm`` ("sha1_rsa", "md5_rsa",
    "sha1_dsa"): cryptography's builder no longer signs with SHA-1 or MD5, so the TBS is
    encoded with asn1crypto and signed directly."""
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives.asymmetric import dsa, padding

    kind, hash_class = _LEGACY[algorithm]
    key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa"
           else dsa.generate_private_key(key_size=2048))
    subject = asn1_x509.Name.build({"common_name": name, "country_name": "KZ"})
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    tbs = asn1_x509.TbsCertificate({
        "version": "v3",
        "serial_number": 1,
        "signature": {"algorithm": algorithm},
        "issuer": subject,
        "validity": {"not_before": asn1_x509.Time({"utc_time": CA_START}),
                     "not_after": asn1_x509.Time({"utc_time": CA_END})},
        "subject": subject,
        "subject_public_key_info": asn1_keys.PublicKeyInfo.load(spki),
        "extensions": [
            {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": True}},
            {"extn_id": "key_usage", "critical": True,
             "extn_value": {"key_cert_sign", "crl_sign"}},
        ],
    })
    data = tbs.dump()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(data, padding.PKCS1v15(), hash_class())
    else:
        signature = key.sign(data, hash_class())
    return x509.load_der_x509_certificate(asn1_x509.Certificate({
        "tbs_certificate": tbs,
        "signature_algorithm": {"algorithm": algorithm},
        "signature_value": signature,
    }).dump())


def p12_with_iterations(
    data: bytes, *, mac: int | None = None, key: int | None = None,
    certificates: int | None = None,
) -> bytes:
    """A PKCS#12 container with its iteration counts rewritten: the MAC's, the shrouded key
    bags' (in plain safes) and the encrypted safes'. Nothing is re-encrypted or re-MACed,
    so such a container only ever opens if the count is never looked at."""
    from asn1crypto import core
    from asn1crypto import pkcs12 as asn1_pkcs12

    def rewrite(algorithm, count: int) -> None:
        parameters = algorithm["parameters"]
        if algorithm["algorithm"].native == "pbes2":
            parameters["key_derivation_func"]["parameters"]["iteration_count"] = count
        else:
            parameters["iterations"] = count

    pfx = asn1_pkcs12.Pfx.load(data)
    if mac is not None:
        pfx["mac_data"]["iterations"] = mac
    if key is not None or certificates is not None:
        safes = asn1_pkcs12.AuthenticatedSafe.load(pfx["auth_safe"]["content"].native)
        for safe in safes:
            if key is not None and safe["content_type"].native == "data":
                contents = asn1_pkcs12.SafeContents.load(safe["content"].native)
                for bag in contents:
                    if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                        rewrite(bag["bag_value"]["encryption_algorithm"], key)
                safe["content"] = core.OctetString(contents.dump(force=True))
            elif certificates is not None and safe["content_type"].native == "encrypted_data":
                rewrite(safe["content"]["encrypted_content_info"]
                        ["content_encryption_algorithm"], certificates)
        pfx["auth_safe"]["content"] = core.OctetString(safes.dump(force=True))
    return pfx.dump(force=True)
