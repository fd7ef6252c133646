"""Whether an incoming document is addressed to this body: the portal's recipient list
names every state body, and a citizen may pick the wrong one. Such a document is flagged
on its page with the two lawful ways out: refusing registration as not addressed to us,
or registering it and redirecting it by competence."""

from __future__ import annotations

from app.documents.models import Document
from app.formats.model import CodedName
from app.settings import Body


def addressed_elsewhere(document: Document, body: Body) -> CodedName | None:
    """The recipient ``document`` names when it is not ``body`` nor one of the recipients
    the body answers for; None when it is ours, or when the body lists no recipients."""
    if not body.recipients:
        return None
    recipient = (document.content or {}).get("recipient") or {}
    code = recipient.get("code") if isinstance(recipient, dict) else None
    if not code or code == body.code or code in body.recipients:
        return None
    return CodedName(code=str(code), name=str(recipient.get("name") or document.recipient_name))
