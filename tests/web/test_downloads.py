"""Downloads: every file a user fetches is served as a download, never rendered, under
a name the browser reads back exactly, however hostile, and with the type it declares
unless that type would make a browser run it."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from app.desk.views import download
from app.documents.models import Attachment as StoredAttachment
from app.documents.models import Document
from app.documents.storage import blob_store
from app.execution import service as execution
from app.extensions import db
from app.formats.model import Attachment
from app.journals.models import Journal
from app.timeutil import utcnow
from tests.execution import road
from tests.factories import Org, make_document


@pytest.fixture
def in_execution(app) -> int:
    """The id of an appeal the management head gave to "executor"."""
    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org)
        db.session.commit()
        return doc.id


#: RFC 8187 ext-value: a charset, an empty language, then attr-chars or %XX only
EXT_VALUE = re.compile(r"UTF-8''((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*)")

HOSTILE_NAMES = [
    "смета на ремонт 2026.pdf",
    "Қазақша әріптер ұңғіөү.txt",
    '"; filename="evil.exe',
    "report.pdf; filename=evil.exe",
    "x\r\nSet-Cookie: stolen=1",
    "../../etc/passwd",
    "a/b.txt",
    "..\\..\\boot.ini",
    "%41%42.txt",  # must come back as typed, not decoded to AB.txt
    "invoice\u202egpj.exe",
    "файл с пробелом и 'кавычкой'.docx",
    "emoji 📎.png",
]


def file_name_of(disposition: str, kind: str = "attachment") -> str:
    """The file name a browser takes from a Content-Disposition that gives only
    filename*; fails unless the header is exactly that, well-formed."""
    match = re.fullmatch(rf"{kind}; filename\*={EXT_VALUE.pattern}", disposition)
    assert match, f"not a well-formed {kind} disposition: {disposition!r}"
    return unquote(match.group(1), encoding="utf-8", errors="strict")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_any_file_name_travels_intact_in_a_well_formed_header(app, name):
    with app.test_request_context():
        response = download(b"data", name, "application/pdf")
    assert file_name_of(response.headers["Content-Disposition"]) == name
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("declared", [
    "text/html", "TEXT/HTML", "text/html; charset=utf-8", "Text/Html",
    "application/xhtml+xml", "image/svg+xml", "IMAGE/SVG+XML",
])
def test_a_type_a_browser_would_run_is_served_as_bytes(app, declared):
    with app.test_request_context():
        response = download(b"<script>alert(1)</script>", "page.html", declared)
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("declared", ["application/pdf", "image/png", "application/xml",
                                      "application/vnd.ms-excel"])
def test_other_types_are_served_as_declared(app, declared):
    with app.test_request_context():
        response = download(b"data", "file", declared)
    assert response.mimetype == declared


# --- through the pages -----------------------------------------------------------------


def test_a_portal_attachment_downloads_with_its_name_and_type(app, portal, login):
    files = (
        Attachment.of(file_name="смета на ремонт; 2026.pdf", media_type="application/pdf",
                      content=b"%PDF-1.4 smeta"),
        Attachment.of(file_name="page.html", media_type="TEXT/HTML",
                      content=b"<script>alert(document.cookie)</script>"),
        Attachment.of(file_name="%41.svg", media_type="image/svg+xml",
                      content=b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    )
    answer = portal.send("appeal", attachments=files)
    assert answer.status_code == 202, answer.text
    document_id = int(answer.json["id"])
    with app.app_context():
        stored = {a.file_name: a.id for a in db.session.scalars(
            select(StoredAttachment).where(StoredAttachment.document_id == document_id))}
    client = login("clerk")

    expected_types = ["application/pdf", "application/octet-stream",
                      "application/octet-stream"]
    for sent, expected_type in zip(files, expected_types, strict=True):
        got = client.get(f"/documents/{document_id}/attachments/{stored[sent.file_name]}")
        assert got.status_code == 200
        assert got.data == sent.content
        assert file_name_of(got.headers["Content-Disposition"]) == sent.file_name
        assert got.mimetype == expected_type, sent.media_type
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert got.headers["Content-Security-Policy"] == "sandbox; frame-ancestors 'none'"

    original = client.get(f"/documents/{document_id}/original.xml")
    assert original.status_code == 200 and original.mimetype == "application/xml"
    assert file_name_of(original.headers["Content-Disposition"]) == (
        f"document-{document_id}.xml")
    assert original.headers["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_of_another_document_is_not_found(app, portal, login):
    first = int(portal.send("appeal", attachments=(Attachment.of(
        file_name="a.pdf", media_type="application/pdf", content=b"%PDF a"),)).json["id"])
    second = int(portal.send("appeal").json["id"])
    with app.app_context():
        attachment_id = db.session.scalar(select(StoredAttachment.id).where(
            StoredAttachment.document_id == first))
    client = login("clerk")
    assert client.get(f"/documents/{first}/attachments/{attachment_id}").status_code == 200
    assert client.get(f"/documents/{second}/attachments/{attachment_id}").status_code == 404


def test_the_registration_card_is_an_inline_pdf(app, login):
    with app.app_context():
        org = Org()
        doc = road.registered(make_document(), org)
        db.session.commit()
        document_id = doc.id
    card = login("clerk").get(f"/documents/{document_id}/card.pdf")
    assert card.status_code == 200
    assert card.mimetype == "application/pdf" and card.data.startswith(b"%PDF-")
    assert card.headers["Content-Disposition"] == f'inline; filename="card-{document_id}.pdf"'
    assert card.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unregistered_document_has_no_card(app, login):
    with app.app_context():
        document_id = make_document().id
        db.session.commit()
    assert login("clerk").get(f"/documents/{document_id}/card.pdf").status_code == 404


def test_a_reply_file_uploaded_as_html_downloads_as_bytes(app, login, in_execution):
    with app.app_context():
        doc = db.session.get(Document, in_execution)
        item = execution.add_file(doc, author=doc.executor, file_name="ответ & план.html",
                                  media_type="text/html", data=b"<script>x</script>",
                                  now=utcnow(), store=blob_store())
        db.session.commit()
        file_id = item.id
    got = login("executor").get(f"/documents/{in_execution}/reply-files/{file_id}")
    assert got.status_code == 200 and got.data == b"<script>x</script>"
    assert got.mimetype == "application/octet-stream"
    assert file_name_of(got.headers["Content-Disposition"]) == "ответ & план.html"
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def test_a_letter_numbered_with_a_slash_keeps_it_in_its_file_names(app, login, pki):
    with app.app_context():
        org = Org()
        journal = db.session.scalar(select(Journal).where(Journal.code == "outgoing"))
        journal.pattern = "ИСХ-{year}/{seq:06d}"
        doc = road.approved(road.submitted(road.drafted(road.assigned(
            road.registered(make_document(), org), org), org), org), org)
        road.signed(doc, org, pki)
        db.session.commit()
        document_id, letter = doc.id, doc.letters[0]
        letter_id, number = letter.id, letter.outgoing_number
    assert "/" in number
    client = login("clerk")

    xml = client.get(f"/documents/{document_id}/letters/{letter_id}.xml")
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    assert file_name_of(xml.headers["Content-Disposition"]) == f"letter-{number}.xml"
    assert xml.headers["X-Content-Type-Options"] == "nosniff"

    pdf = client.get(f"/documents/{document_id}/letters/{letter_id}.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert file_name_of(pdf.headers["Content-Disposition"], "inline") == f"{number}.pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
