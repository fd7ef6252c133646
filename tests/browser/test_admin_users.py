"""The administrator creates a user with one role and resets a password in a real browser."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.mark.browser
def test_an_admin_creates_a_user_with_one_role_and_resets_a_password(live_server, browser):
    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/admin/users")

    create = page.locator("form[action='/admin/users']")
    create.locator("input[name=login]").fill("browser-executor")
    create.locator("input[name=full_name]").fill("Браузер Орындаушы")
    create.locator("input[name=roles][value=executor]").check()
    create.locator("input[name=password]").fill("a-long-password")
    create.locator("button[type=submit]").click()
    page.locator(".flash.success").wait_for()
    assert "browser-executor" in page.content()

    row = page.locator("tr", has_text="browser-executor")
    row.locator("input[type=password]").fill("another-password-2")
    row.locator("button[type=submit]", has_text="Сохранить").click()
    page.locator(".flash.success").wait_for()
