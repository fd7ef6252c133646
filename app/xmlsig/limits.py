"""How much a document may ask of the verifier: counted in one pass, before any signature
is looked at.

The byte size and the nesting depth are the parser's (``TrustPolicy.max_document_bytes``
and ``max_depth``, see ``parsing``). What else makes verification expensive is counted
here, once, in one walk that stops at the first count past its limit, so refusing costs no
more than the limit itself:

* every enveloped signature costs a canonicalization of the whole document, so their number
  is bounded (``max_signatures``): 10,000 empty ``ds:Signature`` siblings (0.6 MB) kept a
  worker busy past two minutes;
* references and transforms are looked at one by one before the shape rules refuse all but
  one of each, so they are bounded too, generously;
* inclusive canonicalization looks at every namespace declaration in scope at every
  element (libxml2: quadratic in their number, per element): 100 declarations on the root
  of 100,000 empty elements took 5 s, 1,000 on 10,000 a minute. So the declarations in
  scope at any element, the declarations in the whole document, the nodes and the
  attributes of one element are bounded.

The defaults are far above what the portals send: an appeal carries 1-3 signatures (the
citizen's, perhaps a portal's or a service centre's), each with one reference and two
transforms; the largest schema-valid application has about 1,500 elements, a handful of
attributes on any element and fewer than ten namespace declarations in scope. The limits
are part of the trust policy, so a deployment can change them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields

from lxml import etree

from app.xmlsig.errors import LimitExceeded

_DS = "http://www.w3.org/2000/09/xmldsig#"
_SIGNATURE = f"{{{_DS}}}Signature"
_REFERENCE = f"{{{_DS}}}Reference"
_TRANSFORM = f"{{{_DS}}}Transform"


@dataclass(frozen=True)
class Limits:
    """The bounds of the work one document may ask for. Each name is what a refusal
    reports as its ``limit``."""

    #: ds:Signature elements anywhere in the document (real appeals: 1-3)
    max_signatures: int = 10
    #: ds:Reference elements under one parent, i.e. in one ds:SignedInfo (we accept 1)
    max_references: int = 8
    #: ds:Transform elements under one parent, i.e. in one ds:Transforms (we accept 2)
    max_transforms: int = 8
    #: elements, comments and processing instructions in the document (largest valid
    #: application: ~1,500 elements; each signature adds about 15)
    max_nodes: int = 20_000
    #: attributes of one element (ours have at most 3)
    max_attributes: int = 32
    #: namespace declarations on one element and its ancestors together, i.e. in scope
    #: there, redundant redeclarations included (libxml2 walks them all); ours have < 10
    max_namespaces_in_scope: int = 32
    #: namespace declarations in the whole document
    max_namespace_declarations: int = 1_000

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{item.name} must be a positive integer, not {value!r}")


#: what each limit counts, for the refusal's message
_WHAT = {
    "max_signatures": "ds:Signature elements",
    "max_references": "ds:Reference elements in one ds:SignedInfo",
    "max_transforms": "ds:Transform elements in one ds:Transforms",
    "max_nodes": "elements, comments and processing instructions",
    "max_attributes": "attributes on one element",
    "max_namespaces_in_scope": "namespace declarations in scope at one element",
    "max_namespace_declarations": "namespace declarations",
}


def check_limits(tree: etree._ElementTree | etree._Element, limits: Limits) -> None:
    """Raise ``LimitExceeded`` at the first count of ``tree`` past ``limits``; the work done
    is bounded by the limits, not by the document."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    nodes = 0
    declarations = 0
    signatures = 0
    # namespace declarations on each open element, root first; their sum is in scope
    open_declarations: list[int] = []
    in_scope = 0
    pending = 0  # declarations reported before the start of the element that makes them
    per_parent: dict[etree._Element, int] = {}

    def refuse(limit: str, line: int | None) -> LimitExceeded:
        maximum = getattr(limits, limit)
        where = f" (line {line})" if line else ""
        return LimitExceeded(
            f"the document has more than {maximum:,} {_WHAT[limit]}{where}: at most "
            f"{maximum:,} are accepted ({limit})",
            limit=limit, maximum=maximum, line=line,
        )

    # comments and processing instructions beside the root are canonicalized too
    for sibling in itertools.chain(root.itersiblings(preceding=True), root.itersiblings()):
        nodes += 1
        if nodes > limits.max_nodes:
            raise refuse("max_nodes", _line(sibling))
    # the last event that had a node; a declaration is reported before the start of its
    # element, which is the node right after that one
    last: tuple[str, etree._Element] | None = None
    for event, item in etree.iterwalk(root, events=("start", "end", "start-ns", "comment",
                                                    "pi")):
        if event == "start-ns":
            pending += 1
            declarations += 1
            if declarations > limits.max_namespace_declarations:
                raise refuse("max_namespace_declarations", _line(_declaring(root, last)))
            if in_scope + pending > limits.max_namespaces_in_scope:
                raise refuse("max_namespaces_in_scope", _line(_declaring(root, last)))
            continue
        if not isinstance(item, etree._Element):  # pragma: no cover - only start-ns is not
            continue
        last = event, item
        if event == "end":
            in_scope -= open_declarations.pop()
            continue
        nodes += 1
        if nodes > limits.max_nodes:
            raise refuse("max_nodes", _line(item))
        if event != "start":
            continue
        open_declarations.append(pending)
        in_scope += pending
        pending = 0
        if len(item.attrib) > limits.max_attributes:
            raise refuse("max_attributes", _line(item))
        tag = item.tag
        if tag == _SIGNATURE:
            signatures += 1
            if signatures > limits.max_signatures:
                raise refuse("max_signatures", _line(item))
        elif tag in (_REFERENCE, _TRANSFORM):
            parent = item.getparent()
            if parent is not None:
                count = per_parent[parent] = per_parent.get(parent, 0) + 1
                limit = "max_references" if tag == _REFERENCE else "max_transforms"
                if count > getattr(limits, limit):
                    raise refuse(limit, _line(item))


def _declaring(root: etree._Element,
               last: tuple[str, etree._Element] | None) -> etree._Element | None:
    """The element whose namespace declarations are being reported: the root, the first
    child of the element last started, or the node after the one last ended or seen."""
    if last is None:
        return root
    event, item = last
    return item[0] if event == "start" else item.getnext()


def _line(element: etree._Element | None) -> int | None:
    return element.sourceline or None if element is not None else None
