"""Every role's pages in Russian, Kazakh and English, read in a real browser (Debian's
chromium): no page that fails, and in Russian and Kazakh no English word and no ISO date.
Names, numbers and codes (BIN, IIN, the registration numbers, file names, e-mail
addresses) may be Latin; words may not."""

from __future__ import annotations

import re

import pytest

from app.documents.models import Document
from app.execution import service as execution
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.execution.road import approved, assigned, drafted, registered, signed
from tests.factories import Org, user

#: what may be written in Latin on a Russian or Kazakh page: the product, the portals,
#: formats, algorithms, the language switch, the test users' logins and names
ALLOWED = {
    "qujat", "egov", "elicense", "infokazakhstan", "pdf", "xml", "csv", "xlsx", "pkcs",
    "rsa", "sha", "gost", "streebog", "eng", "demo", "utc", "asia", "almaty", "application",
    "test", "clerk", "head", "executor", "coexecutor", "signer", "admin", "outsider",
    # the test's senders are named "EGOV portal"; the audit names its targets by code
    # ("user clerk", "sender EGOV"); commands are quoted as typed ("qujat audit verify")
    "portal", "user", "sender", "worker", "audit", "verify",
}
#: codes and names, not words: e-mail addresses, links, file names, hex digests, anything
#: with a digit, upper-case codes (BIN, KZ…), hyphenated or snake_case identifiers
_CODES = re.compile(
    r"\S+@\S+|https?://\S+|[\w.-]+\.(?:pdf|xml|p12|kz|txt|docx?|xlsx|csv|png|jpe?g)\b"
    r"|\b[0-9A-Fa-f]{16,}\b|\b[A-Za-z]*\d[\w-]*|\b[A-Z][A-Z-]+\b"
    r"|\b[a-z]+(?:[-_/][a-z0-9]+)+\b|\([a-z_]+\)")
_WORD = re.compile(r"[A-Za-z]{2,}")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:\b|T)")


def english_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(_CODES.sub(" ", text)) if w.lower() not in ALLOWED]


#: what a reader sees: the text, tooltips, placeholders and the choices of every list
_READ = """() => {
  const out = document.body.innerText.split('\\n');
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label]'))
    for (const a of ['title', 'placeholder', 'aria-label'])
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
  for (const o of document.querySelectorAll('option')) out.push(o.textContent);
  return out.map(t => t.trim()).filter(t => t);
}"""


@pytest.fixture
def road(app, committed_db, portal, pki):
    """An answered appeal with its letter, one waiting for a resolution, a re-issue and a
    numbering-resource application in the inbox: the pages every role opens."""
    with app.app_context():
        org = Org()
        db.session.commit()
    answered = portal.send("appeal").json["id"]
    waiting = portal.send("appeal").json["id"]
    reissue = portal.send("licence-reissue", sender="ELICENSE").json["id"]
    numbering = portal.send("numbering-permit", sender="ELICENSE").json["id"]
    with app.app_context():

        org = Org.__new__(Org)
        org.clerk, org.head, org.executor, org.signer = (
            user("clerk"), user("head"), user("executor"), user("signer"))
        document = db.session.get(Document, answered)
        for step in (registered, assigned, drafted):
            step(document, org)
            db.session.flush()
        # the appeal is in Kazakh, the answer in Russian: the warning is acknowledged
        execution.submit(document, executor=org.executor, now=utcnow(),
                         acknowledge_warnings=True)
        approved(document, org)
        signed(document, org, pki)
        registered(db.session.get(Document, waiting), org)
        db.session.commit()
    return {"answered": answered, "waiting": waiting, "reissue": reissue,
            "numbering": numbering}


def _pages(road) -> dict[str, list[str]]:
    docs = [f"/documents/{road[k]}" for k in ("answered", "waiting", "reissue", "numbering")]
    return {
        "clerk": ["/", *docs, "/search?q=%D0%BE", "/notifications", "/account"],
        "head": ["/resolution/", f"/documents/{road['waiting']}", "/reports/",
                 "/reports/journal"],
        "executor": ["/execution/", f"/documents/{road['answered']}",
                     f"/documents/{road['answered']}/reply"],
        "signer": ["/signing/"],
        "admin": ["/admin/users", "/admin/people", "/admin/routes", "/admin/calendar",
                  "/admin/deadline-rules", "/admin/audit", "/admin/jobs", "/permits",
                  "/inspections", "/letters/undelivered"],
    }


@pytest.mark.browser
def test_russian_and_kazakh_pages_hold_no_english(live_server, browser, road):
    found: list[str] = []
    for login, paths in _pages(road).items():
        page = browser.new_page()
        page.goto(f"{live_server}/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.locator("form[action$='/logout']").wait_for()
        for language in ("ru", "kk", "en"):
            page.goto(f"{live_server}/language/{language}")
            for path in paths:
                response = page.goto(f"{live_server}{path}")
                assert response is not None and response.status < 500, (language, login, path)
                if language == "en":
                    continue  # English pages may say anything in English
                for line in page.evaluate(_READ):
                    words = english_words(line)
                    if words:
                        found.append(f"{language} {login} {path}: {words} in {line[:120]!r}")
                    if _ISO_DATE.search(line):
                        found.append(f"{language} {login} {path}: ISO date in {line[:120]!r}")
        page.close()
    assert not found, "\n".join(dict.fromkeys(found))
