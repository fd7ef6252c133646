"""The XML-DSig algorithms we know, by their W3C URIs, what we allow, and how to compute them.

Every enum's values are the URIs as they appear in ``Algorithm`` attributes, each with a
label for people; looking up a URI we do not know raises ``UnknownAlgorithm`` naming it.
``Acceptance`` says what a verification makes of a known one: RSA and ECDSA with SHA-256,
-384 or -512 and the Kazakh GOST 34.10-2015 (512 bit) with Streebog-512 are allowed; SHA-1,
MD5, SHA-224, DSA and HMAC are refused; the older GOST 34.310-2004 is known but not
implemented, so its signatures are INDETERMINATE with a message naming it. The GOST
arithmetic and hash live in ``app.xmlsig.gost``; ``signature`` checks GOST values itself
(signxml knows no GOST) with the same shape, coverage and reference digest checks.

Canonicalization is always lxml's (libxml2's); ``canonicalize`` only prepares its input
where lxml cannot express what the specifications ask, and says why at each place.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urljoin

from cryptography.hazmat.primitives import hashes
from lxml import etree

from app.xmlsig.errors import UnknownAlgorithm, UnsupportedCanonicalization
from app.xmlsig.gost import streebog512
from app.xmlsig.parsing import parser

XML_NS = "http://www.w3.org/XML/1998/namespace"


class Acceptance(enum.Enum):
    ALLOWED = "allowed"
    #: known and below our cryptographic constraints: the signature FAILS
    REFUSED = "refused"
    #: known, possibly valid, but we cannot check it yet: the signature is INDETERMINATE
    NOT_IMPLEMENTED = "not implemented"


class SignatureFamily(enum.Enum):
    RSA = "RSA"
    ECDSA = "ECDSA"
    DSA = "DSA"
    HMAC = "HMAC"
    GOST = "GOST"


class _Identifier(enum.StrEnum):
    """A URI-valued enum member with a label; unknown URIs raise ``UnknownAlgorithm``."""

    label: str
    acceptance: Acceptance

    def __new__(cls, *definition: Any):
        # a member's (uri, label[, acceptance, ...]); looking one up by its URI alone,
        # Transform(uri), is Enum's own __new__ and never comes here
        member = str.__new__(cls, definition[0])
        member._value_ = definition[0]
        member.label = definition[1]
        member.acceptance = definition[2] if len(definition) > 2 else Acceptance.ALLOWED
        return member

    @classmethod
    def _missing_(cls, value: object):
        raise UnknownAlgorithm(cls.kind(), str(value))

    @classmethod
    def kind(cls) -> str:
        return "algorithm"

    def __str__(self) -> str:
        return self.value


_ALLOWED, _REFUSED, _NOT_YET = Acceptance.ALLOWED, Acceptance.REFUSED, Acceptance.NOT_IMPLEMENTED


class DigestMethod(_Identifier):
    SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256", _ALLOWED, hashes.SHA256
    SHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384", _ALLOWED, hashes.SHA384
    SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512", _ALLOWED, hashes.SHA512
    SHA224 = "http://www.w3.org/2001/04/xmldsig-more#sha224", "SHA-224", _REFUSED, hashes.SHA224
    SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1", "SHA-1", _REFUSED, hashes.SHA1
    MD5 = "http://www.w3.org/2001/04/xmldsig-more#md5", "MD5", _REFUSED, hashes.MD5
    # known only to be refused by name (and to name the hash inside HMAC-RIPEMD160)
    RIPEMD160 = "http://www.w3.org/2001/04/xmlenc#ripemd160", "RIPEMD-160", _REFUSED, None
    GOST34112015_512 = (
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512",
        "GOST 34.11-2015 512 bit (Streebog)",
        _ALLOWED,
        streebog512,
    )
    GOST34311 = (
        "http://www.w3.org/2001/04/xmldsig-more#gost34311",
        "GOST 34.311-95",
        _NOT_YET,
        None,
    )

    def __init__(self, *definition: Any) -> None:
        # (uri, label, acceptance, hash_class), as for _Identifier.__new__
        #: a ``cryptography`` hash, or a function of the octets for the hashes it lacks
        self.hash_class: type[hashes.HashAlgorithm] | Callable[[bytes], bytes] | None = (
            definition[3]
        )

    @classmethod
    def kind(cls) -> str:
        return "digest method"

    def digest(self, data: bytes) -> bytes:
        if self.hash_class is None:
            raise NotImplementedError(f"{self.label} is not implemented")
        if not isinstance(self.hash_class, type):
            return self.hash_class(data)
        hasher = hashes.Hash(self.hash_class())
        hasher.update(data)
        return hasher.finalize()


class SignatureMethod(_Identifier):
    RSA_SHA256 = (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "RSA-SHA256", _ALLOWED,
        SignatureFamily.RSA, DigestMethod.SHA256,
    )
    RSA_SHA384 = (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "RSA-SHA384", _ALLOWED,
        SignatureFamily.RSA, DigestMethod.SHA384,
    )
    RSA_SHA512 = (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "RSA-SHA512", _ALLOWED,
        SignatureFamily.RSA, DigestMethod.SHA512,
    )
    ECDSA_SHA256 = (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "ECDSA-SHA256", _ALLOWED,
        SignatureFamily.ECDSA, DigestMethod.SHA256,
    )
    ECDSA_SHA384 = (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "ECDSA-SHA384", _ALLOWED,
        SignatureFamily.ECDSA, DigestMethod.SHA384,
    )
    ECDSA_SHA512 = (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "ECDSA-SHA512", _ALLOWED,
        SignatureFamily.ECDSA, DigestMethod.SHA512,
    )
    RSA_SHA224 = (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224", "RSA-SHA224", _REFUSED,
        SignatureFamily.RSA, DigestMethod.SHA224,
    )
    RSA_SHA1 = (
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "RSA-SHA1", _REFUSED,
        SignatureFamily.RSA, DigestMethod.SHA1,
    )
    RSA_MD5 = (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5", "RSA-MD5", _REFUSED,
        SignatureFamily.RSA, DigestMethod.MD5,
    )
    ECDSA_SHA1 = (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", "ECDSA-SHA1", _REFUSED,
        SignatureFamily.ECDSA, DigestMethod.SHA1,
    )
    ECDSA_SHA224 = (
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224", "ECDSA-SHA224", _REFUSED,
        SignatureFamily.ECDSA, DigestMethod.SHA224,
    )
    DSA_SHA1 = (
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1", "DSA-SHA1", _REFUSED,
        SignatureFamily.DSA, DigestMethod.SHA1,
    )
    DSA_SHA256 = (
        "http://www.w3.org/2009/xmldsig11#dsa-sha256", "DSA-SHA256", _REFUSED,
        SignatureFamily.DSA, DigestMethod.SHA256,
    )
    # a shared secret proves nothing about who signed: every HMAC of XML-DSig and RFC 6931
    # (and any other URI that says HMAC, see ``is_hmac``) is refused, whatever its hash
    HMAC_SHA1 = (
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "HMAC-SHA1", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.SHA1,
    )
    HMAC_SHA224 = (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha224", "HMAC-SHA224", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.SHA224,
    )
    HMAC_SHA256 = (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "HMAC-SHA256", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.SHA256,
    )
    HMAC_SHA384 = (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384", "HMAC-SHA384", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.SHA384,
    )
    HMAC_SHA512 = (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512", "HMAC-SHA512", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.SHA512,
    )
    HMAC_MD5 = (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-md5", "HMAC-MD5", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.MD5,
    )
    HMAC_RIPEMD160 = (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-ripemd160", "HMAC-RIPEMD160", _REFUSED,
        SignatureFamily.HMAC, DigestMethod.RIPEMD160,
    )
    GOST34102015_512 = (
        "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512",
        "GOST 34.10-2015 512 bit", _ALLOWED,
        SignatureFamily.GOST, DigestMethod.GOST34112015_512,
    )
    GOST34310 = (
        "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311",
        "GOST 34.310-2004", _NOT_YET,
        SignatureFamily.GOST, DigestMethod.GOST34311,
    )

    def __init__(self, *definition: Any) -> None:
        # (uri, label, acceptance, family, digest_method), as for _Identifier.__new__
        self.family: SignatureFamily = definition[3]
        #: the hash inside the signature, for the "strong only" rule
        self.digest_method: DigestMethod = definition[4]

    @classmethod
    def kind(cls) -> str:
        return "signature method"


def is_hmac(uri: str) -> bool:
    """Whether a SignatureMethod URI names a shared-secret MAC: one of ours of the HMAC
    family, or any other URI with "hmac" in it (an HMAC we do not list is still no
    signature: it would otherwise be INDETERMINATE as merely unknown)."""
    try:
        return SignatureMethod(uri).family is SignatureFamily.HMAC
    except UnknownAlgorithm:
        return "hmac" in uri.lower()


class Canonicalization(_Identifier):
    C14N_10 = (
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "C14N 1.0", _ALLOWED, False, False,
        "1.0",
    )
    C14N_10_WITH_COMMENTS = (
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        "C14N 1.0 with comments", _ALLOWED, False, True, "1.0",
    )
    C14N_11 = (
        "http://www.w3.org/2006/12/xml-c14n11", "C14N 1.1", _ALLOWED, False, False, "1.1",
    )
    C14N_11_WITH_COMMENTS = (
        "http://www.w3.org/2006/12/xml-c14n11#WithComments", "C14N 1.1 with comments",
        _ALLOWED, False, True, "1.1",
    )
    EXCLUSIVE = (
        "http://www.w3.org/2001/10/xml-exc-c14n#", "exclusive C14N", _ALLOWED, True, False,
        "1.0",
    )
    EXCLUSIVE_WITH_COMMENTS = (
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        "exclusive C14N with comments", _ALLOWED, True, True, "1.0",
    )

    def __init__(self, *definition: Any) -> None:
        # (uri, label, acceptance, exclusive, with_comments, version), as above
        self.exclusive: bool = definition[3]
        self.with_comments: bool = definition[4]
        self.version: str = definition[5]

    @classmethod
    def kind(cls) -> str:
        return "canonicalization method"

    @property
    def without_comments(self) -> Canonicalization:
        return {
            Canonicalization.C14N_10_WITH_COMMENTS: Canonicalization.C14N_10,
            Canonicalization.C14N_11_WITH_COMMENTS: Canonicalization.C14N_11,
            Canonicalization.EXCLUSIVE_WITH_COMMENTS: Canonicalization.EXCLUSIVE,
        }.get(self, self)


class Transform(_Identifier):
    """Reference transforms other than canonicalization."""

    ENVELOPED_SIGNATURE = (
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature", "enveloped signature",
    )
    # each of these can make a reference select less than the document, or run code
    XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116", "XPath", _REFUSED
    XPATH_FILTER2 = "http://www.w3.org/2002/06/xmldsig-filter2", "XPath Filter 2.0", _REFUSED
    XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116", "XSLT", _REFUSED
    BASE64 = "http://www.w3.org/2000/09/xmldsig#base64", "base64 decoding", _REFUSED

    @classmethod
    def kind(cls) -> str:
        return "transform"


def transform_of(uri: str) -> Transform | Canonicalization:
    """A reference transform: canonicalization or one of ``Transform``."""
    try:
        return Canonicalization(uri)
    except UnknownAlgorithm:
        pass
    try:
        return Transform(uri)
    except UnknownAlgorithm:
        raise UnknownAlgorithm("transform", uri) from None


# --- canonicalization ------------------------------------------------------------------


def canonicalize(
    node: etree._Element | etree._ElementTree,
    method: Canonicalization,
    *,
    prefixes: Sequence[str] | None = None,
) -> bytes:
    """The canonical form of a whole document (an ``_ElementTree``, top-level processing
    instructions included) or of one element's subtree in its document context.

    ``prefixes`` is the InclusiveNamespaces PrefixList of exclusive canonicalization.
    """
    target: etree._Element | etree._ElementTree
    if isinstance(node, etree._ElementTree):
        apex, target = node.getroot(), node
    else:
        # lxml canonicalizes a subtree by lending it a fake document whose root gets the
        # ancestors' namespace declarations; libxml2 2.14 then writes a spurious xmlns=""
        # on grandchildren when the default namespace was declared above the subtree
        # (a ds:Signature in the default namespace: every xmlsec1 signature made that way
        # failed). Serializing the subtree gives a real document whose root declares every
        # namespace in scope (used or not, as inclusive C14N needs) and avoids the fake root.
        apex = target = etree.fromstring(etree.tostring(node, with_tail=False), parser())
        for name, value in _inherited_xml_attributes(node, method).items():
            apex.set(name, value)
    default_namespace = None
    if method.exclusive and prefixes and "#default" in prefixes:
        default_namespace = _default_namespace_to_render(apex)
    data = etree.tostring(
        target,
        method="c14n",
        exclusive=method.exclusive,
        with_comments=method.with_comments,
        inclusive_ns_prefixes=[p for p in prefixes if p != "#default"] if prefixes else None,
    )
    if default_namespace:
        data = _declare_default_namespace(data, apex, default_namespace)
    return data


def _inherited_xml_attributes(element: etree._Element, method: Canonicalization) -> dict:
    """xml:* attributes the apex of a document subset takes from its omitted ancestors.

    libxml2 does this only for node-sets, and lxml hands it a fake document instead, so an
    xml:lang on the document root was lost from SignedInfo (signxml failed every inclusive
    SignedInfo under such a root). C14N 1.0 imports every xml:* attribute of the nearest
    ancestor that has it; C14N 1.1 imports xml:lang and xml:space, not xml:id, and joins
    the xml:base values of the omitted ancestors (its "xml:base fixup", section 2.4).
    """
    if method.exclusive:
        return {}
    ancestors = list(element.iterancestors())
    names = ("lang", "space", "base", "id") if method.version == "1.0" else ("lang", "space")
    inherited = {}
    for name in names:
        qualified = f"{{{XML_NS}}}{name}"
        if qualified in element.attrib:
            continue
        for ancestor in ancestors:
            if qualified in ancestor.attrib:
                inherited[qualified] = ancestor.get(qualified)
                break
    if method.version == "1.1":
        base = f"{{{XML_NS}}}base"
        bases = [a.attrib[base] for a in reversed(ancestors) if base in a.attrib]
        if bases:
            if base in element.attrib:
                bases.append(element.attrib[base])
            inherited[base] = functools.reduce(urljoin, bases)
    return inherited


def _default_namespace_to_render(apex: etree._Element) -> str | None:
    """For exclusive C14N with "#default" in the PrefixList: the default namespace to add
    to the apex's start tag, or None when lxml's output is already right.

    lxml drops "#default" from the list (it keeps only prefixes its document dictionary
    knows), so the default namespace is rendered the exclusive way, only where an element
    uses it. The "#default" rule renders it as inclusive C14N would: on the apex when one is
    in scope, then wherever it changes. We simulate both renderings and accept only the one
    difference we can mend: the apex alone (e.g. a ds:SignedInfo inside a document with a
    default namespace). Anything else raises ``UnsupportedCanonicalization``.
    """
    apex_default = apex.nsmap.get(None) or ""
    lxml_renders_on_apex = apex.prefix is None and bool(apex_default)
    missing_on_apex = bool(apex_default) and not lxml_renders_on_apex
    # (element, default namespace lxml has rendered above it); every element below the apex
    # must come out the same both ways
    stack = [(child, apex_default if lxml_renders_on_apex else "") for child in _elements(apex)]
    while stack:
        element, rendered_above = stack.pop()
        default = element.nsmap.get(None) or ""
        parent = element.getparent()
        assert parent is not None  # below the apex, every element has one
        inclusive_renders = default != (parent.nsmap.get(None) or "")
        lxml_renders = element.prefix is None and default != rendered_above
        if inclusive_renders != lxml_renders:
            raise UnsupportedCanonicalization(
                "exclusive C14N with '#default' in InclusiveNamespaces cannot be computed "
                f"exactly for <{etree.QName(element).text}> (line {element.sourceline}): "
                "lxml ignores "
                "'#default'"
            )
        below = default if lxml_renders else rendered_above
        stack.extend((child, below) for child in _elements(element))
    return apex_default if missing_on_apex else None


def _elements(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _declare_default_namespace(data: bytes, apex: etree._Element, uri: str) -> bytes:
    # the default namespace sorts before every other namespace node and attribute, so it
    # goes right after the apex's name; a document's top-level PIs come first, each "\n"-ended
    position = 0
    while data.startswith(b"<?", position):
        position = data.index(b"?>", position) + 3
    name = f"<{apex.prefix}:{etree.QName(apex).localname}".encode()
    if not data.startswith(name, position):  # pragma: no cover - c14n output is regular
        raise UnsupportedCanonicalization("cannot find the apex in the canonical form")
    position += len(name)
    return data[:position] + b' xmlns="' + _escape_attribute(uri) + b'"' + data[position:]


def _escape_attribute(value: str) -> bytes:
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), ('"', "&quot;"), ("\t", "&#x9;"),
                         ("\n", "&#xA;"), ("\r", "&#xD;")):
        value = value.replace(raw, escaped)
    return value.encode()
