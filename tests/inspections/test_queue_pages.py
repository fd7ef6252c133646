"""The inspection queue a page at a time: at a million documents some 3,000 requests wait,
and the whole queue with a scheduling form per row took minutes to build. Fifty rows, the
queue's order kept across pages, the count of what waits."""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.documents.states import DocumentState
from app.extensions import db
from app.inspections.service import KIND, QUEUED_STATES
from tests.factories import make_document

TODAY = date(2026, 12, 2)


def _requests(app, count: int) -> list[int]:
    """``count`` registered inspection requests, sent in an order other than their
    readiness; their ids in the queue's order (readiness, then arrival; undated last)."""
    assert DocumentState.REGISTERED in QUEUED_STATES
    with app.app_context():
        rows = []
        for n in range(count):
            doc = make_document(n=n + 1, kind=KIND)
            ready = None if n % 10 == 0 else TODAY + timedelta(days=(n * 7) % 40)
            doc.content = {"details": {"readiness_date": ready.isoformat() if ready else None}}
            doc.state = DocumentState.REGISTERED
            doc.registration_number = f"ИП-{n + 1:04d}"
            rows.append((ready is None, ready or date.max, n, doc.id))
        db.session.commit()
        return [ident for *_key, ident in sorted(rows)]


def _listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/documents/(\d+)"', page)]


def test_the_clerk_reads_the_queue_a_page_at_a_time_in_its_order(app, login):
    order = _requests(app, 64)
    client = login("clerk")
    client.get("/language/en")

    first = client.get("/inspections").text
    following = re.search(r'<a href="([^"]+)" class="next-page"', first).group(1)
    second = client.get(following.replace("&amp;", "&")).text

    assert _listed(first) + _listed(second) == order
    assert "1–50 of 64" in first and "51–64 of 64" in second
    assert 'class="next-page"' not in second and 'class="first-page"' in second
    # one scheduling form per row shown, not per request waiting
    assert first.count('action="/inspections/') == 50


def test_a_page_number_not_written_by_the_page_starts_over(app, login):
    order = _requests(app, 3)
    client = login("clerk")

    for after in ("x", "-5", "99999999999999999", "3"):
        page = client.get("/inspections", query_string={"after": after})
        assert page.status_code == 200
        assert _listed(page.text) == ([] if after == "3" else order)
