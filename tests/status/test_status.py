"""The author checks a document's status with its registration number and her IIN or BIN,
without logging in: the status, its colour on the portal's circle, the marks with dates and
the deadline; an unknown number and someone else's IIN get the same answer; an address
asking too often is told to wait."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app import create_app
from app.documents.states import Action, DocumentState
from app.extensions import db
from app.formats.choices import MarkKind
from app.status.lookup import COLOUR_HEX, MarkLine, Status
from app.timeutil import utcnow
from app.workflow.transition import transition
from tests.conftest import app_config, csrf_token
from tests.factories import Org, make_document, placed

IIN = "850314301283"
OTHER_IIN = "900101300123"


def _registered(app) -> None:
    with app.app_context():
        org = Org()
        document = make_document(iin=IIN, received_at=datetime(2026, 11, 2, 4, tzinfo=UTC))
        placed(document, registered_at=datetime(2026, 11, 2, 5, tzinfo=UTC),
               number="01-05/77", state=DocumentState.RECEIVED, department=org.roads,
               due=date(2026, 11, 24))
        transition(document, Action.REGISTER, actor=org.clerk,
                   now=datetime(2026, 11, 2, 5, tzinfo=UTC))
        make_document(n=2, iin=OTHER_IIN)  # someone else's, unregistered
        db.session.commit()


def test_the_author_sees_status_colour_marks_and_deadline(app, client):
    _registered(app)
    response = client.get(f"/api/v1/status?number=01-05/77&iin={IIN}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["number"] == "01-05/77"
    assert body["status"]["code"] == "registered"
    assert body["status"]["colour"] == "orange"  # seed 004: registered is orange
    assert body["deadline"] == "2026-11-24"
    assert body["registered_on"] == "2026-11-02"
    assert [mark["kind"] for mark in body["marks"]] == ["delivered", "registered"]
    assert body["marks"][1]["at"].startswith("2026-11-02T10:00:00+05:00")
    # nothing personal beyond what she typed
    text = response.get_data(as_text=True)
    assert IIN not in text and "Әбілқайыров" not in text and "ремонте" not in text


def test_a_wrong_iin_and_an_unknown_number_get_the_same_answer(app, client):
    _registered(app)
    wrong_iin = client.get(f"/api/v1/status?number=01-05/77&iin={OTHER_IIN}")
    no_number = client.get(f"/api/v1/status?number=01-05/78&iin={IIN}")
    assert wrong_iin.status_code == no_number.status_code == 404
    assert wrong_iin.get_data() == no_number.get_data()
    assert wrong_iin.get_json()["error"] == "not_found"
    # the IIN asked as a BIN does not match either
    assert client.get(f"/api/v1/status?number=01-05/77&bin={IIN}").get_data() == \
        no_number.get_data()


def test_bad_input_is_named_not_looked_up(app, client):
    response = client.get("/api/v1/status?number=01-05/77&iin=12345")
    assert response.status_code == 422
    assert response.get_json()["error"] == "bad_identifier"
    assert client.get("/api/v1/status?number=01-05/77").status_code == 422


def test_the_public_page_answers_without_a_login(app, client):
    _registered(app)
    page = client.get("/status")
    assert page.status_code == 200
    found = client.post("/status", data={"csrf_token": csrf_token(page.text),
                                         "number": "01-05/77", "identifier": IIN})
    assert found.status_code == 200
    assert "dot big orange" in found.text and "24.11.2026" in found.text
    refused = client.post("/status", data={"csrf_token": csrf_token(page.text),
                                           "number": "01-05/77", "identifier": OTHER_IIN})
    unknown = client.post("/status", data={"csrf_token": csrf_token(page.text),
                                           "number": "01-05/99", "identifier": IIN})
    assert refused.status_code == unknown.status_code == 404
    assert "Документа с таким регистрационным номером" in refused.text
    assert refused.text.replace(OTHER_IIN, IIN).replace("01-05/77", "01-05/99") == \
        unknown.text.replace(csrf_token(unknown.text), csrf_token(refused.text))


@pytest.fixture
def strict_app(pki, database_url, tmp_path):
    """The app with a limit of three checks a minute per address."""
    config = app_config(pki, database_url, tmp_path)
    config["QUJAT_STATUS_LOOKUPS"] = 3
    strict = create_app(config)
    yield strict
    with strict.app_context():
        db.engine.dispose()


def test_too_many_checks_from_one_address_are_told_to_wait(committed_db, strict_app):
    client = strict_app.test_client()
    for _ in range(3):
        assert client.get(f"/api/v1/status?number=X-1&iin={IIN}").status_code == 404
    refused = client.get(f"/api/v1/status?number=X-1&iin={IIN}")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["error"] == "too_many_requests"
    # the page counts against the same address
    assert client.get("/status").status_code == 200
    assert client.post("/status", data={"number": "X-1", "identifier": IIN}).status_code in (
        400, 429)
    # another address still may
    other = client.get(f"/api/v1/status?number=X-1&iin={IIN}",
                       environ_overrides={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404


#: seed 004's legend, mark by mark (the marks it does not name: see app/status/lookup.py)
LEGEND = {
    "delivered": "blue", "registered": "orange", "passed_to_resolution": "lightbrown",
    "passed_to_execution": "lightgreen", "executed": "darkbrown", "letter": "darkgreen",
    "extended": "lightgreen", "redirected": "darkbrown",
    "left_without_consideration": "darkbrown", "refused": "grey",
}


@pytest.mark.parametrize("kind", list(MarkKind))
def test_the_circle_takes_the_colour_of_the_last_mark(kind):
    status = Status(number="01-05/77", registered_at=None, kind="appeal",
                    state=DocumentState.ANSWERED, due_date=None,
                    marks=(MarkLine(MarkKind.DELIVERED, datetime(2026, 11, 2, tzinfo=UTC)),
                           MarkLine(kind, datetime(2026, 11, 3, tzinfo=UTC))))
    assert status.colour == LEGEND[kind.value]
    assert status.colour in COLOUR_HEX


def test_an_extended_document_stays_light_green_and_each_mark_has_its_colour(app, client):
    from app.control.service import extend
    from tests.execution import road
    from tests.factories import deadline_rules

    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(iin=IIN), org), org)
        extend(doc, head=org.head, due=doc.due_date + timedelta(days=10),
               reason="Запрошено заключение", now=utcnow(), rules=deadline_rules())
        db.session.commit()
        number = doc.registration_number

    body = client.get(f"/api/v1/status?number={number}&iin={IIN}").get_json()
    assert [(m["kind"], m["colour"]) for m in body["marks"]] == [
        ("delivered", "blue"), ("registered", "orange"),
        ("passed_to_resolution", "lightbrown"), ("passed_to_execution", "lightgreen"),
        ("extended", "lightgreen")]
    assert body["status"]["colour"] == "lightgreen"
