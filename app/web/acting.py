"""The shape every document action takes in a view: check the form, run the domain
function in one unit of work, say what happened, go back to the document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.models import Document
from app.errors import ConfirmationRequired, QujatError, StaleDocument, text
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


#: the form field a refusal concerns, by the refusal's code: when the page is shown again
#: with the posted form, the message stands next to that field, not far above the form
FIELD_OF_CODE: dict[str, str | tuple[str, ...]] = {
    # the resolution names it the extension's reason, the deadline form just the reason
    "deadline_later_without_reason": ("extension_reason", "reason"),
    "deadline_too_far": "due_date",
    "deadline_in_past": "due_date",
    "executor_outside_department": "executor",
    "head_executes_own_resolution": "executor",
    "executor_also_coexecutor": "coexecutors",
    "department_not_below": "department",
    "redirect_body_missing": ("body", "body_code"),
    "state_body_unknown": "body",
    "instruction_incomplete": "text_ru",
    "instruction_unknown": "standard",
    "state_body_incomplete": "name_ru",
    "state_body_bin_invalid": "bin",
    "leave_reason_missing": "reason",
    "reopen_reason_missing": "reason",
    "return_remarks_missing": "remarks",
    "signature_refusal_reason_missing": "remarks",
    "part_empty": "text",
    # the reply's blocking checks at "Submit for approval" (app/execution/checks.py), the
    # parts of one "reply_incomplete"; the register's objections concern the outcome
    "reply_check_outcome": "outcome",
    "reply_check_text": "text",
    "reply_check_grounds": "refusal_grounds",
    "reply_check_licence_unknown": "outcome",
    "reply_check_licence_known": "outcome",
    # control of execution (app/control/)
    "extension_not_later": "due_date",
    "extension_past_limit": "due_date",
    "extension_reason_missing": "reason",
    "extension_request_reason_missing": "reason",
    "extension_refusal_reason_missing": "reason",
    "suspension_reason_missing": "reason",
    "email_invalid": "email",
    # registration and the co-executors' contributions
    "refusal_reason_unexplained": "text",
    "signature_indeterminate": "confirm_indeterminate",
    "file_empty": "file",
    "file_name_unfit": "file",
    "reply_files_too_many": "file",
    "reply_files_too_large": "file",
    "visit_too_early": "day",
    # the administrator's forms (the body's structure, users)
    "department_code_taken": "code",
    "department_name_missing": "name",
    "department_not_found": ("department", "parent"),
    "department_without_head": "department",
    "region_unknown": "region",
    "district_unknown": "district",
    "iin_invalid": "iin",
    "login_taken": "login",
    "roles_empty": "roles",
    "own_admin_role": "roles",
    "own_lockout": "active",
    "password_too_short": ("new", "password"),
    "not_a_head": "head",
    "deadline_rule_clash": "valid_from",
    "calendar_day_already_working": "day",
    "calendar_day_already_off": "day",
    # the official's key at signing (app/execution/signing.py): a wrong password is the
    # likeliest reason a key does not open
    "key_unreadable": "password",
    "key_too_large": "key",
    "key_iterations_too_many": "key",
    "key_not_yours": "key",
    "key_not_for_state_body": "key",
    "journal_pattern_unformattable": "pattern",
    "journal_pattern_without_seq": "pattern",
    "journal_pattern_kk_unformattable": "pattern_kk",
    "journal_pattern_kk_without_seq": "pattern_kk",
}

#: Render = a callback that renders the page again with the posted form in place
Render = Callable[[], Any]


def _place(form, exc: QujatError) -> list[str]:
    """The refusal's message put on the field it concerns (each of its parts on its own,
    when it gathers several); what found no field is returned, to be said above the form."""
    if exc.parts:
        return [message for part in exc.parts for message in _place(form, part)]
    names = FIELD_OF_CODE.get(getattr(exc, "code", "") or "", ())
    for name in (names,) if isinstance(names, str) else names:
        if form is not None and name in form._fields:
            form[name].errors = [*form[name].errors, text(exc)]
            return []
    return [text(exc)]


def act(form, run: Callable[[], Any], *, done: str | Callable[[Any], str], back: str,
        render: Render | None = None):
    """Check the form, run the domain function in one unit of work, say what happened (or,
    for a refusal, why, in the reader's words). Returns the redirect back when refused,
    None when done. ``form`` None: the view validated it already.

    ``render`` given: a refused form is not thrown away by a redirect; the page is shown
    again (422) with what the user entered, each message next to its field."""
    if form is not None and not form.validate_on_submit():
        problems = form_problems(form)
        if render is not None:
            if not problems:
                flash(_("The form has expired; please try again."), "error")
            return render(), 422
        flash(_("Check the form: %(problems)s", problems=problems)
              if problems else _("The form has expired; please try again."), "error")
        return redirect(back)
    try:
        with unit_of_work():
            result = run()
    except QujatError as exc:
        if render is not None:
            if isinstance(exc, StaleDocument):
                flash(text(exc), "error")
                flash(_("What you entered is kept below: check it against the document "
                        "as it is now and apply it again."), "warning")
            else:
                for message in _place(form, exc):
                    flash(message, "warning" if isinstance(exc, ConfirmationRequired)
                          else "error")
            return render(), 409 if isinstance(exc, StaleDocument) else 422
        flash(text(exc), "warning" if isinstance(exc, ConfirmationRequired) else "error")
        return redirect(back)
    flash(done(result) if callable(done) else done, "success")
    return None


def posted_form(name: str):
    """The form the user posted, when the document page is shown again after a refusal
    (``show_document_again``); None otherwise. Panels build their own form only then."""
    return g.get("posted_forms", {}).get(name)


def show_document_again(document: Document, **forms) -> Render:
    """A ``render`` for ``act``/``perform``: the document page again, with these posted
    forms (by the panel's name for them) in place of fresh ones."""
    def render():
        g.posted_forms = forms
        return current_app.view_functions["documents.show"](document_id=document.id)
    return render


def perform(document: Document, form, run: Callable[[], Any], *,
            done: str | Callable[[Any], str], back: str | None = None,
            render: Render | None = None, then: str | None = None):
    """``act`` on a document: afterwards back to it (or to ``then``), or to the user's desk
    when the step handed it on to someone the user can no longer follow (a signature
    refused, say)."""
    back = back or url_for("documents.show", document_id=document.id)
    refused = act(form, run, done=done, back=back, render=render)
    if refused is not None:
        return refused
    if not can_see(current_user, document):
        from app.web.helpers import home_url

        return redirect(home_url(current_user))
    return redirect(then or back)


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
