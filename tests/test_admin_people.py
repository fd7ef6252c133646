"""The administrator builds the body's structure on the desk, as with `qujat org`."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.org.models import Department
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


def test_only_an_admin_manages_the_structure(login):
    client = login("head")
    assert client.get("/admin/people").status_code == 403
    assert client.post("/admin/departments", data={"code": "X", "name": "X"}).status_code in (
        400, 403)
