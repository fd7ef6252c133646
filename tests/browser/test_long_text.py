"""A refusal explained in one 5,000-character word (no spaces) wraps inside the page: the
document page is no wider than the window (it was 32,797 px)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.formats.choices import RefusalReason
from app.registration.service import refuse
from app.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.factories import Org, make_document

LONG = "Ж" * 2500 + "x" * 2500


@pytest.fixture
def refused(app, committed_db) -> int:
    with app.app_context():
        org = Org()
        document = make_document()
        refuse(document, clerk=org.clerk, now=utcnow(), reason=RefusalReason.OTHER, text=LONG)
        db.session.commit()
        return document.id


def test_a_long_unbroken_explanation_wraps(live_server, browser, refused):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()
    page.goto(f"{live_server}/documents/{refused}")
    assert LONG[:100] in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px window"
