"""A clerk logs in with a real browser (Debian's chromium) and registers a document."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.mark.browser
def test_a_clerk_logs_in_and_registers_a_document(live_server, browser, portal, tmp_path):
    accepted = portal.send("appeal").json
    page = browser.new_page(locale="ru-RU")

    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click(f"a[href='/documents/{accepted['id']}']")
    page.click("button[value=register]")

    flash = page.locator(".flash.success")
    flash.wait_for()
    assert "ЖТ-" in flash.inner_text()
    assert page.locator("a[href$='card.pdf']").count() == 1
    page.screenshot(path=str(tmp_path / "registered.png"), full_page=True)
