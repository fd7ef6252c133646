"""The clerk's inbox in a real browser: the count in the title, several documents
registered at once, a new arrival announced without reloading, the keys N and R."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.xmlsig.report import Indication
from tests.conftest import PASSWORD
from tests.factories import Org, make_document


def _arrive(app, n: int, **kwargs) -> int:
    with app.app_context():
        document = make_document(n=n, **kwargs)
        db.session.commit()
        return document.id


@pytest.mark.browser
def test_a_clerk_registers_several_at_once_and_sees_new_ones_arrive(app, live_server,
                                                                     browser, tmp_path):
    with app.app_context():
        Org()  # its routes send what is registered on to a head: off the clerk's list
        db.session.commit()
    for n in (1, 2, 3):
        _arrive(app, n, author_name=f"Автор Номер{n}")
    _arrive(app, 4, indication=Indication.FAILED, author_name="Подпись Неверна")
    page = browser.new_page(locale="en-US")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/language/en")
    page.goto(f"{live_server}/")
    assert page.title().startswith("(4) Inbox")
    page.screenshot(path=str(tmp_path / "inbox.png"), full_page=True)

    # the invalid one cannot be ticked; "select all" ticks the three others
    assert page.locator("input.pick").count() == 3
    page.check("#select-all")
    page.click("#register-selected")
    page.locator(".summary").wait_for()
    assert "Registered: 3 of 3." in page.locator(".summary").inner_text()
    assert page.locator(".bulk-results .badge.ok").count() == 3
    page.screenshot(path=str(tmp_path / "registered.png"), full_page=True)

    page.goto(f"{live_server}/")
    assert page.title().startswith("(1) Inbox")
    newcomer = _arrive(app, 5, author_name="Новый Заявитель")
    # the page asks again when it comes back into view (and every 20 s)
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    arrivals = page.locator("#arrivals")
    arrivals.wait_for(state="visible")
    expect(page).to_have_title(re.compile(r"^\(2\) Inbox"))
    assert "New documents arrived: 1." in arrivals.inner_text()
    page.screenshot(path=str(tmp_path / "arrivals.png"), full_page=True)

    # N opens the first document to do (the newest), R registers it
    with page.expect_navigation():
        page.click("text=Show them")
    page.keyboard.press("n")
    page.wait_for_url(f"**/documents/{newcomer}")
    page.keyboard.press("r")
    flash = page.locator(".flash.success")
    flash.wait_for()
    assert "Registered under number" in flash.inner_text()
