"""Dates, sizes, holidays and certificates as each language says them (app/web/words.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.web.words import certificate_words, day, file_size, money
from app.workdays import holiday_name


def _in(app, language: str):
    return app.test_request_context(headers={"Accept-Language": language})


@pytest.mark.parametrize(("size", "ru", "en"), [
    (600, "0,6 КБ", "0.6 KB"),
    (1, "0,1 КБ", "0.1 KB"),
    (250 * 1024 + 300, "250 КБ", "250 KB"),
    (3 * 1024 * 1024 + 200 * 1024, "3,2 МБ", "3.2 MB"),
])
def test_a_file_size_is_in_kilobytes_or_megabytes_never_bytes(app, size, ru, en):
    with _in(app, "ru"):
        assert file_size(size).replace("\xa0", " ") == ru
    with _in(app, "en"):
        assert file_size(size) == en


def test_a_date_is_shown_day_month_year_also_when_kept_as_iso_text(app):
    assert day(date(2018, 1, 9)) == "09.01.2018"
    assert day("2018-01-09") == "09.01.2018"
    assert day("LEB41248084") == "LEB41248084"
    # a moment the portal sent, in the body's zone (Asia/Almaty, UTC+5)
    with app.app_context():
        assert day("2025-02-17T10:30:45+05:00") == "17.02.2025 10:30"
        assert day("2025-02-17T05:30:45+00:00") == "17.02.2025 10:30"
    assert day(None) == ""


def test_public_holidays_are_named_in_the_readers_language():
    assert holiday_name(date(2026, 12, 16), "ru") == "День Независимости"
    assert holiday_name(date(2026, 3, 24), "ru") == "Наурыз мейрамы (перенесённый выходной)"
    # `holidays` writes the day it was moved from month first: 5 January, a Sunday
    assert holiday_name(date(2025, 1, 3), "ru") == "Выходной день (перенесён с 05.01.2025)"
    assert holiday_name(date(2026, 1, 1), "kk") == "Жаңа жыл"
    assert holiday_name(date(2026, 5, 9), "en") == "Victory Day"


def test_a_certificate_is_named_in_words_not_as_a_distinguished_name(app):
    subject = ("CN=ҚАСЫМОВА АЙГЕРІМ, SN=ҚАСЫМОВА, serialNumber=IIN830417401559, C=KZ, "
               "O=«ҚР DEMO МИНИСТРЛІГІ» РММ, OU=BIN000740001307")
    with _in(app, "kk"):
        assert certificate_words(subject) == ("ҚАСЫМОВА АЙГЕРІМ, ЖСН 830417401559, "
                                              "БСН 000740001307, «ҚР DEMO МИНИСТРЛІГІ» РММ")
    with _in(app, "ru"):
        assert "ИИН 830417401559" in certificate_words(subject)


@pytest.mark.parametrize(("amount", "ru", "en"), [
    ("3932.00", "3 932,00 ₸", "3,932.00 ₸"),
    ("19660.5", "19 660,50 ₸", "19,660.50 ₸"),
    (0, "0,00 ₸", "0.00 ₸"),
    ("1234567.89", "1 234 567,89 ₸", "1,234,567.89 ₸"),
])
def test_an_amount_is_in_tenge_as_each_language_writes_it(app, amount, ru, en):
    with _in(app, "ru"):
        assert money(amount).replace("\xa0", " ") == ru
        assert "\xa0₸" in money(amount)  # the sign never wraps away from the number
    with _in(app, "kk"):
        assert money(amount).replace("\xa0", " ") == ru
    with _in(app, "en"):
        assert money(amount).replace("\xa0", " ") == en
    assert money(amount, language="ru").replace("\xa0", " ") == ru


def test_an_amount_that_is_not_a_number_is_shown_as_it_came(app):
    with _in(app, "ru"):
        assert money("about 4000") == "about 4000"
        assert money(None) == ""
        assert money("NaN") == "NaN"
