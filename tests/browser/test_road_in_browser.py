"""The whole road of an appeal, clicked through in a real browser (Debian's chromium):
the portal sends it, the clerk registers it, the head names an executor, the executor
writes the reply, the head approves it and the official signs and sends the letter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import PASSWORD
from tests.execution.road import GOOD_ANSWER, LEGAL_BASIS
from tests.factories import Org

#: where the lead looks at the screenshots after a run
SHOTS = Path("/tmp/qujat-shots")

#: a reasoned answer on the merits, in Russian, though the appeal is in Kazakh
ANSWER = GOOD_ANSWER + (
    " Ход работ можно отслеживать на сайте акимата; о переносе сроков Вам сообщат "
    "письменно не позднее чем за десять рабочих дней."
)
#: the procedure in Russian too, so the whole answer is in the wrong language
APPEAL_PROCEDURE = (
    "В случае несогласия с решением Вы вправе обжаловать его в вышестоящий "
    "государственный орган или в суд в порядке, установленном Административным "
    "процедурно-процессуальным кодексом Республики Казахстан."
)


@pytest.fixture
def org(app):
    with app.app_context():
        Org()
        db.session.commit()


class Desk:
    """One browser tab that logs in as whoever acts next."""

    def __init__(self, page, server: str, shots: Path):
        self.page, self.server, self.shots = page, server, shots

    def as_(self, login: str) -> Desk:
        logout = self.page.locator("form[action$='/logout'] button")
        if logout.count():
            logout.click()
        self.page.goto(f"{self.server}/login")
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.locator("form[action$='/logout']").wait_for()
        return self

    def open(self, path: str) -> None:
        self.page.goto(f"{self.server}{path}")

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def choose(self, select: str, label_starting: str) -> None:
        """Pick the option whose label starts with ``label_starting``."""
        options = self.page.locator(f"{select} option")
        labels = options.all_inner_texts()
        matching = [i for i, text in enumerate(labels) if text.strip().startswith(label_starting)]
        assert matching, f"{select} offers no {label_starting!r}: {labels}"
        value = options.nth(matching[0]).get_attribute("value")
        self.page.select_option(select, value=value)

    def said(self, category: str = "success") -> str:
        """The flash message of the last step; fails on an error flash."""
        self.page.locator(".flash").first.wait_for()
        errors = self.page.locator(".flash.error")
        assert errors.count() == 0, errors.all_inner_texts()
        flash = self.page.locator(f".flash.{category}")
        assert flash.count() == 1, self.page.locator(".flash").all_inner_texts()
        return flash.inner_text()

    def screenshot(self, name: str) -> None:
        path = self.shots / name
        self.page.screenshot(path=str(path), full_page=True)
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / name)


@pytest.mark.browser
def test_an_appeal_travels_the_whole_road_in_the_browser(live_server, browser, org,  # noqa: F811
                                                         portal, pki, tmp_path):
    document_id = portal.send("appeal").json["id"]
    document = f"/documents/{document_id}"
    desk = Desk(browser.new_page(locale="ru-RU", viewport={"width": 1280, "height": 900}),
                live_server, tmp_path)
    # every page of the road under the real Content-Security-Policy: nothing it blocks
    blocked: list[str] = []
    desk.page.on("console", lambda message: blocked.append(message.text)
                 if "Content Security Policy" in message.text else None)

    # the clerk registers it; the route hands it to the management's head
    desk.as_("clerk")
    desk.click(f"a[href='{document}']")
    desk.click("button[value=register]")
    assert "ЖТ-" in desk.said()

    # the head finds it waiting for a resolution and names the executor
    desk.as_("head")
    desk.open("/resolution/")
    desk.click(f"a[href='{document}']")
    desk.choose("form#assign select[name=executor]", "Test executor")
    proposed = desk.page.input_value("form#assign input[name=due_date]")
    assert proposed, "the form proposes no deadline"
    desk.page.fill("form#assign textarea[name=instruction]",
                   "Подготовить ответ по существу, со ссылкой на план ремонта.")
    desk.screenshot("1-resolution.png")
    desk.click("form#assign button[type=submit]")
    desk.said()

    # the executor writes a reasoned answer; the law's checks warn about its language
    desk.as_("executor")
    desk.open("/execution/")
    desk.click(f"a[href='{document}']")
    desk.click(f"a[href='{document}/reply']")
    desk.page.select_option("select[name=outcome]", value="explained")
    desk.page.fill("textarea[name=text]", ANSWER)
    desk.page.fill("textarea[name=legal_basis]", LEGAL_BASIS)
    desk.page.fill("textarea[name=appeal_procedure]", APPEAL_PROCEDURE)
    desk.click("form[action$='/reply'] button[value=save]")
    desk.said()
    assert len(desk.page.input_value("textarea[name=text]")) >= 200
    acknowledge = desk.page.locator("input[name=acknowledge][form=draft]")
    assert acknowledge.count() == 1, "no warning to acknowledge for a Russian answer"
    desk.screenshot("2-reply.png")
    acknowledge.check()
    desk.click("button[form=draft][value=submit]")
    desk.said()

    # the head approves and names the signing official
    desk.as_("head")
    desk.open(document)
    desk.choose(f"form[action$='{document}/approve'] select[name=signer]", "Test signer")
    desk.click(f"form[action$='{document}/approve'] button[type=submit]")
    desk.said()

    # the official signs with her key; the letter leaves under an outgoing number
    desk.as_("signer")
    desk.open("/signing/")
    desk.click(f"a[href='{document}']")
    desk.page.set_input_files("form[action$='/sign'] input[name=key]",
                              str(pki.keys["official_sign"].path))
    desk.page.fill("form[action$='/sign'] input[name=password]", pki.password)
    desk.page.check("form[action$='/sign'] input[name=confirm]")
    desk.click("form[action$='/sign'] button[type=submit]")
    assert "ШЫҒ-" in desk.said()  # the reply is in the appeal's Kazakh: so is its number

    # the page shows the letter sent and the answered state
    # the letter sent: the signed XML and its printable PDF
    assert desk.page.locator(f"a[href*='{document}/letters/'][href$='.xml']").count() == 1
    assert desk.page.locator(f"a[href*='{document}/letters/'][href$='.pdf']").count() == 1
    # answered: dark brown ("executed") until the portal has the letter (seed 004)
    assert desk.page.locator("h1 .state .dot.darkbrown").count() == 1
    desk.screenshot("3-answered.png")
    assert not blocked, blocked
