"""What a careless or hostile form cannot do to a reply: names and characters the letter
cannot carry, a head executing his own resolution, endless deadlines, huge uploads."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.documents.storage import blob_store
from app.errors import Refused
from app.execution import service as execution
from app.execution.models import Draft
from app.extensions import db
from app.resolution import service as resolution
from app.timeutil import utcnow
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, deadline_rules, make_document


@pytest.fixture
def org(db_session):
    return Org()


def test_a_file_name_the_letter_cannot_carry_is_refused_when_attached(org):
    doc = road.assigned(road.registered(make_document(), org), org)
    with pytest.raises(Refused) as refused:
        execution.add_file(doc, author=org.executor, file_name="Ответ: схема?.pdf",
                           media_type="application/pdf", data=b"%PDF", now=utcnow(),
                           store=blob_store())
    assert refused.value.code == "file_name_unfit"
    assert refused.value.details == {"file_name": "Ответ: схема?.pdf"}
    execution.add_file(doc, author=org.executor, file_name="Ответ - схема.pdf",
                       media_type="application/pdf", data=b"%PDF", now=utcnow(),
                       store=blob_store())


def test_a_head_does_not_execute_his_own_resolution(org):
    doc = road.registered(make_document(), org)
    with pytest.raises(Refused) as as_executor:
        road.assigned(doc, org, executor=org.head)
    with pytest.raises(Refused) as as_coexecutor:
        road.assigned(doc, org, coexecutors=[org.head])
    assert as_executor.value.code == as_coexecutor.value.code == "head_executes_own_resolution"


def test_a_deadline_more_than_a_year_ahead_is_refused(org):
    doc = road.registered(make_document(), org)
    far = date.today() + timedelta(days=400)
    with pytest.raises(Refused) as refused:
        resolution.assign(doc, head=org.head, executor=org.executor, due_date=far,
                          proposed=far, now=utcnow(), extension_reason="x", rules=deadline_rules())
    assert refused.value.code == "deadline_too_far"
    assert refused.value.details["due"] == far.isoformat()


def test_control_characters_never_reach_the_draft(app, login, in_execution):
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    client.post(f"/documents/{in_execution}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "outcome": "explained", "text": "Ответ\x00 по\x0b существу\x01.", "legal_basis": "",
        "appeal_procedure": "В суд.", "refusal_grounds": ""})
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.document_id == in_execution))
        assert draft.text == "Ответ по существу."


def test_an_upload_beyond_the_limit_is_refused_before_it_is_read(app, login, in_execution,
                                                                   monkeypatch):
    monkeypatch.setattr(execution, "MAX_REPLY_FILES_BYTES", 10_000)
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    answer = client.post(f"/documents/{in_execution}/reply/files", data={
        "csrf_token": csrf_token(page), "file": (io.BytesIO(b"x" * 200_000), "big.bin")},
        content_type="multipart/form-data", follow_redirects=True)
    assert answer.status_code == 200
    assert "big.bin" not in answer.text


def test_the_clerk_does_not_read_the_heads_remarks_on_the_reply(app, login, in_execution):
    with app.app_context():
        from app.documents.models import Document

        doc = db.session.get(Document, in_execution)
        org_head = doc.approver
        road.submitted(road.drafted(doc, None), None)
        execution.return_for_rework(doc, head=org_head, remarks="Секретное замечание",
                                    now=utcnow())
        db.session.commit()
    assert "Секретное замечание" not in login("clerk").get(f"/documents/{in_execution}").text
    assert "Секретное замечание" in login("head").get(f"/documents/{in_execution}").text
