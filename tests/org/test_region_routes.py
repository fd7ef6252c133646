"""Routes by the region and district of the object (seed 003): InfoKazakhstan's lists as
data, the codes sent or found from the names, and the office a route chooses by them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.documents.states import DocumentState
from app.errors import Refused
from app.extensions import db
from app.formats import regions
from app.org.models import Route
from app.org.service import add_route
from app.registration import service
from app.timeutil import utcnow
from tests.conftest import csrf_token
from tests.factories import Org, make_document, user


@pytest.mark.parametrize(("region", "district", "codes"), [
    ("г. Алматы", "Медеуский район", ("ALA", "ALA-MED")),
    ("Алматы қ.", "Медеу ауданы", ("ALA", "ALA-MED")),
    ("Карагандинская область", "г. Темиртау", ("KAR", "KAR-TEM")),
    ("Алматинская область", "Неизвестный район", ("ALM", None)),
    ("Марс", "Кратер", (None, None)),
])
def test_the_codes_are_found_from_the_names_in_either_language(region, district, codes):
    assert regions.locate(region_name=region, district_name=district) == codes


def test_codes_that_are_sent_win_over_the_names():
    assert regions.locate(region_name="г. Астана", region_code="ALA",
                          district_code="ALA-BOS") == ("ALA", "ALA-BOS")
    assert regions.locate(district_code="SHY-ABA") == ("SHY", "SHY-ABA")


def inspection(n: int, details: dict):
    document = make_document(n=n, kind="inspection_request")
    document.content = {"details": details}
    return document


def test_a_route_by_district_sends_the_object_to_its_office(db_session):
    org = Org()
    add_route(department=org.roads, region="ALA", district="ALA-MED", position=1)
    medeu = inspection(1, {"region": "Алматы қ.", "district": "Медеу ауданы"})
    coded = inspection(2, {"region": "x", "region_code": "ALA", "district": "y",
                           "district_code": "ALA-MED"})
    astana = inspection(3, {"region": "г. Астана", "district": "район Есиль"})

    for document in (medeu, coded, astana):
        service.register(document, clerk=user("clerk"), now=utcnow(), zone="Asia/Almaty")

    assert medeu.state is DocumentState.ON_RESOLUTION
    assert medeu.resolver == org.roads_head and coded.resolver == org.roads_head
    # Astana's object matches the catch-all route of the management
    assert astana.resolver == org.head


def test_a_route_names_only_listed_codes(db_session):
    org = Org()
    with pytest.raises(Refused) as refused:
        add_route(department=org.roads, region="MARS")
    assert refused.value.code == "region_unknown"
    with pytest.raises(Refused):
        add_route(department=org.roads, district="ALA-XXX")


def test_the_administrator_adds_a_route_by_region_on_the_routes_page(app, login):
    with app.app_context():
        roads_id = Org().roads.id
        db.session.commit()
    admin = login("admin")
    page = admin.get("/admin/routes").text
    assert 'value="ALA-MED"' in page and "Медеуский район" in page

    response = admin.post("/admin/routes", data={
        "csrf_token": csrf_token(page), "position": "3", "kind": "inspection_request",
        "activity": "", "recipient": "", "region": "ALA", "district": "ALA-MED",
        "department": str(roads_id)})

    assert response.status_code == 302, response.text
    with app.app_context():
        route = db.session.scalar(select(Route).where(Route.position == 3))
        assert (route.region, route.district) == ("ALA", "ALA-MED")
    assert "г. Алматы — Медеуский район" in admin.get("/admin/routes").text
