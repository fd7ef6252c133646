"""Sorting and filtering the desks' lists (the head's tabs, "my documents", "to sign"):
by status, kind and deadline, in the query, from the page's GET form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.documents.models import Document
from app.documents.states import DocumentState

#: the deadline filter's choices
DUE_CHOICES = {
    "overdue": _l("Overdue"),
    "today": _l("Due today"),
    "week": _l("Due within 7 days"),
    "none": _l("No deadline"),
}
#: the orders a list can take
SORT_CHOICES = {
    "deadline": _l("Deadline, nearest first"),
    "received": _l("Received, oldest first"),
    "newest": _l("Received, newest first"),
    "number": _l("Registration number"),
}


@dataclass(frozen=True, kw_only=True)
class DeskFilter:
    state: str = ""
    kind: str = ""
    due: str = ""
    sort: str = ""

    @classmethod
    def from_args(cls, args) -> DeskFilter:
        """From a query string: anything unknown filters nothing."""
        state = args.get("state", "")
        return cls(state=state if state in {s.value for s in DocumentState} else "",
                   kind=args.get("kind", "")[:40],
                   due=args.get("due", "") if args.get("due") in DUE_CHOICES else "",
                   sort=args.get("sort", "") if args.get("sort") in SORT_CHOICES else "")

    @property
    def active(self) -> bool:
        return bool(self.state or self.kind or self.due or self.sort)

    def apply(self, stmt: Select, *, today: date, default_order: tuple = ()) -> Select:
        if self.state:
            stmt = stmt.where(Document.state == DocumentState(self.state))
        if self.kind:
            stmt = stmt.where(Document.kind == self.kind)
        if self.due == "overdue":
            stmt = stmt.where(Document.due_date < today)
        elif self.due == "today":
            stmt = stmt.where(Document.due_date == today)
        elif self.due == "week":
            stmt = stmt.where(Document.due_date >= today,
                              Document.due_date <= today + timedelta(days=7))
        elif self.due == "none":
            stmt = stmt.where(Document.due_date.is_(None))
        order = {
            # documents without a deadline after those with one, on both databases
            "deadline": (Document.due_date.asc().nulls_last(), Document.id),
            "received": (Document.received_at, Document.id),
            "newest": (Document.received_at.desc(), Document.id.desc()),
            "number": (Document.registration_number, Document.id),
        }.get(self.sort, default_order)
        return stmt.order_by(None).order_by(*order) if order else stmt


def days_left(due: date | None, today: date) -> int | None:
    """Calendar days until the deadline: 0 is "due today", negative is overdue."""
    return None if due is None else (due - today).days
