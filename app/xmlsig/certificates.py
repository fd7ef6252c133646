"""What a signer's certificate says, and whether it may sign a document at a given moment.

``describe`` turns a certificate into a ``CertificateInfo`` a clerk can read;
``check_certificate`` runs the certificate checks of a signature (chain, validity,
revocation, key purpose) as of the receipt time. Path building lives in ``chain``,
revocation in ``revocation``; this module only reads the certificate and combines them.
"""

from __future__ import annotations

import enum
import functools
import re
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.xmlsig import chain, revocation
from app.xmlsig.names import (
    all_values,
    extension_value,
    first_value,
    issuer_of,
    readable,
    subject_of,
)
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.report import CertificateInfo, Check, CheckCode, HolderKind, Outcome, SubIndication

# The NCA's holder and role OIDs are defined here and only here: the demo PKI and the test
# certificates issue with them.
#: extended key usages the NCA puts on every personal certificate to say who holds it
NCA_INDIVIDUAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.1")
NCA_LEGAL_ENTITY = x509.ObjectIdentifier("1.2.398.3.3.4.1.2")


class NcaRole(enum.StrEnum):
    """A legal entity employee's role, as the NCA encodes it in an extended key usage."""

    FIRST_HEAD = "first_head"
    MAY_SIGN = "may_sign"
    FINANCE = "finance"
    HR = "hr"
    EMPLOYEE = "employee"
    SYSTEM = "system"

    @property
    def oid(self) -> x509.ObjectIdentifier:
        return _ROLE_OIDS[self]

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


#: 1.2.398.3.3.4.1.2.1 (first head) to .6 (information system), in NcaRole's order
_ROLE_OIDS = {
    role: x509.ObjectIdentifier(f"{NCA_LEGAL_ENTITY.dotted_string}.{n}")
    for n, role in enumerate(NcaRole, 1)
}
_ROLES_BY_OID = {oid: role for role, oid in _ROLE_OIDS.items()}
_ROLE_LABELS = {
    NcaRole.FIRST_HEAD: "first head",
    NcaRole.MAY_SIGN: "employee with the right to sign",
    NcaRole.FINANCE: "financial documents signer",
    NcaRole.HR: "HR officer",
    NcaRole.EMPLOYEE: "employee",
    NcaRole.SYSTEM: "information system",
}

_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
    ExtendedKeyUsageOID.CODE_SIGNING: "codeSigning",
    ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
    ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "anyExtendedKeyUsage",
}

#: key algorithms cryptography cannot load (Kazakh and Russian GOST), by their standards
_UNLOADABLE_KEYS = {
    "1.2.398.3.10.1.1.2.2": "GOST 34.10-2015 512 bit",
    "1.2.398.3.10.1.1.2.1": "GOST 34.10-2015 256 bit",
    "1.2.398.3.10.1.1.1.1": "GOST 34.310-2004",
    "1.2.643.7.1.1.1.2": "GOST R 34.10-2012 512 bit",
    "1.2.643.7.1.1.1.1": "GOST R 34.10-2012 256 bit",
}
_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
_IIN = re.compile(r"IIN(\d{12})")
_BIN = re.compile(r"BIN(\d{12})")


def describe(cert: x509.Certificate) -> CertificateInfo:
    """What ``cert`` says, read once per process per certificate (equal certificates,
    however often parsed again, are one key; the answer is immutable)."""
    return _describe(cert)


