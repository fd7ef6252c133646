"""The printed response letter: the body's letterhead in both languages, the addressee
with the postal address, the answer with its lists, the signature stamp in words, and
the executor to call at its foot; the signed XML is left as it was."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.catalogues.models import StateBody
from app.execution.models import Letter
from app.extensions import db
from tests.conftest import csrf_token
from tests.execution import road
from tests.factories import Org, make_document, user

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils")

ANSWER = ("Ваше обращение рассмотрено. По улице Абая запланированы работы:\n"
          "- ямочный ремонт в мае 2027 года;\n"
          "- замена бордюров в июне 2027 года.\n\n"
          "Подрядчик определён по итогам конкурса, работы будут приняты комиссией.")

ADDRESS = {"postcode": "050000", "city": "Алматы", "street_ru": "ул. Абая", "house": "10",
           "flat": "5"}


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return " ".join(out.split())


def _signed(app, pki, *, body_in_directory: bool = True):
    with app.app_context():
        org = Org()
        org.executor.phone = "+7 727 271 00 15"
        if body_in_directory:
            db.session.add(StateBody(code="MIO-DEMO", name_ru="Демонстрационный орган",
                                     name_kk="Демонстрациялық орган"))
        doc = make_document()
        doc.content = {**doc.content, "contacts": {"address": ADDRESS, "phones": []}}
        road.assigned(road.registered(doc, org), org)
        road.drafted(doc, org, text=ANSWER)
        road.signed(road.approved(road.submitted(doc, org), org), org, pki)
        db.session.commit()
        letter = doc.letters[0]
        return doc.id, letter.id, letter.xml, org.executor.full_name


def test_the_printed_letter_has_letterhead_addressee_and_executor(app, login, pki):
    document_id, letter_id, xml, executor = _signed(app, pki)

    pdf = login("executor").get(f"/documents/{document_id}/letters/{letter_id}.pdf")

    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _text(pdf.data)
    assert "Демонстрациялық орган" in text and "Демонстрационный орган" in text
    assert "Әбілқайыров Нұрлан Серікұлы" in text
    assert "050000, Алматы, ул. Абая, 10, кв. 5" in text
    assert f"Исп. {executor}, тел. +7 727 271 00 15" in text
    # the list of the answer prints as bullets, without the typed dashes
    assert "• ямочный ремонт в мае 2027 года;" in text
    assert "- ямочный" not in text
    # the signer and her certificate in words, not a distinguished name
    assert "CN=" not in text and "SERIALNUMBER=" not in text
    assert "ИИН 830417401559" in text
    # the paper is framed from the records; the signed letter itself is unchanged
    with app.app_context():
        assert db.session.get(Letter, letter_id).xml == xml


def test_without_the_body_in_the_directory_the_signed_name_heads_the_letter(app, login, pki):
    document_id, letter_id, _xml, _executor = _signed(app, pki, body_in_directory=False)
    text = _text(login("executor").get(
        f"/documents/{document_id}/letters/{letter_id}.pdf").data)
    assert "Демо орган" in text


def test_the_letters_signed_text_names_no_executor_phone(app, pki):
    """The phone is the paper's frame: the portal's signed letter does not carry it."""
    _document_id, _letter_id, xml, _executor = _signed(app, pki)
    assert b"271 00 15" not in xml


def test_the_administrator_keeps_the_executors_phone(app, login):
    with app.app_context():
        executor = user("executor")
        executor_id, roles = executor.id, [r.value for r in executor.role_set]
    admin = login("admin")
    page = admin.get("/admin/users").text
    response = admin.post(f"/admin/users/{executor_id}", data={
        "csrf_token": csrf_token(page), f"u{executor_id}-roles": roles,
        f"u{executor_id}-active": "y", f"u{executor_id}-email": "",
        f"u{executor_id}-phone": " +7 727 271 00 15 ", f"u{executor_id}-password": ""})
    assert response.status_code == 302
    assert 'value="+7 727 271 00 15"' in admin.get("/admin/users").text
    with app.app_context():
        assert user("executor").phone == "+7 727 271 00 15"
