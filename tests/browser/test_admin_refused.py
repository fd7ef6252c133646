"""An administrator's form refused in a real browser comes back as typed, the refusal in
Russian next to the field it concerns, and the corrected form goes through."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
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


@pytest.mark.browser
def test_a_refused_row_comes_back_in_view_with_what_was_typed(app, live_server, browser):
    """A user's row far down the list, refused (an address the browser lets through but
    that is no e-mail address): the page comes back scrolled to that row, the message by
    the e-mail field and in view, the address and phone as typed, in the page's language."""
    with app.app_context():
        last = db.session.scalars(select(User).order_by(User.full_name)).all()[-1].id
    page = browser.new_page(locale="kk-KZ")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/language/kk")
    page.goto(f"{live_server}/admin/users")
    row = page.locator(f"form[action^='/admin/users/{last}']")
    row.locator(f"input[name=u{last}-email]").fill("a@b")
    row.locator(f"input[name=u{last}-phone]").fill("+7 7172 55 02 02")
    row.locator("button[type=submit]").click()

    error = page.locator("label", has=page.locator(f"input[name=u{last}-email]")).locator(
        ".field-error")
    error.wait_for()
    assert "электрондық пошта мекенжайы емес" in error.inner_text()
    top = error.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top <= page.viewport_size["height"], f"the message is out of view ({top})"
    assert page.input_value(f"input[name=u{last}-email]") == "a@b"
    assert page.input_value(f"input[name=u{last}-phone]") == "+7 7172 55 02 02"