@functools.lru_cache(maxsize=4096)
def _describe(cert: x509.Certificate) -> CertificateInfo:
    subject = subject_of(cert)
    extended = _extended_key_usages(cert)
    return CertificateInfo(
        subject=readable(subject),
        issuer=readable(issuer_of(cert)),
        serial_number=serial_hex(cert.serial_number),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        common_name=first_value(subject, NameOID.COMMON_NAME) or "",
        surname=first_value(subject, NameOID.SURNAME) or "",
        given_name=first_value(subject, NameOID.GIVEN_NAME) or "",
        iin=_tagged_number(_IIN, all_values(subject, NameOID.SERIAL_NUMBER)),
        bin=_tagged_number(_BIN, all_values(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)),
        organization=first_value(subject, NameOID.ORGANIZATION_NAME),
        holder=_holder(extended),
        roles=tuple(_ROLES_BY_OID[oid] for oid in extended if oid in _ROLES_BY_OID),
        key_usage=key_usage_names(cert),
        extended_key_usage=describe_eku(cert),
        key_algorithm=key_algorithm(cert),
        sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex().upper(),
    )


def check_certificate(
    cert: x509.Certificate, *, policy: TrustPolicy, at: datetime
) -> tuple[Check, ...]:
    """The certificate checks of one signature, as of ``at`` (the moment we received it):
    CERTIFICATE_CHAIN, CERTIFICATE_VALIDITY, REVOCATION, KEY_PURPOSE, in that order.

    ``at`` must be timezone-aware (a naive one is a ValueError: misuse, not a verdict).
    """
    found = chain.build_chain(cert, policy=policy, at=at)
    if found.path:
        revoked = revocation.check_revocation(found.path, policy=policy, at=at)
    else:
        # Without a path we do not know the issuing CA we would have to trust the CRL of;
        # the chain check already carries the failure.
        revoked = Check(
            CheckCode.REVOCATION,
            Outcome.SKIPPED,
            "not checked: the certificate chain was not established",
        )
    return (
        found.check,
        check_validity(cert, at=at),
        revoked,
        check_key_purpose(cert, policy=policy),
    )


def check_validity(cert: x509.Certificate, *, at: datetime) -> Check:
    at = _utc(at)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    span = f"valid from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
    # ETSI EN 319 102-1 would allow INDETERMINATE/OUT_OF_BOUNDS_NO_POE here, leaving room
    # for a proof that the signature existed while the certificate was valid. Our only
    # proof of existence is the receipt time itself (we accept no signature timestamps),
    # so no later evidence can rescue a certificate that was already expired when the
    # document reached us: the answer is final, hence FAILED.
    if at < start:
        return Check(
            CheckCode.CERTIFICATE_VALIDITY,
            Outcome.FAILED,
            f"not yet valid at {at:%Y-%m-%d %H:%M} UTC ({span})",
            SubIndication.NOT_YET_VALID,
        )
    if at > end:
        return Check(
            CheckCode.CERTIFICATE_VALIDITY,
            Outcome.FAILED,
            f"expired before {at:%Y-%m-%d %H:%M} UTC ({span})",
            SubIndication.EXPIRED,
        )
    return Check(CheckCode.CERTIFICATE_VALIDITY, Outcome.PASSED, span)


def check_key_purpose(cert: x509.Certificate, *, policy: TrustPolicy) -> Check:
    """A document signature needs a signing key: key usage nonRepudiation.

    The NCA used to issue keys in pairs: SIGN (digitalSignature + nonRepudiation) and AUTH
    (digitalSignature + keyEncipherment, EKU clientAuth) for logging in. Since 2022 one GOST
    key serves both, and its key usage says so while keeping nonRepudiation: the 2022 signer
    in signed/kalkan_rsa_gost_two_signers.xml has digitalSignature + nonRepudiation +
    keyEncipherment, the 2026 keys in keys/gost2015 digitalSignature + nonRepudiation +
    keyAgreement (EKU emailProtection, no clientAuth). nonRepudiation decides, so they pass.
    """
    usages = key_usage_names(cert)
    shown = ", ".join(usages) or "none"
    if not policy.require_signing_key:
        return Check(
            CheckCode.KEY_PURPOSE, Outcome.SKIPPED, f"not required by policy (key usage: {shown})"
        )
    if _is_ca(cert):
        return _purpose_failure("a CA certificate cannot sign documents")
    if "nonRepudiation" in usages:
        return Check(CheckCode.KEY_PURPOSE, Outcome.PASSED, f"signing key (key usage: {shown})")
    if ExtendedKeyUsageOID.CLIENT_AUTH in _extended_key_usages(cert) or "keyEncipherment" in usages:
        return _purpose_failure(
            f"an authentication key (key usage: {shown}; extended key usage: "
            f"{', '.join(describe_eku(cert)) or 'none'}) is for logging in, "
            "not for signing documents: the signer must use the signing key (nonRepudiation)"
        )
    if not usages:
        return _purpose_failure("no key usage extension: a signing key must assert nonRepudiation")
    return _purpose_failure(f"key usage {shown} does not include nonRepudiation")


