"""Deadlines count Kazakhstan's working days: weekends and public holidays do not count."""

from datetime import date

from app.workdays import Calendar


def test_a_period_skips_weekends_and_independence_day():
    calendar = Calendar()
    # Monday 14 December 2026; 16 December is Independence Day
    assert calendar.add_working_days(date(2026, 12, 14), 1) == date(2026, 12, 15)
    assert calendar.add_working_days(date(2026, 12, 15), 1) == date(2026, 12, 17)
    assert calendar.add_working_days(date(2026, 12, 17), 2) == date(2026, 12, 21)


def test_fifteen_working_days_from_a_registration_on_friday():
    assert Calendar().add_working_days(date(2026, 11, 20), 15) == date(2026, 12, 11)


def test_the_bodys_own_day_swaps_are_honoured():
    calendar = Calendar(days_off=[date(2026, 12, 18)], working_days=[date(2026, 12, 19)])
    assert not calendar.is_working_day(date(2026, 12, 18))
    assert calendar.is_working_day(date(2026, 12, 19))
    assert calendar.working_days_between(date(2026, 12, 17), date(2026, 12, 21)) == 2
