"""A refusal names its rule by a stable code, carries its parameters as data, and is told
to a person in her language: the desk's flash in Kazakh, the JSON answer with the code."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.documents.models import Document
from app.errors import PermissionDenied, QujatError, Refused, text
from app.extensions import db
from app.resolution.service import assign
from app.timeutil import utcnow
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document


def test_code_overrides_the_class_code_for_that_refusal_only():
    named = Refused("x", code="deadline_in_past", due="2026-01-02")
    assert named.code == "deadline_in_past"
    assert named.details == {"due": "2026-01-02"}  # the code is not a parameter
    assert Refused("y").code == Refused.code == "refused"
    assert PermissionDenied("z", code="clerk_only").status == 403
    assert QujatError().code == "error"


@pytest.fixture
def on_resolution(app) -> int:
    """A registered appeal waiting for the resolution of "head"."""
    with app.app_context():
        org = Org()
        document = road.registered(make_document(), org)
        db.session.commit()
        return document.id


def test_a_refusal_on_the_desk_speaks_kazakh(client, login, on_resolution):
    login("head")
    client.get("/language/kk")
    page = client.get(f"/documents/{on_resolution}").text
    executor = re.search(r'<option value="(\d+)">Test executor', page).group(1)
    proposed = date.fromisoformat(form_value(page, "due_date"))
    later = proposed + timedelta(days=10)

    answer = client.post(f"/documents/{on_resolution}/assign", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "executor": executor, "due_date": later.isoformat()}, follow_redirects=True)

    assert answer.status_code == 422 and '<html lang="kk">' in answer.text
    assert (f"{later:%d.%m.%Y} орындау мерзімі ұсынылғаннан ({proposed:%d.%m.%Y}) кеш; "
            "ұзарту себебін жазыңыз." in answer.text)
    assert "write why it is lengthened" not in answer.text


def test_the_json_answer_names_the_rule_and_its_parameters(app, on_resolution):
    proposed = date.today() + timedelta(days=20)
    later = proposed + timedelta(days=5)
    # a request of its own (its own app context), as an API client's would be
    with app.test_request_context("/api/v1/documents", headers={
            "Accept": "application/json", "Accept-Language": "kk"}):
        head, executor = (db.session.scalar(select(User).where(User.login == login))
                          for login in ("head", "executor"))
        with pytest.raises(Refused) as refused:
            assign(db.session.get(Document, on_resolution), head=head, executor=executor,
                   due_date=later, proposed=proposed, now=utcnow(), rules=deadline_rules())
        response = app.handle_user_exception(refused.value)
        words = text(refused.value)

    assert response.status_code == 422
    assert response.json == {
        "error": "deadline_later_without_reason",
        "due": later.isoformat(),
        "proposed": proposed.isoformat(),
        "message": words,
    }
    assert words.startswith(f"{later:%d.%m.%Y} орындау мерзімі ұсынылғаннан "
                            f"({proposed:%d.%m.%Y}) кеш")


def test_a_role_refusal_over_json_names_the_roles(client, login):
    login("head")
    answer = client.get("/admin/users", headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert answer.json["error"] == "role_lacks_page"
    assert answer.json["roles"] == ["admin"]
    # the reader's language: Russian unless she chose another
    assert answer.json["message"] == "Ваша роль не даёт доступа к этой странице."
