"""One search function over what the user may see.

The user's rights are a condition of the query (``app.workflow.permissions.visible_to``),
so a result page never holds a document the user may not open, and its size does not
depend on how many were hidden. Every word typed must occur, folded, in the document's
folded copy: a part of a registration number or of an IIN/BIN, a word of the short
content or of the text, the author's name.

The SQL is the same on both databases, ``LIKE '%word%'`` on the folded copy; what differs
is what answers it:

- PostgreSQL: a trigram GIN index (pg_trgm, created by the migration when the server has
  the extension; without it the same query scans the narrow table, correct but slower);
  the plan is made for the words typed, never a generic one from a prepared statement
  (a frequent word is best found walking the newest documents, a rare one through the
  index: a generic plan picked the second for everything, 400 ms for two common words),
  and parallel workers are off: for the newest 100 their start costs more than the work;
- SQLite: a scan of the narrow folded table (no FTS5: its tokens would not find a part of
  a number or of an IIN).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select, text

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from app.search.folding import words
from app.search.models import DocumentSearch
from app.workflow.permissions import visible_to

#: the longest result page; more is a sign to add a word
LIMIT = 100
#: at most this many words are matched (each is a LIKE)
MAX_WORDS = 8


@dataclass(frozen=True, kw_only=True)
class SearchQuery:
    text: str = ""
    state: str = ""
    kind: str = ""
    #: the responsible executor's user id
    executor_id: int | None = None
    #: the deadline between these dates (either may be open)
    due_from: date | None = None
    due_to: date | None = None

    @property
    def words(self) -> list[str]:
        return words(self.text)[:MAX_WORDS]

    @property
    def empty(self) -> bool:
        return not (self.words or self.state or self.kind or self.executor_id
                    or self.due_from or self.due_to)


@dataclass(frozen=True)
class Results:
    documents: list[Document]
    #: True when there were more than ``LIMIT``
    more: bool


def _contains(word: str) -> ColumnElement[bool]:
    # the escape keeps a typed % or _ literal
    return DocumentSearch.folded.contains(word, autoescape=True)


def search(user: User, query: SearchQuery, *, limit: int = LIMIT) -> Results:
    """The documents ``user`` may see that match ``query``, newest first."""
    if query.empty:
        return Results([], False)
    if db.session.get_bind().dialect.name == "postgresql":
        # for this transaction only (the request's, or the caller's)
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    stmt = select(Document).where(visible_to(user))
    if query.words:
        stmt = stmt.join(DocumentSearch, DocumentSearch.document_id == Document.id).where(
            *(_contains(word) for word in query.words))
    if query.state in {s.value for s in DocumentState}:
        stmt = stmt.where(Document.state == DocumentState(query.state))
    if query.kind:
        stmt = stmt.where(Document.kind == query.kind)
    if query.executor_id is not None:
        stmt = stmt.where(Document.executor_id == query.executor_id)
    if query.due_from is not None:
        stmt = stmt.where(Document.due_date >= query.due_from)
    if query.due_to is not None:
        stmt = stmt.where(Document.due_date <= query.due_to)
    rows = list(db.session.scalars(
        stmt.order_by(Document.received_at.desc(), Document.id.desc()).limit(limit + 1)))
    return Results(rows[:limit], len(rows) > limit)
