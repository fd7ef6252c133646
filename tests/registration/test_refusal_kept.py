"""A refused registration form comes back as the clerk filled it, the message next to the
field it concerns, not as a redirect that loses what she chose and wrote."""

from __future__ import annotations

from app.extensions import db
from tests.conftest import csrf_token, form_value
from tests.factories import make_document


def test_another_reason_without_words_keeps_the_reason_and_says_so_at_the_text(app, login):
    with app.app_context():
        document_id = make_document().id
        db.session.commit()
    client = login("clerk")
    client.get("/language/en")
    page = client.get(f"/documents/{document_id}").text

    response = client.post(f"/documents/{document_id}/refuse", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "reason": "other", "text": "   ", "confirm": "y"})

    assert response.status_code == 422
    form = response.text[response.text.index(f'action="/documents/{document_id}/refuse"'):]
    assert '<option selected value="other">' in form
    text_label = form[form.index('name="text"'):]
    assert text_label.index("Explain in words why registration is refused") < \
        text_label.index("</label>")


def test_a_refused_refusal_registers_nothing(app, login):
    with app.app_context():
        document_id = make_document().id
        db.session.commit()
    client = login("clerk")
    page = client.get(f"/documents/{document_id}").text

    client.post(f"/documents/{document_id}/refuse", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "reason": "other", "text": "", "confirm": "y"})

    with app.app_context():
        from app.documents.models import Document

        assert db.session.get(Document, document_id).refusal_reason is None
