"""The working draft of a reply, made when an executor is named."""

from __future__ import annotations

from sqlalchemy import select

from app.execution.checks import APPEAL_PROCEDURE_TEMPLATE
from app.execution.models import Draft
from app.extensions import db
from app.intake.models import Document


def ensure_draft(document: Document) -> Draft:
    """The document's draft, created in the appeal's language with the appeal procedure
    pre-filled (the law asks every answer to say how to appeal)."""
    draft = db.session.scalar(select(Draft).where(Draft.document_id == document.id))
    if draft is None:
        language = document.language if document.language in ("kk", "ru") else "ru"
        draft = Draft(document_id=document.id, language=language,
                      appeal_procedure=APPEAL_PROCEDURE_TEMPLATE[language])
        db.session.add(draft)
        db.session.flush()
    return draft
