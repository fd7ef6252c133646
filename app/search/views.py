"""The search page: every role searches what it may see."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.models import Role, User
from app.documents.states import DocumentState
from app.extensions import db
from app.search.queries import LIMIT, SearchQuery, search
from app.web.kinds import KIND_LABELS

bp = Blueprint("search", __name__)

#: a query longer than this is cut: nobody types it, and each word is a LIKE
MAX_QUERY = 200


@bp.get("/search")
@login_required
def results():
    args = request.args
    executor = args.get("executor", "")
    query = SearchQuery(text=args.get("q", "")[:MAX_QUERY], state=args.get("state", ""),
                        kind=args.get("kind", "")[:40],
                        executor_id=int(executor) if executor.isdigit() and len(executor) < 10
                        else None,
                        due_from=_date(args.get("due_from")), due_to=_date(args.get("due_to")))
    found = search(current_user, query)
    return render_template("search/results.html", query=query, found=found, limit=LIMIT,
                           states=list(DocumentState), kind_labels=KIND_LABELS,
                           executors=_executors())


def _date(value: str | None) -> date | None:
    """An ISO date from the form's date field; anything else filters nothing."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _executors() -> list[User]:
    """Everyone who can be named executor, for the filter."""
    users = db.session.scalars(select(User).where(User.active).order_by(User.full_name))
    return [u for u in users if Role.EXECUTOR in u.role_set]
