"""The register of permits in a real browser: a licence issued on the road is found by the
licensee's IIN/BIN, and its entry shows the history with the signed documents."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.formats.choices import Outcome
from app.permits.models import PermitEntry
from tests.conftest import PASSWORD
from tests.factories import Org
from tests.permits.steps import answered, received


@pytest.mark.browser
def test_a_clerk_finds_an_issued_licence_in_the_register(app, live_server, browser, pki,
                                                         portal, tmp_path):
    with app.app_context():
        org = Org()
        doc = received(portal, "licence-new", sender="ELICENSE")
        answered(doc, org, pki, Outcome.LICENCE_ISSUED)
        db.session.commit()
        entry = db.session.scalar(select(PermitEntry))
        number, holder_id = entry.number, entry.holder_id

    page = browser.new_page(locale="ru-RU")
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/language/ru")
    page.goto(f"{live_server}/permits")
    page.fill("input[name=iin_bin]", holder_id)
    page.click("button.primary")
    page.click(f"text={number}")
    page.locator("h1").wait_for()
    assert number in page.locator("h1").inner_text()
    assert page.locator("a[href$='/versions/1.pdf']").count() == 1
    page.screenshot(path=str(tmp_path / "entry.png"), full_page=True)
