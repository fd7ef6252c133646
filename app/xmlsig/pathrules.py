"""The rules every certificate on a path must satisfy, and the signature check of a
certificate or CRL, dispatched by algorithm; ``chain`` walks the path and applies them.

Signatures: cryptography checks RSA and EC, ``app.xmlsig.gost`` GOST 34.10-2015 512 bit
(r then s, little-endian, in the BIT STRING); a key of another family than the signature's
simply does not verify it, and an algorithm we cannot check at all (GOST 34.310-2004)
raises ``UnsupportedAlgorithm`` so the caller can answer "cannot tell" rather than "forged".

The rules are cryptography's Web PKI profile as chain.py used it (see its docstring for
the two relaxations), written out so they hold for GOST chains too: every certificate is v3,
carries no critical extension we do not process, names an accepted signature algorithm
and a strong enough key (RSA 2048 bit or more, ECDSA P-256/384/521, GOST 512); a CA has
critical basicConstraints with cA, a pathLenConstraint not exceeded, key usage with
keyCertSign, and no critical AKI, AIA or extended key usage; a signer has an authority key
identifier and is no CA. Each rule returns the reason it is broken, or None, naming the
extension's OID so messages read the same for both families.
"""

from __future__ import annotations

import functools
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, SignatureAlgorithmOID

from app.xmlsig import gost
from app.xmlsig.names import extensions_of, short, subject_of

MIN_RSA_BITS = 2048

_GOST_SIGNATURE = x509.ObjectIdentifier(gost.GOST_SIGNATURE_OID)
_GOST_KEY = x509.ObjectIdentifier(gost.GOST_KEY_OID)
_SIGNATURE_ALGORITHMS = frozenset(
    {
        SignatureAlgorithmOID.RSA_WITH_SHA256,
        SignatureAlgorithmOID.RSA_WITH_SHA384,
        SignatureAlgorithmOID.RSA_WITH_SHA512,
        SignatureAlgorithmOID.RSASSA_PSS,
        SignatureAlgorithmOID.ECDSA_WITH_SHA256,
        SignatureAlgorithmOID.ECDSA_WITH_SHA384,
        SignatureAlgorithmOID.ECDSA_WITH_SHA512,
        _GOST_SIGNATURE,
    }
)
#: names of the signature algorithms we refuse, for messages (RFC 3279, 4055, 5758)
_REFUSED_NAMES = {
    SignatureAlgorithmOID.RSA_WITH_MD5: "md5WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA1: "sha1WithRSAEncryption",
    SignatureAlgorithmOID.RSA_WITH_SHA224: "sha224WithRSAEncryption",
    SignatureAlgorithmOID.ECDSA_WITH_SHA1: "ecdsa-with-SHA1",
    SignatureAlgorithmOID.ECDSA_WITH_SHA224: "ecdsa-with-SHA224",
    SignatureAlgorithmOID.DSA_WITH_SHA1: "dsa-with-sha1",
    SignatureAlgorithmOID.DSA_WITH_SHA224: "dsa-with-sha224",
    SignatureAlgorithmOID.DSA_WITH_SHA256: "dsa-with-sha256",
}
_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)
#: extensions whose meaning we process (or which only describe); any other critical one
#: refuses the certificate, as RFC 5280 4.2 demands
_KNOWN = frozenset(
    {
        ExtensionOID.BASIC_CONSTRAINTS,
        ExtensionOID.KEY_USAGE,
        ExtensionOID.EXTENDED_KEY_USAGE,
        ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
        ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
        ExtensionOID.SUBJECT_KEY_IDENTIFIER,
        ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
    }
)
#: extensions that must not be critical when present
_NON_CRITICAL = {
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER: "authorityKeyIdentifier",
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS: "authorityInfoAccess",
}




def signed_by(
    item: x509.Certificate | x509.CertificateRevocationList, issuer: x509.Certificate
) -> bool:
    """Whether the key of ``issuer`` verifies the signature on ``item`` (a certificate or
    a CRL). A key of another family than the signature's is simply False; a signature
    algorithm we cannot check at all raises ``UnsupportedAlgorithm``."""
    if isinstance(item, x509.Certificate):
        return _certificate_signed_by(item, issuer)
    return _verify(item, issuer)


