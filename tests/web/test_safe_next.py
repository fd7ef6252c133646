"""After logging in or switching the language, ``next`` leads only back into this site:
an open redirect on the login page is a phishing tool."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from app.web.helpers import safe_next
from tests.conftest import PASSWORD, csrf_token

ELSEWHERE = [
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "http:evil.com",
    "http:/evil.com",
    "HTTPS://evil.com/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.com",
    "\\\\evil.com",
    "/\\evil.com",  # browsers read a backslash as a slash: //evil.com
    "/\\/evil.com",
    "\\/evil.com",
    "/\t/evil.com",  # browsers drop tabs and newlines: //evil.com
    "/\n/evil.com",
    "/\r\n/evil.com",
    " //evil.com",
    "\x00//evil.com",
    "%2F%2Fevil.com",
]

SAME_SITE = [
    "/",
    "/registration/",
    "/documents/12?tab=history",
    "/documents/12#route",
    "/resolution/?q=%2F%2Fevil.com",  # encoded inside the query: stays a query
    "/%2F%2Fevil.com",  # a path segment the browser never decodes into a host
    "/search?next=//evil.com",
    "/документы",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_targets_outside_the_site_are_dropped(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", SAME_SITE)
def test_paths_of_this_site_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [None, ""])
def test_no_target_is_none(target):
    assert safe_next(target) is None


#: where a clerk lands without a (safe) next: the intake
CLERKS_DESK = "/"


def _log_in(client, next_: str):
    page = client.get("/login")
    return client.post(f"/login?next={quote(next_, safe='')}", data={
        "login": "clerk", "password": PASSWORD, "csrf_token": csrf_token(page.text)})


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil.com",
                                    "/\t/evil.com", "javascript:alert(1)"])
def test_logging_in_never_leads_elsewhere(client, target):
    answer = _log_in(client, target)
    assert answer.status_code == 302
    assert answer.location == CLERKS_DESK


def test_logging_in_leads_back_to_the_page_asked_for(client):
    answer = _log_in(client, "/documents/7?tab=history")
    assert answer.status_code == 302 and answer.location == "/documents/7?tab=history"


@pytest.mark.parametrize("target", ["//evil.com", "/\\evil.com", "https://evil.com"])
def test_the_language_switch_never_leads_elsewhere(login, target):
    client = login("clerk")
    answer = client.get(f"/language/kk?next={quote(target, safe='')}")
    assert answer.status_code == 302 and answer.location == CLERKS_DESK
    assert client.get("/language/ru?next=/documents/3").location == "/documents/3"
