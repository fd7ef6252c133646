"""An upload over its limit is refused in words that give the limit: a key container's
80 KB is "80 KB", not "0 MB"."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from tests.factories import make_document


@pytest.mark.parametrize(("limit", "en", "ru"), [
    (80 * 1024, "80 KB", "80 КБ"),
    (1023, "0 KB", "0 КБ"),
    (1024 * 1024, "1.0 MB", "1,0 МБ"),
    (30 * 1024 * 1024 + 64 * 1024, "30.1 MB", "30,1 МБ"),
])
def test_sizes_under_a_megabyte_are_in_kilobytes(app, limit, en, ru):
    from app.web.acting import size_in_words

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert size_in_words(limit) == en
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert size_in_words(limit).replace("\xa0", " ") == ru


def test_an_oversized_key_file_names_the_limit_in_kilobytes(app, login, monkeypatch):
    with app.app_context():
        doc = make_document()
        db.session.commit()
        document_id = doc.id
    admin = login("admin")  # every role: the signer's button included
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    admin.get("/language/ru")
    answer = admin.post(f"/documents/{document_id}/sign", follow_redirects=True, data={
        "key": (io.BytesIO(b"\0" * (200 * 1024)), "key.p12"), "password": "x", "version": "1"})
    text = answer.text.replace("\xa0", " ")
    assert "Файл слишком большой: не более 80 КБ." in text, text
