"""A refused signature comes back as the official left it: the message next to the key or
the password, "I confirm" still ticked (the key file is chosen again: a browser never fills
a file input; the password is never sent back)."""

from __future__ import annotations

import re

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document


def _document(app, stage: str = "approved") -> int:
    """A reply approved and waiting for the official's signature."""
    with app.app_context():
        org = Org()
        document = road.registered(make_document(), org)
        road.approved(road.submitted(road.drafted(road.assigned(document, org), org), org), org)
        db.session.commit()
        return document.id


def _state(app, document_id: int) -> DocumentState:
    with app.app_context():
        db.session.expire_all()
        return db.session.get(Document, document_id).state


def _sign_form(page: str) -> str:
    start = page.index('action="/documents/')
    start = page.rindex("<form", 0, page.index("/sign\"", start))
    return page[start:page.index("</form>", start)]


def test_a_wrong_password_is_said_at_the_password_and_the_confirmation_stays(app, login, pki):
    document_id = _document(app, "approved")
    client = login("signer")
    client.get("/language/ru")
    page = client.get(f"/documents/{document_id}").text
    refused = client.post(f"/documents/{document_id}/sign", content_type="multipart/form-data",
                          data={"csrf_token": csrf_token(page),
                                "version": form_value(page, "version"),
                                "password": "not-the-password", "confirm": "y",
                                "key": (pki.keys["official_sign"].path.open("rb"), "key.p12")})
    assert refused.status_code == 422
    form = _sign_form(refused.text)
    password = re.search(r'<label>[^<]*<input[^>]*name="password".*?</label>', form, re.S)
    assert password and "field-error" in password.group(0), form
    assert "пароль" in password.group(0)
    assert "not-the-password" not in refused.text
    assert re.search(r'<input[^>]*checked[^>]*name="confirm"|<input[^>]*name="confirm"[^>]*checked',
                     form), form
    assert _state(app, document_id) is DocumentState.ON_SIGNATURE


def test_a_missing_key_file_is_said_at_the_key(app, login, pki):
    document_id = _document(app, "approved")
    client = login("signer")
    client.get("/language/ru")
    page = client.get(f"/documents/{document_id}").text
    refused = client.post(f"/documents/{document_id}/sign", content_type="multipart/form-data",
                          data={"csrf_token": csrf_token(page),
                                "version": form_value(page, "version"),
                                "password": pki.password, "confirm": "y"})
    assert refused.status_code == 422
    key = re.search(r'<label>[^<]*<input[^>]*name="key".*?</label>', _sign_form(refused.text), re.S)
    assert key and "field-error" in key.group(0)
    assert _state(app, document_id) is DocumentState.ON_SIGNATURE


def test_a_file_too_large_for_a_key_is_said_at_the_key(app, login, pki):
    import io

    document_id = _document(app, "approved")
    client = login("signer")
    client.get("/language/ru")
    page = client.get(f"/documents/{document_id}").text
    refused = client.post(f"/documents/{document_id}/sign", content_type="multipart/form-data",
                          data={"csrf_token": csrf_token(page),
                                "version": form_value(page, "version"),
                                "password": pki.password, "confirm": "y",
                                "key": (io.BytesIO(b"\0" * (70 * 1024)), "key.p12")})
    assert refused.status_code == 422
    key = re.search(r'<label>[^<]*<input[^>]*name="key".*?</label>', _sign_form(refused.text), re.S)
    assert key and "слишком велик" in key.group(0)
    assert _state(app, document_id) is DocumentState.ON_SIGNATURE
