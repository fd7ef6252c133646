"""Every answer tells the browser how to treat it: no framing, no sniffing, no referrer
outside the site, a Content-Security-Policy without inline code, and nothing with
personal data kept in a cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import SENDER_TOKENS
from tests.factories import make_document

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip()
            for part in policy.split(";") if part.strip()}


def _common(answer) -> None:
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


@pytest.fixture
def document_id(app) -> int:
    with app.app_context():
        doc = make_document()
        db.session.commit()
        return doc.id


def test_a_desk_page(login, document_id):
    answer = login("admin").get(f"/documents/{document_id}")
    assert answer.status_code == 200
    _common(answer)
    policy = _directives(answer.headers["Content-Security-Policy"])
    assert policy["default-src"] == "default-src 'self'"
    assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["form-action"] == "form-action 'self'"


def test_the_login_page_and_a_refusal_too(client, login):
    _common(client.get("/login"))
    _common(login("clerk").get("/admin/users"))  # a 403 page


def test_a_download(login, document_id, app):
    from app.documents.storage import blob_store
    from app.extensions import db

    with app.app_context():
        blob_store().put(b"factory document 1")
        db.session.commit()  # the database's store keeps it with the commit, as a row
    answer = login("admin").get(f"/documents/{document_id}/original.xml")
    assert answer.status_code == 200
    _common(answer)
    assert "sandbox" in _directives(answer.headers["Content-Security-Policy"])


def test_an_api_answer(client):
    answer = client.get("/api/v1/marks",
                        headers={"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"})
    assert answer.status_code == 200
    _common(answer)
    assert _directives(answer.headers["Content-Security-Policy"])["default-src"] == \
        "default-src 'none'"
    _common(client.get("/api/v1/marks"))  # a refusal as well


def test_static_files_may_be_cached(client):
    with client.get("/static/qujat.css") as answer:
        assert answer.status_code == 200
        assert "no-store" not in answer.headers.get("Cache-Control", "")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle\s*=|\(\s*style\s*=|\son[a-z]+\s*=|javascript:",
                    re.IGNORECASE)


def test_no_template_needs_inline_code_or_style():
    """The policy allows no inline script or style: a template that needs one would be
    broken in the browser, silently. Style belongs in static/qujat.css."""
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
             for path in sorted(TEMPLATES.rglob("*.html"))
             for match in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found
