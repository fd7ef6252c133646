"""Sorting, filtering and paging the desks' lists (the head's tabs, "my documents", "to
sign"): by status, kind and deadline, in the query, from the page's GET form; a page of
``PAGE_SIZE`` rows at a time, keyset-paged as the clerk's inbox is (page 100 costs what
page 1 costs: the query seeks past the last row shown, on the index of the list's order).
The paging serves any list of rows with an ``id`` (the clerk's undelivered letters are
marks), the order naming the column and so the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from app.dbtypes import MAX_ID
from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db

#: rows on a desk's page: what a person reads before filtering, and what renders quickly
PAGE_SIZE = 50
#: a list is counted up to this many rows; past it the page says "more than"
COUNT_CAP = 1000

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

    @property
    def filters(self) -> bool:
        """True when the list holds fewer rows than the unfiltered one (a sort does not)."""
        return bool(self.state or self.kind or self.due)

    def where(self, stmt: Select, *, today: date) -> Select:
        """The filter's conditions (not its order)."""
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
        return stmt

    def order(self, default: Order) -> Order:
        return SORTS.get(self.sort, default)


@dataclass(frozen=True)
class Order:
    """A list's order: one column then the id of its table, both ascending or both
    descending; rows without a value (no deadline, no number) come last either way, on
    both databases."""

    column: InstrumentedAttribute
    descending: bool = False

    @property
    def ident(self) -> InstrumentedAttribute:
        """The id of the column's table: the tie-break, and the cursor's second half."""
        return self.column.class_.id

    def cursor_of(self, row: Any) -> str:
        value = getattr(row, self.column.key)
        shown = "-" if value is None else "=" + (
            value.isoformat() if isinstance(value, date | datetime) else str(value))
        return f"{shown}|{row.id}"

    def parse(self, raw: str | None) -> tuple[object, int] | None:
        """A cursor this order wrote: (value or None, id); anything else starts over."""
        if not raw or "|" not in raw or raw[0] not in "-=":
            return None
        shown, _, ident = raw.rpartition("|")
        try:
            after_id = int(ident)
            value: object = None
            if shown != "-":
                value = shown[1:]
                kind = getattr(self.column.type, "impl", self.column.type).python_type
                if kind is datetime:
                    moment = datetime.fromisoformat(shown[1:])
                    if moment.tzinfo is None:
                        return None
                    value = moment.astimezone(UTC)
                elif kind is date:
                    value = date.fromisoformat(shown[1:])
                elif len(shown) > 200:
                    return None
        except (ValueError, OverflowError):
            return None
        return (value, after_id) if 0 <= after_id <= MAX_ID else None


#: the orders a list can be sorted in (SORT_CHOICES)
SORTS = {
    "deadline": Order(Document.due_date),
    "received": Order(Document.received_at),
    "newest": Order(Document.received_at, descending=True),
    "number": Order(Document.registration_number),
}


@dataclass(frozen=True)
class DeskPage:
    """One page of a desk's list."""

    rows: list[Any]
    #: the cursor of the next page, None on the last one
    next_cursor: str | None
    #: how many rows the pages before this one showed (from the link that led here)
    start: int
    #: how many documents the list holds (``capped``: counted up to COUNT_CAP, and more)
    total: int
    #: the list's first page (no cursor)
    first: bool = True
    #: the count stopped at COUNT_CAP: the list holds more
    capped: bool = False

    #: the count's cap, for the page's "of more than ..."
    cap = COUNT_CAP

    @property
    def more_than_cap(self) -> bool:
        return self.capped

    @property
    def last_shown(self) -> int:
        return self.start + len(self.rows)


def page_args(args) -> dict[str, str]:
    """The list's query string (its tab, sort and filters) without the page's place."""
    return {k: v for k, v in args.items() if k not in ("after", "start") and v}


def start_of(args) -> int:
    """Rows shown before this page, as the "next" link said (only for "51-100 of ...")."""
    raw = args.get("start", "")
    return min(int(raw), MAX_ID) if raw.isdigit() and len(raw) < 12 else 0


def keyset_page(stmt: Select, order: Order, *, after: str | None = None, start: int = 0,
                size: int = PAGE_SIZE, total: int | None = None,
                options: tuple = ()) -> DeskPage:
    """A page of ``stmt`` (conditions only; its rows documents, or any rows of the
    order's table) in ``order``, after the cursor ``after``.

    Rows with a value are read by a row comparison ``(column, id) > (value, id)``, which
    both databases answer by seeking in the index of the order; those without one (their
    own statement, only on the page where the others run out) by id. ``total``, when the
    caller knows it (a tab's count), saves counting. ``options``: the rows' loader options
    (their executors in one statement, say)."""
    column, ident = order.column, order.ident
    cursor = order.parse(after)
    if cursor is None:
        start = 0
    ordered = ((column.desc(), ident.desc()) if order.descending else (column, ident))
    rows: list[Any] = []
    if cursor is None or cursor[0] is not None:
        part = stmt.where(column.is_not(None))
        if cursor is not None:
            key = tuple_(column, ident)
            last = tuple_(literal(cursor[0], column.type), literal(cursor[1]))
            part = part.where(key < last if order.descending else key > last)
        rows = list(db.session.scalars(part.order_by(*ordered).limit(size + 1)
                                       .options(*options)))
    if len(rows) <= size and column.nullable:
        part = stmt.where(column.is_(None))
        if cursor is not None and cursor[0] is None:
            part = part.where(ident < cursor[1] if order.descending else ident > cursor[1])
        rows += db.session.scalars(part.order_by(ident.desc() if order.descending else ident)
                                   .limit(size + 1 - len(rows)).options(*options))
    more = len(rows) > size
    rows = rows[:size]
    capped = False
    if total is None:
        # the last page knows how many there are; before it, count (up to the cap)
        total = start + len(rows) if not more else count_up_to(stmt, COUNT_CAP, ident=ident)
        capped = total > COUNT_CAP
    return DeskPage(rows=rows, next_cursor=order.cursor_of(rows[-1]) if more else None,
                    start=start, total=total, first=cursor is None, capped=capped)


def count_up_to(stmt: Select, cap: int, *,
                ident: InstrumentedAttribute = Document.id) -> int:
    """How many rows ``stmt`` finds, reading at most ``cap`` + 1 of them (``ident``: the
    id of the rows' table)."""
    found = stmt.with_only_columns(ident).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(found)) or 0


def days_left(due: date | None, today: date) -> int | None:
    """Calendar days until the deadline: 0 is "due today", negative is overdue."""
    return None if due is None else (due - today).days
