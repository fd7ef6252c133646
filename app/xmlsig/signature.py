"""One enveloped ds:Signature: its shape, its algorithms, what it covers, whether it holds.

``shape.read_parts`` reads the signature first and refuses every shape we do not accept.
Only then does signxml's ``XMLVerifier`` check the signature value, with the certificate
from KeyInfo (never other key material) and hooks where signxml 5.2 alone gets XML-DSig
wrong for signatures that xmlsec1, Java and Kalkan make; each hook says why. The reference
digest is ours (``reference_octets``) because the octets a URI="" reference covers are
exactly where those gaps were.

signxml knows no GOST, so a GOST 34.10-2015 signature value is checked here
(``_gost_cryptography``) over the same canonical SignedInfo, and its reference with the
same ``reference_octets``: everything but the two algorithms is shared with RSA and ECDSA.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml import algorithms as signxml_algorithms
from signxml.exceptions import InvalidDigest, InvalidSignature, SignXMLException
from signxml.verifier import VerifyResult

from app.xmlsig import gost
from app.xmlsig.algorithms import (
    Acceptance,
    Canonicalization,
    DigestMethod,
    SignatureFamily,
    SignatureMethod,
    canonicalize,
    is_hmac,
    transform_of,
)
from app.xmlsig.errors import UnknownAlgorithm, UnsupportedCanonicalization
from app.xmlsig.parsing import parser
from app.xmlsig.report import Check, CheckCode, Outcome, SubIndication
from app.xmlsig.shape import (
    Reference,
    ShapeRefused,
    SignatureParts,
    line_of,
    read_parts,
    refuse_objects,
)


@dataclass(frozen=True)
class SignatureVerification:
    """The checks of one signature from SIGNATURE_SHAPE to CERTIFICATE_PRESENT."""

    checks: tuple[Check, ...]
    #: e.g. "RSA-SHA256"; the URI itself when we do not know it
    algorithm: str
    certificate: x509.Certificate | None
    #: True when both the digest and the signature value verified
    verified: bool
    #: what this signature covers, re-read from its canonical form (when asked for)
    signed_root: etree._Element | None = None


#: gives the document a signature covers: without it and every later signature
Covered = Callable[[], etree._ElementTree]


def verify_signature(
    document: etree._ElementTree,
    signature: etree._Element,
    *,
    keep_signed: bool = False,
    covered: Covered | None = None,
) -> SignatureVerification:
    """Check ``signature`` over ``document``. With ``keep_signed`` the result carries what
    it signed, re-read from the canonical octets.

    ``covered`` gives what the reference covers, the document as it was when the signature
    was made: without this signature and every later one, which ``document`` may still
    hold (nothing else here depends on them). It is called only when the digest is
    computed. Without it, ``document`` must hold no later signature, and the reference is
    computed on a copy without ``signature``."""
    parts, shape = _shape(document, signature)
    certificate, certificate_check = _certificate(parts)
    algorithms_check, algorithm = _algorithms(parts, certificate)
    coverage = _coverage(document, signature, parts)
    prerequisites = (shape, algorithms_check, coverage, certificate_check)
    blocking = next((c for c in prerequisites if c.outcome is not Outcome.PASSED), None)
    signed_root = None
    if blocking is None:
        # every prerequisite passed: the shape gave the parts, ds:KeyInfo the certificate
        assert parts is not None and certificate is not None
        digest, value, signed_root = _cryptography(
            document, signature, parts, certificate,
            covered=covered or (lambda: without(document, signature)), keep_signed=keep_signed)
    else:
        reason = f"not checked: {blocking.code.value} did not pass"
        digest = Check(CheckCode.DIGEST, Outcome.SKIPPED, reason)
        value = Check(CheckCode.SIGNATURE_VALUE, Outcome.SKIPPED, reason)
    verified = digest.outcome is Outcome.PASSED and value.outcome is Outcome.PASSED
    return SignatureVerification(
        checks=(shape, algorithms_check, coverage, digest, value, certificate_check),
        algorithm=algorithm,
        certificate=certificate,
        verified=verified,
        signed_root=signed_root if verified else None,
    )


def reference_octets(covered: etree._ElementTree, reference: Reference) -> bytes:
    """The octets a URI="" reference with the enveloped-signature transform digests, from
    ``covered``: the document without this signature and any later one (``without`` makes
    it from a copy; a copy of the tree keeps top-level processing instructions, which
    URI="" covers and which signxml's copy of the root element lost).

    URI="" selects the document *without comments* (XML-DSig, "The Reference Processing
    Model": a same-document reference yields a node-set minus comment nodes), so a
    ``#WithComments`` canonicalization after it has none to keep. signxml canonicalized
    with comments, so any document with a comment failed against a WithComments reference,
    and Kalkan and NCALayer always use C14N 1.0 WithComments there. Without a
    canonicalization transform the node-set becomes octets by C14N 1.0 (XML-DSig 4.3.3.2).
    """
    method = (
        Canonicalization(reference.transforms[1])
        if len(reference.transforms) > 1
        else Canonicalization.C14N_10
    )
    return canonicalize(covered, method.without_comments, prefixes=reference.prefixes)


def without(document: etree._ElementTree, signature: etree._Element) -> etree._ElementTree:
    """A copy of ``document`` without ``signature``: what the previous signer signed."""
    position = document.getroot().index(signature)
    working = copy.deepcopy(document)
    detach(working.getroot()[position])
    return working


def detach(element: etree._Element) -> None:
    """Remove ``element`` from its parent; its tail text is the parent's content (what the
    enveloped-signature transform leaves in place), so it stays."""
    parent = element.getparent()
    if parent is None:
        raise ValueError("the document element cannot be detached from its document")
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# --- the checks before any cryptography ---------------------------------------------


def _shape(
    document: etree._ElementTree, signature: etree._Element
) -> tuple[SignatureParts | None, Check]:
    try:
        parts = read_parts(signature)
        refuse_objects(document.getroot(), signature)
    except ShapeRefused as refused:
        return None, Check(CheckCode.SIGNATURE_SHAPE, Outcome.FAILED, str(refused),
                           SubIndication.FORMAT_FAILURE)
    return parts, Check(CheckCode.SIGNATURE_SHAPE, Outcome.PASSED,
                        "one SignedInfo with one Reference, signer's certificate in KeyInfo")


def _certificate(parts: SignatureParts | None) -> tuple[x509.Certificate | None, Check]:
    code, missing = CheckCode.CERTIFICATE_PRESENT, SubIndication.NO_SIGNING_CERTIFICATE_FOUND
    if parts is None:
        return None, Check(code, Outcome.SKIPPED, "not checked: the signature shape is refused")
    if not parts.certificates:
        return None, Check(code, Outcome.FAILED, "ds:KeyInfo holds no X509Certificate", missing)
    try:
        certificate = x509.load_der_x509_certificate(parts.certificates[0])
    except ValueError as exc:
        return None, Check(code, Outcome.FAILED,
                           f"the X509Certificate in ds:KeyInfo cannot be read: {exc}", missing)
    return certificate, Check(code, Outcome.PASSED, "the signer's certificate is in ds:KeyInfo")


_WHY_REFUSED: dict[SignatureFamily | None, str] = {
    SignatureFamily.HMAC: "a shared-secret MAC does not identify a signer",
    SignatureFamily.DSA: "DSA is not accepted",
}
_STRONG = ("only RSA or ECDSA with SHA-256, SHA-384 or SHA-512, or GOST 34.10-2015 with "
           "Streebog-512, are accepted")
_CURVES = {"secp256r1", "secp384r1", "secp521r1"}
MIN_RSA_BITS = 2048


def _algorithms(
    parts: SignatureParts | None, certificate: x509.Certificate | None
) -> tuple[Check, str]:
    code = CheckCode.ALGORITHMS
    if parts is None:
        return Check(code, Outcome.SKIPPED, "not checked: the signature shape is refused"), ""
    refused: list[str] = []
    unsupported: list[str] = []

    def look(kind, uri: str, role: str):
        try:
            member = kind(uri)
        except UnknownAlgorithm:
            if kind is SignatureMethod and is_hmac(uri):
                refused.append(f"{role} HMAC <{uri}> is refused: "
                               f"{_WHY_REFUSED[SignatureFamily.HMAC]}")
            else:
                unsupported.append(f"unknown {role} <{uri}>")
            return None
        if member.acceptance is Acceptance.REFUSED:
            why = _WHY_REFUSED.get(getattr(member, "family", None), _STRONG)
            refused.append(f"{role} {member.label} <{uri}> is refused: {why}")
        elif member.acceptance is Acceptance.NOT_IMPLEMENTED:
            unsupported.append(f"{role} {member.label} <{uri}> is not supported yet, "
                               "so this signature cannot be checked")
        return member

    method = look(SignatureMethod, parts.signature_method, "signature method")
    look(DigestMethod, parts.reference.digest_method, "digest method")
    look(Canonicalization, parts.canonicalization, "SignedInfo canonicalization")
    for uri in parts.reference.transforms[1:]:
        look(transform_of, uri, "transform")
    if method is not None and method.acceptance is Acceptance.ALLOWED and certificate:
        refused.extend(_key_problems(method, certificate))
    label = method.label if method is not None else parts.signature_method
    if refused:
        return Check(code, Outcome.FAILED, "; ".join(refused),
                     SubIndication.CRYPTO_CONSTRAINTS_FAILURE), label
    if unsupported:
        return Check(code, Outcome.INDETERMINATE, "; ".join(unsupported),
                     SubIndication.CRYPTO_CONSTRAINTS_FAILURE), label
    transforms = ", ".join(transform_of(t).label for t in parts.reference.transforms)
    return Check(code, Outcome.PASSED,
                 f"{label} over {Canonicalization(parts.canonicalization).label}; reference: "
                 f"{transforms}; digest {DigestMethod(parts.reference.digest_method).label}"
                 ), label


def _key_problems(method: SignatureMethod, certificate: x509.Certificate) -> list[str]:
    if method.family is SignatureFamily.GOST:
        try:
            gost.public_key_from_certificate(certificate)
        except ValueError as exc:
            return [f"{method.label} does not fit the certificate's key: {exc}"]
        return []
    try:
        key = certificate.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return [f"{method.label} needs an RSA or EC key; the certificate's key "
                f"({certificate.public_key_algorithm_oid.dotted_string}) cannot be used"]
    if method.family is SignatureFamily.RSA:
        if not isinstance(key, rsa.RSAPublicKey):
            return [f"{method.label} does not fit the certificate's {type(key).__name__}"]
        if key.key_size < MIN_RSA_BITS:
            return [f"an RSA key of {key.key_size} bits is refused: at least {MIN_RSA_BITS}"]
    if method.family is SignatureFamily.ECDSA:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return [f"{method.label} does not fit the certificate's {type(key).__name__}"]
        if key.curve.name not in _CURVES:
            return [f"the elliptic curve {key.curve.name} is refused: P-256, P-384 or P-521"]
    return []


def _coverage(
    document: etree._ElementTree, signature: etree._Element, parts: SignatureParts | None
) -> Check:
    code = CheckCode.REFERENCE_COVERS_DOCUMENT
    parent = signature.getparent()
    if parent is None:
        return Check(code, Outcome.FAILED, "the signature is the whole document (an enveloping "
                     "signature): only a signature enveloped in the document is accepted",
                     SubIndication.SIG_CONSTRAINTS_FAILURE)
    if parent is not document.getroot():
        return Check(code, Outcome.FAILED,
                     "the signature is not enveloped in the document root but sits in "
                     f"{document.getpath(parent)} ({line_of(signature)}), so it cannot cover "
                     "the document", SubIndication.SIG_CONSTRAINTS_FAILURE)
    if parts is None:
        return Check(code, Outcome.SKIPPED, "not checked: the signature shape is refused")
    uri = parts.reference.uri
    if uri != "":
        shown = "no URI" if uri is None else f"URI={uri!r}"
        return Check(code, Outcome.FAILED,
                     f"the reference has {shown}: only URI=\"\", the whole document, is accepted",
                     SubIndication.SIG_CONSTRAINTS_FAILURE)
    return Check(code, Outcome.PASSED,
                 'URI="" with the enveloped-signature transform: the whole document')


# --- the signature value and the digest, through signxml -----------------------------

_SIGNXML_CONFIG = SignatureConfiguration(
    require_x509=True,
    expect_references=1,
    # GOST never reaches signxml (see _gost_cryptography), which has no member for it; our
    # _verify_reference digests with DigestMethod, so an RSA signature over a Streebog
    # reference works too
    signature_methods=frozenset(
        signxml_algorithms.SignatureMethod(m.value)
        for m in SignatureMethod
        if m.acceptance is Acceptance.ALLOWED and m.family is not SignatureFamily.GOST
    ),
    digest_algorithms=frozenset(
        signxml_algorithms.DigestAlgorithm(d.value)
        for d in DigestMethod
        if d.acceptance is Acceptance.ALLOWED and isinstance(d.hash_class, type)
    ),
)


def _cryptography(
    document: etree._ElementTree,
    signature: etree._Element,
    parts: SignatureParts,
    certificate: x509.Certificate,
    *,
    covered: Covered,
    keep_signed: bool,
) -> tuple[Check, Check, etree._Element | None]:
    """(DIGEST, SIGNATURE_VALUE, signed root). signxml checks the value first and calls
    ``_verify_reference`` only when it holds, which is how we know which one failed."""
    if SignatureMethod(parts.signature_method).family is SignatureFamily.GOST:
        return _gost_cryptography(parts, certificate, covered=covered,
                                  keep_signed=keep_signed)
    verifier = _EnvelopedVerifier(signature=signature, parts=parts, covered=covered,
                                  keep_signed=keep_signed)
    digest_code, value_code = CheckCode.DIGEST, CheckCode.SIGNATURE_VALUE
    try:
        result = verifier.verify(
            document.getroot(),
            x509_cert=certificate,
            parser=parser(),
            # signxml's bundled XSD rejects ec:InclusiveNamespaces under
            # CanonicalizationMethod (a strict wildcard without the exc-c14n schema), which
            # the spec allows and xmlsec1 and Java write; read_parts checks the structure.
            validate_schema=False,
            expect_config=_SIGNXML_CONFIG,
        )
    except UnsupportedCanonicalization as exc:
        return _not_computable(verifier, Outcome.INDETERMINATE, str(exc), None)
    except etree.C14NError as exc:
        # e.g. a relative namespace URI, which canonical XML refuses outright
        return _not_computable(verifier, Outcome.FAILED, f"cannot be canonicalized: {exc}",
                               SubIndication.FORMAT_FAILURE)
    except InvalidDigest:
        return (Check(digest_code, Outcome.FAILED,
                      "the document's digest does not match the signed DigestValue: "
                      "the document was changed after signing", SubIndication.HASH_FAILURE),
                _value_passed(), None)
    except (SignXMLException, ValueError) as exc:
        if verifier.value_verified:
            return (Check(digest_code, Outcome.FAILED, f"the digest cannot be computed: {exc}",
                          SubIndication.HASH_FAILURE), _value_passed(), None)
        detail = ("the signature value does not verify with the certificate in ds:KeyInfo"
                  if isinstance(exc, InvalidSignature)
                  else f"the signature value cannot be checked: {exc}")
        return (_digest_skipped(),
                Check(value_code, Outcome.FAILED, detail, SubIndication.SIG_CRYPTO_FAILURE),
                None)
    # one reference is expected (_SIGNXML_CONFIG), so signxml gives one result, not a list
    assert isinstance(result, VerifyResult)
    return (Check(digest_code, Outcome.PASSED, "the document is unchanged since signing"),
            _value_passed(), result.signed_xml)


def _gost_cryptography(
    parts: SignatureParts,
    certificate: x509.Certificate,
    *,
    covered: Covered,
    keep_signed: bool,
) -> tuple[Check, Check, etree._Element | None]:
    """The same two checks, in the same order, for GOST 34.10-2015: the value over the
    canonical SignedInfo first, the reference digest only when the value holds."""
    digest_code, value_code = CheckCode.DIGEST, CheckCode.SIGNATURE_VALUE
    key = gost.public_key_from_certificate(certificate)  # _algorithms checked it reads
    try:
        signed_info = canonicalize(parts.signed_info, Canonicalization(parts.canonicalization),
                                   prefixes=parts.prefixes)
    except UnsupportedCanonicalization as exc:
        return (_digest_skipped(),
                Check(value_code, Outcome.INDETERMINATE, str(exc), None), None)
    except etree.C14NError as exc:
        return (_digest_skipped(),
                Check(value_code, Outcome.FAILED, f"cannot be canonicalized: {exc}",
                      SubIndication.FORMAT_FAILURE), None)
    if not key.verify(parts.signature_value, signed_info):
        return (_digest_skipped(),
                Check(value_code, Outcome.FAILED,
                      "the signature value does not verify with the certificate in ds:KeyInfo",
                      SubIndication.SIG_CRYPTO_FAILURE), None)
    reference = parts.reference
    try:
        data = reference_octets(covered(), reference)
    except UnsupportedCanonicalization as exc:
        return Check(digest_code, Outcome.INDETERMINATE, str(exc)), _value_passed(), None
    except etree.C14NError as exc:
        return (Check(digest_code, Outcome.FAILED, f"cannot be canonicalized: {exc}",
                      SubIndication.FORMAT_FAILURE), _value_passed(), None)
    if DigestMethod(reference.digest_method).digest(data) != reference.digest_value:
        return (Check(digest_code, Outcome.FAILED,
                      "the document's digest does not match the signed DigestValue: "
                      "the document was changed after signing", SubIndication.HASH_FAILURE),
                _value_passed(), None)
    signed_root = etree.fromstring(data, parser()) if keep_signed else None
    return (Check(digest_code, Outcome.PASSED, "the document is unchanged since signing"),
            _value_passed(), signed_root)


def _not_computable(
    verifier: _EnvelopedVerifier, outcome: Outcome, detail: str, sub: SubIndication | None
) -> tuple[Check, Check, None]:
    if verifier.value_verified:
        return Check(CheckCode.DIGEST, outcome, detail, sub), _value_passed(), None
    return _digest_skipped(), Check(CheckCode.SIGNATURE_VALUE, outcome, detail, sub), None


def _value_passed() -> Check:
    return Check(CheckCode.SIGNATURE_VALUE, Outcome.PASSED,
                 "SignedInfo is signed by the key of the certificate in ds:KeyInfo")


def _digest_skipped() -> Check:
    return Check(CheckCode.DIGEST, Outcome.SKIPPED,
                 "not checked: without a valid signature value the signed digest means nothing")


class _EnvelopedVerifier(XMLVerifier):
    """signxml's verifier for one known signature of one document, and the places where
    signxml 5.2 alone fails signatures made by xmlsec1, Java or Kalkan."""

    def __init__(self, *, signature: etree._Element, parts: SignatureParts, covered: Covered,
                 keep_signed: bool):
        self._signature = signature
        self._parts = parts
        self._covered = covered
        self._keep_signed = keep_signed
        #: set once signxml reaches the references, i.e. the signature value verified
        self.value_verified = False

    def get_root(self, data):
        # signxml re-serializes and re-parses its input to get a private copy: a second
        # parse of a 40 MB document. Nothing in verify() changes the tree it is given
        # (the reference is digested from ``covered``, never this tree), so use ours.
        return data

    def _get_signature(self, root):
        # signxml takes the first ds:Signature in document order; with sequential
        # signatures that is the innermost, whose digest cannot match while later
        # signatures are present. The caller says which one.
        return self._signature

    def _check_cert_validity(self, cert, cert_source):
        # Validity is the certificate checks' business (certificates.check_certificate,
        # as of the receipt time); here the certificate only supplies the public key.
        return None

    def _c14n(self, nodes, algorithm, inclusive_ns_prefixes=None):
        # Only SignedInfo comes here: references are digested in _verify_reference.
        # signxml canonicalizes its own re-parsed copy of the ds:Signature, which has lost
        # the document context (xml:* attributes of the ancestors; a default namespace
        # declared above the subtree then trips a libxml2 bug, see algorithms.canonicalize)
        # and splits PrefixList on single spaces only. Canonicalize the original SignedInfo
        # in its document instead; it is the element signxml's copy was made from.
        return canonicalize(self._parts.signed_info, Canonicalization(algorithm.value),
                            prefixes=self._parts.prefixes)

    def _verify_reference(self, reference, index, root, uri_resolver, c14n_algorithm,
                          signature, signature_key_used):
        self.value_verified = True
        ours = self._parts.reference
        data = reference_octets(self._covered(), ours)
        if DigestMethod(ours.digest_method).digest(data) != ours.digest_value:
            raise InvalidDigest("digest mismatch for the URI=\"\" reference")
        # "see what is signed": the application reads the canonical octets re-parsed,
        # never the received tree (no comments, nothing outside the reference)
        signed = etree.fromstring(data, parser()) if self._keep_signed else None
        key = signature_key_used.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        return VerifyResult(data, signed, signature, signature_key=key)
