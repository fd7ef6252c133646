"""Who read what: every reading of a document's personal data is in the audit log, and so
is every administrative act."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEntry, AuditKind
from app.auth.models import User
from app.documents.models import Attachment as StoredAttachment
from app.extensions import db
from app.formats.model import Attachment
from tests.conftest import csrf_token
from tests.factories import make_document


def _entries(app, **where) -> list[tuple]:
    """(kind, login of the actor, document id, details) of the entries, oldest first."""
    with app.app_context():
        stmt = select(AuditEntry, User.login).outerjoin(User, User.id == AuditEntry.actor_id)
        for name, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, name) == value)
        return [(entry.kind, login, entry.document_id, entry.details)
                for entry, login in db.session.execute(stmt.order_by(AuditEntry.id))]


def _readings(app, document_id: int) -> list[tuple]:
    return [e for e in _entries(app, document_id=document_id) if e[0].is_reading]


def test_reading_the_original_xml_and_an_attachment_is_logged(app, portal, login):
    files = (Attachment.of(file_name="справка.pdf", media_type="application/pdf",
                           content=b"%PDF-1.4 spravka"),)
    answer = portal.send("appeal", attachments=files)
    assert answer.status_code == 202, answer.text
    document_id = int(answer.json["id"])
    with app.app_context():
        attachment_id = db.session.scalar(select(StoredAttachment.id).where(
            StoredAttachment.document_id == document_id))
    clerk = login("clerk")
    assert _readings(app, document_id) == []

    assert clerk.get(f"/documents/{document_id}/original.xml").status_code == 200
    assert clerk.get(f"/documents/{document_id}/attachments/{attachment_id}").status_code == 200

    assert _readings(app, document_id) == [
        (AuditKind.ORIGINAL_READ, "clerk", document_id, {}),
        (AuditKind.ATTACHMENT_READ, "clerk", document_id,
         {"attachment_id": attachment_id, "file_name": "справка.pdf"}),
    ]


def test_a_document_page_view_and_its_registration_card_are_logged(app, login):
    from app.registration.service import register
    from app.timeutil import utcnow

    with app.app_context():
        document = make_document()
        clerk = db.session.scalar(select(User).where(User.login == "clerk"))
        register(document, clerk=clerk, now=utcnow(), zone="Asia/Almaty")
        document_id = document.id
        db.session.commit()
    admin = login("admin")

    assert admin.get(f"/documents/{document_id}").status_code == 200
    assert admin.get(f"/documents/{document_id}/card.pdf").status_code == 200

    assert _readings(app, document_id) == [
        (AuditKind.DOCUMENT_VIEWED, "admin", document_id, {}),
        (AuditKind.CARD_READ, "admin", document_id, {})]


def test_the_letter_and_a_reply_file_read_are_logged(app, login, pki):
    from app.documents.models import Document
    from app.documents.storage import blob_store
    from app.execution import service as execution
    from app.timeutil import utcnow
    from tests.execution import road
    from tests.factories import Org

    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org)
        item = execution.add_file(doc, author=doc.executor, file_name="план.pdf",
                                  media_type="application/pdf", data=b"%PDF-1.4 plan",
                                  now=utcnow(), store=blob_store())
        db.session.flush()
        file_id = item.id
        road.signed(road.approved(road.submitted(road.drafted(doc, org), org), org), org, pki)
        db.session.commit()
        document_id = doc.id
        letter = db.session.get(Document, document_id).letters[0]
        letter_id, number = letter.id, letter.outgoing_number
    executor = login("executor")

    for url in (f"letters/{letter_id}.xml", f"letters/{letter_id}.pdf",
                f"reply-files/{file_id}"):
        assert executor.get(f"/documents/{document_id}/{url}").status_code == 200

    assert _readings(app, document_id) == [
        (AuditKind.LETTER_READ, "executor", document_id,
         {"letter_id": letter_id, "outgoing_number": number}),
        (AuditKind.LETTER_PDF_READ, "executor", document_id,
         {"letter_id": letter_id, "outgoing_number": number}),
        (AuditKind.REPLY_FILE_READ, "executor", document_id,
         {"file_id": file_id, "file_name": "план.pdf"}),
    ]


def test_a_reading_refused_is_not_logged(app, login):
    with app.app_context():
        document_id = make_document().id
        db.session.commit()
    executor = login("executor")  # the document is not hers: 404, nothing read

    assert executor.get(f"/documents/{document_id}/original.xml").status_code == 404
    assert _readings(app, document_id) == []


def test_creating_a_user_is_logged_with_the_admin_who_did_it(app, login):
    admin = login("admin")
    token = csrf_token(admin.get("/admin/users").text)

    admin.post("/admin/users", data={"csrf_token": token, "login": "new-clerk",
                                     "full_name": "Жаңа Хатшы", "roles": ["clerk"],
                                     "password": "a-long-password"})

    created = _entries(app, kind=AuditKind.USER_CREATED)[-1]
    assert created[:2] == (AuditKind.USER_CREATED, "admin")
    assert created[3]["login"] == "new-clerk" and created[3]["roles"] == ["clerk"]
    assert "password" not in str(created[3])


def test_roles_lock_out_and_password_reset_are_logged(app, login):
    admin = login("admin")
    page = admin.get("/admin/users").text
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.login == "executor"))
    token = re.search(rf'name="u{user_id}-csrf_token" type="hidden" value="([^"]+)"',
                      page).group(1)

    admin.post(f"/admin/users/{user_id}", data={
        f"u{user_id}-csrf_token": token, f"u{user_id}-roles": ["executor", "head"],
        f"u{user_id}-password": "a-new-password-1"})

    acts = [(kind, who, details.get("before"), details.get("after"))
            for kind, who, _doc, details in _entries(app) if details.get("user_id") == user_id
            and kind is not AuditKind.USER_CREATED]
    assert acts == [(AuditKind.ROLES_CHANGED, "admin", ["executor"], ["executor", "head"]),
                    (AuditKind.USER_LOCKED, "admin", None, None),
                    (AuditKind.PASSWORD_RESET, "admin", None, None)]


def test_acts_from_the_command_line_are_logged_without_a_user(app):
    from app.cli import cli

    runner = app.test_cli_runner()
    changed = runner.invoke(cli, ["journal", "set-pattern", "outgoing", "ИСХ/{year}/{seq:05d}"])
    assert changed.exit_code == 0, changed.output

    assert _entries(app, kind=AuditKind.JOURNAL_PATTERN_SET) == [
        (AuditKind.JOURNAL_PATTERN_SET, None, None,
         {"before": "ИСХ-{year}-{seq:06d}", "after": "ИСХ/{year}/{seq:05d}"})]


def test_a_refused_act_leaves_no_entry(app):
    from app.cli import cli

    refused = app.test_cli_runner().invoke(cli, ["journal", "set-pattern", "outgoing", "ИСХ"])
    assert refused.exit_code != 0
    assert _entries(app, kind=AuditKind.JOURNAL_PATTERN_SET) == []


def test_reopening_is_in_the_audit_log_and_in_the_history(app, pki):
    from app.documents.models import Document
    from app.timeutil import utcnow
    from app.workflow.service import reopen
    from tests.execution import road
    from tests.factories import Org

    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org)
        road.signed(road.approved(road.submitted(road.drafted(doc, org), org), org), org, pki)
        reopen(doc, admin=org.admin, reason="Новые обстоятельства", now=utcnow())
        db.session.commit()
        document_id = doc.id
        last = db.session.get(Document, document_id).history[-1]
        assert (last.action.value, last.comment) == ("reopen", "Новые обстоятельства")

    assert _entries(app, kind=AuditKind.DOCUMENT_REOPENED) == [
        (AuditKind.DOCUMENT_REOPENED, "admin", document_id, {"reason": "Новые обстоятельства"})]
