""""Submit for approval" submits what is on the screen: the draft form's text."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select

from app.documents.models import Document
from app.documents.states import DocumentState
from app.execution.models import ApprovalRound
from app.extensions import db
from tests.conftest import csrf_token, form_value
from tests.execution.road import GOOD_ANSWER, LEGAL_BASIS


def test_submit_takes_the_posted_draft(app, login, in_execution):
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    response = client.post(f"/documents/{in_execution}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "version": form_value(page, "version"), "outcome": "explained",
        "text": GOOD_ANSWER, "legal_basis": LEGAL_BASIS,
        "appeal_procedure": "Решение может быть обжаловано в вышестоящий орган или в суд.",
        "acknowledge": "y", "action": "submit"})
    assert response.status_code == 302, response.text
    with app.app_context():
        doc = db.session.get(Document, in_execution)
        assert doc.state is DocumentState.ON_APPROVAL
        round_ = db.session.scalar(select(ApprovalRound)
                                   .where(ApprovalRound.document_id == in_execution))
        assert GOOD_ANSWER in str(round_.snapshot)


def test_a_refused_submit_keeps_the_text(app, login, in_execution):
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    response = client.post(f"/documents/{in_execution}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "version": form_value(page, "version"), "outcome": "",
        "text": "Черновик без основания", "legal_basis": "", "appeal_procedure": "",
        "action": "submit"})
    assert response.status_code == 422
    assert "Черновик без основания" in response.text


def _said_by(page: lxml.html.HtmlElement, name: str) -> str:
    """The errors shown in the label that holds the field ``name``."""
    field = page.xpath("//*[@name=$name]", name=name)[0]
    holder = field.xpath("ancestor::label[1]")[0]
    return " ".join(e.text_content() for e in holder.xpath(".//*[@class='field-error']"))


def test_a_submit_without_an_outcome_says_so_by_the_outcome(app, login, in_execution):
    """The refusal stands next to the outcome it concerns, not in a message above the
    form; the answer typed stays, and each missing thing is said by its own field."""
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    response = client.post(f"/documents/{in_execution}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "version": form_value(page, "version"), "outcome": "",
        "text": GOOD_ANSWER, "legal_basis": LEGAL_BASIS,
        "appeal_procedure": "Решение может быть обжаловано в вышестоящий орган или в суд.",
        "acknowledge": "y", "action": "submit"})
    assert response.status_code == 422
    html = lxml.html.fromstring(response.text)
    assert "Выберите результат рассмотрения." in _said_by(html, "outcome")
    assert not html.xpath("//*[contains(@class, 'flash')]"), "said above the form"
    assert html.xpath("//textarea[@name='text']")[0].text.strip() == GOOD_ANSWER.strip()
    assert _said_by(html, "text") == ""
    # the co-executors' part form beside it is not filled with the draft's text
    part = html.xpath("//form[contains(@action, '/reply/parts')]//textarea[@name='text']")[0]
    assert not (part.text or "").strip()

    # nothing at all: each field its own message
    response = client.post(f"/documents/{in_execution}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "version": form_value(page, "version"), "outcome": "", "text": "  ",
        "legal_basis": "", "appeal_procedure": "", "action": "submit"})
    assert response.status_code == 422
    html = lxml.html.fromstring(response.text)
    assert _said_by(html, "outcome") == "Выберите результат рассмотрения."
    assert _said_by(html, "text") == "В ответе нет текста."
