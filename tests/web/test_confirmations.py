"""What cannot be undone (refusing registration, leaving without consideration,
redirecting, reopening, signing) needs "I confirm" ticked, checked on the server: without
it nothing changes and the page says why; with it the action goes through."""

from __future__ import annotations

import pytest

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from app.resolution.service import leave_without_consideration as leave
from app.timeutil import utcnow
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document

MISSING = "поставьте отметку, чтобы подтвердить; ничего не сделано"


def _document(app, stage: str) -> int:
    with app.app_context():
        org = Org()
        document = make_document()
        if stage != "new":
            road.registered(document, org)
        if stage == "left":
            leave(document, head=org.head, reason="Анонимное", now=utcnow())
        if stage == "approved":
            road.approved(road.submitted(road.drafted(road.assigned(document, org), org), org),
                          org)
        db.session.commit()
        return document.id


def _state(app, document_id: int) -> DocumentState:
    with app.app_context():
        db.session.expire_all()
        return db.session.get(Document, document_id).state


CASES = [
    ("clerk", "new", "refuse", {"reason": "duplicate", "text": "Повтор"},
     DocumentState.REJECTED),
    ("head", "registered", "leave", {"reason": "Анонимное"},
     DocumentState.LEFT_WITHOUT_CONSIDERATION),
    ("head", "registered", "redirect", {"body_code": "MVD", "body_name": "МВД",
                                        "reason": "Вопрос полиции"},
     DocumentState.REDIRECTED),
    ("admin", "left", "reopen", {"reason": "Новые обстоятельства"},
     DocumentState.ON_RESOLUTION),
]


@pytest.mark.parametrize(("role", "stage", "action", "data", "after"), CASES,
                         ids=[case[2] for case in CASES])
def test_an_irreversible_action_needs_its_confirmation(app, login, role, stage, action, data,
                                                       after):
    document_id = _document(app, stage)
    client = login(role)
    page = client.get(f"/documents/{document_id}").text
    assert f'action="/documents/{document_id}/{action}"' in page
    assert 'name="confirm"' in page
    before = _state(app, document_id)
    form = {"csrf_token": csrf_token(page), "version": form_value(page, "version"), **data}

    refused = client.post(f"/documents/{document_id}/{action}", data=form,
                          follow_redirects=True)
    assert MISSING in refused.text
    assert _state(app, document_id) is before

    client.post(f"/documents/{document_id}/{action}", data={**form, "confirm": "y"})
    assert _state(app, document_id) is after


def test_signing_needs_its_confirmation(app, login, pki):
    document_id = _document(app, "approved")
    client = login("signer")
    page = client.get(f"/documents/{document_id}").text
    assert 'name="confirm"' in page
    form = {"csrf_token": csrf_token(page), "version": form_value(page, "version"),
            "password": pki.password,
            "key": (pki.keys["official_sign"].path.open("rb"), "key.p12")}
    refused = client.post(f"/documents/{document_id}/sign", data=form,
                          content_type="multipart/form-data", follow_redirects=True)
    assert MISSING in refused.text
    assert _state(app, document_id) is DocumentState.ON_SIGNATURE
