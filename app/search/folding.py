"""Folding: Kazakh and Russian spellings read as a user on a Russian keyboard types them.

"Әбілқайыров", "ӘБІЛҚАЙЫРОВ" and "Абилкайыров" all fold to "абилкайыров": ё/е, қ/к, ғ/г,
ң/н, ө/о, ұ/ү/у, һ/х, і/и, ә/а fold to the Russian letter, case is dropped, and anything
but letters and digits separates words. The stored copy and the query are folded by the
same function, so a part of a word finds the whole.
"""

from __future__ import annotations

import re

_LETTERS = str.maketrans({
    "ё": "е", "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
    "і": "и", "ә": "а",
})
_SEPARATORS = re.compile(r"[^\w]+|_+")


def fold(text: str | None) -> str:
    """Lower-case, Kazakh letters to their Russian keyboard twins, words split by one space."""
    if not text:
        return ""
    folded = text.casefold().translate(_LETTERS)
    return " ".join(_SEPARATORS.sub(" ", folded).split())


def words(text: str | None) -> list[str]:
    """The distinct folded words of a query, in the order typed."""
    return list(dict.fromkeys(fold(text).split()))
