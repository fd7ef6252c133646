"""An administrator builds the body's structure from the command line."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.org.models import Department, Route


def run(app, *args):
    from app.org.cli import org

    return app.test_cli_runner().invoke(org, list(args))


def test_departments_heads_people_and_routes(app):
    assert run(app, "add-department", "MGMT", "Аппарат", "--head", "head").exit_code == 0
    assert run(app, "add-department", "ROADS", "Отдел дорог", "--parent", "MGMT").exit_code == 0
    placed = run(app, "place", "signer", "--department", "MGMT", "--position",
                 "Руководитель аппарата", "--iin", "830417401559")
    assert placed.exit_code == 0, placed.output
    assert run(app, "add-route", "--department", "ROADS", "--kind", "appeal_individual",
               "--position", "5").exit_code == 0

    shown = run(app, "show").output
    assert "ROADS  Отдел дорог  (head: no head)" in shown
    assert "route 5: kind=appeal_individual" in shown
    with app.app_context():
        roads = db.session.scalar(select(Department).where(Department.code == "ROADS"))
        assert roads.parent.code == "MGMT" and roads.parent.head.login == "head"
        signer = db.session.scalar(select(User).where(User.login == "signer"))
        assert (signer.iin, signer.department.code) == ("830417401559", "MGMT")
        assert db.session.scalar(select(Route)).department_id == roads.id


def test_mistakes_are_named_not_stored(app):
    bad_iin = run(app, "place", "signer", "--department", "NOPE")
    # the CLI speaks the default language and names the rule by its code
    assert bad_iin.exit_code != 0 and "(department_not_found)" in bad_iin.output
    assert "«NOPE»" in bad_iin.output
    run(app, "add-department", "MGMT", "Аппарат")
    wrong = run(app, "place", "signer", "--department", "MGMT", "--iin", "830417401558")
    assert wrong.exit_code != 0 and "(iin_invalid)" in wrong.output
    not_a_head = run(app, "add-department", "X", "Икс", "--head", "executor")
    assert not_a_head.exit_code != 0 and "(not_a_head)" in not_a_head.output
    with app.app_context():
        assert db.session.scalar(select(Department).where(Department.code == "X")) is None
