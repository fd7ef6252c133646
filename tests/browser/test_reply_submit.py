"""The executor types an answer and presses "Submit for approval" straight away: what is
on the screen is what goes to the head (a real browser, Debian's chromium)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.documents.models import Document
from app.documents.states import DocumentState
from app.execution.models import ApprovalRound
from app.extensions import db
from tests.conftest import PASSWORD
from tests.execution import road
from tests.factories import Org, make_document

ANSWER = road.GOOD_ANSWER + " Ответ набран и сразу отправлен на согласование."


@pytest.mark.browser
def test_typed_text_is_submitted_without_saving_first(app, live_server, browser):
    with app.app_context():
        org = Org()
        doc_id = road.assigned(road.registered(make_document(), org), org).id
        db.session.commit()

    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "executor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()
    page.goto(f"{live_server}/documents/{doc_id}/reply")
    page.select_option("select[name=outcome]", value="explained")
    page.fill("textarea[name=text]", ANSWER)
    page.fill("textarea[name=legal_basis]", road.LEGAL_BASIS)
    # the button as the executor sees it, wherever it sits on the page
    submit = page.get_by_role("button", name="Направить на согласование")
    submit.click()
    page.locator(".flash").first.wait_for()
    if page.locator(".flash.success").count() == 0:
        # the law's softer checks ask to be acknowledged: the text is still on the screen
        assert page.input_value("textarea[name=text]") == ANSWER
        page.check("input[name=acknowledge]")
        submit.click()
        page.locator(".flash.success").wait_for()

    with app.app_context():
        assert db.session.get(Document, doc_id).state is DocumentState.ON_APPROVAL
        round_ = db.session.scalar(select(ApprovalRound)
                                   .where(ApprovalRound.document_id == doc_id))
        assert ANSWER in str(round_.snapshot)


@pytest.mark.browser
def test_submit_without_an_outcome_is_said_by_the_outcome(app, live_server, browser):
    """No outcome chosen: the page comes back with the answer typed and the message next to
    the outcome, in view where the executor looks, not above the form."""
    with app.app_context():
        org = Org()
        doc_id = road.assigned(road.registered(make_document(), org), org).id
        db.session.commit()

    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "executor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()
    page.goto(f"{live_server}/documents/{doc_id}/reply")
    page.fill("textarea[name=text]", ANSWER)
    page.fill("textarea[name=legal_basis]", road.LEGAL_BASIS)
    page.get_by_role("button", name="Направить на согласование").click()
    said = page.locator("label:has(select[name=outcome]) .field-error")
    said.wait_for()
    assert said.inner_text() == "Выберите результат рассмотрения."
    assert page.locator(".flash").count() == 0
    assert page.input_value("textarea[name=text]") == ANSWER
    with app.app_context():
        assert db.session.get(Document, doc_id).state is DocumentState.IN_EXECUTION
