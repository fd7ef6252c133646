"""Folding: what a user types on a Russian keyboard finds the Kazakh spelling."""

from __future__ import annotations

import pytest

from app.search.folding import fold, words


@pytest.mark.parametrize(("typed", "stored"), [
    ("абилкайыров", "Әбілқайыров"),
    ("ЖУМАБАЕВА", "Жұмабаева"),
    ("сауле", "Сәуле"),
    ("Онгар", "Өңгар"),
    ("гани", "Ғани"),
    ("уркия", "Үркия"),
    ("хабиба", "Һабиба"),
    ("федор", "Фёдор"),
])
def test_a_russian_keyboard_spelling_folds_like_the_kazakh_one(typed, stored):
    assert fold(typed) == fold(stored)


def test_words_are_split_on_anything_but_letters_and_digits():
    assert fold("ЖТ-2026-000123, «Дорога»!") == "жт 2026 000123 дорога"
    assert words("дорога  Дорога ремонт") == ["дорога", "ремонт"]
    assert fold(None) == "" and words("  ") == []
