"""A reply sent back (returned by the head, or its signature refused) says so where the
executor works: the reply page shows the remarks, the deadline and the instruction, and
"my documents" marks it "returned for rework"."""

from __future__ import annotations

import pytest

from app.execution import service as execution
from app.extensions import db
from app.timeutil import utcnow
from tests.execution import road
from tests.factories import Org, make_document

REMARKS = "Уточните сроки ремонта улицы Абая"


def _sent_back(app, how: str) -> int:
    with app.app_context():
        org = Org()
        document = road.submitted(road.drafted(road.assigned(
            road.registered(make_document(), org), org), org), org)
        if how == "returned":
            execution.return_for_rework(document, head=org.head, remarks=REMARKS, now=utcnow())
        else:
            road.approved(document, org)
            execution.refuse_signature(document, official=org.signer, remarks=REMARKS,
                                       now=utcnow())
        db.session.commit()
        return document.id


@pytest.mark.parametrize("how", ["returned", "refused"])
def test_the_executor_sees_why_it_came_back(app, login, how):
    document_id = _sent_back(app, how)
    client = login("executor")
    page = client.get(f"/documents/{document_id}/reply").text
    top = page[:page.index('class="grid2"')]
    assert REMARKS in top
    assert "Подготовить ответ" in top  # the resolution's instruction
    with app.app_context():
        from app.documents.models import Document

        due = db.session.get(Document, document_id).due_date
    assert due.strftime("%d.%m.%Y") in top
    desk = client.get("/execution/").text
    assert "badge bad returned" in desk and "на доработку" in desk


def test_a_first_draft_is_not_marked_returned(app, login):
    with app.app_context():
        org = Org()
        road.assigned(road.registered(make_document(), org), org)
        db.session.commit()
    client = login("executor")
    assert "badge bad returned" not in client.get("/execution/").text
