"""Hardened XML parsing: the only way bytes from outside become a tree in this package.

What we refuse, and where:

* more than ``max_bytes``: before anything reads the bytes (``DocumentTooLarge``);
* any DOCTYPE: found by scanning the prolog before libxml2 sees the document, so an
  internal subset (entities, billion laughs, external entities) is never processed at all;
  the parsed tree is checked again in case an encoding hid it from the scan;
* nesting deeper than ``max_depth``: after parsing, with one XPath that runs in C;
* more signatures, nodes, namespace declarations, ... than ``limits`` allow, when given:
  after parsing, in one walk that stops at the first excess (``limits.check_limits``).

The parser never resolves entities, loads a DTD or touches the network, and XInclude is
never processed (lxml only does so when asked with ``tree.xinclude()``; nothing here asks).
``huge_tree`` is on because a 30 MB attachment becomes a single ~40 MB base64 text node and
libxml2 refuses text nodes over 10 MB without it; that is only safe because the size is
capped before parsing.
"""

from __future__ import annotations

import re
import threading
from typing import AnyStr

from lxml import etree

from app.xmlsig.errors import DocumentTooLarge, InvalidInput
from app.xmlsig.limits import Limits, check_limits


def new_parser() -> etree.XMLParser:
    """The one parser configuration of this package."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        no_network=True,
        huge_tree=True,
        # we never look elements up by ID (references must be URI=""), and xml:id
        # bookkeeping would only add work and duplicate-ID complaints
        collect_ids=False,
        remove_comments=False,
        remove_pis=False,
        remove_blank_text=False,
        recover=False,
    )


_local = threading.local()


def parser() -> etree.XMLParser:
    """This thread's parser. An lxml parser holds state while it parses, so threads must not
    share one; creating one per thread keeps the configuration in ``new_parser`` alone."""
    current = getattr(_local, "parser", None)
    if current is None:
        current = _local.parser = new_parser()
    return current


def parse_xml(
    data: bytes, *, max_bytes: int, max_depth: int, limits: Limits | None = None
) -> etree._ElementTree:
    """Parse ``data`` or raise ``InvalidInput`` (``DocumentTooLarge`` for size,
    ``LimitExceeded`` past ``limits``) naming the problem and, where known, its line."""
    if not isinstance(data, bytes):
        raise TypeError(f"parse_xml reads bytes, not {type(data).__name__}")
    if len(data) > max_bytes:
        raise DocumentTooLarge(
            f"the document is {len(data):,} bytes, more than the limit of {max_bytes:,}"
        )
    _refuse_doctype(data)
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(f"not well-formed XML: {exc.msg} (line {exc.lineno})") from None
    tree = root.getroottree()
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise InvalidInput("a DOCTYPE declaration is not accepted (line 1)")
    _refuse_depth(tree, max_depth)
    if limits is not None:
        check_limits(tree, limits)
    return tree


# XML declaration, then any whitespace, comments and processing instructions: what may come
# before a DOCTYPE. Single-character whitespace steps keep the pattern free of backtracking.
_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml\s.*?\?>)?(?:[ \t\r\n]|<!--.*?-->|<\?.*?\?>)*", re.S
)
_PROLOG_TEXT = re.compile(r"\ufeff?(?:<\?xml\s.*?\?>)?(?:[ \t\r\n]|<!--.*?-->|<\?.*?\?>)*", re.S)


def _refuse_doctype(data: bytes) -> None:
    encoding = _utf16(data)
    if encoding is None:
        line = _doctype_line(_PROLOG, data, b"<!DOCTYPE", b"\n")
    else:
        # markup characters are two bytes wide here, so read the prolog as text
        text = data.decode(encoding, errors="replace")
        line = _doctype_line(_PROLOG_TEXT, text, "<!DOCTYPE", "\n")
    if line is not None:
        raise InvalidInput(
            f"a DOCTYPE declaration is not accepted (line {line}): "
            "documents may not declare entities or a DTD"
        )


def _doctype_line(pattern: re.Pattern[AnyStr], text: AnyStr, doctype: AnyStr,
                  newline: AnyStr) -> int | None:
    """The line of a DOCTYPE that follows the prolog, or None when there is none."""
    prolog = pattern.match(text)  # every part of the prolog is optional: always matches
    end = prolog.end() if prolog else 0
    if text[end : end + len(doctype)] != doctype:
        return None
    return text[:end].count(newline) + 1


def _utf16(data: bytes) -> str | None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if data[:2] == b"<\x00":
        return "utf-16-le"
    if data[:2] == b"\x00<":
        return "utf-16-be"
    return None


def _refuse_depth(tree: etree._ElementTree, max_depth: int) -> None:
    # /*/*/... with max_depth + 1 steps selects the elements nested one level too deep
    too_deep = "/*" * (max_depth + 1)
    if tree.xpath(f"boolean({too_deep})"):
        first = tree.xpath(f"({too_deep})[1]")[0]
        raise InvalidInput(
            f"elements are nested more than {max_depth} levels deep (line {first.sourceline})"
        )
