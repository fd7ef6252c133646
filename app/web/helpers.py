"""Helpers shared by every page: safe redirects, dates in local time, labels."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel import get_locale

from app.documents.states import Action
from app.settings import current_settings
from app.timeutil import local
from app.workdays import holiday_name
from app.workflow.permissions import Task, may


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect after login is a phishing tool."""
    # browsers read a backslash as a slash ("/\\evil.com" is "//evil.com") and drop
    # control characters: neither belongs in a path of ours
    if not target or "\\" in target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def format_moment(moment: datetime | None, with_seconds: bool = False) -> str:
    if moment is None:
        return ""
    shown = local(moment, current_settings().body.zone)
    return shown.strftime("%d.%m.%Y %H:%M:%S" if with_seconds else "%d.%m.%Y %H:%M")


def locale_code() -> str:
    """The user's language as the formats' labels know it ("ru", "kk" or "en")."""
    return str(get_locale() or "ru")


def coded_label(item) -> str:
    """A coded value from app.formats in the user's language."""
    if item is None:
        return ""
    return item.label_in(locale_code())


def holiday_label(day) -> str:
    """The public holiday on ``day`` named in the user's language (app.workdays)."""
    return holiday_name(day, locale_code())


def register_template_helpers(app: Flask) -> None:
    from app.web.labels import LABELS

    # who may do what, asked by the template that shows the button (app/workflow/permissions)
    app.jinja_env.globals.update(may=may, Action=Action, Task=Task)
    # the desks' sort and filter form (app/web/desklist.py)
    from app.documents.states import DocumentState
    from app.web.desklist import DUE_CHOICES, SORT_CHOICES

    app.jinja_env.globals.update(desk_states=list(DocumentState), desk_due_choices=DUE_CHOICES,
                                 desk_sort_choices=SORT_CHOICES)
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["coded"] = coded_label
    app.jinja_env.filters["rich"] = render_rich
    app.jinja_env.filters["code_label"] = code_label
    app.jinja_env.filters["holiday_name"] = holiday_label
    # dates, sizes and holidays' names one way per language (app/web/words.py)
    from app.web.words import register_words

    register_words(app)

    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "labels": LABELS,
            "request_path": request.full_path.rstrip("?"),
            "outcome_label": outcome_label,
            "round_label": round_label,
            "home_url": home_url,
            "describe_facts": describe_facts,
        }


def home_url(user) -> str:
    """Where a user's day starts: the desk of their main role."""
    from flask import url_for

    from app.auth.models import Role

    if not getattr(user, "is_authenticated", False):
        return url_for("auth.login")
    roles = user.role_set
    desks = ((Role.CLERK, "registration.inbox"), (Role.HEAD, "resolution.desk"),
             (Role.EXECUTOR, "execution.desk"), (Role.SIGNER, "execution.signing_desk"),
             (Role.ADMIN, "registration.inbox"))
    for role, endpoint in desks:
        if role in roles:
            return url_for(endpoint)
    return url_for("auth.login")


def render_rich(text):
    from app.web.richtext import render

    return render(text)


def outcome_label(code: str) -> str:
    from app.formats.choices import Outcome

    try:
        return Outcome(code).label_in(locale_code())
    except ValueError:
        return code


def round_label(decision) -> str:
    from flask_babel import gettext as _

    return {
        "approved": _("Approved"),
        "returned": _("Returned for rework"),
        "signature_refused": _("Signature refused"),
        "signed": _("Signed and sent"),
    }.get(getattr(decision, "value", decision), str(decision))


def code_label(value, field: str):
    """A code the formats define (a detail's or the document's language), in the user's
    words; anything else as it is."""
    from app.formats.choices import (
        AppealType,
        Language,
        LicenceCategory,
        ReissueReason,
        SanitaryProcedure,
    )

    coded = {"appeal_type": AppealType, "language": Language, "reason": ReissueReason,
             "category": LicenceCategory, "procedure": SanitaryProcedure}.get(field)
    if coded is None or not isinstance(value, str):
        return value
    try:
        return coded(value).label_in(locale_code())
    except ValueError:
        return value


def describe_facts(facts: dict) -> list[str]:
    from app.web.history import describe

    return describe(facts)
