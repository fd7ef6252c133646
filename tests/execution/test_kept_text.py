"""The user's text is never thrown away: a text counted over the limit only because the
browser sent CRLF is taken, one really over the limit and one from a stale second tab
come back on the page, to be applied again."""

from __future__ import annotations

from datetime import timedelta

from app.documents.models import Document
from app.execution import service
from app.extensions import db
from tests.conftest import csrf_token, form_value
from tests.execution.road import LEGAL_BASIS

LIMIT = 100_000  # DraftForm.text


def _post_draft(client, doc_id: int, page: str, text: str, **extra):
    return client.post(f"/documents/{doc_id}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "version": form_value(page, "version"), "outcome": "explained", "text": text,
        "legal_basis": LEGAL_BASIS, "appeal_procedure": "Обжалуется в суде.",
        "action": "save", **extra})


def _draft_text(app, doc_id: int) -> str:
    with app.app_context():
        return service.draft_of(db.session.get(Document, doc_id)).text


def test_line_breaks_count_once_against_the_limit(app, login, in_execution):
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    line = "а" * 99 + "\n"
    text = line * (LIMIT // len(line))          # exactly the limit, counted with LF
    assert len(text) == LIMIT
    answer = _post_draft(client, in_execution, page, text.replace("\n", "\r\n"))
    assert answer.status_code == 302
    assert _draft_text(app, in_execution) == text


def test_a_text_over_the_limit_comes_back_on_the_page(app, login, in_execution):
    client = login("executor")
    page = client.get(f"/documents/{in_execution}/reply").text
    text = "Длинный ответ " + "б" * LIMIT
    answer = _post_draft(client, in_execution, page, text)
    assert answer.status_code == 422
    assert text in answer.text
    assert 'class="field-error"' in answer.text


def test_a_stale_tab_keeps_its_text_and_may_apply_it_again(app, login, in_execution):
    client = login("executor")
    first = client.get(f"/documents/{in_execution}/reply").text
    second = client.get(f"/documents/{in_execution}/reply").text
    assert _post_draft(client, in_execution, first, "Из первой вкладки").status_code == 302

    answer = _post_draft(client, in_execution, second, "Из второй вкладки, длинный текст")
    assert answer.status_code == 409
    assert "Из второй вкладки, длинный текст" in answer.text
    assert "тем временем" in answer.text  # "changed meanwhile", no one blamed
    assert _draft_text(app, in_execution) == "Из первой вкладки"

    # the page shown again is based on the current draft: saving it applies the text
    again = _post_draft(client, in_execution, answer.text, "Из второй вкладки, длинный текст")
    assert again.status_code == 302
    assert _draft_text(app, in_execution) == "Из второй вкладки, длинный текст"


def test_a_stale_deadline_form_keeps_its_reason(app, login, in_execution):
    client = login("head")
    first = client.get(f"/documents/{in_execution}").text
    second = client.get(f"/documents/{in_execution}").text
    with app.app_context():
        due = db.session.get(Document, in_execution).due_date
    earlier = (due - timedelta(days=1)).isoformat()
    client.post(f"/documents/{in_execution}/deadline", data={
        "csrf_token": csrf_token(first), "version": form_value(first, "version"),
        "due_date": earlier, "reason": ""})
    later = (due + timedelta(days=5)).isoformat()
    answer = client.post(f"/documents/{in_execution}/deadline", data={
        "csrf_token": csrf_token(second), "version": form_value(second, "version"),
        "due_date": later, "reason": "Ждём заключение экспертизы"})
    assert answer.status_code == 409
    assert "Ждём заключение экспертизы" in answer.text
    assert f'value="{later}"' in answer.text


def test_remarks_over_the_limit_come_back_next_to_their_field(app, login, in_execution):
    from tests.execution import road

    with app.app_context():
        doc = db.session.get(Document, in_execution)
        road.submitted(road.drafted(doc, None), None)
        db.session.commit()
    client = login("head")
    page = client.get(f"/documents/{in_execution}").text
    remarks = "Переделать: " + "в" * 4000
    answer = client.post(f"/documents/{in_execution}/return", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "remarks": remarks})
    assert answer.status_code == 422
    start = answer.text.index(f'action="/documents/{in_execution}/return"')
    form = answer.text[start:answer.text.index("</form>", start)]
    assert remarks in form and 'class="field-error"' in form
