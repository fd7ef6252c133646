"""The names the office keeps, in the reader's language: Kazakh or English when written,
else Russian (app/languages.py) — departments, the sending portals, the deadline rules'
citations and notes, the lists, the regions — on the pages, from the CLI and the admin's
forms, and filled by init-db for what it shipped."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.catalogues.models import StandardInstruction, StateBody
from app.catalogues.service import seed_catalogues
from app.deadlines.models import DeadlineRuleRecord
from app.deadlines.rules import shipped_rules
from app.deadlines.service import save_rule, seed_rules
from app.documents.models import Sender
from app.extensions import db
from app.formats import regions
from app.languages import in_language
from app.org.models import Department
from app.settings import current_settings
from app.timeutil import utcnow
from tests.conftest import csrf_token
from tests.execution import road
from tests.factories import Org, make_document

STATEMENT_RU = "Заявление рассматривается в течение 15 рабочих дней"
STATEMENT_KK = "Өтініш тіркелген күннен кейінгі күннен бастап 15 жұмыс күні"
STATEMENT_EN = "A statement is considered within 15 working days"


@pytest.mark.parametrize(("language", "kk", "en", "shown"), [
    ("kk", "Бөлім", "Department", "Бөлім"),
    ("en", "Бөлім", "Department", "Department"),
    ("ru", "Бөлім", "Department", "Отдел"),
    ("kk", "", "Department", "Отдел"),  # not written in Kazakh: the Russian
    ("en", "Бөлім", "  ", "Отдел"),
    ("en", "Бөлім", None, "Отдел"),
    ("fr", "Бөлім", "Department", "Отдел"),  # a language we do not keep: the Russian
])
def test_a_name_in_the_readers_language_else_russian(language, kk, en, shown):
    assert in_language(language, ru="Отдел", kk=kk, en=en) == shown


def test_every_region_and_district_has_its_english_name():
    places = [*regions.REGIONS, *(d for r in regions.REGIONS for d in r.districts)]
    assert all(p.name_in("en") != p.ru for p in places)
    assert regions.region("VKO").name_in("en") == "East Kazakhstan Region"
    assert regions.district("VKO-UST").name_in("kk") == "Өскемен қ."


def _document_at_the_head(app, *, sender_code="EGOV"):
    with app.app_context():
        org = Org()
        org.management.name_kk, org.management.name_en = "Басшылық", "Management"
        egov = db.session.scalar(select(Sender).where(Sender.code == "EGOV"))
        egov.name_kk, egov.name_en = "ЭГОВ порталы", "The eGov portal"
        document = road.registered(make_document(n=7, sender_code=sender_code), org)
        db.session.commit()
        return document.id


def test_the_document_page_names_portal_department_and_rule_in_the_readers_language(
        app, login):
    document_id = _document_at_the_head(app)
    head = login("head")

    head.get("/language/kk")
    kk = head.get(f"/documents/{document_id}").text
    assert "ЭГОВ порталы" in kk and "EGOV portal" not in kk
    assert "Басшылық" in kk and "Руководство" not in kk  # the history's routing
    assert STATEMENT_KK in kk and STATEMENT_RU not in kk
    assert "ҚР Әкімшілік рәсімдік-процестік кодексі" in kk

    head.get("/language/en")
    en = head.get(f"/documents/{document_id}").text
    assert "The eGov portal" in en and "Management" in en
    assert STATEMENT_EN in en and STATEMENT_RU not in en
    assert "Administrative Procedural and Process Code of the RK" in en

    head.get("/language/ru")
    ru = head.get(f"/documents/{document_id}").text
    assert "EGOV portal" in ru and "Руководство" in ru and STATEMENT_RU in ru


def test_what_has_no_kazakh_name_reads_russian_on_a_kazakh_page(app, login):
    document_id = _document_at_the_head(app, sender_code="ELICENSE")
    with app.app_context():  # the rule changed by an administrator in Russian only
        statement = next(r for r in shipped_rules().rules if r.kind == "statement")
        settings = current_settings()
        admin = db.session.scalar(select(Department).where(Department.code == "MGMT")).head
        save_rule({**statement.to_dict(), "note": "Только по-русски.", "note_kk": "",
                   "citation_kk": ""}, admin=admin, now=utcnow(),
                  calendar=settings.calendar, hours=settings.working_hours)
        db.session.commit()
    head = login("head")
    head.get("/language/kk")
    page = head.get(f"/documents/{document_id}").text
    assert "ELICENSE portal" in page  # no Kazakh name written: the Russian one
    assert "Только по-русски." in page
    assert statement.citation in page
    people = login("admin").get("/admin/people").text
    assert "Басшылық" in people and "Отдел дорог" in people


def _rule_row(page: str, code: str) -> str:
    """The rule's line in the table (its edit form below keeps every language's words)."""
    return page.split(f'<tr id="rule-{code}">')[1].split("</tr>")[0]


def test_the_deadline_rules_page_reads_the_readers_language(login):
    admin = login("admin")
    admin.get("/language/kk")
    row = _rule_row(admin.get("/admin/deadline-rules").text, "appc-statement-2021")
    assert STATEMENT_KK in row and STATEMENT_RU not in row
    admin.get("/language/en")
    page = admin.get("/admin/deadline-rules").text
    row = _rule_row(page, "appc-statement-2021")
    assert STATEMENT_EN in row and STATEMENT_RU not in row
    assert STATEMENT_KK in page  # the form to change it holds the Kazakh too


def test_the_administrator_names_a_department_in_each_language(app, login):
    with app.app_context():
        Org()
        db.session.commit()
    admin = login("admin")
    page = admin.get("/admin/people").text
    saved = admin.post("/admin/departments/ROADS/names", data={
        "ROADS-csrf_token": csrf_token(page), "ROADS-name": "Отдел дорог",
        "ROADS-name_kk": "Жол бөлімі", "ROADS-name_en": "Roads Department"})
    assert saved.status_code == 302
    with app.app_context():
        roads = db.session.scalar(select(Department).where(Department.code == "ROADS"))
        assert (roads.name, roads.name_kk, roads.name_en) == (
            "Отдел дорог", "Жол бөлімі", "Roads Department")
    admin.get("/language/en")
    assert "Roads Department" in admin.get("/admin/people").text
    # the Russian name cannot be emptied: the form says so, nothing changes
    refused = admin.post("/admin/departments/ROADS/names", data={
        "ROADS-csrf_token": csrf_token(page), "ROADS-name": " ", "ROADS-name_kk": "X"})
    assert refused.status_code in (302, 422)
    with app.app_context():
        assert db.session.scalar(select(Department.name_kk).where(
            Department.code == "ROADS")) == "Жол бөлімі"
    assert admin.post("/admin/departments/NOPE/names", data={
        "NOPE-csrf_token": csrf_token(page), "NOPE-name": "X"}).status_code == 404


def test_the_cli_names_departments_and_portals(app):
    from app.cli import cli

    runner = app.test_cli_runner()
    added = runner.invoke(cli, ["org", "add-department", "AGRO", "Отдел сельского хозяйства",
                                "--name-kk", "Ауыл шаруашылығы бөлімі",
                                "--name-en", "Agriculture Department"])
    assert added.exit_code == 0, added.output
    renamed = runner.invoke(cli, ["org", "name-department", "AGRO", "--name-en", ""])
    assert renamed.exit_code == 0, renamed.output
    portal = runner.invoke(cli, ["sender", "add", "EOTINISH", "--name", "еОтиниш",
                                 "--name-kk", "еӨтініш"])
    assert portal.exit_code == 0, portal.output
    named = runner.invoke(cli, ["sender", "name", "EOTINISH", "--name-en", "eOtinish"])
    assert named.exit_code == 0, named.output
    unknown = runner.invoke(cli, ["sender", "name", "NOPE", "--name-kk", "x"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
    empty = runner.invoke(cli, ["org", "name-department", "AGRO", "--name", " "])
    assert empty.exit_code != 0 and "(department_name_missing)" in empty.output
    with app.app_context():
        agro = db.session.scalar(select(Department).where(Department.code == "AGRO"))
        assert (agro.name_in("kk"), agro.name_in("en")) == (
            "Ауыл шаруашылығы бөлімі", "Отдел сельского хозяйства")
        sender = db.session.scalar(select(Sender).where(Sender.code == "EOTINISH"))
        assert (sender.name_in("kk"), sender.name_in("en"), sender.name_in("ru")) == (
            "еӨтініш", "eOtinish", "еОтиниш")


def test_init_db_gives_what_it_shipped_its_kazakh_and_english(app):
    with app.app_context():
        seed_rules()
        seed_catalogues()
        # as an installation seeded before the words existed holds them
        rules = list(db.session.scalars(select(DeadlineRuleRecord)))
        for row in rules:
            row.note_kk = row.note_en = row.citation_kk = row.citation_en = ""
        changed = next(r for r in rules if r.kind == "complaint")
        changed.note = "Своё примечание администратора."
        for item in db.session.scalars(select(StandardInstruction)):
            item.text_en = ""
        for body in db.session.scalars(select(StateBody)):
            body.name_en = ""
        db.session.flush()

        assert seed_rules() == 0 and seed_catalogues() == (0, 0)

        statement = db.session.scalar(select(DeadlineRuleRecord).where(
            DeadlineRuleRecord.kind == "statement"))
        assert statement.to_rule().note_in("kk").startswith(STATEMENT_KK)
        assert statement.to_rule().citation_in("en").startswith("Administrative Procedural")
        assert changed.note_kk == "" and changed.to_rule().note_in("kk") == changed.note
        assert db.session.scalar(select(StandardInstruction).where(
            StandardInstruction.code == "for-information")).text_in("en") == "For information"
        assert db.session.scalar(select(StateBody).where(
            StateBody.code == "MJ")).name_in("en") == "Ministry of Justice of the Republic of " \
            "Kazakhstan"
