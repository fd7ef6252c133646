"""Completeness (the permits law gives the office two working days for it): the documents
the procedure requires of this applicant that are not among the attachments."""

from __future__ import annotations

from app.documents.models import Document
from app.procedures import RequiredAttachment, missing_attachments, procedure_for


def missing_documents(doc: Document) -> tuple[RequiredAttachment, ...]:
    """What the document's procedure requires and no attachment is; () for a document
    whose content could not be read (its signature failed: nothing to judge)."""
    if not doc.content:
        return ()
    try:
        procedure = procedure_for(doc.kind, doc.content)
    except ValueError:  # a kind no procedure knows: nothing is required of it
        return ()
    return missing_attachments(procedure, doc.content)


def incompleteness_text(missing: tuple[RequiredAttachment, ...], language: str) -> str:
    """The refusal's text naming what is missing, in the reader's language."""
    lead = {"kk": "Қажетті құжаттар жоқ", "ru": "Не представлены документы"}.get(
        language, "Missing documents")
    return f"{lead}: " + "; ".join(item.label_in(language) for item in missing) + "."
