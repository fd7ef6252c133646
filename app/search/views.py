"""The search page: every role searches what it may see."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.documents.states import DocumentState
from app.search.queries import LIMIT, SearchQuery, search
from app.web.kinds import KIND_LABELS

bp = Blueprint("search", __name__)

#: a query longer than this is cut: nobody types it, and each word is a LIKE
MAX_QUERY = 200


@bp.get("/search")
@login_required
def results():
    query = SearchQuery(text=request.args.get("q", "")[:MAX_QUERY],
                        state=request.args.get("state", ""),
                        kind=request.args.get("kind", ""))
    found = search(current_user, query)
    return render_template("search/results.html", query=query, found=found, limit=LIMIT,
                           states=list(DocumentState), kind_labels=KIND_LABELS)