@functools.lru_cache(maxsize=4096)
def _certificate_signed_by(item: x509.Certificate, issuer: x509.Certificate) -> bool:
    # Certificates hash and compare by their DER, so a cached answer is about these bytes.
    return _verify(item, issuer)


_Extension = TypeVar("_Extension", bound=x509.ExtensionType)

#: the keys a revocation list can be signed with (GOST apart)
_CRL_ISSUER_KEYS = (rsa.RSAPublicKey, ec.EllipticCurvePublicKey, dsa.DSAPublicKey,
                    ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)


def _verify(
    item: x509.Certificate | x509.CertificateRevocationList, issuer: x509.Certificate
) -> bool:
    if item.signature_algorithm_oid == _GOST_SIGNATURE:
        if not gost.is_gost_certificate(issuer):
            return False
        tbs = (
            item.tbs_certificate_bytes
            if isinstance(item, x509.Certificate)
            else item.tbs_certlist_bytes
        )
        try:
            key = gost.public_key_from_certificate(issuer)
        except ValueError:
            return False
        return key.verify(item.signature, tbs)
    # raises UnsupportedAlgorithm for a signature algorithm cryptography does not know
    item.signature_hash_algorithm  # noqa: B018
    try:
        public_key = issuer.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return False  # a GOST (or unreadable) key cannot have made an RSA or EC signature
    try:
        if isinstance(item, x509.Certificate):
            item.verify_directly_issued_by(issuer)
            return True
        if not isinstance(public_key, _CRL_ISSUER_KEYS):
            return False  # a key-agreement key (X25519, X448) signs no list
        return item.is_signature_valid(public_key)
    except (InvalidSignature, ValueError, TypeError):
        return False


