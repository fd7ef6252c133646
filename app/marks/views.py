"""``GET /api/v1/marks?since=N``: a portal pulls the signed status marks meant for it."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from app.dbtypes import MAX_ID
from app.documents.senders import sender_for_request
from app.errors import IntakeError
from app.extensions import db
from app.marks.receipt import letters_pulled
from app.marks.service import marks_since
from app.settings import current_settings
from app.timeutil import utcnow

bp = Blueprint("marks", __name__, url_prefix="/api/v1")


class BadCursor(IntakeError):
    code = "bad_since"


@bp.get("/marks")
def pull():
    sender = sender_for_request(request.headers, settings=current_settings())
    raw_since = request.args.get("since", "0")
    try:
        since = int(raw_since)
        limit = min(max(int(request.args.get("limit", "100")), 1), 500)
    except ValueError as exc:
        raise BadCursor("'since' and 'limit' must be whole numbers (the last mark id you hold).",
                        since=raw_since) from exc
    # a mark id is a database integer: anything outside its range is no id we gave out
    if not 0 <= since <= MAX_ID:
        raise BadCursor(f"'since' must be a mark id from 0 to {MAX_ID} (the last one you hold).",
                        since=raw_since)
    # pulling past a mark that carried a letter says the portal has that letter
    if letters_pulled(sender, up_to=since, now=utcnow()):
        db.session.commit()
    marks = marks_since(sender, since=since, limit=limit)
    return jsonify({
        "marks": [
            {
                "id": mark.id,
                "document_id": mark.document_id,
                "sender_document_id": mark.document.sender_document_id,
                "kind": mark.kind.value,
                "created_at": mark.created_at.isoformat(),
                "xml": mark.xml.decode("utf-8"),
                # the signed response letter itself travels with the mark announcing it
                "letter_xml": mark.letter.xml.decode("utf-8") if mark.letter else None,
            }
            for mark in marks
        ],
        "next_since": marks[-1].id if marks else since,
    })