def key_usage_names(cert: x509.Certificate) -> tuple[str, ...]:
    """The key usage bits in RFC 5280 order and spelling; empty without the extension."""
    usage = extension_value(cert, x509.KeyUsage)
    if usage is None:
        return ()
    bits = [
        ("digitalSignature", usage.digital_signature),
        ("nonRepudiation", usage.content_commitment),
        ("keyEncipherment", usage.key_encipherment),
        ("dataEncipherment", usage.data_encipherment),
        ("keyAgreement", usage.key_agreement),
        ("keyCertSign", usage.key_cert_sign),
        ("cRLSign", usage.crl_sign),
    ]
    if usage.key_agreement:
        # cryptography refuses to read these two unless keyAgreement is set
        bits += [("encipherOnly", usage.encipher_only), ("decipherOnly", usage.decipher_only)]
    return tuple(name for name, present in bits if present)


def describe_eku(cert: x509.Certificate) -> tuple[str, ...]:
    return tuple(_EKU_NAMES.get(oid, oid.dotted_string) for oid in _extended_key_usages(cert))


def key_algorithm(cert: x509.Certificate) -> str:
    """E.g. "RSA 2048 bit", "ECDSA P-256", "GOST 34.10-2015 512 bit"; else the key's OID."""
    oid = cert.public_key_algorithm_oid.dotted_string
    if oid in _UNLOADABLE_KEYS:
        return _UNLOADABLE_KEYS[oid]
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return oid
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size} bit"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"ECDSA {_CURVES.get(key.curve.name, key.curve.name)}"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    if isinstance(key, dsa.DSAPublicKey):
        return f"DSA {key.key_size} bit"
    return oid


def serial_hex(serial_number: int) -> str:
    """Upper-case hex padded to whole bytes, as openssl and the NCA's portal print it."""
    digits = format(serial_number, "X")
    return digits.zfill(len(digits) + len(digits) % 2)


def _extended_key_usages(cert: x509.Certificate) -> tuple[x509.ObjectIdentifier, ...]:
    return tuple(extension_value(cert, x509.ExtendedKeyUsage) or ())


def _holder(extended: tuple[x509.ObjectIdentifier, ...]) -> HolderKind:
    individual = NCA_INDIVIDUAL in extended
    # a role OID without the legal-entity OID still names an employee of a legal entity
    legal = NCA_LEGAL_ENTITY in extended or any(oid in _ROLES_BY_OID for oid in extended)
    if individual and not legal:
        return HolderKind.INDIVIDUAL
    if legal and not individual:
        return HolderKind.LEGAL_ENTITY
    # neither, or a certificate claiming both: nothing we can rely on
    return HolderKind.UNKNOWN


def _tagged_number(pattern: re.Pattern[str], values: tuple[str, ...]) -> str | None:
    for value in values:
        if match := pattern.fullmatch(value.strip()):
            return match.group(1)
    return None


def _is_ca(cert: x509.Certificate) -> bool:
    constraints = extension_value(cert, x509.BasicConstraints)
    return constraints is not None and constraints.ca


def _purpose_failure(detail: str) -> Check:
    return Check(
        CheckCode.KEY_PURPOSE, Outcome.FAILED, detail, SubIndication.SIG_CONSTRAINTS_FAILURE
    )


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("the moment of checking must be timezone-aware")
    return at.astimezone(UTC)
