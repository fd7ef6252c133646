"""From the exchange format to what the desk stores and shows."""

from __future__ import annotations

from typing import Any

from app.formats.model import IncomingDocument


def journal_kind(incoming: IncomingDocument) -> str:
    """The kind a journal registers: appeals split by author, applications by subtype."""
    if incoming.kind.value == "appeal":
        return "appeal_legal" if incoming.author.bin else "appeal_individual"
    return incoming.subtype.value


def content_of(incoming: IncomingDocument) -> dict[str, Any]:
    """The document as JSON for the document page, attachments by reference only."""
    from app.formats.jsoncodec import document_to_json

    return document_to_json(incoming, contents=False)
