"""Optimistic locking as the desks see it: a form carries the version it was rendered from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.documents.models import Document
from app.errors import StaleDocument


def check_version(document: Document, expected_version: int | None) -> None:
    """A newer version than the form's means someone acted meanwhile: refuse, never merge.
    (Two requests that read the same version both pass here; the version column then lets
    only the first UPDATE through, and the second becomes StaleDocument at commit.)"""
    if expected_version is not None and expected_version != document.version:
        raise StaleDocument(
            _l("The document was changed meanwhile; reload it and try again."),
            document_id=document.id, expected_version=expected_version,
            version=document.version,
        )
