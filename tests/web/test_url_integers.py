"""Every whole number a URL or a query string carries is bounded to the database's range
before it reaches a query: a huge id is a plain 404, a huge cursor a 400 naming it, and
nothing answers 500 (on PostgreSQL an integer column holds at most 2**31 - 1, on SQLite
a number past 2**63 - 1 cannot even be bound)."""

from __future__ import annotations

import itertools

import pytest

from app.extensions import db
from tests.conftest import SENDER_TOKENS
from tests.factories import make_document

#: past PostgreSQL's integer, past SQLite's (and PostgreSQL's bigint), and far past both
HUGE = (2**31, 2**63, 10**30)


@pytest.fixture
def document_id(app) -> int:
    with app.app_context():
        doc = make_document()
        db.session.commit()
        return doc.id


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        ints = sorted(name for name, conv in rule._converters.items()
                      if type(conv).__name__.lower().startswith(("integer", "id", "bounded")))
        if ints:
            yield rule, ints


def test_the_map_has_routes_with_ids(app):
    rules = dict((r.endpoint, ints) for r, ints in _int_rules(app))
    # the enumeration below would pass vacuously if it found none
    assert rules["documents.show"] == ["document_id"]
    assert rules["documents.attachment"] == ["attachment_id", "document_id"]
    assert len(rules) > 20


def test_no_route_answers_500_for_a_huge_id(app, login, document_id, monkeypatch):
    client = login("admin")
    # let the POST views run too, so the id reaches them rather than the CSRF check
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    answers = {}
    for rule, ints in _int_rules(app):
        others = {name: "x" for name in rule.arguments if name not in ints}
        for values in itertools.product((document_id, *HUGE), repeat=len(ints)):
            if all(v == document_id for v in values):
                continue  # a real id everywhere: not this test's business
            url = rule.build({**others, **dict(zip(ints, values, strict=True))},
                             append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                status = client.open(url, method=method).status_code
                answers[f"{method} {url}"] = status
    # 404: no such thing. (Where the same path has a rule for another method, Werkzeug
    # answers 405 when neither rule takes the number: still no query, no 500.)
    wrong = {call: status for call, status in answers.items() if status not in (404, 405)}
    assert not wrong, wrong
    assert answers[f"GET /documents/{2**63}"] == 404
    assert answers[f"GET /documents/{document_id}/attachments/{2**63}"] == 404


@pytest.mark.parametrize("since", [str(2**31), str(2**63), str(10**30), "-1"])
def test_a_mark_cursor_out_of_range_is_a_400_naming_it(client, since):
    answer = client.get(f"/api/v1/marks?since={since}",
                        headers={"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"})
    assert answer.status_code == 400
    assert answer.json["error"] == "bad_since" and answer.json["since"] == since
    assert "since" in answer.json["message"]


def test_the_largest_mark_cursor_is_fine(client):
    answer = client.get(f"/api/v1/marks?since={2**31 - 1}",
                        headers={"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"})
    assert answer.status_code == 200 and answer.json["marks"] == []


@pytest.mark.parametrize("after", [
    f"2026-01-01T00:00:00+00:00|{2**31}", f"2026-01-01T00:00:00+00:00|{2**63}",
    f"2026-01-01T00:00:00+00:00|{10**30}", "2026-01-01T00:00:00+00:00|-1",
    # a moment without a zone, or one that leaves the calendar in UTC
    "2026-01-01T00:00:00|5", "0001-01-01T00:00:00+05:00|5",
])
def test_an_inbox_cursor_out_of_range_starts_over(login, after):
    clerk = login("clerk")
    assert clerk.get("/", query_string={"after": after}).status_code == 200
