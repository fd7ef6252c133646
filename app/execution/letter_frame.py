"""What frames a signed letter on paper, gathered from the office's records: the body's
names for the letterhead (the directory of state bodies, app/catalogues/), the author's
postal address as the document gave it, the executor who prepared the reply and her
phone. None of it is in the signed XML, and none of it changes what the letter says."""

from __future__ import annotations

from app.catalogues.service import state_body_by_code
from app.documents.models import Document
from app.execution.letter_pdf import LetterFrame


def letter_frame(document: Document, *, body_code: str) -> LetterFrame:
    body = state_body_by_code(body_code)
    executor = document.executor or _last_executor(document)
    return LetterFrame(
        body_kk=body.name_kk if body else "", body_ru=body.name_ru if body else "",
        address=postal_address(document.content or {}),
        executor=executor.full_name if executor else "",
        phone=(executor.phone or "") if executor else "",
    )


def postal_address(content: dict) -> str:
    """The author's postal address as one line, whichever way the portal sent it."""
    address = (content.get("contacts") or {}).get("address") or {}
    if address.get("line"):
        return str(address["line"])
    parts = (address.get("postcode"), address.get("region"), address.get("city"),
             address.get("street_ru") or address.get("street_kk"),
             address.get("house") and f"{address['house']}",
             address.get("flat") and f"кв. {address['flat']}")
    return ", ".join(str(p) for p in parts if p)


def _last_executor(document: Document):
    """The responsible executor of the last assignment, when the document no longer has
    one (closed documents may keep only the resolutions)."""
    for resolution in reversed(document.resolutions):
        if resolution.executor is not None:
            return resolution.executor
    return None
