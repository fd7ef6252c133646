"""The domain's exceptions and, in one place, the HTTP answers they map to.

API clients get JSON naming the problem; people get a page in their language. Nobody gets
a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class QujatError(Exception):
    """Base of every refusal Qujat explains to a person or a portal.

    ``status`` is the HTTP answer, ``code`` a stable slug clients may rely on: the class
    gives the kind of refusal, a raise site names its rule with ``code=`` (e.g.
    ``deadline_in_past``). ``details`` are the parameters (JSON-safe values: str, int,
    ISO dates) that name what was wrong. ``message`` is what a person reads: a lazy
    translatable string with named placeholders, ``_l("... %(due)s ...", due=...)``, so it
    is rendered in the reader's language when shown (dates as DD.MM.YYYY, see
    ``app.timeutil.day_text``); ``text(exc)`` is the one place that turns any refusal into
    words.

    ``parts``: when one refusal gathers several (a form that misses more than one thing),
    each on its own with its code and message, so a page says each by the field it
    concerns (``app.web.acting.FIELD_OF_CODE``); ``message`` says them all at once.
    """

    status = 400
    code = "error"

    def __init__(self, message: Any = "", *, code: str | None = None,
                 parts: tuple[QujatError, ...] = (), **details: Any):
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code  # this instance's rule; the class attribute stays the default
        self.parts = parts
        self.details = details


class ConfigError(QujatError):
    """Raised at start-up (or when a feature is first used) when a setting is missing or
    points at something unusable."""

    status = 503
    code = "not_configured"


class InvalidTransition(QujatError):
    """Raised when an action is not allowed from the document's current state."""

    status = 409
    code = "invalid_transition"


class StaleDocument(QujatError):
    """Raised when a form was based on a version of the document that changed meanwhile."""

    status = 409
    code = "changed_meanwhile"


class Refused(QujatError):
    """Raised when a rule forbids the action (e.g. registering a FAILED signature)."""

    status = 422
    code = "refused"


class PermissionDenied(QujatError):
    """Raised when the actor's role does not allow the action."""

    status = 403
    code = "forbidden"


class ConfirmationRequired(QujatError):
    """Raised when an action needs an explicit confirmation (an INDETERMINATE verdict)."""

    status = 409
    code = "confirmation_required"


class KeyRefused(Refused):
    """Raised when the key presented at signing cannot sign for this official; ``details``
    say why (``reason``: wrong password, not her IIN, a citizen's key, revoked, …)."""

    code = "key_refused"


# --- intake ------------------------------------------------------------------------------


class IntakeError(QujatError):
    """Raised when an incoming document cannot be accepted; the bytes are kept anyway."""


class NotXml(IntakeError):
    code = "not_xml"


class NotOurSchema(IntakeError):
    status = 422
    code = "schema_violation"


class TooLarge(IntakeError):
    status = 413
    code = "too_large"


class TooComplex(IntakeError):
    """Raised when a document asks for more work than the trust policy's limits allow
    (signatures, nodes, namespace declarations, ...); ``details`` name the limit."""

    status = 422
    code = "limit_exceeded"


class WrongMediaType(IntakeError):
    status = 415
    code = "unsupported_media_type"


class Unauthenticated(IntakeError):
    status = 401
    code = "unauthenticated"


class Forbidden(IntakeError):
    status = 403
    code = "forbidden"


class DuplicateSenderId(IntakeError):
    """Raised when a sender re-uses its document id for different bytes."""

    status = 409
    code = "sender_id_reused"


def text(exc: QujatError) -> str:
    """What a person reads for a refusal, in their language: the raise site's own words
    where it wrote them, otherwise what the kind of refusal means."""
    if isinstance(exc, StaleDocument):
        return _("The document was changed meanwhile (perhaps in another tab or window); "
                 "the page now shows its current state.")
    if isinstance(exc, InvalidTransition):
        return _("This action is not possible in the document's current status.")
    if isinstance(exc, ConfigError) and not exc.message:
        return _("This part of Qujat is not configured; tell the administrator.")
    if exc.message:
        return str(exc.message)
    if isinstance(exc, PermissionDenied):
        return _("Your role does not allow this action.")
    return _("The request was refused.")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _error_title(status: int) -> str:
    return {
        400: _("The request was refused"),
        401: _("Please log in"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("This action is not possible here"),
        409: _("The document changed or the action is not possible"),
        413: _("The file is too large"),
        422: _("The request was refused"),
        429: _("Too many attempts"),
        500: _("Internal error"),
        503: _("Temporarily unavailable"),
    }.get(status, _("Error"))


def _error_text(status: int) -> str:
    return {
        403: _("Your role does not give access to this page."),
        404: _("There is no such page. Check the address or go back to your desk."),
        405: _("This page cannot be opened this way. Go back to your desk and try again."),
        413: _("The file is larger than Qujat accepts."),
        429: _("Too many attempts; wait a little and try again."),
        500: _("Internal error; it has been logged."),
    }.get(status, _("The request was refused."))


def _error_page(status: int, message: str | None = None) -> str:
    """Every error a person sees: a translated title and text, and a way back to her desk."""
    return render_template("error.html", status=status, title=_error_title(status),
                           message=message or _error_text(status))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(QujatError)
    def domain_error(exc: QujatError):
        if _wants_json():
            body = {"error": exc.code, "message": str(exc.message) or text(exc), **exc.details}
            response = jsonify(body)
            response.status_code = exc.status
            if exc.status == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="qujat-intake"'
            return response
        return _error_page(exc.status, text(exc)), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_json():
            response = jsonify({"error": exc.name.lower().replace(" ", "_"),
                                "message": exc.description})
            response.status_code = exc.code or 500
            return response
        return _error_page(exc.code or 500), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return jsonify({"error": "internal",
                            "message": "Internal error; it has been logged."}), 500
        return _error_page(500), 500


class NoSuchDocument(QujatError):
    """Raised when a status check's number and IIN/BIN do not name one document: the same
    answer whether the number is unknown or belongs to someone else."""

    status = 404
    code = "not_found"


class TooManyRequests(QujatError):
    """Raised when a client address asked too often; ``retry_after`` is in seconds."""

    status = 429
    code = "too_many_requests"
