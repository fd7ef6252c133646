"""An administrator's form refused in a real browser comes back as typed, the refusal in
Russian next to the field it concerns, and the corrected form goes through."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PASSWORD


@pytest.mark.browser
def test_a_taken_login_comes_back_with_everything_typed(live_server, browser, tmp_path: Path):
    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/admin/users")

    create = page.locator("form[action='/admin/users']")
    create.locator("input[name=login]").fill("clerk")  # the seeded clerk's login
    create.locator("input[name=full_name]").fill("Жаңа Қызметкер")
    create.locator("input[name=roles][value=executor]").check()
    create.locator("input[name=roles][value=signer]").check()
    create.locator("input[name=email]").fill("new@example.kz")
    create.locator("input[name=password]").fill("a-long-password")
    create.locator("button[type=submit]").click()

    create = page.locator("form[action='/admin/users']")
    error = create.locator("label", has=page.locator("input[name=login]")).locator(
        ".field-error")
    error.wait_for()
    page.screenshot(path=str(tmp_path / "admin-users-refused.png"), full_page=True)
    assert "clerk" in error.inner_text() and "уже" in error.inner_text()
    assert page.url.endswith("/admin/users")
    assert create.locator("input[name=login]").input_value() == "clerk"
    assert create.locator("input[name=full_name]").input_value() == "Жаңа Қызметкер"
    assert create.locator("input[name=email]").input_value() == "new@example.kz"
    assert create.locator("input[name=roles][value=executor]").is_checked()
    assert create.locator("input[name=roles][value=signer]").is_checked()
    assert not create.locator("input[name=roles][value=admin]").is_checked()

    # corrected, it goes through; the password is typed again (never sent back)
    create.locator("input[name=login]").fill("new-official")
    create.locator("input[name=password]").fill("a-long-password")
    create.locator("button[type=submit]").click()
    page.locator(".flash.success").wait_for()
    assert page.locator("tr", has_text="new-official").count() == 1
