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


def _next(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" class="next-page"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_clerk_reads_the_queue_a_page_at_a_time_in_its_order(app, login):
    order = _requests(app, 44)
    client = login("clerk")
    client.get("/language/en")

    pages = [client.get("/inspections").text]
    while (following := _next(pages[-1])) and len(pages) < 5:
        pages.append(client.get(following).text)

    assert sum((_listed(page) for page in pages), []) == order
    assert len(pages) == 3
    assert "1–20 of 44" in pages[0] and "21–40 of 44" in pages[1] and "41–44 of 44" in pages[2]
    assert 'class="first-page"' in pages[2]
    # one scheduling form per row shown, not per request waiting
    assert pages[0].count('action="/inspections/') == 20


def test_a_head_finds_only_the_requests_of_his_departments(app, login):
    order = _requests(app, 6)
    with app.app_context():
        from app.documents.models import Document
        from tests.factories import Org

        org = Org()
        for ident in order[:4]:
            db.session.get(Document, ident).department_id = org.roads.id
        db.session.commit()
    client = login("roads-head")
    client.get("/language/en")

    page = client.get("/inspections").text

    assert _listed(page) == order[:4] and "1–4 of 4" in page


def test_a_page_number_not_written_by_the_page_starts_over(app, login):
    order = _requests(app, 3)
    client = login("clerk")

    for after in ("x", "-5", "99999999999999999", "3"):
        page = client.get("/inspections", query_string={"after": after})
        assert page.status_code == 200
        assert _listed(page.text) == ([] if after == "3" else order)


def test_a_scheduled_visit_shows_its_inspector_chosen_in_the_row(app, login):
    from app.documents.models import Document
    from app.inspections.service import schedule
    from app.timeutil import utcnow
    from tests.factories import user

    order = _requests(app, 2)
    with app.app_context():
        inspector = user("executor")
        schedule(db.session.get(Document, order[0]), by=user("clerk"), inspector=inspector,
                 on=TODAY + timedelta(days=40), now=utcnow(), today=TODAY)
        db.session.commit()
        chosen = f'<option value="{inspector.id}" selected>{inspector.full_name}</option>'
    page = login("clerk").get("/inspections").text

    assert page.count(chosen) == 1
    assert f'<select id="inspector-{order[1]}" name="inspector" required>' in page
