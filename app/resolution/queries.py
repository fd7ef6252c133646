"""The head's desk: what waits for a resolution or an approval, and what is on control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import func, not_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.documents.desk_indexes import OPEN_AT_HEADS, in_states
from app.documents.models import Document
from app.documents.states import CONTROLLED_STATES, DocumentState
from app.extensions import db
from app.org.service import controlled_department_ids
from app.web.desklist import DeskFilter, DeskPage, Order, keyset_page


class Tab:
    RESOLUTION = "resolution"
    APPROVAL = "approval"
    CONTROL = "control"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ALL = (RESOLUTION, APPROVAL, CONTROL, DUE_SOON, OVERDUE)


@dataclass(frozen=True)
class HeadDesk:
    head: User
    today: date
    soon: date

    @cached_property
    def departments(self) -> set[int]:
        """The departments he answers for, read once per desk (not once per tab)."""
        return controlled_department_ids(self.head) or {-1}

    def _where(self, tab: str):
        # a head approves only what he assigned within his departments, so the department
        # filter alone covers "mine" (and, unlike an OR with approver_id, uses the index)
        mine = Document.department_id.in_(self.departments)
        # every tab but the first two reads the index of documents open at heads; saying
        # its condition lets both databases see it applies (desk_indexes.in_states)
        open_here = in_states(Document.state, OPEN_AT_HEADS)
        # (a subset of the states above, so the same index; said once, not twice, or the
        # planner multiplies the two and misjudges how many rows there are)
        controlled = in_states(Document.state, CONTROLLED_STATES)
        # a suspended document's clock stands still: neither due soon nor overdue
        running = Document.suspended_since.is_(None)
        if tab == Tab.RESOLUTION:
            # what waits for HIM; his subtree's documents are under control / all
            return [in_states(Document.state, {DocumentState.ON_RESOLUTION}),
                    Document.resolver_id == self.head.id]
        if tab == Tab.APPROVAL:
            return [in_states(Document.state, {DocumentState.ON_APPROVAL}),
                    Document.approver_id == self.head.id]
        if tab == Tab.CONTROL:
            # and what waits for a head below him (passed down or routed there): he sees
            # it, the head below resolves it
            # (every open document of his departments but what waits for his own
            # resolution: a resolver is never empty on resolution)
            his_own = (Document.state == DocumentState.ON_RESOLUTION) & (
                Document.resolver_id == self.head.id)
            return [open_here, not_(his_own), mine]
        if tab == Tab.DUE_SOON:
            return [controlled, mine, running, Document.due_date >= self.today,
                    Document.due_date <= self.soon]
        if tab == Tab.OVERDUE:
            return [controlled, mine, running, Document.due_date < self.today]
        raise ValueError(tab)

    def counts(self) -> dict[str, int]:
        """The five tabs' counts in one statement, each from its index."""
        row = db.session.execute(select(*[
            select(func.count()).select_from(Document).where(*self._where(tab))
            .scalar_subquery().label(tab) for tab in Tab.ALL])).one()
        return {tab: row._mapping[tab] or 0 for tab in Tab.ALL}

    def page(self, tab: str, *, flt: DeskFilter | None = None, after: str | None = None,
             start: int = 0, counts: dict[str, int] | None = None) -> DeskPage:
        """A page of the tab's list (``after`` the cursor of the page before), as ``flt``
        sorts and filters it; an unfiltered tab's total is its count from ``counts``."""
        flt = flt or DeskFilter()
        order = flt.order(Order(Document.received_at) if tab == Tab.RESOLUTION
                          else Order(Document.due_date))
        # the executor's name on each row, in one statement for the page (not one per row)
        stmt = flt.where(select(Document).where(*self._where(tab)), today=self.today)
        known = counts.get(tab) if counts is not None and not flt.filters else None
        return keyset_page(stmt, order, after=after, start=start, total=known,
                           options=(selectinload(Document.executor).lazyload(User.roles),))

    def documents(self, tab: str, *, flt: DeskFilter | None = None) -> list[Document]:
        """The tab's first page."""
        return self.page(tab, flt=flt).rows
