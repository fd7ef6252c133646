"""A co-executor's part or file that is refused comes back on the reply page with what was
typed and the message next to its field (422), not as a redirect that loses it."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from tests.conftest import csrf_token
from tests.execution import road
from tests.factories import Org, make_document


@pytest.fixture
def shared(app) -> int:
    """An appeal in execution with "coexecutor" beside the responsible executor."""
    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org,
                            coexecutors=[org.coexecutor])
        db.session.commit()
        return doc.id


def test_a_part_over_the_limit_comes_back_with_its_text(app, login, shared):
    client = login("coexecutor")
    client.get("/language/en")
    page = client.get(f"/documents/{shared}/reply").text
    text = "Сметы по ремонту улицы Абая приложены. " * 1400  # past 50,000 characters

    response = client.post(f"/documents/{shared}/reply/parts", data={
        "csrf_token": csrf_token(page), "text": text})

    assert response.status_code == 422
    form = response.text[response.text.index(f'action="/documents/{shared}/reply/parts"'):]
    assert "Сметы по ремонту улицы Абая приложены." in form
    assert 'class="field-error"' in form[:form.index("</form>")]


def test_an_empty_file_is_refused_next_to_the_file_field(app, login, shared):
    client = login("coexecutor")
    client.get("/language/en")
    page = client.get(f"/documents/{shared}/reply").text

    response = client.post(f"/documents/{shared}/reply/files", data={
        "csrf_token": csrf_token(page), "file": (io.BytesIO(b""), "smeta.pdf")},
        content_type="multipart/form-data")

    assert response.status_code == 422
    form = response.text[response.text.index(f'action="/documents/{shared}/reply/files"'):]
    assert "Choose a non-empty file." in form[:form.index("</form>")]
