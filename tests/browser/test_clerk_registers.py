"""A clerk logs in with a real browser (Debian's chromium) and registers a document."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def live_server(app, committed_db):
    """The app served from a thread: its requests use their own connections, so the
    test's data is committed for real (committed_db)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium"), "chromium is missing: scripts/setup installs it from Debian"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


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
