"""``GET /api/v1/documents/<id>``: the resource the 202 answer's Location names, for the
portal that sent the document and for no other."""

from __future__ import annotations

from app.documents.models import Document
from app.extensions import db
from app.registration import service
from app.timeutil import utcnow
from tests.conftest import SENDER_TOKENS
from tests.factories import user


def _get(client, location: str, sender: str = "EGOV"):
    return client.get(location, headers={"Authorization": f"Bearer {SENDER_TOKENS[sender]}"})


def test_the_location_of_the_202_answers_the_same_body_and_the_marks(app, client, portal):
    accepted = portal.send("appeal")
    assert accepted.status_code == 202
    location = accepted.headers["Location"]
    assert location == f"/api/v1/documents/{accepted.json['id']}"

    answer = _get(client, location)

    assert answer.status_code == 200, answer.json
    body = dict(answer.json)
    marks = body.pop("marks")
    assert body == accepted.json  # id, state, verdict, the delivery mark: as the 202 said
    assert [m["kind"] for m in marks] == ["delivered"]
    assert set(marks[0]) == {"id", "kind", "created_at", "delivered_at"}
    assert marks[0]["delivered_at"] is None  # not pushed to the portal yet
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_resource_follows_the_document(app, client, portal):
    accepted = portal.send("appeal")
    with app.app_context():
        service.register(db.session.get(Document, accepted.json["id"]), clerk=user("clerk"),
                         now=utcnow(), zone="Asia/Almaty")
        db.session.commit()
    body = _get(client, accepted.headers["Location"]).json
    assert body["state"] == "registered"
    assert [m["kind"] for m in body["marks"]] == ["delivered", "registered"]


def test_another_portal_and_nobody_see_nothing(client, portal):
    location = portal.send("appeal").headers["Location"]
    assert _get(client, location, sender="ELICENSE").status_code == 404
    assert client.get(location).status_code == 401
    assert _get(client, "/api/v1/documents/999999").status_code == 404
