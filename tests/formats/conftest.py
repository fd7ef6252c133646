"""Helpers for the exchange-format tests."""

from __future__ import annotations

from lxml import etree

#: what the verifier is expected to use: no DTD, no network, and huge_tree because one
#: attachment over ~7.5 MB is a base64 text node past libxml2's 10 MB default limit
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
)


def reparse(data: bytes | etree._Element) -> etree._Element:
    """Bytes, or a tree serialised first, parsed as a received document would be."""
    if isinstance(data, etree._Element):
        data = etree.tostring(data)
    return etree.fromstring(data, PARSER)
