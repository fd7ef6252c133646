"""The walk's judge of words (tests/browser/reading.py), on its own: what is an English
word on a Russian or Kazakh page, and what is a name, number or code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.reading import (
    english_words,
    iso_dates,
    russian_looking,
    ui_russian,
    untranslated_kazakh,
)


@pytest.mark.parametrize(("text", "words"), [
    # words of the UI left in English
    ("series: АБ; номер: 0608013", ["series"]),
    ("user clerk", ["user", "clerk"]),
    ("Срок: Not Found", ["Not", "Found"]),
    ("Internal error", ["Internal", "error"]),
    ("Принять Submit", ["Submit"]),
    # names, numbers and codes are not words
    ("В шаблон подставляются {year} и {seq} (например, {seq:06d})", []),
    ("Шаблон {year} year", ["year"]),
    ("ИИН 830417401559, БИН 990240001128", []),
    ("ЖТ-2026-000001 от 02.12.2026", []),
    ("kopiya-licenzii.pdf application/pdf, 0,6 КБ, SHA-256 1ade8c82953b661f…", []),
    ("Пишите на info@gov.kz или https://egov.kz/services", []),
    ("RSA 2048 бит, ГОСТ 34.10-2015", []),
    ("логин roads-head, вид licence_new", []),
    ("ds:SignedInfo, X509Data, KeyInfo", []),
    ("команда qujat audit verify проверяет цепочку", []),
    ("обработчик vm:11564:26def43e", []),
    ("Qujat · Рус · Қаз · Eng", []),
    ("Портал eGov и eLicense", []),
])
def test_english_words(text, words):
    assert english_words(text) == words


def test_data_words_are_allowed_only_when_named():
    assert english_words("Test clerk") == ["Test", "clerk"]
    assert english_words("Test clerk", allowed=("test", "clerk")) == []


def test_iso_dates():
    assert iso_dates("срок 2026-12-02") == ["2026-12-02"]
    assert iso_dates("в 2026-12-02T10:00") == ["2026-12-02T"]
    assert iso_dates("срок 02.12.2026, № 2026-000001") == []


def test_russian_looking_lines_on_kazakh_pages():
    assert russian_looking("Отдел предпринимательства и лицензирования")
    assert not russian_looking("Кәсіпкерлік және лицензиялау бөлімі")
    assert not russian_looking("Отдел дорог")  # two words: too short to judge


def test_our_russian_strings_found_by_their_fixed_pieces():
    russian = {"Sent to %(name)s for approval": "Отправлено на согласование: %(name)s"}
    assert ui_russian("Отправлено на согласование: Иванов", russian) == [
        "Sent to %(name)s for approval"]
    assert ui_russian("Келісуге жіберілді: Иванов", russian) == []


def test_untranslated_kazakh_lists_empty_and_copied_msgstrs(tmp_path: Path):
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (tmp_path / "ru.po").write_text(header + 'msgid "Yes"\nmsgstr "Да"\n\n'
                                    'msgid "No"\nmsgstr "Нет"\n\n'
                                    'msgid "File"\nmsgstr "Файл"\n', encoding="utf-8")
    (tmp_path / "kk.po").write_text(header + 'msgid "Yes"\nmsgstr "Иә"\n\n'
                                    'msgid "No"\nmsgstr ""\n\n'
                                    'msgid "File"\nmsgstr "Файл"\n', encoding="utf-8")
    assert untranslated_kazakh(tmp_path / "kk.po", tmp_path / "ru.po") == {
        "No": "Нет", "File": "Файл"}
