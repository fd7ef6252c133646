"""The names the office keeps, read in chromium in Kazakh and English: the departments,
the portals, the deadline rules' notes, the lists; and the answered document's dot, dark
brown until the portal has the letter, dark green after. Screenshots of every page go to
``QUJAT_SCREENSHOTS`` when it names a directory (to look at them), else to the test's
temporary directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.documents.models import Document, Sender
from app.extensions import db
from app.org.models import Department
from tests.conftest import PASSWORD, SENDER_TOKENS
from tests.execution.road import approved, assigned, drafted, registered, signed, submitted
from tests.factories import Org, make_document

NAMES = {  # code: (Russian as the test's Org has it, Kazakh, English)
    "MGMT": ("Руководство", "Басшылық", "Management"),
    "ROADS": ("Отдел дорог", "Жол бөлімі", "Roads Department"),
}


@pytest.fixture
def answered(app, committed_db, pki):
    """An appeal answered with a signed letter the portal does not have yet; EDU has no
    Kazakh or English name (its readers see the Russian)."""
    with app.app_context():
        org = Org()
        for code, (_ru, kk, en) in NAMES.items():
            department = db.session.scalar(select(Department).where(Department.code == code))
            department.name_kk, department.name_en = kk, en
        egov = db.session.scalar(select(Sender).where(Sender.code == "EGOV"))
        egov.name_kk, egov.name_en = "ЭГОВ порталы", "The eGov portal"
        document = registered(make_document(n=3), org)
        assigned(document, org)
        signed(approved(submitted(drafted(document, org), org), org), org, pki)
        waiting = registered(make_document(n=4, sender_code="ELICENSE"), org)
        db.session.commit()
        return {"answered": document.id, "waiting": waiting.id}


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("QUJAT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _logged_in(browser, live_server, login: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()
    return page


@pytest.mark.browser
def test_kazakh_and_english_pages_name_things_in_their_language(
        live_server, browser, answered, tmp_path):
    shots = _shots(tmp_path)
    pages = {
        "admin": ["/admin/people", "/admin/routes", "/admin/deadline-rules",
                  "/admin/instructions", "/admin/state-bodies", "/reports/"],
        "head": [f"/documents/{answered['waiting']}"],
        "clerk": [f"/documents/{answered['answered']}", "/?state=answered",
                  "/letters/undelivered"],
    }
    seen: dict[tuple[str, str, str], str] = {}
    for login, paths in pages.items():
        page = _logged_in(browser, live_server, login)
        for language in ("kk", "en"):
            page.goto(f"{live_server}/language/{language}")
            for path in paths:
                response = page.goto(f"{live_server}{path}")
                assert response is not None and response.status == 200, (language, path)
                name = f"{language}-{login}-{path.strip('/').replace('/', '_') or 'home'}"
                page.screenshot(path=str(shots / f"{name.replace('?', '_')}.png"),
                                full_page=True)
                seen[(language, login, path)] = page.inner_text("main")
        page.close()

    def text(language, login, path):
        return seen[(language, login, path)]

    people_kk = text("kk", "admin", "/admin/people")
    assert "Басшылық" in people_kk and "Жол бөлімі" in people_kk
    assert "Отдел образования" in people_kk  # no Kazakh name written: the Russian
    assert "Roads Department" in text("en", "admin", "/admin/people")
    assert "Жол бөлімі" in text("kk", "admin", "/admin/routes")
    assert "Өтініш тіркелген күннен кейінгі" in text("kk", "admin", "/admin/deadline-rules")
    assert "Мәлімет үшін" in text("kk", "admin", "/admin/instructions")
    assert "Ministry of Justice of the Republic of Kazakhstan" in text(
        "en", "admin", "/admin/state-bodies")
    assert "Басшылық" in text("kk", "admin", "/reports/")
    assert "Management" in text("en", "admin", "/reports/")
    answered_page = f"/documents/{answered['answered']}"
    assert "ЭГОВ порталы" in text("kk", "clerk", answered_page)
    assert "The eGov portal" in text("en", "clerk", answered_page)
    assert "A statement is considered within 15 working days" in text(
        "en", "clerk", answered_page)
    assert "ЭГОВ порталы" in text("kk", "clerk", "/letters/undelivered")
    waiting = text("kk", "head", f"/documents/{answered['waiting']}")
    assert "ELICENSE portal" in waiting  # no Kazakh name written: the Russian


@pytest.mark.browser
def test_the_answered_dot_turns_dark_green_when_the_portal_has_the_letter(
        app, live_server, browser, answered, client, tmp_path):
    shots = _shots(tmp_path)
    page = _logged_in(browser, live_server, "clerk")
    page.goto(f"{live_server}/language/kk")
    row = page.locator("tr", has=page.locator(f"a[href^='/documents/{answered['answered']}']"))

    page.goto(f"{live_server}/?state=answered")
    assert row.locator(".dot").get_attribute("class") == "dot darkbrown"
    page.screenshot(path=str(shots / "kk-clerk-answered-before-letter.png"), full_page=True)

    headers = {"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}
    since = client.get("/api/v1/marks", headers=headers).json["next_since"]
    client.get(f"/api/v1/marks?since={since}", headers=headers)  # the portal has it now

    page.goto(f"{live_server}/?state=answered")
    assert row.locator(".dot").get_attribute("class") == "dot darkgreen"
    page.screenshot(path=str(shots / "kk-clerk-answered-after-letter.png"), full_page=True)
    with app.app_context():
        assert db.session.get(Document, answered["answered"]).colour == "darkgreen"
