"""The names the office keeps in its languages (a department, a portal, a deadline rule's
note, a standard instruction, a state body, a region): one way to pick the reader's.

Russian is the office's working language and every such name has it; the Kazakh and
English ones may be empty (not yet written), and then the Russian one is shown. Pure: no
Flask, no database, so the formats and the rules below the application use it too.
"""

from __future__ import annotations

#: the languages a name may be kept in; Russian always is
NAME_LANGUAGES: tuple[str, ...] = ("ru", "kk", "en")


def in_language(language: str, *, ru: str, kk: str | None = "", en: str | None = "") -> str:
    """The name in ``language`` ("ru", "kk", "en"): the Kazakh or English one when it is
    written, else the Russian one (so an unknown language reads Russian too)."""
    chosen = {"kk": kk, "en": en}.get(language)
    return chosen.strip() if chosen and chosen.strip() else ru
