"""The execution circle the desks draw follows the marks, as the portal's does (seed 004):
an answered document is dark green only once the portal has its letter (the "letter"
mark, app/marks/receipt.py); until then the colour of its last mark, dark brown
("executed"). One function colours both the desks and the author's status page."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.documents.models import Document
from app.documents.states import MARK_COLOURS, DocumentState, circle_colour
from app.extensions import db
from app.formats.choices import MarkKind
from app.marks.models import Mark
from app.status.lookup import find_status
from tests.conftest import SENDER_TOKENS
from tests.execution import road
from tests.factories import Org, make_document


def _answered(pki) -> tuple[int, str, str]:
    org = Org()
    document = road.registered(make_document(n=1, kind="appeal_individual"), org)
    road.assigned(document, org)
    road.approved(road.submitted(road.drafted(document, org, outcome="explained"), org), org)
    road.signed(document, org, pki)
    return document.id, document.registration_number, document.author_iin


def _dot(page: str, document_id: int) -> str:
    """The colour of the dot on the row (or heading) of the document."""
    link = re.compile(rf'href="/documents/{document_id}["?]')
    row = next(r for r in page.split("<tr") if link.search(r))
    return re.search(r'class="dot ([a-z]+)"', row).group(1)


def test_answered_is_dark_green_only_after_the_portal_has_the_letter(app, pki, client, login):
    with app.app_context():
        document_id, number, iin = _answered(pki)
        db.session.commit()
        document = db.session.get(Document, document_id)
        assert document.state is DocumentState.ANSWERED
        assert document.last_mark is MarkKind.EXECUTED
        assert document.colour == "darkbrown" == find_status(number, iin).colour
    clerk = login("clerk")
    assert _dot(clerk.get("/?state=answered").text, document_id) == "darkbrown"
    page = clerk.get(f"/documents/{document_id}").text
    # neither the heading nor the path's last step says the reply reached the author
    assert 'class="dot darkbrown"' in page and "darkgreen" not in page

    # the portal pulls past the mark that carried the letter: it has the letter now
    headers = {"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}
    since = client.get("/api/v1/marks", headers=headers).json["next_since"]
    client.get(f"/api/v1/marks?since={since}", headers=headers)

    with app.app_context():
        document = db.session.get(Document, document_id)
        assert document.last_mark is MarkKind.LETTER
        assert document.colour == "darkgreen" == find_status(number, iin).colour
    assert _dot(clerk.get("/?state=answered").text, document_id) == "darkgreen"
    page = clerk.get(f"/documents/{document_id}").text
    assert page.count('class="dot darkgreen"') == 2  # the heading, the letter mark's line


def test_the_circle_follows_the_last_mark_else_the_state():
    for kind, colour in MARK_COLOURS.items():
        assert circle_colour(DocumentState.ANSWERED, kind) == colour
    # the state alone never says the reply reached the author: only the letter mark does
    assert circle_colour(DocumentState.ANSWERED, None) == "darkbrown"
    assert circle_colour(DocumentState.REGISTERED, None) == "orange"


def test_every_mark_queued_moves_the_documents_circle(db_session):
    org = Org()
    document = road.registered(make_document(n=2, kind="appeal_individual"), org)
    kinds = list(db_session.scalars(
        select(Mark.kind).where(Mark.document_id == document.id).order_by(Mark.id)))
    assert kinds[-2:] == [MarkKind.REGISTERED, MarkKind.PASSED_TO_RESOLUTION]
    assert document.last_mark is MarkKind.PASSED_TO_RESOLUTION
    assert document.colour == "lightbrown"
