"""Reading a ds:Signature under our shape rules, before anything trusts it.

Exactly one SignedInfo with exactly one Reference; the transforms enveloped-signature and at
most one canonicalization; no ds:Object anywhere; KeyInfo holding the signer's certificate
alone (X509Data/X509Certificate; a subject name or issuer/serial beside it is tolerated, any
other key material refused); no text where the schema has none; base64 that is base64.
Each refusal names the rule and the line. What the algorithms mean is for ``algorithms``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from lxml import etree

from app.xmlsig.algorithms import Canonicalization, Transform, transform_of
from app.xmlsig.errors import UnknownAlgorithm

DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
SIGNATURE = f"{{{DS}}}Signature"


def ds(name: str) -> str:
    return f"{{{DS}}}{name}"


@dataclass(frozen=True)
class Reference:
    uri: str | None
    #: Algorithm URIs in document order
    transforms: tuple[str, ...]
    #: InclusiveNamespaces PrefixList of the canonicalization transform
    prefixes: tuple[str, ...] | None
    digest_method: str
    digest_value: bytes


@dataclass(frozen=True)
class SignatureParts:
    """What a ds:Signature says, read without trusting any of it yet."""

    signed_info: etree._Element
    canonicalization: str
    prefixes: tuple[str, ...] | None
    signature_method: str
    reference: Reference
    signature_value: bytes
    #: DER of each KeyInfo/X509Data/X509Certificate (at most one passes the shape rules)
    certificates: tuple[bytes, ...]


class ShapeRefused(Exception):
    """A shape rule the signature breaks; the message names the rule and the line."""


def enveloped_signatures(root: etree._Element) -> list[etree._Element]:
    """The ds:Signature children of the document root, in document order (last applied
    last)."""
    return [child for child in root if child.tag == SIGNATURE]


def misplaced_signatures(root: etree._Element) -> list[etree._Element]:
    """ds:Signature elements anywhere else, except inside another signature (that one's
    shape check refuses them)."""
    return [
        element
        for element in root.iter(SIGNATURE)
        if element.getparent() is not root
        and not any(a.tag == SIGNATURE for a in element.iterancestors())
    ]


def read_parts(signature: etree._Element) -> SignatureParts:
    """Read a ds:Signature under our shape rules or raise ``ShapeRefused``."""
    for found in signature.iter(ds("Object")):
        raise ShapeRefused(f"ds:Object inside the signature ({line_of(found)}): "
                           "nothing but SignedInfo, SignatureValue and KeyInfo is accepted")
    children = _children(signature)
    for child in children:
        if etree.QName(child).namespace != DS:
            raise ShapeRefused(f"<{etree.QName(child).text}> inside ds:Signature "
                               f"({line_of(child)}): "
                               "nothing but SignedInfo, SignatureValue and KeyInfo is accepted")
    names = [etree.QName(c).localname for c in children]
    if names.count("SignedInfo") != 1:
        raise ShapeRefused(f"{names.count('SignedInfo')} ds:SignedInfo elements in the "
                           f"signature ({line_of(signature)}): exactly one is accepted")
    _expect(signature, names, ["SignedInfo", "SignatureValue"],
            ["SignedInfo", "SignatureValue", "KeyInfo"])
    signed_info = children[0]
    info = _children(signed_info)
    info_names = [etree.QName(c).localname for c in info]
    if info_names.count("Reference") != 1:
        raise ShapeRefused(f"{info_names.count('Reference')} ds:Reference elements "
                           f"({line_of(signed_info)}): exactly one is accepted")
    _expect(signed_info, info_names, ["CanonicalizationMethod", "SignatureMethod", "Reference"])
    canonicalization, prefixes = _canonicalization(info[0])
    signature_method = _algorithm(info[1])
    if _children(info[1]):
        raise ShapeRefused(f"ds:SignatureMethod has content ({line_of(info[1])})")
    certificates = _key_info(children[2]) if len(children) > 2 else ()
    return SignatureParts(
        signed_info=signed_info,
        canonicalization=canonicalization,
        prefixes=prefixes,
        signature_method=signature_method,
        reference=_reference(info[2]),
        signature_value=_base64(children[1], "ds:SignatureValue"),
        certificates=certificates,
    )


def _reference(reference: etree._Element) -> Reference:
    children = _children(reference)
    names = [etree.QName(c).localname for c in children]
    _expect(reference, names, ["DigestMethod", "DigestValue"],
            ["Transforms", "DigestMethod", "DigestValue"])
    transforms: list[str] = []
    prefixes = None
    if names[0] == "Transforms":
        for transform in _children(children[0]):
            if transform.tag != ds("Transform"):
                raise ShapeRefused(f"<{etree.QName(transform).text}> in ds:Transforms "
                                   f"({line_of(transform)})")
            uri, prefixes_here = _canonicalization(transform)
            transforms.append(uri)
            prefixes = prefixes_here if prefixes_here is not None else prefixes
    _transform_order(reference, transforms)
    digest_method = _algorithm(children[-2])
    if _children(children[-2]):
        raise ShapeRefused(f"ds:DigestMethod has content ({line_of(children[-2])})")
    return Reference(
        uri=reference.get("URI"),
        transforms=tuple(transforms),
        prefixes=prefixes,
        digest_method=digest_method,
        digest_value=_base64(children[-1], "ds:DigestValue"),
    )


def _transform_order(reference: etree._Element, transforms: list[str]) -> None:
    enveloped = Transform.ENVELOPED_SIGNATURE.value
    rule = "the transforms must be enveloped-signature, then at most one canonicalization"
    if not transforms or transforms[0] != enveloped:
        raise ShapeRefused(f"{rule}; the enveloped-signature transform does not come first "
                           f"({line_of(reference)})")
    if len(transforms) > 2:
        raise ShapeRefused(f"{rule}; found {len(transforms)} transforms ({line_of(reference)})")
    if len(transforms) == 2:
        try:
            second = transform_of(transforms[1])
        except UnknownAlgorithm:
            return  # the algorithm check names it
        if not isinstance(second, Canonicalization):
            raise ShapeRefused(f"{rule}; found {second.label} ({second.value}) after "
                               f"enveloped-signature ({line_of(reference)})")


def _canonicalization(element: etree._Element) -> tuple[str, tuple[str, ...] | None]:
    """The Algorithm of a CanonicalizationMethod or Transform and its PrefixList, if any."""
    uri = _algorithm(element)
    content = _children(element)
    if not content:
        return uri, None
    inclusive = content[0]
    if len(content) > 1 or inclusive.tag != f"{{{EXC_C14N}}}InclusiveNamespaces":
        raise ShapeRefused(f"unexpected content in <{etree.QName(element).localname}> "
                           f"({line_of(content[0])})")
    if not uri.startswith(EXC_C14N):
        raise ShapeRefused(f"InclusiveNamespaces belongs to exclusive canonicalization only "
                           f"({line_of(inclusive)})")
    return uri, tuple((inclusive.get("PrefixList") or "").split())


def _key_info(key_info: etree._Element) -> tuple[bytes, ...]:
    certificates: list[bytes] = []
    for child in _children(key_info):
        if child.tag != ds("X509Data"):
            raise ShapeRefused(
                f"{_name(child)} in ds:KeyInfo ({line_of(child)}): only the signer's certificate "
                "(X509Data/X509Certificate) is accepted as key material"
            )
        for item in _children(child):
            if item.tag == ds("X509Certificate"):
                certificates.append(_base64(item, "ds:X509Certificate"))
            elif item.tag not in (ds("X509SubjectName"), ds("X509IssuerSerial")):
                # subject name and issuer/serial only describe that same certificate
                raise ShapeRefused(
                    f"{_name(item)} in ds:X509Data ({line_of(item)}) is not accepted")
    if len(certificates) > 1:
        raise ShapeRefused(
            f"ds:KeyInfo carries {len(certificates)} certificates ({line_of(key_info)}): only the "
            "signer's own is accepted; issuing CAs come from our trust configuration"
        )
    return tuple(certificates)


def refuse_objects(root: etree._Element, signature: etree._Element | None = None) -> None:
    """Refuse a ds:Object anywhere in what ``signature`` covers: the document, except the
    enveloped signatures after it (added later, each refuses its own objects)."""
    for found in root.iter(ds("Object")):
        if signature is not None and _in_later_signature(found, root, signature):
            continue
        raise ShapeRefused(f"ds:Object in the document ({line_of(found)}): XML-DSig objects "
                           "are not accepted anywhere in a signed document")


def _in_later_signature(element: etree._Element, root: etree._Element,
                        signature: etree._Element) -> bool:
    top = element
    while (parent := top.getparent()) is not None and parent is not root:
        top = parent
    return (top.tag == SIGNATURE and signature.getparent() is root
            and any(s is top for s in signature.itersiblings(SIGNATURE)))


def _expect(parent: etree._Element, names: list[str], *sequences: list[str]) -> None:
    if names not in sequences:
        raise ShapeRefused(f"{_name(parent)} holds {', '.join(names) or 'nothing'} "
                           f"({line_of(parent)}); expected {', '.join(sequences[-1])}")


def _children(element: etree._Element) -> list[etree._Element]:
    """Element children; comments and processing instructions are ignored (never signed
    content here), text other than whitespace is refused."""
    if element.text and element.text.strip():
        raise ShapeRefused(f"text inside {_name(element)} ({line_of(element)})")
    found = []
    for child in element:
        if child.tail and child.tail.strip():
            raise ShapeRefused(f"text inside {_name(element)} ({line_of(child)})")
        if isinstance(child.tag, str):
            found.append(child)
    return found


def _algorithm(element: etree._Element) -> str:
    uri = element.get("Algorithm")
    if not uri:
        raise ShapeRefused(f"{_name(element)} has no Algorithm ({line_of(element)})")
    return uri


_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


def _base64(element: etree._Element, what: str) -> bytes:
    if len(element):
        raise ShapeRefused(f"{what} holds more than text ({line_of(element)})")
    text = "".join((element.text or "").split())
    if not text or len(text) % 4 or not _BASE64.fullmatch(text):
        raise ShapeRefused(f"{what} is not base64 ({line_of(element)})")
    return base64.b64decode(text, validate=True)


def _name(element: etree._Element) -> str:
    qname = etree.QName(element)
    return f"ds:{qname.localname}" if qname.namespace == DS else f"<{qname.text}>"


def line_of(element: etree._Element) -> str:
    return f"line {element.sourceline}" if element.sourceline else "line unknown"
