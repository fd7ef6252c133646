"""The administrator builds the body's structure on the desk, as with `qujat org`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.org.models import Department, Route
from app.org.service import add_department
from tests.conftest import csrf_token


def test_an_admin_adds_departments_and_places_people(app, login):
    client = login("admin")
    page = client.get("/admin/people")
    assert page.status_code == 200
    token = csrf_token(page.text)

    client.post("/admin/departments", data={"csrf_token": token, "code": "MGMT",
                                            "name": "Аппарат акима", "head": "head"})
    client.post("/admin/departments", data={"csrf_token": token, "code": "ROADS",
                                            "name": "Отдел дорог", "parent": "MGMT"})
    page = client.get("/admin/people").text
    signer = re.search(r'<option value="(\d+)">Test signer', page).group(1)
    refused = client.post("/admin/people", data={
        "csrf_token": token, "user": signer, "department": "MGMT", "iin": "830417401558"},
        follow_redirects=True)
    assert "830417401558" in refused.text  # named in the error
    client.post("/admin/people", data={"csrf_token": token, "user": signer,
                                       "department": "MGMT", "position": "Руководитель",
                                       "iin": "830417401559"})

    with app.app_context():
        roads = db.session.scalar(select(Department).where(Department.code == "ROADS"))
        assert roads.parent.code == "MGMT" and roads.parent.head.login == "head"
        official = db.session.scalar(select(User).where(User.login == "signer"))
        assert (official.iin, official.position, official.department.code) == (
            "830417401559", "Руководитель", "MGMT")
    assert "Отдел дорог" in client.get("/admin/people").text


@pytest.fixture
def structure(app) -> dict[str, int]:
    """A department with a route to it, and the ids the posts below name."""
    with app.app_context():
        management = add_department(code="MGMT", name="Аппарат акима")
        route = Route(position=100, department=management)
        db.session.add(route)
        db.session.commit()
        signer = db.session.scalar(select(User).where(User.login == "signer"))
        return {"department": management.id, "route": route.id, "signer": signer.id}


def _structure(app) -> tuple:
    with app.app_context():
        return (
            sorted((d.code, d.name, d.parent_id, d.head_id)
                   for d in db.session.scalars(select(Department))),
            sorted((r.position, r.department_id) for r in db.session.scalars(select(Route))),
            sorted((u.login, u.department_id, u.position or "", u.iin or "")
                   for u in db.session.scalars(select(User))),
        )


#: every post that changes the structure, with data an administrator's post succeeds with
STRUCTURE_POSTS = {
    "add a department": lambda ids: ("/admin/departments",
                                     {"code": "X", "name": "Отдел X", "parent": "MGMT"}),
    "place a person": lambda ids: ("/admin/people", {"user": ids["signer"],
                                                     "department": "MGMT",
                                                     "position": "Руководитель"}),
    "add a route": lambda ids: ("/admin/routes", {"position": "5",
                                                  "department": ids["department"]}),
    "delete a route": lambda ids: (f"/admin/routes/{ids['route']}/delete", {}),
}


@pytest.mark.parametrize("what", STRUCTURE_POSTS)
def test_only_an_admin_manages_the_structure(app, login, structure, what):
    path, data = STRUCTURE_POSTS[what](structure)
    head = login("head")
    assert head.get("/admin/people").status_code == 403
    assert head.get("/admin/routes").status_code == 403
    before = _structure(app)
    # a valid CSRF token of the head's own session: the refusal must come from the role
    token = csrf_token(head.get("/resolution/").text)
    assert head.post(path, data={"csrf_token": token, **data}).status_code == 403
    assert _structure(app) == before

    # the very same post from an administrator changes the structure
    head.post("/logout", data={"csrf_token": token})
    admin = login("admin")
    token = csrf_token(admin.get("/admin/people").text)
    assert admin.post(path, data={"csrf_token": token, **data}).status_code == 302
    assert _structure(app) != before
