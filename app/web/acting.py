"""The shape every document action takes in a view: check the form, run the domain
function in one unit of work, say what happened, go back to the document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.models import Document
from app.errors import ConfirmationRequired, QujatError, text
from app.extensions import db
from app.web.forms import form_problems
from app.web.transaction import unit_of_work
from app.workflow.permissions import can_see


def visible_document(document_id: int) -> Document:
    """The document, or 404 for anyone it is not meant for: its existence is not shown."""
    document = db.session.get(Document, document_id)
    if document is None or not can_see(current_user, document):
        abort(404)
    return document


def act(form, run: Callable[[], Any], *, done: str | Callable[[Any], str], back: str):
    """Check the form, run the domain function in one unit of work, say what happened (or,
    for a refusal, why, in the reader's words). Returns the redirect back when refused,
    None when done. ``form`` None: the view validated it already."""
    if form is not None and not form.validate_on_submit():
        problems = form_problems(form)
        flash(_("Check the form: %(problems)s", problems=problems)
              if problems else _("The form has expired; please try again."), "error")
        return redirect(back)
    try:
        with unit_of_work():
            result = run()
    except QujatError as exc:
        flash(text(exc), "warning" if isinstance(exc, ConfirmationRequired) else "error")
        return redirect(back)
    flash(done(result) if callable(done) else done, "success")
    return None


def perform(document: Document, form, run: Callable[[], Any], *,
            done: str | Callable[[Any], str], back: str | None = None):
    """``act`` on a document: afterwards back to it, or to the user's desk when the step
    handed it on to someone the user can no longer follow (a signature refused, say)."""
    back = back or url_for("documents.show", document_id=document.id)
    refused = act(form, run, done=done, back=back)
    if refused is not None:
        return refused
    if not can_see(current_user, document):
        from app.web.helpers import home_url

        return redirect(home_url(current_user))
    return redirect(back)


def size_in_words(size: int) -> str:
    """A size limit as a person reads it, in their language: whole kilobytes under a
    megabyte (a key container's 80 KB), megabytes with one decimal from there on."""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(size // 1024, format="#,##0"))
    return _("%(size)s MB", size=format_decimal(size / (1024 * 1024), format="#,##0.0"))


def body_too_large(limit: int) -> bool:
    """True (and the user told) when the upload is larger than ``limit``; otherwise the
    limit is set on the request, so even a body without a length is cut off there."""
    if request.content_length is not None and request.content_length > limit:
        flash(_("The upload is too large: at most %(size)s.", size=size_in_words(limit)),
              "error")
        return True
    request.max_content_length = limit
    return False
