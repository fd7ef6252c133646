"""The reply's light formatting: whatever a draft's author types reaches the page as text;
only our own tags (paragraphs, line breaks, lists, bold) are markup."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from markupsafe import Markup

from app.web.richtext import render

#: the only markup render() may produce: bare tags, never an attribute
OUR_TAGS = {"p", "br", "ul", "li", "b"}

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "**<script>alert(1)</script>**",
    "**<b onclick=alert(1)>x</b>**",
    "**</b><script>alert(1)</script><b>**",
    "<scr<script>ipt>alert(1)</script>",
    "- <a href='javascript:alert(1)'>x</a>\n- **<svg onload=alert(1)>**",
    "• <iframe src=//evil.com></iframe>",
    "<!-- a comment --><style>*{}</style>",
    "&lt;script&gt; already escaped &amp; once",
    Markup("<script>alert('marked safe')</script>"),
]


def tags(html: str) -> list[str]:
    return re.findall(r"<[^>]*>", html)


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_typed_becomes_markup(text):
    html = str(render(text))
    for tag in tags(html):
        assert re.fullmatch(r"</?([a-z]+)>", tag) and tag.strip("</>") in OUR_TAGS, (tag, html)
    # the text itself is all there, escaped, for the reader to see
    assert "<script" not in html and "<img" not in html and "<svg" not in html


def test_script_tags_and_attributes_are_shown_escaped():
    assert render("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert render('x" onclick="y') == "<p>x&#34; onclick=&#34;y</p>"
    assert render("<img src=x onerror=alert(1)>") == (
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>")


def test_bold_around_html_bolds_the_escaped_text():
    assert render("**<i>x</i>**") == "<p><b>&lt;i&gt;x&lt;/i&gt;</b></p>"
    assert render("**a** and **b**") == "<p><b>a</b> and <b>b</b></p>"
    # an entity typed as text stays text: escaped once more, never decoded
    assert render("**&lt;b&gt;**") == "<p><b>&amp;lt;b&amp;gt;</b></p>"
    # bold never spans lines, so a tag is never left open
    assert render("**a\nb**") == "<p>**a<br>b**</p>"
    assert render("****") == "<p>****</p>"


def test_lists_paragraphs_and_line_breaks():
    assert render("- one\n- **two**\n- <i>three</i>") == (
        "<ul><li>one</li><li><b>two</b></li><li>&lt;i&gt;three&lt;/i&gt;</li></ul>")
    assert render("• one\n• two") == "<ul><li>one</li><li>two</li></ul>"
    # a block is a list only when every line is an item
    assert render("- one\nnot an item") == "<p>- one<br>not an item</p>"
    assert render("first\nline\n\n\n  \nsecond") == "<p>first<br>line</p><p>second</p>"
    assert render("") == "" and render(None) == ""


def test_the_page_shows_it_escaped_once(app):
    with app.test_request_context():
        page = render_template_string("{{ text|rich }}", text="**<script>x</script>** & y")
    assert page == "<p><b>&lt;script&gt;x&lt;/script&gt;</b> &amp; y</p>"
