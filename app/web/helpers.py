"""Helpers shared by every page: safe redirects, dates in local time, labels."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import get_locale

from app.timeutil import local


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect after login is a phishing tool."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def format_moment(moment: datetime | None, with_seconds: bool = False) -> str:
    if moment is None:
        return ""
    shown = local(moment, current_app.config["QUJAT_TIMEZONE"])
    return shown.strftime("%d.%m.%Y %H:%M:%S" if with_seconds else "%d.%m.%Y %H:%M")


def locale_code() -> str:
    """The user's language as the formats' labels know it ("ru", "kk" or "en")."""
    return str(get_locale() or "ru")


def coded_label(item) -> str:
    """A coded value from app.formats in the user's language."""
    if item is None:
        return ""
    return item.label_in(locale_code())


def register_template_helpers(app: Flask) -> None:
    from app.web.labels import LABELS

    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["coded"] = coded_label

    @app.context_processor
    def inject():
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "labels": LABELS,
            "request_path": request.full_path.rstrip("?"),
        }
