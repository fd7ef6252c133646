"""Search for every role over what the role may see: a part of a number or of an IIN/BIN,
words of the short content and of the text, the author's name in either spelling."""

from __future__ import annotations

import pytest

from app.documents.models import Document
from app.extensions import db
from app.search.queries import SearchQuery, search
from app.workflow.permissions import can_see, visible_among, visible_to
from tests.execution import road
from tests.factories import Org, make_document


@pytest.fixture
def org(db_session):
    return Org()


def found(user, text: str) -> set[int]:
    return {d.id for d in search(user, SearchQuery(text=text)).documents}


def test_a_clerk_finds_by_any_part_of_what_identifies_a_document(org):
    kazakh = make_document(n=1, author_name="Әбілқайыров Нұрлан Серікұлы", iin="850314301283",
                           short_content="О ремонте дороги в ауле Қарасу",
                           text="Прошу отремонтировать мост через реку Ертіс.")
    other = make_document(n=2, author_name="Жұмабаева Сәуле", iin="920712450630",
                          short_content="Об уличном освещении", text="Фонари не горят.")
    road.registered(kazakh, org)
    number = kazakh.registration_number
    clerk = org.clerk

    assert found(clerk, number[-4:]) == {kazakh.id}                # part of the number
    assert found(clerk, "0314301") == {kazakh.id}                  # part of the IIN
    assert found(clerk, "освещении") == {other.id}                 # short content
    assert found(clerk, "мост ертис") == {kazakh.id}               # words of the text
    assert found(clerk, "абилкайыров") == {kazakh.id}              # Russian keyboard
    assert found(clerk, "ЖҰМАБАЕВА") == {other.id}                 # case
    assert found(clerk, "карасу") == {kazakh.id}                   # қ as к
    assert found(clerk, "мост освещении") == set()                 # every word must occur
    assert found(clerk, "100%") == set()                           # % is a letter, not "any"


def test_an_executor_finds_only_what_he_may_see(org):
    mine = road.assigned(road.registered(
        make_document(n=1, short_content="Ремонт дороги на улице Абая"), org), org)
    not_mine = road.registered(make_document(n=2, short_content="Ремонт дороги у школы"), org)

    assert found(org.executor, "ремонт дороги") == {mine.id}
    assert found(org.outsider, "ремонт дороги") == set()
    assert found(org.clerk, "ремонт дороги") == {mine.id, not_mine.id}


def test_visible_to_says_what_can_see_says_for_everyone(org, pki):
    """The rule in the query is the rule of the document page, for every role and along
    the road, so a search never shows what the page would hide, nor hides what it shows."""
    documents = [make_document(n=1)]
    documents.append(road.registered(make_document(n=2), org))
    documents.append(road.assigned(road.registered(make_document(n=3), org), org,
                                   coexecutors=[org.coexecutor]))
    signed = road.approved(road.submitted(road.drafted(road.assigned(
        road.registered(make_document(n=4), org), org), org), org), org)
    road.signed(signed, org, pki)
    documents.append(signed)
    documents.append(road.registered(make_document(n=5, kind="licence_new"), org))
    people = [org.clerk, org.admin, org.head, org.roads_head, org.other_head, org.executor,
              org.coexecutor, org.outsider, org.signer]
    ids = [d.id for d in documents]

    for person in people:
        expected = {d.id for d in documents if can_see(person, d)}
        for condition in (visible_to, visible_among):  # the latter: the inspection queue's
            in_query = set(db.session.scalars(
                db.select(Document.id).where(Document.id.in_(ids), condition(person))))
            assert in_query == expected, (person.login, condition.__name__)


def test_the_search_page_and_the_box_in_the_menu(app, login):
    with app.app_context():
        make_document(n=1, author_name="Сейітов Асқар")
        db.session.commit()
    client = login("clerk")
    client.get("/language/en")

    page = client.get("/search?q=сейитов+аскар")

    assert page.status_code == 200
    assert "Сейітов Асқар" in page.text
    assert 'action="/search"' in client.get("/").text  # the box in the menu
    assert "No documents match." in client.get("/search?q=никого").text
    assert client.get("/search?q=" + "а" * 5000).status_code == 200
    # nonsense in the filters filters nothing, and is no error
    assert client.get("/search?due_from=31.02&executor=x&state=?").status_code == 200


def test_an_empty_query_finds_nothing(org):
    make_document(n=1)
    assert search(org.clerk, SearchQuery(text=" - ")).documents == []


def test_search_by_executor_and_deadline_range(org):
    from datetime import timedelta

    near = road.assigned(road.registered(make_document(n=1), org), org)
    far = road.assigned(road.registered(make_document(n=2), org), org,
                        executor=org.coexecutor)
    far.due_date = near.due_date + timedelta(days=30)
    db.session.flush()

    by_executor = search(org.clerk, SearchQuery(executor_id=org.coexecutor.id)).documents
    assert [d.id for d in by_executor] == [far.id]
    in_range = search(org.clerk, SearchQuery(due_from=near.due_date,
                                             due_to=near.due_date + timedelta(days=1)))
    assert [d.id for d in in_range.documents] == [near.id]
