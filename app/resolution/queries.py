"""The head's desk: what waits for a resolution or an approval, and what is on control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.auth.models import User
from app.documents.models import Document
from app.documents.states import CONTROLLED_STATES, DocumentState
from app.extensions import db
from app.org.service import controlled_department_ids
from app.web.desklist import DeskFilter


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

    def _where(self, tab: str):
        departments = controlled_department_ids(self.head) or {-1}
        # a head approves only what he assigned within his departments, so the department
        # filter alone covers "mine" (and, unlike an OR with approver_id, uses the index)
        mine = Document.department_id.in_(departments)
        controlled = Document.state.in_(CONTROLLED_STATES)
        # a suspended document's clock stands still: neither due soon nor overdue
        running = Document.suspended_since.is_(None)
        if tab == Tab.RESOLUTION:
            # what waits for HIM; his subtree's documents are under control / all
            return [Document.state == DocumentState.ON_RESOLUTION,
                    Document.resolver_id == self.head.id]
        if tab == Tab.APPROVAL:
            return [Document.state == DocumentState.ON_APPROVAL,
                    Document.approver_id == self.head.id]
        if tab == Tab.CONTROL:
            # and what waits for a head below him (passed down or routed there): he sees
            # it, the head below resolves it
            below = (Document.state == DocumentState.ON_RESOLUTION) & (
                Document.resolver_id != self.head.id)
            return [or_(controlled, below), mine]
        if tab == Tab.DUE_SOON:
            return [controlled, mine, running, Document.due_date >= self.today,
                    Document.due_date <= self.soon]
        if tab == Tab.OVERDUE:
            return [controlled, mine, running, Document.due_date < self.today]
        raise ValueError(tab)

    def counts(self) -> dict[str, int]:
        return {tab: db.session.scalar(select(func.count()).select_from(Document)
                                       .where(*self._where(tab)))
                for tab in Tab.ALL}

    def documents(self, tab: str, *, limit: int = 200,
                  flt: DeskFilter | None = None) -> list[Document]:
        order = (Document.received_at,) if tab == Tab.RESOLUTION else (
            Document.due_date, Document.id)
        stmt = select(Document).where(*self._where(tab)).order_by(*order)
        if flt is not None:
            stmt = flt.apply(stmt, today=self.today, default_order=order)
        return list(db.session.scalars(stmt.limit(limit)))
