"""The work a document may ask for: each limit refuses past its count, naming itself, and
lets real documents through."""

from __future__ import annotations

import pytest
from lxml import etree

from app.xmlsig.errors import InvalidInput, LimitExceeded
from app.xmlsig.limits import Limits, check_limits
from app.xmlsig.parsing import parse_xml
from app.xmlsig.shape import DS

SIGNATURE = f'<ds:Signature xmlns:ds="{DS}"/>'


def parse(data: str | bytes, limits: Limits | None = None) -> etree._ElementTree:
    raw = data.encode() if isinstance(data, str) else data
    return parse_xml(raw, max_bytes=10_000_000, max_depth=64, limits=limits or Limits())


def refusal(data: str, limits: Limits | None = None) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as refused:
        parse(data, limits)
    return refused.value


def signed_info(references: int = 1, transforms: int = 2) -> str:
    transform = '<ds:Transform Algorithm="urn:t"/>'
    reference = f"<ds:Reference URI=''><ds:Transforms>{transform * transforms}</ds:Transforms>"
    return (f'<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo>'
            f"{(reference + '</ds:Reference>') * references}</ds:SignedInfo></ds:Signature>")


def test_the_defaults_are_documented_values():
    assert Limits() == Limits(max_signatures=10, max_references=8, max_transforms=8,
                              max_nodes=20_000, max_attributes=32, max_namespaces_in_scope=32,
                              max_namespace_declarations=1_000)


def test_ten_thousand_empty_signatures_are_refused_at_the_eleventh():
    data = "<appeal>\n<text/>\n" + SIGNATURE * 10_000 + "</appeal>"

    refused = refusal(data)

    assert isinstance(refused, InvalidInput)  # the verifier reports it as unreadable input
    assert (refused.limit, refused.maximum, refused.line) == ("max_signatures", 10, 3)
    assert str(refused) == ("the document has more than 10 ds:Signature elements (line 3): "
                            "at most 10 are accepted (max_signatures)")


def test_signatures_count_wherever_they_are():
    data = "<a>" + f"<b>{SIGNATURE}</b>" * 3 + "</a>"

    assert refusal(data, Limits(max_signatures=2)).limit == "max_signatures"
    parse(data, Limits(max_signatures=3))


def test_references_and_transforms_are_counted_per_parent():
    parse(f"<a>{signed_info(references=8, transforms=8)}</a>")

    assert refusal(f"<a>{signed_info(references=9)}</a>").limit == "max_references"
    assert refusal(f"<a>{signed_info(transforms=9)}</a>").limit == "max_transforms"


def test_nodes_count_elements_comments_and_instructions_beside_the_root_too():
    limits = Limits(max_nodes=5)
    parse("<a><b/><!--c--><?p x?></a>", limits)

    assert refusal("<a><b/><!--c--><?p x?><d/><e/></a>", limits).limit == "max_nodes"
    assert refusal("<!--1--><!--2--><a><b/><c/><d/></a>", limits).limit == "max_nodes"


def test_attributes_are_counted_per_element():
    def attributes(count: int) -> str:
        return " ".join(f'a{i}="v"' for i in range(count))

    refused = refusal(f"<a>\n<b {attributes(33)}/></a>")

    assert (refused.limit, refused.line) == ("max_attributes", 2)
    parse(f"<a><b {attributes(32)}/></a>")


def test_namespaces_in_scope_add_up_along_the_path_and_name_the_declaring_element():
    limits = Limits(max_namespaces_in_scope=3)
    # three on the path from the root to any element: accepted, however many siblings
    parse('<a xmlns:p="1"><b xmlns:q="2"><c xmlns:r="3"/></b><d xmlns:s="4"/></a>', limits)

    refused = refusal('<a xmlns:p="1">\n<b xmlns:q="2">\n<!--x-->\n<c xmlns:r="3" '
                      'xmlns:s="4"/></b></a>', limits)

    assert (refused.limit, refused.line) == ("max_namespaces_in_scope", 4)
    # a redundant redeclaration is work all the same
    assert refusal('<a xmlns="u"><b xmlns="u"><c xmlns="u"><d xmlns="u"/></c></b></a>',
                   limits).limit == "max_namespaces_in_scope"


def test_namespace_declarations_are_counted_in_the_whole_document():
    data = "<a>" + "".join(f'<b xmlns:p="{i}"/>' for i in range(11)) + "</a>"

    assert refusal(data, Limits(max_namespace_declarations=10)).limit == (
        "max_namespace_declarations")
    parse(data, Limits(max_namespace_declarations=11))


def test_a_root_with_100_000_declarations_is_refused_at_the_first_one_too_many():
    declarations = " ".join(f'xmlns:p{i}="urn:{i}"' for i in range(100_000))

    refused = refusal(f"<a {declarations}/>")

    assert (refused.limit, refused.line) == ("max_namespaces_in_scope", 1)


def test_a_tree_parsed_without_limits_can_be_checked_afterwards():
    tree = parse_xml(("<a>" + SIGNATURE * 11 + "</a>").encode(), max_bytes=10_000,
                     max_depth=64)

    with pytest.raises(LimitExceeded, match="max_signatures"):
        check_limits(tree, Limits())
    with pytest.raises(LimitExceeded, match="max_signatures"):
        check_limits(tree.getroot(), Limits())


@pytest.mark.parametrize("value", [0, -1, 2.5])
def test_a_limit_must_be_a_positive_integer(value):
    with pytest.raises(ValueError, match="max_nodes must be a positive integer"):
        Limits(max_nodes=value)
