"""Signing a document the way NCALayer does, so that any XML-DSig verifier accepts it.

An enveloped signature appended as the last child of the root, ``ds:`` prefixed:
SignedInfo in inclusive C14N 1.0, RSA-SHA256 (ECDSA-SHA256 for EC keys, GOST 34.10-2015
512 bit for GOST keys), one Reference URI="" with the transforms enveloped-signature and
C14N 1.0 WithComments (as Kalkan and NCALayer write it; for URI="" comments are never part
of the digest, see ``signature.reference_octets``), SHA-256 (Streebog-512 with a GOST key,
as Kalkan does), and the signer's certificate alone in KeyInfo.
A document that is already signed gets another signature after the last one, covering it.
"""

from __future__ import annotations

import base64
import copy

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from app.xmlsig.algorithms import (
    Canonicalization,
    DigestMethod,
    SignatureMethod,
    Transform,
    canonicalize,
)
from app.xmlsig.gost import GostPrivateKey
from app.xmlsig.keys import SigningKey
from app.xmlsig.parsing import parse_xml
from app.xmlsig.policy import DEFAULT_MAX_DOCUMENT_BYTES, TrustPolicy
from app.xmlsig.shape import DS, ds

Document = etree._Element | etree._ElementTree | bytes


def sign_enveloped(
    document: Document,
    key: SigningKey,
    *,
    reference_canonicalization: Canonicalization = Canonicalization.C14N_10_WITH_COMMENTS,
    digest_method: DigestMethod | None = None,
) -> bytes:
    """The signed document as UTF-8 bytes with an XML declaration. ``document`` is never
    changed: an element or tree is copied, bytes are parsed with the hardened parser.
    ``digest_method`` defaults to the hash of the signature method."""
    tree = _own_copy(document)
    root = tree.getroot()
    method = _signature_method(key)
    if digest_method is None:
        digest_method = method.digest_method
    # what the reference digests: the document before this signature is appended, which
    # is the document after the enveloped-signature transform removes it again
    digest = digest_method.digest(
        canonicalize(tree, reference_canonicalization.without_comments)
    )

    signature = etree.SubElement(root, ds("Signature"), nsmap={"ds": DS})
    signed_info = etree.SubElement(signature, ds("SignedInfo"))
    etree.SubElement(signed_info, ds("CanonicalizationMethod"),
                     Algorithm=Canonicalization.C14N_10.value)
    etree.SubElement(signed_info, ds("SignatureMethod"), Algorithm=method.value)
    reference = etree.SubElement(signed_info, ds("Reference"), URI="")
    transforms = etree.SubElement(reference, ds("Transforms"))
    etree.SubElement(transforms, ds("Transform"), Algorithm=Transform.ENVELOPED_SIGNATURE.value)
    etree.SubElement(transforms, ds("Transform"), Algorithm=reference_canonicalization.value)
    etree.SubElement(reference, ds("DigestMethod"), Algorithm=digest_method.value)
    etree.SubElement(reference, ds("DigestValue")).text = _b64(digest)

    # SignedInfo is canonicalized where it now stands, inheriting the root's namespaces
    # and xml:* attributes exactly as a verifier will see it
    signed_octets = canonicalize(signed_info, Canonicalization.C14N_10)
    etree.SubElement(signature, ds("SignatureValue")).text = _b64(
        _sign(key.private_key, method, signed_octets)
    )
    key_info = etree.SubElement(signature, ds("KeyInfo"))
    x509_data = etree.SubElement(key_info, ds("X509Data"))
    etree.SubElement(x509_data, ds("X509Certificate")).text = _b64(
        key.certificate.public_bytes(Encoding.DER)
    )
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _own_copy(document: Document) -> etree._ElementTree:
    if isinstance(document, bytes):
        return parse_xml(document, max_bytes=DEFAULT_MAX_DOCUMENT_BYTES,
                         max_depth=TrustPolicy.max_depth)
    if isinstance(document, etree._ElementTree):
        return copy.deepcopy(document)
    if document.getparent() is None:
        # the tree, not just the element, so top-level processing instructions stay
        return copy.deepcopy(document.getroottree())
    element = copy.deepcopy(document)
    element.tail = None
    return etree.ElementTree(element)


def _signature_method(key: SigningKey) -> SignatureMethod:
    if isinstance(key.private_key, GostPrivateKey):
        return SignatureMethod.GOST34102015_512
    if isinstance(key.private_key, rsa.RSAPrivateKey):
        return SignatureMethod.RSA_SHA256
    if isinstance(key.private_key, ec.EllipticCurvePrivateKey):
        return SignatureMethod.ECDSA_SHA256
    raise TypeError(f"cannot sign with a {type(key.private_key).__name__}")


def _sign(private_key, method: SignatureMethod, data: bytes) -> bytes:
    if method is SignatureMethod.GOST34102015_512:
        # r then s, little-endian: what Kalkan writes and gost.GostPublicKey reads
        return private_key.sign(data)
    if method is SignatureMethod.RSA_SHA256:
        return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    # XML-DSig wants ECDSA as the raw r || s, each as long as the curve's order
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
    size = (private_key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
