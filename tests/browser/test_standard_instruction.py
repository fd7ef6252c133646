"""The head's lists in a real browser (Debian's chromium): a standard instruction fills the
instruction, what the head typed staying; a state body is found by part of its name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.resolution.models import Resolution, ResolutionKind
from tests.conftest import PASSWORD
from tests.execution import road
from tests.factories import Org, make_document


@pytest.mark.browser
def test_a_standard_instruction_fills_the_instruction_and_keeps_what_was_typed(
        app, live_server, browser):
    with app.app_context():
        org = Org()
        doc_id = road.registered(make_document(), org).id
        executor_id = org.executor.id
        db.session.commit()

    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "head")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()
    page.goto(f"{live_server}/language/ru")
    page.goto(f"{live_server}/documents/{doc_id}")
    form = page.locator("form#assign")
    instruction = form.locator("textarea[name=instruction]")

    form.locator("select[name=standard]").select_option(label="Для сведения")
    assert instruction.input_value() == "Для сведения"
    # another choice replaces a standard text nobody changed
    form.locator("select[name=standard]").select_option(
        label="Рассмотреть и подготовить ответ")
    assert instruction.input_value() == "Рассмотреть и подготовить ответ"
    # what the head typed is never thrown away
    instruction.fill("Проверить на месте до пятницы")
    form.locator("select[name=standard]").select_option(label="Взять на контроль")
    assert instruction.input_value() == "Проверить на месте до пятницы\nВзять на контроль"

    form.locator("select[name=executor]").select_option(value=str(executor_id))
    form.get_by_role("button", name="Передать на исполнение").click()
    page.locator(".flash.success").wait_for()
    with app.app_context():
        resolution = db.session.scalar(select(Resolution).where(
            Resolution.document_id == doc_id, Resolution.kind == ResolutionKind.ASSIGN))
        assert resolution.instruction == "Проверить на месте до пятницы\nВзять на контроль"


@pytest.mark.browser
def test_the_head_finds_a_state_body_by_typing_part_of_its_name(app, live_server, browser):
    with app.app_context():
        org = Org()
        doc_id = road.registered(make_document(), org).id
        db.session.commit()

    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "head")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()
    page.goto(f"{live_server}/language/ru")
    page.goto(f"{live_server}/documents/{doc_id}")
    page.locator("summary").filter(has_text="Другие решения").click()
    form = page.locator(f"form[action='/documents/{doc_id}/redirect']")
    form.locator("input.select-filter").fill("шымкент")
    chosen = form.locator("select[name=body] option:checked")
    assert chosen.inner_text() == "Акимат города Шымкента (AKIMAT-SHY)"
    form.locator("textarea[name=reason]").fill("Вопрос благоустройства Шымкента")
    form.locator("input[name=confirm]").check()
    form.get_by_role("button", name="Направить").click()
    page.locator(".flash.success").wait_for()
    with app.app_context():
        resolution = db.session.scalar(select(Resolution).where(
            Resolution.document_id == doc_id, Resolution.kind == ResolutionKind.REDIRECT))
        assert (resolution.redirect_body_code, resolution.redirect_body_name) == (
            "AKIMAT-SHY", "Акимат города Шымкента")
