"""Every role walks the desk in Russian and Kazakh in a real browser (Debian's chromium),
following every link from its home page (tests/browser/walk.py), and fetches the same pages
in English: no page fails, and in Russian and Kazakh no English word, no ISO date and
(Kazakh) none of our Russian strings is shown. Names, numbers and codes (BIN, IIN, the
registration numbers, file names, e-mail addresses) may be Latin; words may not
(tests/browser/reading.py says what counts as a word).

One browser, one seeded road, one test (about 200 pages drawn): 39 s measured on 2 cores
at a load average of 4 (100-170 s at 14-17)."""

from __future__ import annotations

import time

import pytest

from app.documents.models import Document
from app.execution import service as execution
from app.extensions import db
from app.timeutil import utcnow
from tests.browser.walk import PROBES, cache_static, log_in, walk
from tests.conftest import PASSWORD
from tests.execution.road import approved, assigned, drafted, registered, signed
from tests.factories import Org, user

#: the seeded users' logins and names ("Test clerk"), shown as they are, and the word
#: "portal" of the test senders' names ("EGOV portal", tests/conftest.py)
DATA_WORDS = ("test", "clerk", "head", "executor", "coexecutor", "signer", "admin",
              "outsider", "portal")
#: who walks, from where (a co-executor sees the executor's pages with fewer forms: the
#: demo's walk, python -m tests.browser.walk, reads them)
ROLES = {"clerk": "/", "head": "/resolution/", "roads-head": "/resolution/",
         "executor": "/execution/", "signer": "/signing/", "admin": "/"}


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
    restore = portal.send("licence-restore", sender="ELICENSE").json["id"]
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
            "numbering": numbering, "restore": restore}


@pytest.mark.browser
def test_every_role_walks_russian_and_kazakh_pages_without_english(live_server, browser, road):
    found, walked = [], {}
    started = time.monotonic()
    for login, home in ROLES.items():
        context = browser.new_context()
        cache_static(context)
        page = context.new_page()
        log_in(page, live_server, login, PASSWORD)
        for language in ("ru", "kk"):
            result = walk(page, live_server, login, language, start=home,
                          allowed=DATA_WORDS, limit=40, per_query=1,
                          # the error pages are one template: two roles read them
                          probes=PROBES if login in ("clerk", "executor") else ())
            walked[login, language] = len(result.pages)
            found += [f"{login} {language} {f}" for f in result.findings]
        # English pages may say anything in English, but none may fail: the same pages
        # fetched (not drawn) in English
        page.goto(f"{live_server}/language/en")
        for path in result.pages:
            status = page.request.get(f"{live_server}{path}").status
            if status >= 500:
                found.append(f"{login} en {status} {path}")
        context.close()
    print(f"walked in {time.monotonic() - started:.0f} s: {walked}")
    assert not found, "\n".join(dict.fromkeys(found))
    # the walk reached past the home pages: each role's documents and forms
    assert all(n >= 3 for n in walked.values()), walked
    assert walked["admin", "ru"] >= 15, walked
