"""A clerk's day at speed: the inbox opens on what is still to do, the verdict says why,
several valid documents are registered at once, new arrivals are counted for the page's
script, and the document page leads to the next document to do."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from app.marks.models import Mark
from app.timeutil import utcnow
from app.xmlsig.report import Indication
from tests.conftest import csrf_token
from tests.factories import make_document


def _make(app, **kwargs) -> int:
    with app.app_context():
        document = make_document(**kwargs)
        db.session.commit()
        return document.id


def _rows(html: str) -> str:
    return html[html.index("<tbody>"):html.index("</tbody>")]


def test_the_inbox_opens_on_what_is_still_to_do(app, login):
    waiting = _make(app, n=1, author_name="Ожидающий Автор")
    done = _make(app, n=2, author_name="Решённый Автор")
    with app.app_context():
        db.session.get(Document, done).state = DocumentState.REJECTED
        db.session.commit()
    client = login("clerk")
    client.get("/language/en")

    first = client.get("/")
    assert "Ожидающий" in _rows(first.text) and "Решённый" not in _rows(first.text)
    assert "(1) Inbox" in first.text  # the count in the title
    everything = client.get("/?show=all")
    assert "Ожидающий" in _rows(everything.text) and "Решённый" in _rows(everything.text)
    assert waiting != done


def test_the_verdict_column_says_why_a_signature_failed(app, login):
    _make(app, n=1, indication=Indication.FAILED)
    client = login("clerk")
    client.get("/language/ru")

    rows = _rows(client.get("/").text)

    # HASH_FAILURE, in the reader's words
    assert "документ изменен после подписания" in rows


def test_several_valid_documents_are_registered_at_once(app, login):
    now = utcnow()
    ids = [_make(app, n=n, received_at=now - timedelta(minutes=10 - n)) for n in (1, 2, 3)]
    failed = _make(app, n=4, indication=Indication.FAILED)
    client = login("clerk")
    client.get("/language/en")
    inbox = client.get("/")
    # only the valid ones can be ticked
    assert f'value="{failed}:' not in inbox.text
    stale_id = ids[1]
    with app.app_context():  # changed meanwhile, in another tab
        db.session.get(Document, stale_id).short_content = "changed"
        db.session.commit()

    answer = client.post("/inbox/register", data={
        "csrf_token": csrf_token(inbox.text),
        "document": [f"{i}:1" for i in ids] + [f"{failed}:1"]})

    assert answer.status_code == 200
    assert "Registered: 2 of 4." in answer.text
    with app.app_context():
        docs = {d.id: d for d in db.session.scalars(select(Document).where(
            Document.id.in_(ids + [failed])))}
        assert docs[ids[0]].registration_number and docs[ids[2]].registration_number
        # each got its own number, in the order they arrived, and its own registration mark
        assert docs[ids[0]].registration_number < docs[ids[2]].registration_number
        for ident in (ids[0], ids[2]):
            kinds = [m.kind.value for m in db.session.scalars(
                select(Mark).where(Mark.document_id == ident))]
            assert "registered" in kinds
        # the one that failed did not take the others with it, and is as it was
        assert docs[stale_id].registration_number is None
        assert docs[stale_id].state is DocumentState.RECEIVED
        assert docs[failed].registration_number is None
    assert "changed meanwhile" in answer.text
    assert "NOT valid" in answer.text


def test_registering_none_ticked_says_so(app, login):
    _make(app, n=1)
    client = login("clerk")
    client.get("/language/en")
    inbox = client.get("/")

    answer = client.post("/inbox/register", data={"csrf_token": csrf_token(inbox.text)},
                         follow_redirects=True)

    assert "Tick the documents to register first." in answer.text


def test_the_poll_counts_what_arrived_after_the_page(app, login):
    seen = _make(app, n=1)
    client = login("clerk")
    assert client.get(f"/inbox/poll?since={seen}").json == {
        "todo": 1, "new": 0, "newest": seen}

    later = _make(app, n=2)

    answer = client.get(f"/inbox/poll?since={seen}").json
    assert answer == {"todo": 2, "new": 1, "newest": later}
    # nonsense is no error
    assert client.get("/inbox/poll?since=abc").json["new"] == 0


def test_the_poll_is_the_clerks(app, login):
    client = login("executor")
    assert client.get("/inbox/poll").status_code == 403


def test_the_document_page_leads_to_the_next_document_to_do(app, login):
    now = utcnow()
    older = _make(app, n=1, received_at=now - timedelta(hours=2))
    middle = _make(app, n=2, received_at=now - timedelta(hours=1))
    newer = _make(app, n=3, received_at=now)
    client = login("clerk")

    page = client.get(f"/documents/{middle}").text
    assert f'href="/documents/{older}" data-key="next"' in page
    assert f'href="/documents/{newer}" data-key="previous"' in page
    assert 'data-key="register"' in page

    # registered, it leaves the list, and its page still leads on
    client.post(f"/documents/{middle}/register", data={
        "csrf_token": csrf_token(page), "version": "1"})
    again = client.get(f"/documents/{middle}").text
    assert f'href="/documents/{older}" data-key="next"' in again


def test_previous_and_next_stay_in_the_list_the_clerk_came_from(app, login):
    now = utcnow()
    first = _make(app, n=1, author_name="Иванов Иван", received_at=now - timedelta(hours=2))
    between = _make(app, n=2, author_name="Петров Пётр", received_at=now - timedelta(hours=1))
    last = _make(app, n=3, author_name="Иванова Анна", received_at=now)
    client = login("clerk")
    client.get("/language/en")

    inbox = client.get("/?q=иванов").text
    # the inbox's links name the list they belong to
    link = re.search(rf'href="(/documents/{last}\?list=[^"]+)"', inbox)
    assert link, "the document's link carries its list"

    page = client.get(html.unescape(link.group(1))).text
    # Petrov is not in this list: next is the other Ivanov, and the link keeps the list
    following = re.search(r'href="([^"]+)" data-key="next"', page).group(1)
    assert following.startswith(f"/documents/{first}?list=")
    assert "In this list: 2" in page
    # without a list, the to-do list: Petrov comes next
    plain = client.get(f"/documents/{last}").text
    assert f'href="/documents/{between}" data-key="next"' in plain
