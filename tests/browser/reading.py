"""What a reader of a Russian or Kazakh page must not meet: English words, ISO dates, and
(on Kazakh pages) our own Russian strings whose Kazakh is missing.

Pure functions over text, unit-tested on their own (tests/browser/test_reading.py); the
walks (tests/browser/walk.py) feed them what chromium shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

#: Latin words a Russian or Kazakh page may show, each for a reason:
ALLOWED = frozenset({
    # the product's own name (the brand, like "ЕСЭДО" is never translated)
    "qujat",
    # the language switch names English by its own short name ("Eng" beside "Рус", "Қаз")
    "eng",
    # the portals named as their owners write them (egov.kz, eLicense.kz)
    "egov", "elicense",
    # formats and algorithms are named by their standard's name in every language
    "pdf", "xml", "csv", "xlsx", "pkcs", "rsa", "sha", "gost", "streebog", "xmldsig",
    # the time zone's IANA name, shown as-is on the calendar and account pages
    "asia", "almaty",
})

#: codes and names that are not words: e-mail addresses, links, file names, hex digests,
#: anything with a digit (numbers, IINs, KZ01 …), upper-case codes (BIN, EGOV, RSA…),
#: hyphenated, dotted or snake_case identifiers (logins like roads-head, kinds like
#: licence_new), namespaced or CamelCase XML names of the verifier's technical details
#: (ds:SignedInfo, X509Data), a word in parentheses that is a code, e.g. "(statement)",
#: media types of attachments as the portal declared them (application/pdf), console
#: commands quoted as typed (qujat audit verify), colon-joined identifiers such as a
#: worker's host:pid:token, the fields of a number pattern ({year}, {seq:06d})
_CODES = re.compile(
    r"\S+@\S+"
    r"|\{[a-z_]+(?::[^}]*)?\}"
    r"|\bqujat(?: [a-z][a-z-]*)+"
    r"|\b[\w.-]+(?::[\w.-]+)+"
    r"|\b(?:application|text|image)/[\w.+-]+"
    r"|https?://\S+|\bwww\.\S+"
    r"|[\w.-]+\.(?:pdf|xml|p12|pem|cer|crl|kz|txt|docx?|xlsx|csv|png|jpe?g|zip)\b"
    r"|\b[0-9A-Fa-f]{16,}\b"
    r"|\b[A-Za-z]*\d[\w-]*"
    r"|\b[A-Z][A-Z-]+\b"
    r"|\b[A-Za-z]+(?:[-_.][A-Za-z0-9]+)+\b"
    r"|\b[a-z]+:[A-Za-z]+\b"
    r"|\b[A-Z]?[a-z]+(?:[A-Z][a-z]+)+\b"
    r"|\([a-z_]+\)")
_WORD = re.compile(r"[A-Za-z]{2,}")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:\b|T)")


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Latin words of ``text`` that are neither codes nor allowed (case-insensitive);
    ``allowed`` adds names of the data at hand (e.g. the users' logins)."""
    extra = {a.lower() for a in allowed}
    return [w for w in _WORD.findall(_CODES.sub(" ", text))
            if w.lower() not in ALLOWED and w.lower() not in extra]


def iso_dates(text: str) -> list[str]:
    return _ISO_DATE.findall(text)


# -- Kazakh pages: our Russian strings left untranslated -------------------------------

_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{2,}")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[^}]*\}")


def russian_looking(text: str) -> bool:
    """Three or more Cyrillic words and not one Kazakh letter: a line Kazakh would not
    write (a heuristic: names and data in Russian look the same; see ui_russian)."""
    return len(_CYRILLIC_WORD.findall(text)) >= 3 and not _KAZAKH_LETTERS.search(text)


def untranslated_kazakh(kk_po: Path, ru_po: Path) -> dict[str, str]:
    """msgid -> Russian msgstr of every message whose Kazakh is empty or the Russian copied."""
    from babel.messages.pofile import read_po

    with kk_po.open("rb") as f:
        kk = read_po(f, locale="kk")
    with ru_po.open("rb") as f:
        ru = read_po(f, locale="ru")
    found = {}
    for message in ru:
        if not message.id or not isinstance(message.string, str) or not message.string:
            continue
        other = kk.get(message.id, message.context)
        if other is None or not other.string or other.string == message.string:
            found[message.id] = message.string
    return found


def ui_russian(text: str, russian: dict[str, str]) -> list[str]:
    """The msgids whose Russian (its fixed pieces between placeholders, each at least 12
    characters) appears in ``text``."""
    hits = []
    for msgid, string in russian.items():
        pieces = [p.strip() for p in _PLACEHOLDER.split(string) if len(p.strip()) >= 12]
        if pieces and any(p in text for p in pieces):
            hits.append(msgid)
    return hits