def crl_signed_by(
    crl: x509.CertificateRevocationList, issuer: x509.Certificate, *, tbs: bytes | memoryview
) -> bool:
    """``signed_by`` for a CRL, over its TBSCertList ``tbs`` as read from the CRL's own DER:
    cryptography's ``is_signature_valid`` encodes the list again first, seconds for a
    national CA's million entries. Raises ``UnsupportedAlgorithm`` as ``signed_by`` does."""
    if crl.signature_algorithm_oid == _GOST_SIGNATURE:
        if not gost.is_gost_certificate(issuer):
            return False
        try:
            key = gost.public_key_from_certificate(issuer)
        except ValueError:
            return False
        return key.verify(crl.signature, bytes(tbs))
    digest = crl.signature_hash_algorithm  # raises UnsupportedAlgorithm
    try:
        public_key = issuer.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return False
    parameters = crl.signature_algorithm_parameters
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(crl.signature, tbs, parameters, digest)  # type: ignore[arg-type]
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(crl.signature, tbs, parameters)  # type: ignore[arg-type]
        elif isinstance(public_key, dsa.DSAPublicKey):
            public_key.verify(crl.signature, tbs, digest)  # type: ignore[arg-type]
        elif isinstance(public_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            public_key.verify(crl.signature, tbs)
        else:
            return False  # a key-agreement key (X25519, X448) signs no list
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


# --- the rules, each returning the reason it is broken, or None ----------------------------


def certificate_rules(cert: x509.Certificate) -> str | None:
    """What every certificate on the path must satisfy, anchor included."""
    name = f"«{short(subject_of(cert))}»"
    if cert.version is not x509.Version.v3:
        return f"{name} is not an X.509 v3 certificate"
    extensions = extensions_of(cert)
    for extension in extensions:
        if extension.critical and extension.oid not in _KNOWN:
            return (
                f"{name} carries a critical extension this validator does not process "
                f"({extension.oid.dotted_string})"
            )
        if extension.critical and extension.oid in _NON_CRITICAL:
            return (
                f"{name}: {_NON_CRITICAL[extension.oid]} ({extension.oid.dotted_string}) "
                "must not be critical"
            )
    return _key_rules(cert)


def _key_rules(cert: x509.Certificate) -> str | None:
    name = f"«{short(subject_of(cert))}»"
    if cert.public_key_algorithm_oid == _GOST_KEY:
        return None  # always 512 bit on the one curve public_key_from_certificate accepts
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        # a key of an algorithm we do not know verifies nothing: its signatures (checked
        # before these rules are reached) are the ones reported as uncheckable
        return None
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        return f"the RSA key of {name} has {key.key_size} bits, fewer than {MIN_RSA_BITS}"
    if isinstance(key, ec.EllipticCurvePublicKey) and not isinstance(key.curve, _CURVES):
        return f"the EC key of {name} is on {key.curve.name}, not P-256, P-384 or P-521"
    return None


def signature_rules(cert: x509.Certificate) -> str | None:
    if not signature_algorithm_accepted(cert):
        return (
            f"«{short(subject_of(cert))}» is signed with {algorithm_name(cert)}, which is not "
            "an accepted signature algorithm"
        )
    return None


def signature_algorithm_accepted(cert: x509.Certificate) -> bool:
    return cert.signature_algorithm_oid in _SIGNATURE_ALGORITHMS


def algorithm_name(cert: x509.Certificate) -> str:
    """The certificate's signature algorithm for a message: its name where we know one
    (e.g. "sha1WithRSAEncryption"), else its OID."""
    oid = cert.signature_algorithm_oid
    return _REFUSED_NAMES.get(oid, oid.dotted_string)


def signer_rules(cert: x509.Certificate) -> str | None:
    """What a signer's (end entity's) certificate must satisfy."""
    name = f"«{short(subject_of(cert))}»"
    extensions = extensions_of(cert)
    if not _has(extensions, ExtensionOID.AUTHORITY_KEY_IDENTIFIER):
        return f"{name} has no authorityKeyIdentifier (2.5.29.35), which a signer must carry"
    constraints = _value(extensions, x509.BasicConstraints)
    if constraints is not None and constraints.ca:
        return f"{name} is a CA certificate (basicConstraints 2.5.29.19), not a signer's"
    usage = _value(extensions, x509.KeyUsage)
    if usage is not None and usage.key_cert_sign:
        return f"{name} may sign certificates (keyCertSign, 2.5.29.15), as only a CA may"
    return None


def ca_rules(ca: x509.Certificate, *, below: int) -> str | None:
    """What a CA (intermediate or anchor) must satisfy to issue the path below it."""
    name = f"the CA «{short(subject_of(ca))}»"
    extensions = extensions_of(ca)
    try:
        constraints = extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return f"{name} has no basicConstraints (2.5.29.19)"
    if not constraints.value.ca:
        return f"{name} is not a CA: basicConstraints (2.5.29.19) without cA"
    if not constraints.critical:
        return f"{name}: basicConstraints (2.5.29.19) must be critical on a CA"
    limit = constraints.value.path_length
    if limit is not None and below > limit:
        return (
            f"{name} allows {limit} intermediate CA(s) below it (pathLenConstraint), "
            f"the path has {below}"
        )
    usage = _value(extensions, x509.KeyUsage)
    if usage is None:
        return f"{name} has no key usage (2.5.29.15); a CA must assert keyCertSign"
    if not usage.key_cert_sign:
        return f"{name} may not sign certificates: key usage (2.5.29.15) without keyCertSign"
    eku = _critical(extensions, ExtensionOID.EXTENDED_KEY_USAGE)
    if eku:
        return f"{name}: extendedKeyUsage (2.5.29.37) must not be critical on a CA"
    return None


def _has(extensions: x509.Extensions, oid: x509.ObjectIdentifier) -> bool:
    return any(e.oid == oid for e in extensions)


def _critical(extensions: x509.Extensions, oid: x509.ObjectIdentifier) -> bool:
    return any(e.oid == oid and e.critical for e in extensions)


def _value(extensions: x509.Extensions, kind: type[_Extension]) -> _Extension | None:
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
