"""A queued document in the clerk's browser: "verification pending", no way to register
it, until the worker's batch has verified it."""

from __future__ import annotations

import dataclasses
import os

import pytest

from app.documents.storage import blob_store
from app.intake.queue import verify_queued
from app.timeutil import utcnow
from app.trust import current_policy
from tests.conftest import PASSWORD


@pytest.mark.browser
def test_the_clerk_sees_a_pending_document_then_registers_it(
        app, live_server, browser, portal, tmp_path):
    settings = app.extensions["qujat.settings"]
    app.extensions["qujat.settings"] = dataclasses.replace(settings, intake_mode="queued")
    try:
        accepted = portal.send("appeal").json
    finally:
        app.extensions["qujat.settings"] = settings
    assert accepted["state"] == "pending"
    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    assert page.locator(f"a[href='/documents/{accepted['id']}']").count() == 0
    page.goto(f"{live_server}/documents/{accepted['id']}")
    assert "Ожидает проверки подписи" in page.locator(".warning-box").inner_text()
    assert page.locator("button[value=register]").count() == 0
    shots = os.environ.get("QUJAT_SCREENSHOTS") or str(tmp_path)
    page.screenshot(path=f"{shots}/queued-pending.png", full_page=True)

    with app.app_context():
        assert verify_queued(policy=current_policy(), store=blob_store(), batch=10,
                             clock=utcnow) == 1
    page.goto(f"{live_server}/")
    page.click(f"a[href='/documents/{accepted['id']}']")
    assert page.locator(".warning-box").count() == 0
    page.click("button[value=register]")
    page.locator(".flash.success").wait_for()
    page.screenshot(path=f"{shots}/queued-registered.png", full_page=True)
