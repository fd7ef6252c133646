"""After a pass-down the document waits for the named subordinate head alone: the head
above sees it (on control) but gets no resolution form and cannot assign it a second
time; the page names who is expected to act; the pass-down list pre-selects nothing."""

from __future__ import annotations

import re

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from app.resolution.service import pass_down
from app.timeutil import utcnow
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document, user


def _passed_down(app) -> int:
    with app.app_context():
        org = Org()
        document = road.registered(make_document(), org)
        pass_down(document, head=org.head, to_department=org.roads, now=utcnow(),
                  instruction="Рассмотреть")
        db.session.commit()
        return document.id


def _desk(client, tab: str = "resolution") -> str:
    return client.get(f"/resolution/?tab={tab}").text


def test_the_head_above_sees_but_no_longer_resolves(app, login, client):
    document_id = _passed_down(app)
    login("head")
    page = client.get(f"/documents/{document_id}").text
    # the page names the head it waits for
    assert re.search(r"Ожидает резолюции:\s*<b>Жанұзақов Берік</b>", page)
    assert f'action="/documents/{document_id}/assign"' not in page
    assert f'href="/documents/{document_id}"' not in _desk(client)
    assert f'href="/documents/{document_id}"' in _desk(client, "control")

    # the form is not offered; posted anyway, it is refused
    with app.app_context():
        document = db.session.get(Document, document_id)
        version, executor = document.version, user("executor").id
    client.post(f"/documents/{document_id}/assign", data={
        "csrf_token": csrf_token(page), "version": str(version), "executor": str(executor),
        "due_date": "2099-01-01"})
    with app.app_context():
        assert db.session.get(Document, document_id).state is DocumentState.ON_RESOLUTION
        assert db.session.get(Document, document_id).executor_id is None


def test_the_named_subordinate_head_resolves(app, login, client):
    document_id = _passed_down(app)
    login("roads-head")
    assert f'href="/documents/{document_id}"' in _desk(client)
    page = client.get(f"/documents/{document_id}").text
    assert f'action="/documents/{document_id}/assign"' in page


def test_a_document_routed_to_a_department_head_waits_for_him_alone(app, login, client):
    with app.app_context():
        org = Org()
        document = road.registered(make_document(), org)
        # as a route to the roads department would: it waits for the roads head
        document.department_id, document.resolver_id = org.roads.id, org.roads_head.id
        db.session.commit()
        document_id = document.id
    login("head")
    assert f'href="/documents/{document_id}"' not in _desk(client)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/resolution/").text)})
    login("roads-head")
    assert f'href="/documents/{document_id}"' in _desk(client)


def test_the_pass_down_list_preselects_nothing_and_needs_a_choice(app, login, client):
    with app.app_context():
        org = Org()
        document_id = road.registered(make_document(), org).id
        db.session.commit()
    login("head")
    page = client.get(f"/documents/{document_id}").text
    form = page[page.index(f'action="/documents/{document_id}/pass-down"'):]
    select = form[form.index('name="department"'):form.index("</select>")]
    first = re.search(r"<option([^>]*)>([^<]*)</option>", select)
    assert first.group(2) == "—" and 'value=""' in first.group(1)
    client.post(f"/documents/{document_id}/pass-down", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "department": ""})
    with app.app_context():
        assert db.session.get(Document, document_id).resolver.login == "head"
