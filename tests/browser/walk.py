"""A walk through the desk as one user in one language, in chromium: every page reachable
by a link (same origin, GET), every GET form submitted as it stands, downloads fetched for
their status only. Each page is read as the user sees it (details opened, tooltips,
placeholders, buttons, the choices of every list) and checked: no 5xx, no stack trace, and
on Russian and Kazakh pages no English word, no ISO date and (Kazakh) none of our Russian
strings left untranslated.

Used by tests/browser/test_walk.py over a small seeded app, and by hand over the demo:

    .venv/bin/python -m tests.browser.walk http://127.0.0.1:5791 --password-suffix -demo-2026 \\
        clerk head executor ... [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from tests.browser.reading import (
    english_words,
    iso_dates,
    russian_looking,
    ui_russian,
    untranslated_kazakh,
)

ROOT = Path(__file__).resolve().parents[2]

#: paths never followed: they change state on GET or switch the language behind the walk
SKIP = re.compile(r"^/(?:logout|language/)")
#: answers that are files, fetched only for their status
DOWNLOAD = re.compile(r"\.(?:pdf|xml|csv|xlsx|zip|p12|pem)$|/(?:raw|download|export|pdf|xml"
                      r"|blob|attachment|files?)(?:/|$)")
#: how many pages one path may be visited with different query strings (sorts, filters,
#: pages of a list): the rest repeat the same template
PER_PATH = 4
#: pages no link leads to but a user reaches anyway (a mistyped or stale address, a page of
#: another role): their error pages are read like any other
PROBES = ("/no-such-page", "/documents/999999", "/documents/abc", "/admin/users",
          "/signing/", "/resolution/", "/execution/", "/reports/")

#: what a reader sees: text (details opened), tooltips, placeholders, buttons, every
#: choice of every list, the title, and the texts scripts show later (data-template)
_READ = """() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  // what the page marks as written in another language (lang="en": the English names of
  // a list kept in three languages) is data in that language, and a <code> (a journal's
  // code, a number pattern) is not a word: neither is the page's wording
  const other = [...document.querySelectorAll('body [lang], body code')].filter(
    el => el.tagName === 'CODE' || !el.lang.startsWith(document.documentElement.lang || '-'));
  const shown = other.map(el => el.style.display);
  for (const el of other) el.style.display = 'none';
  const out = document.body.innerText.split('\\n');
  other.forEach((el, i) => { el.style.display = shown[i]; });
  out.push(document.title);
  const attrs = ['title', 'placeholder', 'aria-label', 'alt', 'data-template', 'data-title'];
  for (const el of document.querySelectorAll(attrs.map(a => '[' + a + ']').join(',')))
    for (const a of attrs)
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
  for (const el of document.querySelectorAll(
      'input[type=submit],input[type=button],input[type=reset]'))
    out.push(el.value);
  for (const el of document.querySelectorAll('[hidden], template'))
    out.push(...(el.content || el).textContent.split('\\n'));
  for (const o of document.querySelectorAll('option')) out.push(o.textContent);
  return out.map(t => t.trim()).filter(t => t);
}"""

#: every link and every GET form (its URL as submitted with the values it shows)
_LINKS = """() => {
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) out.push(a.href);
  for (const f of document.querySelectorAll('form')) {
    if ((f.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
    const url = new URL(f.action || location.href);
    url.search = new URLSearchParams(new FormData(f)).toString();
    out.push(url.href);
  }
  return out;
}"""

_TRACE = re.compile(r"Traceback \(most recent call last\)|Werkzeug|jinja2\.exceptions"
                    r"|Internal Server Error|UndefinedError")


@dataclass
class Walk:
    login: str
    language: str
    pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    #: Russian-looking lines on Kazakh pages that are not our UI strings (data: names of
    #: departments, senders, rules; the documents' own text)
    data_russian: dict[str, list[str]] = field(default_factory=dict)


def _key(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return parts.path, tuple(sorted({k for k, _ in parse_qsl(parts.query)}))


def cache_static(context) -> None:
    """Serve /static/ (the style sheet, scripts, fonts) from memory after its first fetch:
    a walk opens hundreds of pages, each would ask the server again."""
    cache: dict[str, tuple[int, dict, bytes]] = {}

    def handle(route):
        url = route.request.url
        if url not in cache:
            response = route.fetch()
            cache[url] = (response.status, response.headers, response.body())
        status, headers, body = cache[url]
        route.fulfill(status=status, headers=headers, body=body)

    context.route("**/static/**", handle)


def log_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.locator("form[action$='/logout']").wait_for()


def walk(page, base: str, login: str, language: str, *, start: str = "/",
         allowed: tuple[str, ...] = (), limit: int = 2000, russian: dict | None = None,
         shots: Path | None = None, probes: tuple[str, ...] = PROBES,
         per_query: int = PER_PATH) -> Walk:
    """Walk as the logged-in ``page`` in ``language`` from ``start``."""
    result = Walk(login, language)
    if russian is None and language == "kk":
        po = ROOT / "app" / "translations"
        russian = untranslated_kazakh(po / "kk/LC_MESSAGES/messages.po",
                                      po / "ru/LC_MESSAGES/messages.po")
    page.goto(f"{base}/language/{language}")
    origin = urlsplit(base).netloc
    queue = [urljoin(base, p) for p in (start, *probes)]
    seen: set[str] = set()
    per_path: Counter = Counter()
    while queue and len(result.pages) < limit:
        url = queue.pop(0).split("#")[0]
        parts = urlsplit(url)
        if url in seen or parts.netloc != origin or SKIP.match(parts.path):
            continue
        seen.add(url)
        key = _key(url)
        per_path[key] += 1
        if parts.query and per_path[key] > per_query:
            continue
        relative = url[len(base):]
        if DOWNLOAD.search(parts.path):
            status = page.request.get(url).status
            result.downloads.append(relative)
            if status >= 500:
                result.findings.append(f"{status} {relative} (download)")
            continue
        try:
            response = page.goto(url)
        except Exception as exc:  # a download the pattern did not foresee
            if "Download is starting" not in str(exc):
                raise
            status = page.request.get(url).status
            result.downloads.append(relative)
            if status >= 500:
                result.findings.append(f"{status} {relative} (download)")
            continue
        status = response.status if response else 0
        result.pages.append(relative)
        if status >= 500:
            result.findings.append(f"{status} {relative}")
        lines = page.evaluate(_READ)
        if any(_TRACE.search(line) for line in lines):
            result.findings.append(f"stack trace or Werkzeug page at {relative}")
        if shots is not None:
            name = re.sub(r"[^\w]+", "_", relative).strip("_") or "root"
            page.screenshot(path=str(shots / f"{login}_{language}_{name}.png"), full_page=True)
        if language != "en":
            for line in lines:
                words = english_words(line, allowed)
                if words:
                    result.findings.append(f"english {relative}: {words} in {line[:140]!r}")
                if iso_dates(line):
                    result.findings.append(f"iso date {relative}: {line[:140]!r}")
                if language == "kk" and russian_looking(line):
                    hits = ui_russian(line, russian or {})
                    if hits:
                        result.findings.append(f"kk untranslated {relative}: {hits[:3]}")
                    else:
                        result.data_russian.setdefault(line[:140], []).append(relative)
        if status < 400:
            queue.extend(page.evaluate(_LINKS))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base")
    parser.add_argument("logins", nargs="+")
    parser.add_argument("--password-suffix", default="-demo-2026")
    parser.add_argument("--languages", default="ru,kk,en")
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--screenshots", type=Path)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--pages", action="store_true", help="list the pages walked")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    base = args.base.rstrip("/")
    logins = tuple(args.logins)
    out = []
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        for login in logins:
            for language in args.languages.split(","):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                cache_static(context)
                page = context.new_page()
                log_in(page, base, login, f"{login}{args.password_suffix}")
                result = walk(page, base, login, language, allowed=logins,
                              limit=args.limit, shots=args.screenshots)
                context.close()
                # one line per finding, the pages it was seen on counted
                grouped: dict[str, list[str]] = {}
                for finding in result.findings:
                    what, _, where = finding.partition(" /")
                    where, _, text = ("/" + where).partition(": ")
                    grouped.setdefault(f"{what}: {text}" if text else finding, []).append(where)
                unique = [f"{what}  [x{len(at)}, e.g. {at[0]}]" for what, at in grouped.items()]
                if args.pages:
                    unique += [f"page {p}" for p in result.pages]
                failures += len(grouped)
                out.append(f"== {login} {language}: {len(result.pages)} pages, "
                           f"{len(result.downloads)} downloads, {len(unique)} findings")
                out.extend(f"   {f}" for f in unique)
                out.extend(f"   data-ru x{len(at)} {at[0]}: {line}" for line, at in sorted(
                    result.data_russian.items(), key=lambda item: -len(item[1])))
                print("\n".join(out[-1 - len(unique) - len(result.data_russian):]),
                      flush=True)
                if args.report:
                    args.report.write_text("\n".join(out) + "\n")
        browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
