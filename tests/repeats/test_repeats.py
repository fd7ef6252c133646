"""Repeat appeals: a new appeal from the same IIN on a similar subject shows the earlier
one (number, status, answer); the clerk links it as a repeat, the link is kept and shown on
both documents, and the head is offered to leave it without consideration when the earlier
one was answered on the merits."""

from __future__ import annotations

import pytest

from app.documents.models import Document
from app.errors import PermissionDenied, Refused
from app.extensions import db
from app.registration.service import register
from app.repeats.models import RepeatLink
from app.repeats.service import earlier_similar, link_repeat
from app.timeutil import utcnow
from tests.conftest import csrf_token
from tests.execution import road
from tests.factories import Org, make_document, user

SUBJECT = "О ремонте дороги по улице Абая в ауле Қарасу"


def _answered_and_repeated(app, pki) -> tuple[int, int, str, str]:
    """An appeal answered with a letter, and the same author's new appeal on it."""
    with app.app_context():
        org = Org()
        first = make_document(n=1, short_content=SUBJECT)
        road.approved(road.submitted(road.drafted(road.assigned(
            road.registered(first, org), org), org), org), org)
        road.signed(first, org, pki)
        again = make_document(n=2, short_content="Повторно: ремонт дороги по улице Абая, "
                                                  "аул Карасу")
        db.session.commit()
        return first.id, again.id, first.registration_number, first.letters[-1].outgoing_number


@pytest.fixture
def org(db_session):
    return Org()


def test_only_the_same_authors_earlier_appeals_on_a_similar_subject_are_shown(org):
    first = make_document(n=1, short_content=SUBJECT)
    make_document(n=2, short_content="Об уличном освещении")            # another subject
    make_document(n=3, short_content=SUBJECT, iin="920712450630")       # another author
    new = make_document(n=4, short_content="Ремонт дороги по улице Абая (аул Карасу)")

    assert [e.document.id for e in earlier_similar(new)] == [first.id]
    # and nothing later than the document itself
    assert earlier_similar(first) == []


def test_the_text_alone_can_make_two_appeals_alike(org):
    first = make_document(n=1, short_content="Обращение", text="Прошу отремонтировать мост "
                          "через реку Ертіс возле школы номер пять")
    new = make_document(n=2, short_content="Жалоба", text="Снова прошу отремонтировать мост "
                        "через реку Ертис возле школы")
    assert [e.document.id for e in earlier_similar(new)] == [first.id]


def test_only_an_earlier_appeal_of_the_same_author_can_be_linked(org):
    first = make_document(n=1)
    stranger = make_document(n=2, iin="920712450630")
    new = make_document(n=3)

    with pytest.raises(Refused) as refused:
        link_repeat(new, stranger, actor=org.clerk, now=utcnow())
    assert refused.value.code == "repeat_not_same_author"
    with pytest.raises(Refused):
        link_repeat(first, new, actor=org.clerk, now=utcnow())
    with pytest.raises(PermissionDenied):
        link_repeat(new, first, actor=org.executor, now=utcnow())
    link = link_repeat(new, first, actor=org.clerk, now=utcnow())
    # twice is once
    assert link_repeat(new, first, actor=org.clerk, now=utcnow()) is link


def test_the_clerk_links_a_repeat_and_both_pages_show_it(app, pki, login, client):
    first_id, again_id, number, letter = _answered_and_repeated(app, pki)
    login("clerk")
    client.get("/language/en")

    page = client.get(f"/documents/{again_id}").text
    assert "Earlier appeals of the same author on a similar subject" in page
    assert number in page and letter in page and "Explained" in page
    assert "Answered, off control" in page

    client.post(f"/documents/{again_id}/repeats/{first_id}",
                data={"csrf_token": csrf_token(page)})

    with app.app_context():
        assert db.session.query(RepeatLink).filter_by(
            document_id=again_id, earlier_id=first_id).count() == 1
    assert "This appeal repeats it" in client.get(f"/documents/{again_id}").text
    earlier_page = client.get(f"/documents/{first_id}").text
    assert "Repeated by later appeals" in earlier_page
    assert f'href="/documents/{again_id}"' in earlier_page


def test_the_head_is_offered_to_leave_a_repeat_without_consideration(app, pki, login,
                                                                    client):
    first_id, again_id, number, letter = _answered_and_repeated(app, pki)
    with app.app_context():
        clerk, again = user("clerk"), db.session.get(Document, again_id)
        link_repeat(again, db.session.get(Document, first_id), actor=clerk, now=utcnow())
        register(again, clerk=clerk, now=utcnow(), zone="Asia/Almaty")  # to the head
        db.session.commit()
    login("head")
    client.get("/language/en")

    page = client.get(f"/documents/{again_id}").text

    assert f"answered on the merits in letter No. {letter}" in page
    assert f"to the appeal No. {number}" in page
