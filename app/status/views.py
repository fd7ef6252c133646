"""Status for the author, without a login: ``GET /api/v1/status?number=…&iin=…`` (or
``bin=``) for the portals and anyone's script, and ``/status``, a small page with a form.
Both count against the same per-address limit and give the same answer for an unknown
number and a wrong IIN/BIN."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _

from app.documents.states import MARK_COLOURS
from app.errors import NoSuchDocument, Refused, TooManyRequests, text
from app.extensions import csrf
from app.settings import current_settings
from app.status.forms import StatusForm
from app.status.lookup import COLOUR_HEX, Status, check_input, find_status, throttle
from app.timeutil import local, utcnow
from app.web.helpers import coded_label
from app.web.kinds import KIND_LABELS

bp = Blueprint("status", __name__)


def _count_request() -> None:
    settings = current_settings()
    throttle(request.remote_addr or "", now=utcnow(), limit=settings.status_lookups,
             window=timedelta(seconds=settings.status_window_seconds))


@bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    if request.path.startswith("/api/"):
        response = jsonify({"error": exc.code, "message": text(exc)})
        response.status_code = 429
    else:
        response = _page(StatusForm(), message=text(exc), code=429)
    response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response


def _as_json(status: Status) -> dict:
    zone = current_settings().body.zone
    return {
        "number": status.number,
        "registered_on": (local(status.registered_at, zone).date().isoformat()
                          if status.registered_at else None),
        "kind": status.kind,
        "kind_label": str(KIND_LABELS.get(status.kind, status.kind)),
        "status": {"code": status.state.value, "label": str(status.state.label),
                   "colour": status.colour, "colour_hex": COLOUR_HEX[status.colour]},
        "deadline": status.due_date.isoformat() if status.due_date else None,
        "marks": [{"kind": mark.kind.value, "label": coded_label(mark.kind),
                   "colour": MARK_COLOURS[mark.kind],
                   "at": local(mark.at, zone).isoformat()} for mark in status.marks],
    }


@bp.get("/api/v1/status")
@csrf.exempt  # a GET that changes nothing but the rate counter; no cookie is read
def api():
    _count_request()
    iin, bin_ = request.args.get("iin"), request.args.get("bin")
    if (iin is None) == (bin_ is None):
        raise Refused(_("Give either iin or bin, not both."), code="iin_or_bin")
    number, identifier = check_input(request.args.get("number", ""), iin or bin_ or "")
    status = find_status(number, identifier, as_="iin" if iin is not None else "bin")
    return jsonify(_as_json(status))


def _page(form: StatusForm, *, status: Status | None = None, message: str | None = None,
          code: int = 200) -> Response:
    page = render_template("status/page.html", form=form, status=status, message=message,
                           kind_labels=KIND_LABELS, mark_colours=MARK_COLOURS)
    return make_response(page, code)


@bp.route("/status", methods=["GET", "POST"])
def page():
    form = StatusForm()
    if request.method == "GET":
        return _page(form)
    _count_request()
    if not form.validate_on_submit():
        return _page(form, code=422)
    try:
        number, identifier = check_input(form.number.data or "", form.identifier.data or "")
        status = find_status(number, identifier)
    except NoSuchDocument as exc:
        return _page(form, message=text(exc), code=404)
    except Refused as exc:
        field = getattr(form, exc.details.get("field", ""), None)
        if field is None:
            return _page(form, message=text(exc), code=422)
        field.errors = [text(exc)]
        return _page(form, code=422)
    return _page(form, status=status)

