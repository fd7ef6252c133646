"""The registration-control card: what the registry prints about a document, from its
registration through every resolution and the control to the answer sent."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.resolution import service as resolution
from app.timeutil import utcnow
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils")


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return " ".join(out.split())


def _answered(app, pki) -> tuple[int, dict]:
    """An appeal passed down, assigned with a co-executor and a lengthened deadline, then
    answered with a signed letter."""
    with app.app_context():
        org = Org()
        doc = road.registered(make_document(), org)
        resolution.pass_down(doc, head=org.head, to_department=org.roads, now=utcnow(),
                             instruction="Прошу рассмотреть и доложить")
        proposed = date.today() + timedelta(days=10)
        due = proposed + timedelta(days=5)
        resolution.assign(doc, head=org.roads_head, executor=org.executor,
                          coexecutors=[org.coexecutor], due_date=due, proposed=proposed,
                          now=utcnow(), instruction="Рассмотреть и подготовить ответ",
                          extension_reason="Нужен выезд на место", rules=deadline_rules())
        road.signed(road.approved(road.submitted(road.drafted(doc, org), org), org), org, pki)
        db.session.commit()
        letter = doc.letters[0]
        return doc.id, {"number": doc.registration_number, "due": due.strftime("%d.%m.%Y"),
                        "proposed": proposed.strftime("%d.%m.%Y"),
                        "outgoing": letter.outgoing_number,
                        "outgoing_date": letter.outgoing_date.strftime("%d.%m.%Y"),
                        "executor": org.executor.full_name,
                        "coexecutor": org.coexecutor.full_name,
                        "head": org.head.full_name, "roads_head": org.roads_head.full_name,
                        "signer": org.signer.full_name}


def test_the_card_of_an_answered_appeal_shows_its_whole_road(app, login, pki):
    document_id, facts = _answered(app, pki)

    card = login("clerk").get(f"/documents/{document_id}/card.pdf")

    assert card.status_code == 200 and card.mimetype == "application/pdf"
    text = _text(card.data)
    assert "Регистрационно-контрольная карточка" in text
    assert facts["number"] in text
    # registration: author, kind, channel, verdict, attachments
    assert "Әбілқайыров" in text and "850314301283" in text
    assert "Обращение физического лица" in text
    assert "EGOV portal · F-000001" in text
    assert "Проверка пройдена" in text
    assert "О ремонте дороги №1" in text
    assert "Приложения 0" in text
    # the resolutions, level by level
    assert "Резолюция 1" in text and "Резолюция 2" in text
    assert "Прошу рассмотреть и доложить" in text and "Отдел дорог" in text
    assert "Рассмотреть и подготовить ответ" in text
    assert facts["head"] in text and facts["roads_head"] in text
    assert facts["executor"] in text and facts["coexecutor"] in text
    assert f"{facts['proposed']} → {facts['due']}: Нужен выезд на место" in text
    # the control: closed once answered
    assert "Снято с контроля" in text
    # the answer
    assert f"{facts['outgoing']} · {facts['outgoing_date']}" in text
    assert facts["signer"] in text


def test_whoever_sees_the_document_prints_its_card_and_no_one_else(app, login, pki):
    document_id, facts = _answered(app, pki)
    for role in ("head", "executor", "signer", "admin"):
        card = login(role).get(f"/documents/{document_id}/card.pdf")
        assert card.status_code == 200, role
        assert facts["number"] in _text(card.data)
    # an executor of another department sees neither the document nor its card
    assert login("outsider").get(f"/documents/{document_id}").status_code == 404
    assert login("outsider").get(f"/documents/{document_id}/card.pdf").status_code == 404


def test_the_document_page_links_its_card(app, login, pki):
    document_id, _facts = _answered(app, pki)
    page = login("executor").get(f"/documents/{document_id}").text
    assert f'href="/documents/{document_id}/card.pdf"' in page


def test_the_card_of_a_paid_application_shows_the_fee_as_an_office_writes_it(app, login):
    with app.app_context():
        org = Org()
        doc = road.registered(make_document(kind="licence_new", n=7), org)
        doc.content = {**(doc.content or {}), "payment": {
            "amount": "3932.00", "date": "2025-03-03", "document_number": "PP-77"}}
        db.session.commit()
        document_id = doc.id

    text = _text(login("clerk").get(f"/documents/{document_id}/card.pdf").data)

    assert "Оплата 3 932,00 ₸, 03.03.2025, № PP-77" in text
    assert "3932.00" not in text


def test_the_card_names_the_standard_instruction_chosen(app, login):
    from sqlalchemy import select

    from app.catalogues.models import StandardInstruction
    from app.catalogues.service import chosen_instruction

    with app.app_context():
        org = Org()
        doc = road.registered(make_document(n=8), org)
        item = db.session.scalar(select(StandardInstruction).where(
            StandardInstruction.code == "for-information"))
        chosen = chosen_instruction(item.id, "Для сведения. Выехать на место",
                                    language="ru")
        resolution.pass_down(doc, head=org.head, to_department=org.roads, now=utcnow(),
                             instruction=chosen.text, standard=chosen)
        as_is = chosen_instruction(item.id, "", language="ru")
        resolution.assign(doc, head=org.roads_head, executor=org.executor,
                          due_date=date.today() + timedelta(days=3),
                          proposed=date.today() + timedelta(days=3), now=utcnow(),
                          instruction=as_is.text, standard=as_is, rules=deadline_rules())
        db.session.commit()
        document_id = doc.id

    text = _text(login("clerk").get(f"/documents/{document_id}/card.pdf").data)

    assert "Поручение Для сведения. Выехать на место" in text
    assert "Типовое поручение Для сведения" in text
    assert "Поручение Для сведения (үлгі / типовое)" in text
def test_the_card_names_department_and_portal_in_kazakh_and_russian(app, login, pki):
    from sqlalchemy import select

    from app.documents.models import Sender
    from app.org.models import Department

    document_id, _facts = _answered(app, pki)
    with app.app_context():
        roads = db.session.scalar(select(Department).where(Department.code == "ROADS"))
        roads.name_kk = "Жол бөлімі"
        egov = db.session.scalar(select(Sender).where(Sender.code == "EGOV"))
        egov.name_kk = "ЭГОВ порталы"
        db.session.commit()

    text = _text(login("clerk").get(f"/documents/{document_id}/card.pdf").data)

    assert "Жол бөлімі / Отдел дорог" in text
    assert "ЭГОВ порталы / EGOV portal · F-000001" in text
    assert "Руководство" in text  # no Kazakh name written: the Russian alone
