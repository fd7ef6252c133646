"""The audit log's page names what each entry is about as people read it (a user by full
name and login, a department by name, a document by its registration number and a link,
a route described, a list entry by its text), in the reader's language, with a query per
kind of thing named for the whole page, not one per row."""

from __future__ import annotations

import lxml.html
from sqlalchemy import event, select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import Role, User
from app.auth.service import create_user, set_roles
from app.catalogues.service import save_instruction, save_state_body
from app.extensions import db
from app.org.service import add_department, add_route, delete_route, place_user
from tests.execution import road
from tests.factories import Org, make_document


def _acts(app, n: int = 1, *, start: int = 0) -> dict:
    """``n`` of each administrative act, and (the first time) a registered document."""
    with app.app_context():
        org = Org() if not start else None
        admin = db.session.scalar(select(User).where(User.login == "admin"))
        for i in range(start, start + n):
            person = create_user(login=f"new-{i}", full_name=f"Жаңа Қызметкер {i}",
                                 password="a-long-password", roles=[Role.EXECUTOR], by=admin)
            set_roles(person, [Role.EXECUTOR, Role.HEAD], by=admin)
            department = add_department(code=f"LIC{i}", name=f"Отдел лицензирования {i}",
                                        parent="MGMT", by=admin)
            place_user(person, department=department, position="Главный специалист", by=admin)
            route = add_route(department=department, kind="licence_new",
                              activity="строительство", by=admin)
            add_route(department=department, kind="appeal_individual", by=admin)
            delete_route(route, by=admin)
            save_instruction(code=f"urgent-{i}", text_ru=f"Срочно {i}", text_kk=f"Шұғыл {i}",
                             position=5, active=True, by=admin)
            save_state_body(code=f"KZ-ROADS-{i}", name_ru=f"Комитет автодорог {i}",
                            name_kk=f"Автожолдар комитеті {i}", bin="", active=True, by=admin)
        db.session.commit()
        if org is None:
            return {}
        doc = road.registered(make_document(n=3), org)
        record(AuditKind.DOCUMENT_REOPENED, actor_id=admin.id, document_id=doc.id,
               target=f"document {doc.id}", details={"reason": "Ошибка исполнителя"})
        db.session.commit()
        return {"document": doc.id, "number": doc.registration_number}


def _rows(client, query: str = "") -> lxml.html.HtmlElement:
    page = client.get(f"/admin/audit{query}")
    assert page.status_code == 200
    return lxml.html.fromstring(page.text).xpath("//tbody")[0]


def test_the_targets_are_named_as_people_read_them(app, login):
    facts = _acts(app)
    clerk = login("clerk")
    clerk.get(f"/documents/{facts['document']}")
    admin = login("admin")
    admin.get("/language/ru")

    body = _rows(admin)
    text = " ".join(body.text_content().split())

    # a user by full name and login, linked to the users page; roles by their names
    assert "Жаңа Қызметкер 0 new-0" in text
    assert body.xpath("//a[contains(@href, '/admin/users#user-')]")
    assert "Исполнитель, Руководитель подразделения" in text
    # a department by name, and by name where a person is placed in it
    assert "Подразделение «Отдел лицензирования 0» LIC0" in text
    assert "Стало: Отдел лицензирования 0" in text
    # a route described: its conditions and where it leads
    assert "Заявление на получение лицензии; деятельность содержит «строительство» → " \
        "Отдел лицензирования 0" in text
    # the lists' entries by their text
    assert "Типовое поручение «Срочно 0»" in text and "Госорган «Комитет автодорог 0»" in text
    assert "Порядок: 5" in text
    # the document read, by its registration number, linked to its page
    link = body.xpath(f"//a[@href='/documents/{facts['document']}']")
    assert link and link[0].text_content().strip() == facts["number"]
    # no target left as the log keeps it
    reopened = body.xpath("//tr[contains(., 'Ошибка исполнителя')]")[0]
    assert facts["number"] in reopened.text_content()
    assert f"document {facts['document']}" not in reopened.text_content()
    for raw in ("user new-0", "department LIC0", "route ", "instruction urgent-0",
                "state body KZ-ROADS-0"):
        assert raw not in text, raw


def test_the_names_are_in_the_readers_language(app, login):
    _acts(app)
    admin = login("admin")
    admin.get("/language/kk")
    text = " ".join(_rows(admin).text_content().split())
    assert "Шұғыл 0" in text and "Автожолдар комитеті 0" in text
    admin.get("/language/en")
    text = " ".join(_rows(admin).text_content().split())
    assert "Department “Отдел лицензирования 0”" in text
    assert "Licence application; activity contains “строительство”" in text


def test_a_target_whose_row_is_gone_is_still_named(app, login):
    """The log follows no change: a route deleted is described from the entry itself."""
    _acts(app)
    admin = login("admin")
    admin.get("/language/en")
    text = " ".join(_rows(admin, "?kind=route_deleted").text_content().split())
    assert "Route no." in text and "Licence application" in text


def _queries(app, client, query: str) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        _rows(client, query)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_a_page_of_many_entries_costs_what_a_page_of_few_costs(app, login):
    facts = _acts(app)
    clerk = login("clerk")
    clerk.get(f"/documents/{facts['document']}")
    admin = login("admin")
    _queries(app, admin, "")  # the first page load fills what is loaded once
    few = _queries(app, admin, "")
    _acts(app, n=5, start=1)
    many = _queries(app, admin, "")
    text = " ".join(_rows(admin).text_content().split())
    assert "Жаңа Қызметкер 5" in text and "Жаңа Қызметкер 2" in text  # a page of many
    assert many <= few, (few, many)  # one query per kind of thing named, not one per row
