"""The audit page says what an entry concerns in the reader's language: the log keeps
"user clerk" and role codes (chained, never rewritten), the page says "пользователь clerk"
and the roles' names."""

from __future__ import annotations

import pytest

from app.admin.views import TARGET_KINDS, detail_lines, target_words


@pytest.mark.parametrize(("target", "ru", "kk"), [
    ("user clerk", "пользователь clerk", "пайдаланушы clerk"),
    ("sender EGOV", "отправитель EGOV", "жіберуші EGOV"),
    ("deadline rule appeal", "правило сроков appeal", "мерзім ережесі appeal"),
    ("calendar 2026-05-01", "день календаря 01.05.2026", "күнтізбе күні 01.05.2026"),
    ("state body 123", "госорган 123", "мемлекеттік орган 123"),
])
def test_a_target_is_named_in_the_readers_language(app, target, ru, kk):
    for language, expected in (("ru", ru), ("kk", kk)):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert target_words(target) == expected


def test_every_kind_of_target_the_code_writes_is_named(app):
    """Each record(..., target=f"<kind> ...") in app/ names a kind the page knows."""
    import re
    from pathlib import Path

    written = set()
    for path in Path("app").rglob("*.py"):
        written |= set(re.findall(r'target=f"([a-z ]+) \{', path.read_text(encoding="utf-8")))
    assert written and written <= set(TARGET_KINDS), written - set(TARGET_KINDS)


def test_roles_and_kinds_in_the_details_are_named_not_coded(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        lines = dict(detail_lines({"user_id": 3, "before": ["clerk"],
                                   "after": ["clerk", "head"], "kind": "licence_new"}))
    clerk = "Сотрудник службы документационного обеспечения"
    assert lines == {"Было": clerk, "Стало": f"{clerk}, Руководитель подразделения",
                     "Вид документа": "Заявление на получение лицензии"}
