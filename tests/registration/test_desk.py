"""The clerk's desk through the browser's eyes: pages, forms, CSRF, roles."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.xmlsig.report import Indication
from tests.conftest import csrf_token, form_value
from tests.factories import make_document


def _make(app, **kwargs) -> int:
    with app.app_context():
        document = make_document(**kwargs)
        db.session.commit()
        return document.id


def test_the_inbox_lists_documents_with_their_verdict(app, login):
    _make(app, n=1, author_name="Әбілқайыров Нұрлан")
    _make(app, n=2, indication=Indication.FAILED, author_name="Жұмабаева Сәуле")
    client = login("clerk")

    page = client.get("/")

    assert page.status_code == 200
    assert "Әбілқайыров Нұрлан" in page.text and "Жұмабаева Сәуле" in page.text
    assert 'class="badge bad"' in page.text


def rows(html: str) -> str:
    return html[html.index("<tbody>"):html.index("</tbody>")]


def test_search_by_name_iin_and_status(app, login):
    _make(app, n=1, author_name="Әбілқайыров Нұрлан", iin="850314301283")
    _make(app, n=2, author_name="Жұмабаева Сәуле", iin="920712450630")
    client = login("clerk")

    by_name = rows(client.get("/?q=әбілқайыров").text)
    assert "Әбілқайыров" in by_name and "Жұмабаева" not in by_name
    by_iin = rows(client.get("/?q=920712450630").text)
    assert "Жұмабаева" in by_iin and "Әбілқайыров" not in by_iin
    assert "Жұмабаева" not in rows(client.get("/?state=registered").text)


def test_paging_walks_every_document_once(app, login):
    for n in range(120):
        _make(app, n=n, with_delivery_mark=False)
    client = login("clerk")

    seen, url = [], "/"
    while url:
        page = client.get(url).text
        seen += [line for line in page.splitlines() if "/documents/" in line and "href" in line]
        marker = 'href="/?after='
        url = None
        if marker in page:
            start = page.index(marker) + len('href="')
            url = page[start:page.index('"', start)].replace("&amp;", "&")
    assert len(seen) == 120


def test_a_clerk_registers_from_the_document_page(app, login):
    document_id = _make(app)
    client = login("clerk")
    page = client.get(f"/documents/{document_id}")

    response = client.post(f"/documents/{document_id}/register", data={
        "csrf_token": csrf_token(page.text), "version": form_value(page.text, "version")},
        follow_redirects=True)

    assert "ЖТ-" in response.text
    card = client.get(f"/documents/{document_id}/card.pdf")
    assert card.status_code == 200 and card.mimetype == "application/pdf"


def test_a_stale_form_says_changed_meanwhile(app, login):
    document_id = _make(app)
    client = login("clerk")
    client.get("/language/en")
    page = client.get(f"/documents/{document_id}")
    token, version = csrf_token(page.text), form_value(page.text, "version")
    client.post(f"/documents/{document_id}/refuse", data={
        "csrf_token": token, "version": version, "reason": "duplicate", "text": "", "confirm": "y"})

    response = client.post(f"/documents/{document_id}/register", data={
        "csrf_token": token, "version": version}, follow_redirects=True)

    assert "was changed meanwhile" in response.text


def test_a_post_without_csrf_token_is_refused(app, login):
    document_id = _make(app)
    client = login("clerk")

    response = client.post(f"/documents/{document_id}/register", data={"version": "1"})

    assert response.status_code in (302, 400)
    with app.app_context():
        from app.documents.models import Document

        assert db.session.get(Document, document_id).registration_number is None


@pytest.mark.parametrize("role", ["head", "executor", "signer"])
def test_other_roles_do_not_see_the_intake(app, login, role):
    document_id = _make(app)
    client = login(role)

    # "/" sends them to their own desk, never shows the intake
    start = client.get("/")
    assert start.status_code == 302 and start.headers["Location"] != "/"
    # a document not routed to them does not exist for them
    assert client.get(f"/documents/{document_id}").status_code == 404


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_language_switch_changes_the_ui(app, login):
    client = login("clerk")

    client.get("/language/kk")
    kazakh = client.get("/").text
    client.get("/language/ru")
    russian = client.get("/").text

    assert 'lang="kk"' in kazakh and 'lang="ru"' in russian
    assert kazakh != russian


def test_the_signature_checks_are_told_in_the_readers_words(portal, login):
    answer = portal.send("appeal")
    assert answer.status_code == 202
    client = login("clerk")
    client.get("/language/kk")

    page = client.get(f"/documents/{answer.json['id']}").text

    assert "Құжат қол қойылғаннан кейін өзгертілмеген." in page  # the digest check, passed
    assert "DTD және нысандарсыз кәдімгі XML ретінде оқылды." in page
    # the verifier's own English words reach an English reader only, as the tooltip
    assert "parsed without DTD or entities" not in page
    client.get("/language/en")
    page = client.get(f"/documents/{answer.json['id']}").text
    assert 'title="parsed without DTD or entities"' in page


def test_a_finding_is_read_by_check_and_outcome(app):
    from app.web.labels import LABELS

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert LABELS.finding("digest", "passed") == "The document is unchanged since signing."
        assert LABELS.finding("digest", "skipped", "not checked: algorithms did not pass") == (
            "Not checked: an earlier check did not pass.")
        assert LABELS.finding("signer_authority", "skipped",
                              "an individual signs for themselves").startswith("Not applicable")
        # nothing to say in words: the page shows the report's own detail instead
        assert LABELS.finding("schema", "indeterminate", "whatever") == ""
