"""The UI catalogs (app/translations) are complete, well-formed, compiled and in step with
the source.

Only Babel's APIs on the files: no application, no database. When a test here fails after
a UI change, run ``scripts/i18n``, write the msgstrs it lists, and run it again.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.config import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
LOCALES = tuple(DEFAULTS["LANGUAGES"])

#: a printf conversion as Python's % operator reads it: %(name)s, %s, %05.2f, %%
_CONVERSION = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def _po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _read_po(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _messages(catalog: Catalog):
    """Every real message (not the header)."""
    return [m for m in catalog if m.id]


def _forms(value) -> tuple[str, ...]:
    """A message's id or string as a tuple: one item, or one per plural form."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _show(ids) -> str:
    return "\n".join(f"  {i!r}" for i in ids)


@pytest.fixture(scope="module", params=LOCALES)
def locale(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def catalog(locale: str) -> Catalog:
    return _read_po(_po_path(locale), locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """The msgids a fresh extraction finds, exactly as scripts/i18n runs it."""
    assert tuple(int(p) for p in babel.__version__.split(".")[:2]) >= (2, 18), (
        f"Babel {babel.__version__}: babel.cfg's per-section keywords need Babel >= 2.18"
    )
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
         "-F", "babel.cfg", "-o", str(pot), "."],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stderr}"
    ids = {_forms(m.id)[0] for m in _messages(_read_po(pot))}
    assert ids, "the extraction found no msgid at all: is babel.cfg right?"
    return ids


def test_every_configured_language_has_a_catalog():
    missing = [loc for loc in LOCALES if not _po_path(loc).is_file()]
    assert not missing, f"no catalog for {missing}: run scripts/i18n"


def test_catalog_header(catalog: Catalog, locale: str):
    assert not catalog.fuzzy, f"{locale}: the header is fuzzy, so pybabel would not compile it"
    assert str(catalog.locale) == locale


def test_no_untranslated_or_fuzzy_entries(catalog: Catalog, locale: str):
    untranslated = [m.id for m in _messages(catalog) if not all(_forms(m.string))]
    fuzzy = [m.id for m in _messages(catalog) if m.fuzzy]
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated in {locale}:\n{_show(untranslated)}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy (review, then drop the flag) in {locale}:\n"
                        f"{_show(fuzzy)}")
    assert not problems, "\n".join(problems)


def _conversions(text: str) -> tuple[Counter, str]:
    """The % conversions of ``text`` and what is left once they are taken out."""
    found = Counter(m.group(0) for m in _CONVERSION.finditer(text))
    return found, _CONVERSION.sub("", text)


def test_placeholders_match(catalog: Catalog, locale: str):
    # templates use Jinja's new-style gettext, which applies % to every msgstr: a lone "%"
    # breaks the page even where the msgid has no placeholder
    wrong = []
    for message in _messages(catalog):
        ids = _forms(message.id)
        for n, string in enumerate(_forms(message.string)):
            if not string:
                continue
            expected, _ = _conversions(ids[min(n, len(ids) - 1)])
            found, rest = _conversions(string)
            if found != expected or "%" in rest:
                wrong.append(f"{message.id!r}: {string!r}")
    for message, errors in catalog.check():
        wrong.extend(f"{message.id!r}: {error}" for error in errors)
    assert not wrong, f"{locale}: placeholders differ from the msgid's:\n" + "\n".join(
        f"  {w}" for w in wrong)


@pytest.mark.parametrize("locale_code", [loc for loc in LOCALES if loc != "en"])
def test_russian_and_kazakh_are_written_in_cyrillic(locale_code: str):
    """A msgstr left in English, or a word typed with a Latin look-alike letter."""
    catalog = _read_po(_po_path(locale_code), locale_code)
    no_cyrillic, mixed = [], []
    for message in _messages(catalog):
        for string in _forms(message.string):
            if string and not _CYRILLIC.search(string):
                no_cyrillic.append(message.id)
            for word in re.findall(r"\w+", string):
                if _CYRILLIC.search(word) and _LATIN.search(word):
                    mixed.append(f"{message.id!r}: {word!r}")
    assert not no_cyrillic, f"{locale_code}: msgstr with no Cyrillic:\n{_show(no_cyrillic)}"
    assert not mixed, f"{locale_code}: Latin and Cyrillic letters in one word:\n" + "\n".join(
        f"  {w}" for w in mixed)


def test_mo_is_compiled_from_the_po(catalog: Catalog, locale: str):
    mo_path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert mo_path.is_file(), f"{mo_path} is missing: run scripts/i18n"
    with mo_path.open("rb") as f:
        compiled = read_mo(f)
    # what pybabel compile writes: translated, not fuzzy
    # (a plural's id and strings come back from the .mo as lists: compared as tuples)
    expected = {(m.context, _forms(m.id)): _forms(m.string) for m in _messages(catalog)
                if m.string and not m.fuzzy}
    actual = {(m.context, _forms(m.id)): _forms(m.string) for m in _messages(compiled)}
    stale = sorted({key[1][0] for key in expected.keys() ^ actual.keys()}
                   | {key[1][0] for key in expected.keys() & actual.keys()
                      if expected[key] != actual[key]}, key=str)
    assert not stale, (f"{mo_path.relative_to(ROOT)} differs from its .po for these msgids "
                       f"(run scripts/i18n):\n{_show(stale)}")
    assert compiled.plural_forms == catalog.plural_forms


def test_translations_load_at_run_time(catalog: Catalog, locale: str):
    """gettext itself reads the .mo and returns the msgstr (what Flask-Babel calls)."""
    translations = Translations.load(str(TRANSLATIONS), [locale])
    assert isinstance(translations, Translations), f"gettext found no catalog for {locale}"
    sample = next((m for m in _messages(catalog) if isinstance(m.id, str) and m.string), None)
    assert sample is not None, f"{locale}: the catalog has no translated message"
    assert translations.gettext(sample.id) == sample.string


def test_extraction_finds_no_msgid_missing_from_the_catalogs(extracted: set[str]):
    missing = {}
    for name, path in [("messages.pot", TRANSLATIONS / "messages.pot")] + [
        (loc, _po_path(loc)) for loc in LOCALES
    ]:
        known = {_forms(m.id)[0] for m in _messages(_read_po(path))}
        if extracted - known:
            missing[name] = sorted(extracted - known)
    assert not missing, "the source has msgids the catalogs lack (run scripts/i18n, then " \
        "translate them):\n" + "\n".join(f"{name}:\n{_show(ids)}" for name, ids in missing.items())


def test_catalogs_hold_no_msgid_the_source_dropped(extracted: set[str]):
    stale = {}
    for loc in LOCALES:
        known = {_forms(m.id)[0] for m in _messages(_read_po(_po_path(loc)))}
        if known - extracted:
            stale[loc] = sorted(known - extracted)
    assert not stale, "the catalogs hold msgids no longer in the source (run scripts/i18n):\n" \
        + "\n".join(f"{loc}:\n{_show(ids)}" for loc, ids in stale.items())
