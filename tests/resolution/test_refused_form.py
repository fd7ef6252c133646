"""A refused resolution comes back as the head filled it in, the message next to its field."""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.extensions import db
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document


def _waiting(app):
    with app.app_context():
        org = Org()
        doc = road.registered(make_document(), org)
        db.session.commit()
        return doc.id, org.executor.id, org.coexecutor.id


def _form(html: str, form_id: str) -> str:
    start = html.index(f'id="{form_id}"')
    return html[start:html.index("</form>", start)]


def test_a_later_deadline_without_a_reason_keeps_everything_entered(app, login):
    doc_id, executor_id, coexecutor_id = _waiting(app)
    client = login("head")
    page = client.get(f"/documents/{doc_id}").text
    due = date.today() + timedelta(days=200)
    response = client.post(f"/documents/{doc_id}/assign", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "executor": str(executor_id), "coexecutors": [str(coexecutor_id)],
        "due_date": due.isoformat(), "instruction": "Проверить на месте и ответить",
        "extension_reason": ""})
    assert response.status_code == 422
    form = _form(response.text, "assign")
    assert re.search(rf'<option selected value="{executor_id}"', form)
    assert re.search(rf'<input checked [^>]*value="{coexecutor_id}"', form)
    assert f'value="{due.isoformat()}"' in form
    assert "Проверить на месте и ответить" in form
    reason = form.index('name="extension_reason"')
    error = form.index('class="field-error"')
    assert reason < error < form.index('name="instruction"')
