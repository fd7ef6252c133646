"""The shape every document action takes in a view: check the form, run the domain
function in one unit of work, say what happened, go back to the document."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.models import Document
from app.errors import (
    ConfirmationRequired,
    InvalidTransition,
    PermissionDenied,
    QujatError,
    Refused,
    StaleDocument,
)
from app.extensions import db
from app.web.forms import form_problems
from app.web.transaction import unit_of_work
from app.workflow.access import can_see


def visible_document(document_id: int) -> Document:
    """The document, or 404 for anyone it is not meant for: its existence is not shown."""
    document = db.session.get(Document, document_id)
    if document is None or not can_see(current_user, document):
        abort(404)
    return document


def perform(document: Document, form, run: Callable[[], object], *, done: str,
            back: str | None = None):
    back = back or url_for("documents.show", document_id=document.id)
    if not form.validate_on_submit():
        problems = form_problems(form)
        flash(_("Check the form: %(problems)s", problems=problems)
              if problems else _("The form has expired; please try again."), "error")
        return redirect(back)
    try:
        with unit_of_work():
            run()
    except QujatError as exc:
        flash(error_text(exc), "warning" if isinstance(exc, ConfirmationRequired) else "error")
        return redirect(back)
    flash(done, "success")
    if not can_see(current_user, document):
        # the step handed the document on to someone else (a signature refused, say)
        from app.web.helpers import home_url

        return redirect(home_url(current_user))
    return redirect(back)


def body_too_large(limit: int) -> bool:
    """True (and the user told) when the upload is larger than ``limit``; otherwise the
    limit is set on the request, so even a body without a length is cut off there."""
    if request.content_length is not None and request.content_length > limit:
        flash(_("The upload is too large: at most %(mb)s MB.", mb=limit // (1024 * 1024)),
              "error")
        return True
    request.max_content_length = limit
    return False


def error_text(exc: QujatError) -> str:
    if isinstance(exc, StaleDocument):
        return _("The document was changed by someone else meanwhile; the page now shows "
                 "its current state.")
    if isinstance(exc, InvalidTransition):
        return _("This action is not possible in the document's current status.")
    if isinstance(exc, PermissionDenied):
        return _("Your role does not allow this action.")
    if isinstance(exc, Refused) and exc.details.get("indication") == "FAILED":
        return _("A document whose signature is NOT valid cannot be registered; refuse it "
                 "instead.")
    return exc.message
