"""What the document page says about the deadline: the rule, the start day, the days
skipped and why (``templates/documents/_deadline.html``)."""

from __future__ import annotations

from typing import Any

from app.deadlines.service import DeadlineSetup, legal_deadline
from app.documents.models import Document


def deadline_panel(doc: Document, deadlines: DeadlineSetup) -> dict[str, Any]:
    """The legal deadline explained, for a registered document (None before)."""
    if doc.registered_at is None:
        return {"legal_deadline": None}
    return {"legal_deadline": legal_deadline(doc, deadlines)}
