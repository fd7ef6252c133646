"""Hardened parsing: what we refuse before and after libxml2 reads a document."""

from __future__ import annotations

import base64
import os
import threading
import time

import pytest
from lxml import etree

from app.xmlsig.errors import DocumentTooLarge, InvalidInput
from app.xmlsig.parsing import new_parser, parse_xml, parser
from app.xmlsig.policy import DEFAULT_MAX_DOCUMENT_BYTES

LIMITS = {"max_bytes": 1_000_000, "max_depth": 64}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz a="&lol9;">&lol9;</lolz>"""


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"x" + b"</a>" * depth


def test_a_plain_document_parses_with_comments_and_processing_instructions_kept():
    tree = parse_xml(b'<?pi data?><appeal><!-- note --><text>\xd0\x9f</text></appeal>', **LIMITS)

    assert tree.getroot().findtext("text") == "П"
    assert isinstance(tree.getroot()[0], etree._Comment)
    assert isinstance(tree.getroot().getprevious(), etree._ProcessingInstruction)


def test_malformed_xml_is_refused_with_its_line():
    with pytest.raises(InvalidInput, match=r"not well-formed XML: .*\(line 3\)"):
        parse_xml(b"<appeal>\n<text>\n</appeal>", **LIMITS)


def test_a_doctype_with_entities_is_refused_before_parsing():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY who "me">]>\n<a>&who;</a>'

    with pytest.raises(InvalidInput, match=r"DOCTYPE declaration is not accepted \(line 2\)"):
        parse_xml(data, **LIMITS)


def test_any_doctype_is_refused_even_without_entities():
    with pytest.raises(InvalidInput, match="DOCTYPE"):
        parse_xml(b"<!-- x --><!DOCTYPE a><a/>", **LIMITS)


def test_an_external_entity_is_refused_and_never_read():
    data = b'<!DOCTYPE a [<!ENTITY secret SYSTEM "file:///etc/passwd">]><a>&secret;</a>'

    with pytest.raises(InvalidInput, match="DOCTYPE"):
        parse_xml(data, **LIMITS)


def test_billion_laughs_is_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match=r"DOCTYPE declaration is not accepted \(line 2\)"):
        parse_xml(BILLION_LAUGHS, **LIMITS)
    assert time.perf_counter() - started < 0.5


def test_a_doctype_in_a_utf16_document_is_refused_too():
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'

    with pytest.raises(InvalidInput, match="DOCTYPE"):
        parse_xml(data.encode("utf-16"), **LIMITS)


def test_an_undeclared_entity_is_not_well_formed():
    with pytest.raises(InvalidInput, match="not well-formed"):
        parse_xml(b"<a>&nbsp;</a>", **LIMITS)


def test_oversized_input_is_refused_before_parsing():
    data = b"<a>" + b"x" * 2000 + b"</a"  # malformed too: the size must be what stops it

    with pytest.raises(DocumentTooLarge, match="2,006 bytes, more than the limit of 1,000"):
        parse_xml(data, max_bytes=1000, max_depth=64)


def test_the_depth_limit_is_inclusive():
    assert parse_xml(nested(64), **LIMITS).getroot().tag == "a"


def test_deeper_nesting_is_refused_naming_the_limit_and_line():
    data = b"<a>\n" * 65 + b"</a>" * 65

    with pytest.raises(InvalidInput, match=r"more than 64 levels deep \(line 65\)"):
        parse_xml(data, **LIMITS)


def test_nesting_beyond_what_libxml2_allows_is_refused_as_well():
    with pytest.raises(InvalidInput):
        parse_xml(nested(100_000), max_bytes=10_000_000, max_depth=64)


def test_xinclude_is_never_processed():
    data = (b'<a xmlns:xi="http://www.w3.org/2001/XInclude">'
            b'<xi:include href="/etc/passwd" parse="text"/></a>')

    root = parse_xml(data, **LIMITS).getroot()

    assert root[0].tag == "{http://www.w3.org/2001/XInclude}include"
    assert root.text is None


def test_a_text_node_larger_than_libxml2s_default_limit_parses():
    # a 30 MB attachment is one ~40 MB base64 text node; libxml2 refuses text nodes over
    # 10 MB unless huge_tree is on
    attachment = base64.b64encode(os.urandom(8 * 1024 * 1024))  # 10.7 MB of base64
    data = b"<appeal><attachment>" + attachment + b"</attachment></appeal>"

    tree = parse_xml(data, max_bytes=DEFAULT_MAX_DOCUMENT_BYTES, max_depth=64)

    assert len(tree.getroot()[0].text) == len(attachment)


def test_each_thread_gets_its_own_parser():
    seen = {}

    def remember(name):
        seen[name] = parser()

    threads = [threading.Thread(target=remember, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen["one"] is not seen["two"]
    assert parser() is parser()


def test_threads_parse_concurrently_without_interfering():
    documents = [f"<d><n>{i}</n>{'<x/>' * 2000}</d>".encode() for i in range(8)]
    results: dict[int, str] = {}

    def work(i):
        for _ in range(20):
            results[i] = parse_xml(documents[i], **LIMITS).getroot().findtext("n")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {i: str(i) for i in range(8)}


def test_the_parser_configuration_resolves_nothing():
    data = b'<!DOCTYPE a [<!ENTITY e "expanded">]><a>&e;</a>'

    # the factory's parser alone, without parse_xml's DOCTYPE refusal in front of it
    root = etree.fromstring(data, new_parser())

    assert "expanded" not in etree.tostring(root).decode()
