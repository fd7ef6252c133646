"""The desks' long lists come a page at a time (app/web/desklist.py): 50 rows, where the
page stands in its list ("51–100 of 120"), and links to the next and the first page that
keep the list's tab, sort and filters. A signer with 120 letters waiting reads them all,
each once, in the order she chose."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.documents.states import DocumentState
from app.extensions import db
from app.timeutil import utcnow
from app.web.desklist import PAGE_SIZE
from tests.factories import Org, make_controlled


def _waiting(app, *, with_deadline: int, without: int = 0,
             state: DocumentState = DocumentState.ON_SIGNATURE) -> list[int]:
    """Documents of the management on the signer's, the executor's and the head's desks:
    ``with_deadline`` of them with deadlines spread over the weeks around today (three a
    day, so the order leans on the id too), ``without`` with none. Their ids."""
    with app.app_context():
        org = Org()
        today = utcnow().date()
        ids = []
        for n in range(with_deadline + without):
            due = today + timedelta(days=n // 3 - 10) if n < with_deadline else None
            doc = make_controlled(n=n + 1, due=due, executor=org.executor, approver=org.head,
                                  state=state)
            doc.signer_id = org.signer.id
            doc.department_id = org.management.id
            doc.kind = "appeal_legal" if n % 2 else "appeal_individual"
            ids.append(doc.id)
        db.session.commit()
        return ids


def _listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/documents/(\d+)"', page)]


def _link(page: str, css: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" class="{css}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def _shown(page: str) -> str:
    return " ".join(re.search(r'<span class="shown">(.*?)</span>', page, re.S).group(1).split())


def _walk(client, url: str) -> tuple[list[int], list[str], list[str]]:
    """Every page from ``url`` on by its "next" links: the ids in order, each page's
    "shown", and the links followed."""
    ids, shown, followed = [], [], [url]
    while url:
        page = client.get(url)
        assert page.status_code == 200, url
        ids += _listed(page.text)
        shown.append(_shown(page.text))
        url = _link(page.text, "next-page")
        if url:
            followed.append(url)
        assert len(followed) < 20
    return ids, shown, followed


def _deadline_order(app, ids: list[int]) -> list[int]:
    """Nearest deadline first, the id next; no deadline last."""
    from app.documents.models import Document

    with app.app_context():
        docs = [db.session.get(Document, i) for i in ids]
        return [d.id for d in sorted(docs, key=lambda d: (d.due_date is None, d.due_date, d.id))]


def test_the_signer_reads_a_long_list_a_page_at_a_time(app, login):
    ids = _waiting(app, with_deadline=100, without=20)
    client = login("signer")
    client.get("/language/en")

    seen, shown, _ = _walk(client, "/signing/")

    assert seen == _deadline_order(app, ids)  # each once, in order, the undated last
    assert shown == [f"1–{PAGE_SIZE} of 120", f"{PAGE_SIZE + 1}–100 of 120", "101–120 of 120"]


def test_the_next_pages_keep_the_sort_and_the_filters(app, login):
    ids = _waiting(app, with_deadline=130, state=DocumentState.IN_EXECUTION)
    client = login("executor")
    client.get("/language/en")

    seen, shown, followed = _walk(client, "/execution/?kind=appeal_legal&sort=newest")

    legal = [i for n, i in enumerate(ids) if n % 2]
    assert seen == sorted(legal, reverse=True)  # received newest first (the ids' order)
    assert shown == ["1–50 of 65", "51–65 of 65"]
    assert all("kind=appeal_legal" in url and "sort=newest" in url for url in followed)
    last = client.get(followed[-1]).text
    assert _link(last, "first-page") == "/execution/?kind=appeal_legal&sort=newest"


def test_the_head_pages_through_a_tab_with_its_count(app, login):
    ids = _waiting(app, with_deadline=60, without=5, state=DocumentState.ON_APPROVAL)
    client = login("head")
    client.get("/language/en")

    seen, shown, followed = _walk(client, "/resolution/?tab=approval")

    assert seen == _deadline_order(app, ids)
    assert shown == ["1–50 of 65", "51–65 of 65"]
    assert "tab=approval" in followed[1]
    # by number, only those due this week: the count is of the filtered list
    seen, shown, followed = _walk(client, "/resolution/?tab=approval&due=week&sort=number")
    assert len(seen) == 24 and shown == ["1–24 of 24"] and len(followed) == 1


@pytest.mark.parametrize(("language", "words"), [
    ("ru", ("из", "Следующая страница", "Первая страница")),
    ("kk", ("ішінен", "Келесі бет", "Бірінші бет")),
    ("en", ("of", "Next page", "First page")),
])
def test_the_page_links_are_in_the_readers_language(app, login, language, words):
    _waiting(app, with_deadline=60)
    client = login("signer")
    client.get(f"/language/{language}")

    first = client.get("/signing/").text
    second = client.get(_link(first, "next-page")).text

    of, next_page, first_page = words
    assert of in _shown(first) and next_page in first
    assert first_page in second and _link(second, "first-page") == "/signing/"


@pytest.mark.parametrize("after", ["garbage", "=2026-13-45|7", "-|-1", "=x|99999999999999",
                                   "|", "=2026-01-01|"])
def test_a_cursor_not_written_by_the_page_starts_the_list_over(app, login, after):
    ids = _waiting(app, with_deadline=60)
    client = login("signer")

    page = client.get("/signing/", query_string={"after": after, "start": "abc"})

    assert page.status_code == 200
    assert _listed(page.text) == _deadline_order(app, ids)[:PAGE_SIZE]
    assert _link(page.text, "first-page") is None


def test_a_long_list_is_counted_only_up_to_the_cap(app):
    from sqlalchemy import select

    from app.documents.models import Document
    from app.web.desklist import count_up_to

    ids = _waiting(app, with_deadline=8)
    with app.app_context():
        waiting = select(Document).where(Document.id.in_(ids))
        assert count_up_to(waiting, 5) == 6  # "more than 5"
        assert count_up_to(waiting, 50) == 8
