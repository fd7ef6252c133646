"""The register on the desk: searched by what seed 001 names, each entry with its history
and documents, exported to XLSX; and an incomplete application named so on its page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.formats.choices import Outcome
from app.permits.models import PermitEntry
from app.settings import current_settings
from tests.factories import Org
from tests.permits.steps import answered, received


@pytest.fixture
def org(db_session):
    return Org()


@pytest.fixture
def licence(org, pki, portal) -> PermitEntry:
    doc = received(portal, "licence-new", sender="ELICENSE")
    answered(doc, org, pki, Outcome.LICENCE_ISSUED)
    return db.session.scalar(select(PermitEntry).where(PermitEntry.source_document_id == doc.id))


def test_the_register_finds_an_entry_by_each_field(db_session, licence, login):
    client = login("clerk")
    client.get("/language/ru")
    for query in ({"number": licence.number[-6:]}, {"holder": licence.holder_name[:5].upper()},
                  {"iin_bin": licence.holder_id}, {"activity": licence.activity_name[:6]},
                  {"licensor": licence.licensor_name[:4]}, {"status": "active"},
                  {"kind": "licence"}):
        page = client.get("/permits", query_string=query)
        assert page.status_code == 200
        assert licence.number in page.text, query
    assert licence.number not in client.get("/permits?iin_bin=000000000000").text
    assert licence.number not in client.get("/permits?status=negative").text


def test_an_entry_shows_its_history_and_signed_documents(db_session, licence, login):
    client = login("clerk")
    client.get("/language/ru")
    page = client.get(f"/permits/{licence.id}")
    assert page.status_code == 200
    assert licence.number in page.text and licence.holder_name in page.text
    pdf = client.get(f"/permits/{licence.id}/versions/1.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xml = client.get(f"/permits/{licence.id}/versions/1.xml")
    assert xml.data == licence.xml
    assert client.get(f"/permits/{licence.id}/versions/9.xml").status_code == 404
    assert client.get("/permits/999999").status_code == 404


def test_the_register_exports_to_xlsx(db_session, licence, login):
    client = login("head")
    answer = client.get("/permits/export.xlsx", query_string={"iin_bin": licence.holder_id})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Номер", "Вид", "Дата выдачи")
    assert [r[0] for r in rows[1:]] == [licence.number]
    assert rows[1][6] == licence.holder_name


def test_an_incomplete_application_is_named_incomplete_and_the_reason_offered(
        db_session, portal, login):
    doc = received(portal, "licence-restore", sender="ELICENSE", attachments=())
    db.session.flush()
    client = login("clerk")
    client.get("/language/ru")
    page = client.get(f"/documents/{doc.id}").text
    assert 'id="incomplete"' in page
    assert "Копия лицензии на осуществление лицензируемого вида деятельности" in page
    assert '<option selected value="incomplete">' in page
    assert "Не представлены документы: Копия лицензии" in page  # the refusal's text
    complete = received(portal, "licence-restore", sender="ELICENSE")
    assert 'id="incomplete"' not in client.get(f"/documents/{complete.id}").text


def _licence_signed_by(app, pki, portal, body=None) -> tuple[int, str, str]:
    """A licence entered into the register at signing by ``body`` (road.signed's if None):
    its id, number and the licensor's name kept. Outside the test's session: a page in
    another language needs a request of its own (the session's context would keep the
    first request's locale)."""
    with app.app_context():
        doc = received(portal, "licence-new", sender="ELICENSE")
        answered(doc, Org(), pki, Outcome.LICENCE_ISSUED,
                 body=current_settings().body if body == "ours" else body)
        entry = db.session.scalar(select(PermitEntry)
                                  .where(PermitEntry.source_document_id == doc.id))
        db.session.commit()
        return entry.id, entry.number, entry.licensor_name


def test_kazakh_pages_name_the_licensor_in_kazakh(app, pki, portal, login):
    """The register keeps the licensor's name as entered (Russian); a Kazakh page names our
    body as letters in Kazakh do (settings' body_name_kk), and finds it by that name."""
    entry_id, number, kept = _licence_signed_by(app, pki, portal, "ours")
    body = app.config["QUJAT_BODY_NAME"], app.config["QUJAT_BODY_NAME_KK"]
    assert kept == body[0]
    client = login("clerk")
    client.get("/language/kk")
    for path in ("/permits", f"/permits/{entry_id}"):
        page = client.get(path).text
        assert body[1] in page, path
        assert body[0] not in page, path
    found = client.get("/permits", query_string={"licensor": body[1].split()[0][:8]}).text
    assert number in found
    client.get("/language/ru")
    assert body[0] in client.get("/permits").text


def test_a_licensor_other_than_the_body_as_it_is_named_now_keeps_its_name(
        app, pki, portal, login):
    """An entry entered under another name (the body renamed since, or another licensor)
    is named as the register keeps it, in every language."""
    entry_id, _number, kept = _licence_signed_by(app, pki, portal)
    assert kept == "Демо орган"
    client = login("clerk")
    client.get("/language/kk")
    assert "Демо орган" in client.get(f"/permits/{entry_id}").text
