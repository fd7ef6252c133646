"""Steps shared by the register's tests: a document from the portal through intake, and
the whole road to the signed answer with a chosen outcome."""

from __future__ import annotations

from sqlalchemy import select

from app.documents.models import Document, Sender
from app.documents.senders import add_sender
from app.documents.states import DocumentState
from app.documents.storage import blob_store
from app.execution import service as execution
from app.extensions import db
from app.formats.choices import Language, Outcome
from app.intake.service import accept
from app.timeutil import utcnow
from app.trust import current_policy
from tests.execution import road
from tests.factories import Org


def received(portal, kind: str, *, sender: str, **overrides) -> Document:
    """A document of ``kind`` as the portal signs and sends it, accepted by intake."""
    overrides.setdefault("language", Language.RU)
    raw = portal.signed(kind, sender=sender, **overrides)
    row = db.session.scalar(select(Sender).where(Sender.code == sender))
    if row is None:
        row, _token = add_sender(code=sender, name=f"{sender} portal", token=f"{sender}-token")
    return accept(raw, sender=row, now=utcnow(), policy=current_policy(),
                  store=blob_store()).document


def answered(doc: Document, org: Org, pki, outcome: Outcome, *, grounds: str = "",
             body=None):
    """Registered (unless it is already), assigned, drafted with ``outcome``, approved and
    signed (by ``body``: road.signed's if None): the letter."""
    if doc.state is DocumentState.RECEIVED:
        road.registered(doc, org)
    executor = org.outsider if doc.resolver is org.other_head else org.executor
    road.assigned(doc, org, head=doc.resolver, executor=executor)
    execution.save_draft(doc, executor=executor, now=utcnow(), draft_version=None,
                         outcome=outcome.value, text=road.GOOD_ANSWER,
                         legal_basis=road.LEGAL_BASIS, appeal_procedure="В суд.",
                         refusal_grounds=grounds)
    execution.submit(doc, executor=executor, now=utcnow(), acknowledge_warnings=True)
    road.approved(doc, org)
    return road.signed(doc, org, pki, body=body)


