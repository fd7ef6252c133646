"""The reply's light formatting: paragraphs, "- " lists and **bold**, shown as HTML.

The letter travels as plain text inside the signed XML, so the formatting must read the
same as plain text; that is why it is this small convention and not Markdown or HTML. The
text is escaped first and only our own tags are added, so nothing the author of a draft
types can reach the page as markup.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def render(text: str | None) -> Markup:
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    html: list[str] = []
    for block in blocks:
        if not block.strip():
            continue
        lines = block.splitlines()
        if all(line.lstrip().startswith(("- ", "• ")) for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return Markup("".join(html))


def _inline(line: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", str(escape(line)))
