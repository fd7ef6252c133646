"""The control forms on the document page, as the head and the executor use them: CSRF,
the confirmation an extension needs (the author is told: it cannot be taken back), the
refusal next to its field with what was typed kept, and each side seeing the other's
answer."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.control.service import add_months
from app.documents.models import Document
from app.extensions import db
from app.formats.choices import MarkKind
from app.timeutil import day_text, local, utcnow
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document

REASON = "Запрошено заключение акимата района"


def _in_execution(app) -> int:
    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org)
        db.session.commit()
        return doc.id


def _document(app, doc_id: int) -> tuple[date, list[MarkKind], bool]:
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        return doc.due_date, [m.kind for m in doc.marks], doc.suspended_since is not None


def _form(html: str, form_id: str) -> str:
    start = html.index(f'id="{form_id}"')
    return html[start:html.index("</form>", start)]


def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_head_extends_on_the_page_confirming_within_the_limit(app, login):
    doc_id = _in_execution(app)
    due, marks, _ = _document(app, doc_id)
    client = _english(login("head"))
    page = client.get(f"/documents/{doc_id}").text
    form = _form(page, "extend")
    limit = add_months(local(utcnow(), "Asia/Almaty").date(), 2)  # registered today
    assert f"At the latest {day_text(limit)}" in form
    fields = {"csrf_token": csrf_token(page), "version": form_value(page, "version"),
              "reason": REASON}

    # no CSRF token: nothing happens
    assert client.post(f"/documents/{doc_id}/extend", data={
        **fields, "csrf_token": "", "due_date": (due + timedelta(days=5)).isoformat(),
        "confirm": "y"}).status_code == 400
    # not confirmed: nothing happens, the box says why
    unconfirmed = client.post(f"/documents/{doc_id}/extend", data={
        **fields, "due_date": (due + timedelta(days=5)).isoformat()})
    assert unconfirmed.status_code == 422
    box = _form(unconfirmed.text, "extend")
    assert box.index('name="confirm"') < box.index("tick the box to confirm")
    # past the law's limit: the limit is said next to the date, the reason typed is kept
    too_far = client.post(f"/documents/{doc_id}/extend", data={
        **fields, "due_date": (limit + timedelta(days=1)).isoformat(), "confirm": "y"})
    assert too_far.status_code == 422
    refused = _form(too_far.text, "extend")
    error = re.search(r'name="due_date"[^>]*>.*?<small class="field-error"[^>]*>([^<]*)',
                      refused, re.S)
    assert error and day_text(limit) in error.group(1)
    assert REASON in refused
    assert _document(app, doc_id) == (due, marks, False)

    done = client.post(f"/documents/{doc_id}/extend", data={
        **fields, "due_date": (due + timedelta(days=5)).isoformat(), "confirm": "y"})

    assert done.status_code == 302
    assert _document(app, doc_id) == (due + timedelta(days=5), [*marks, MarkKind.EXTENDED],
                                      False)
    page = client.get(f"/documents/{doc_id}").text
    assert "Deadline extended" in page and REASON in page


def test_the_executor_asks_the_head_refuses_the_executor_reads_why(app, login):
    doc_id = _in_execution(app)
    due, marks, _ = _document(app, doc_id)
    asked = due + timedelta(days=7)
    executor = _english(login("executor"))
    page = executor.get(f"/documents/{doc_id}").text
    assert 'id="extend"' not in page and 'id="suspend"' not in page
    sent = executor.post(f"/documents/{doc_id}/extension-request", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "due_date": asked.isoformat(), "reason": REASON})
    assert sent.status_code == 302
    executor.get("/logout")

    head = _english(login("head"))
    page = head.get(f"/documents/{doc_id}").text
    assert "Grant the request" in page
    grant = _form(page, "extend")
    assert f'value="{asked.isoformat()}"' in grant and REASON in grant
    refused = head.post(f"/documents/{doc_id}/extension-refusal", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "reason": "Срок достаточен"})
    assert refused.status_code == 302
    assert _document(app, doc_id) == (due, marks, False)
    head.get("/logout")

    page = _english(login("executor")).get(f"/documents/{doc_id}").text
    decisions = page[page.index("control-decisions"):]
    assert "Extension refused" in decisions and "Срок достаточен" in decisions
    assert 'id="request-extension"' in page  # and may ask again


def test_a_suspended_document_shows_suspended_on_the_desks_until_resumed(app, login):
    doc_id = _in_execution(app)
    due, _marks, _ = _document(app, doc_id)
    head = _english(login("head"))
    page = head.get(f"/documents/{doc_id}").text
    empty = head.post(f"/documents/{doc_id}/suspend", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"), "reason": ""})
    assert empty.status_code == 422
    assert "field-error" in _form(empty.text, "suspend")

    assert head.post(f"/documents/{doc_id}/suspend", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "reason": REASON}).status_code == 302

    assert _document(app, doc_id)[2] is True
    page = head.get(f"/documents/{doc_id}").text
    assert 'class="urgency suspended"' in page and 'id="resume"' in page
    desk = head.get("/resolution/?tab=control").text
    assert 'class="urgency suspended"' in desk
    resumed = head.post(f"/documents/{doc_id}/resume", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"), "reason": ""})
    assert resumed.status_code == 302
    assert _document(app, doc_id)[::2] == (due, False)  # resumed the same day
    with app.app_context():
        actions = db.session.scalars(select(Document).where(Document.id == doc_id)).one()
        assert [e.action.value for e in actions.history[-2:]] == ["suspend", "resume"]
