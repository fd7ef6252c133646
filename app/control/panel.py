"""What control of execution puts on the document page: the record of requests and
decisions, the forms the user may act with, and how long is left to redirect a document
waiting for a resolution."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import User
from app.control.forms import (
    ExtendForm,
    RefuseExtensionForm,
    RequestExtensionForm,
    ResumeForm,
    SuspendForm,
)
from app.control.service import (
    RedirectWindow,
    decisions,
    extension_limit,
    pending_request,
    redirect_window,
)
from app.documents.models import Document
from app.documents.states import Action
from app.timeutil import day_text
from app.web.acting import posted_form
from app.web.forms import set_anew
from app.workflow.deadlines import DeadlineRules
from app.workflow.permissions import may


def control_panel(doc: Document, user: User, *, rules: DeadlineRules,
                  today: date) -> dict[str, Any]:
    version = {"version": doc.version}
    window = redirect_window(doc, rules=rules, today=today)
    pending = pending_request(doc)
    out: dict[str, Any] = {
        "redirect_window": redirect_words(window) if window else None,
        "redirect_late": window is not None and window.left < 0,
        "control_decisions": decisions(doc),
        "pending_request": pending,
        "extension_limit": None,
        "extend_form": None,
        "refuse_extension_form": None,
        "request_extension_form": None,
        "suspend_form": None,
        "resume_form": None,
    }
    heads = may(user, Action.EXTEND, doc)
    if heads or may(user, Action.REQUEST_EXTENSION, doc):
        out["extension_limit"] = extension_limit(doc, rules)
    if heads:
        extend = _again("extend_form", doc)
        if extend is None:
            extend = ExtendForm(**version)
            if pending is not None:
                extend.due_date.data = pending.due
                extend.reason.data = pending.reason
                extend.request.data = pending.id
        out["extend_form"] = extend
    if pending is not None and may(user, Action.REFUSE_EXTENSION, doc):
        out["refuse_extension_form"] = _again("refuse_extension_form", doc) or \
            RefuseExtensionForm(**version)
    if pending is None and may(user, Action.REQUEST_EXTENSION, doc):
        out["request_extension_form"] = _again("request_extension_form", doc) or \
            RequestExtensionForm(**version)
    if doc.suspended_since is None and may(user, Action.SUSPEND, doc):
        out["suspend_form"] = _again("suspend_form", doc) or SuspendForm(**version)
    if doc.suspended_since is not None and may(user, Action.RESUME, doc):
        out["resume_form"] = _again("resume_form", doc) or ResumeForm(**version)
    return out


def redirect_words(window: RedirectWindow) -> str:
    """"redirect by: 17.11.2026, 2 working days left", in the reader's language."""
    if window.left < 0:
        return _("redirect by: %(date)s, the limit has passed", date=day_text(window.by))
    if window.left == 0:
        return _("redirect by: %(date)s, today is the last day", date=day_text(window.by))
    return ngettext("redirect by: %(date)s, %(num)d working day left",
                    "redirect by: %(date)s, %(num)d working days left",
                    window.left, date=day_text(window.by))


def _again(name: str, doc: Document):
    """The form as the user posted it when the page is shown again after a refusal, set
    to the document's current version so that applying it again is their decision."""
    form = posted_form(name)
    if form is not None:
        set_anew(form.version, doc.version)
    return form
