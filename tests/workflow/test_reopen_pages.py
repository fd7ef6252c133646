"""A reopened document leads somewhere that works: from every closed state, its page
answers every role 200 or 404 (never 500), and it waits on its head's desk once."""

from __future__ import annotations

import re

import pytest

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from app.resolution import service as resolution
from app.timeutil import utcnow
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document

ROLES = ["admin", "head", "clerk", "executor", "signer", "roads-head", "edu-head",
         "coexecutor", "outsider"]


def _answered(org, pki):
    doc = road.assigned(road.registered(make_document(), org), org, coexecutors=[org.coexecutor])
    road.signed(road.approved(road.submitted(road.drafted(doc, org), org), org), org, pki)
    return doc


def _redirected(org, pki):
    doc = road.registered(make_document(), org)
    resolution.redirect(doc, head=org.head, body_code="MIO", body_name="Министерство",
                        reason="Не наша компетенция", now=utcnow())
    return doc


def _left(org, pki):
    doc = road.registered(make_document(), org)
    resolution.leave_without_consideration(doc, head=org.head, reason="Анонимное",
                                           now=utcnow())
    return doc


@pytest.mark.parametrize("close,state", [
    (_answered, DocumentState.ANSWERED),
    (_redirected, DocumentState.REDIRECTED),
    (_left, DocumentState.LEFT_WITHOUT_CONSIDERATION),
])
def test_a_reopened_document_works_for_every_role(app, client, login, pki, close, state):
    with app.app_context():
        org = Org()
        doc = close(org, pki)
        db.session.commit()
        assert doc.state is state
        doc_id = doc.id

    admin = login("admin")
    page = admin.get(f"/documents/{doc_id}").text
    answer = admin.post(f"/documents/{doc_id}/reopen", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "reason": "Новые обстоятельства", "confirm": "y"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Document, doc_id).state is DocumentState.ON_RESOLUTION

    for role in ROLES:
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/login").text)})
        login(role)
        status = client.get(f"/documents/{doc_id}").status_code
        assert status in (200, 404), (role, status)
        if role in ("admin", "head"):
            assert status == 200, role
        if role == "head":
            desk = client.get("/resolution/?tab=resolution").text
            assert len(re.findall(rf'href="/documents/{doc_id}"', desk)) == 1
            reply = client.get(f"/documents/{doc_id}/reply").status_code
            assert reply in (200, 403, 404), reply

    # and the head can decide again: a new resolution passes it to execution
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/login").text)})
    login("head")
    page = client.get(f"/documents/{doc_id}").text
    executor = re.search(r'<option value="(\d+)">Test executor', page).group(1)
    answer = client.post(f"/documents/{doc_id}/assign", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "executor": executor, "due_date": form_value(page, "due_date")})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Document, doc_id).state is DocumentState.IN_EXECUTION
    for role in ROLES:
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/login").text)})
        login(role)
        status = client.get(f"/documents/{doc_id}").status_code
        assert status in (200, 404), (role, status)
