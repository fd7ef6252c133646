"""The administrator reads the audit log at /admin/audit: filtered by who, what, date and
document, in the reader's language, a page at a time; nobody else may."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.documents.storage import blob_store
from app.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_document


@pytest.mark.parametrize("role", ["clerk", "head", "executor", "signer"])
def test_only_an_administrator_reads_the_audit_log(app, login, role):
    assert login(role).get("/admin/audit").status_code == 403


def test_the_anonymous_are_sent_to_log_in(client):
    answer = client.get("/admin/audit")
    assert answer.status_code == 302 and "/login" in answer.location


def test_the_log_filters_by_who_what_and_document_in_the_readers_language(app, login):
    with app.app_context():
        first, second = make_document(n=1).id, make_document(n=2).id
        blob_store().put(b"factory document 2")  # its original XML, as the factory made it
        db.session.commit()
    clerk = login("clerk")
    clerk.get(f"/documents/{first}")
    clerk.get(f"/documents/{second}/original.xml")
    clerk.post("/logout", data={"csrf_token": csrf_token(clerk.get("/").text)})
    admin = login("admin")
    with app.app_context():
        clerk_id = db.session.scalar(select(User.id).where(User.login == "clerk"))

    def rows(query: str) -> str:
        page = admin.get(f"/admin/audit?{query}").text
        return page[page.index("<tbody>"):page.index("</tbody>")]

    by_clerk = rows(f"actor={clerk_id}")
    assert "Document page viewed" not in by_clerk  # the default language is Russian
    assert "Просмотр страницы документа" in by_clerk and "Скачан исходный XML" in by_clerk
    assert by_clerk.count("data-entry=") == 2

    by_kind = rows("kind=original_read")
    assert "Скачан исходный XML" in by_kind and "Просмотр страницы документа" not in by_kind

    by_document = rows(f"document={first}")
    assert "Просмотр страницы документа" in by_document and "Скачан исходный XML" \
        not in by_document

    by_system = rows("actor=0&kind=user_created")  # the seeded users: no one logged in
    assert by_system.count("Пользователь создан") == 5
    assert "data-entry=" not in rows("date_from=2999-01-01")
    assert rows("date_to=2999-01-01").count("data-entry=") == by_system.count("data-entry=") \
        + 2 + 2  # the two portals seeded, the clerk's two readings


def test_the_log_pages_by_keyset(app, login, monkeypatch):
    import app.audit.queries as queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    admin = login("admin")
    with app.app_context():
        total = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
        newest = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id.desc())).all()

    seen, url = [], "/admin/audit"
    while url:
        page = admin.get(url).text
        seen += [int(n) for n in re.findall(r'data-entry="(\d+)"', page)]
        older = re.search(r'href="([^"]*before=\d+[^"]*)"', page)
        url = older.group(1).replace("&amp;", "&") if older else None

    assert seen == newest and len(seen) == total
