"""The legal deadline, case by case as the law counts it (no database, no Flask).

Appeals (АППК РК): registered the day they arrive; after working hours (18:30 in Almaty)
or on a day off, the next working day; 15 working days (a complaint 20) counted from the
day after registration. Applications (seed 001): 30 working days from registration.
Every expected date below was counted by hand on the 2026 calendar: November 2026 has no
public holiday; 7–9 March and 21–25 March are off (Women's Day, Nowruz and their
observed days).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.deadlines.compute import AFTER_HOURS, DAY_OFF, SAME_DAY, compute_deadline
from app.deadlines.rules import (
    KINDS,
    NoRuleInForce,
    Rule,
    RuleBook,
    RuleError,
    StartEvent,
    Unit,
    UnknownKind,
    parse_rules,
    shipped_rules,
)
from app.workdays import Calendar, WorkingHours

HOURS = WorkingHours()  # 09:00–18:30 Asia/Almaty


def deadline(kind, arrived, *, days_off=(), working_days=(), rules=None):
    return compute_deadline(kind, datetime.fromisoformat(arrived), rules=rules or shipped_rules(),
                            calendar=Calendar(days_off=days_off, working_days=working_days),
                            hours=HOURS)


#: (what the case shows, kind, arrival, registered on, why, due)
CASES = [
    ("a statement on a plain Monday", "statement", "2026-11-02T10:00", "2026-11-02",
     SAME_DAY, "2026-11-23"),
    ("a proposal, an inquiry, feedback: the same 15 days", "feedback", "2026-11-02T10:00",
     "2026-11-02", SAME_DAY, "2026-11-23"),
    ("a complaint: 20 working days", "complaint", "2026-11-02T10:00", "2026-11-02",
     SAME_DAY, "2026-11-30"),
    ("before the office opens: that day", "inquiry", "2026-11-02T07:15", "2026-11-02",
     SAME_DAY, "2026-11-23"),
    ("a minute before closing: that Friday", "statement", "2026-11-06T18:29", "2026-11-06",
     SAME_DAY, "2026-11-27"),
    ("at closing time on Friday: Monday", "statement", "2026-11-06T18:30", "2026-11-09",
     AFTER_HOURS, "2026-11-30"),
    ("on a Saturday: Monday", "proposal", "2026-11-07T10:00", "2026-11-09", DAY_OFF,
     "2026-11-30"),
    ("in UTC, already Friday in Almaty (00:30)", "statement", "2026-11-05T19:30:00+00:00",
     "2026-11-06", SAME_DAY, "2026-11-27"),
    ("in UTC on Friday afternoon, after hours in Almaty (19:00)", "statement",
     "2026-11-06T14:00:00+00:00", "2026-11-09", AFTER_HOURS, "2026-11-30"),
    ("public holidays are skipped: Women's Day and Nowruz", "statement", "2026-03-06T10:00",
     "2026-03-06", SAME_DAY, "2026-04-02"),
    ("arriving on a public holiday (Nowruz)", "statement", "2026-03-23T11:00", "2026-03-26",
     DAY_OFF, "2026-04-16"),
    ("a licence application: 30 working days from registration (seed 001)", "licence_new",
     "2026-11-02T10:00", "2026-11-02", SAME_DAY, "2026-12-14"),
]


@pytest.mark.parametrize(("kind", "arrived", "registered", "why", "due"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_the_law_counts(kind, arrived, registered, why, due):
    result = deadline(kind, arrived)
    assert (result.registered_on, result.registration_reason, result.due) == (
        date.fromisoformat(registered), why, date.fromisoformat(due))


def test_the_explanation_names_every_day_not_counted_and_why():
    result = deadline("statement", "2026-03-06T10:00")
    assert result.start == date(2026, 3, 7)
    skipped = {d.day.isoformat(): (d.reason, d.name) for d in result.skipped}
    assert skipped["2026-03-07"] == ("weekend", "")
    assert skipped["2026-03-09"] == ("public_holiday", "International Women's Day (observed)")
    assert skipped["2026-03-23"] == ("public_holiday", "Nowruz Holiday")
    assert skipped["2026-03-28"] == ("weekend", "")
    assert len(skipped) == 12  # 7–9, 14–15, 21–25, 28–29 March
    assert result.rule.code == "appc-statement-2021"
    assert "Административный процедурно-процессуальный кодекс" in result.rule.citation


def test_a_document_arriving_after_hours_before_a_weekend_says_which_days_passed():
    result = deadline("statement", "2026-11-06T20:00")
    assert [(d.day.isoformat(), d.reason) for d in result.registration_skipped] == [
        ("2026-11-07", "weekend"), ("2026-11-08", "weekend")]
    assert result.start == date(2026, 11, 10)


def test_a_day_off_moved_by_decree_is_not_counted():
    result = deadline("statement", "2026-11-02T10:00", days_off=[date(2026, 11, 16)])
    assert result.due == date(2026, 11, 24)
    assert ("moved_day_off" in {d.reason for d in result.skipped})


def test_a_working_saturday_by_decree_counts():
    result = deadline("statement", "2026-11-02T10:00", working_days=[date(2026, 11, 14)])
    assert result.due == date(2026, 11, 20)
    assert result.counted_swaps == (date(2026, 11, 14),)


def test_a_document_arriving_on_a_working_saturday_is_registered_that_day():
    result = deadline("statement", "2026-11-14T10:00", working_days=[date(2026, 11, 14)])
    assert (result.registered_on, result.registration_reason) == (date(2026, 11, 14), SAME_DAY)


def _rule(code, *, period=15, unit=Unit.WORKING_DAYS, valid_from=date(2021, 7, 1),
          counts=False, starts_on=StartEvent.REGISTRATION, kind="statement"):
    return Rule(code=code, kind=kind, period=period, unit=unit, starts_on=starts_on,
                start_day_counts=counts, citation="test", note="", valid_from=valid_from)


def test_a_document_is_judged_by_the_rule_in_force_when_it_arrived():
    book = RuleBook((_rule("old"), _rule("new", period=10, valid_from=date(2026, 12, 1))))
    assert deadline("statement", "2026-11-30T10:00", rules=book).rule.code == "old"
    assert deadline("statement", "2026-12-01T10:00", rules=book).rule.code == "new"
    with pytest.raises(NoRuleInForce):
        deadline("statement", "2021-06-30T10:00", rules=book)


def test_periods_in_calendar_days_end_on_a_working_day():
    book = RuleBook((_rule("cal", period=30, unit=Unit.CALENDAR_DAYS),))
    assert deadline("statement", "2026-11-02T10:00", rules=book).due == date(2026, 12, 2)
    moved = deadline("statement", "2026-11-05T10:00", rules=book)
    assert (moved.nominal_due, moved.due) == (date(2026, 12, 5), date(2026, 12, 7))


def test_periods_in_months_end_on_the_same_date_or_the_months_last_day():
    book = RuleBook((_rule("month", period=1, unit=Unit.MONTHS),))
    result = deadline("statement", "2026-01-30T10:00", rules=book)
    assert (result.nominal_due, result.due) == (date(2026, 2, 28), date(2026, 3, 2))


def test_a_period_counted_from_arrival_with_that_day_counting():
    book = RuleBook((_rule("arr", period=3, counts=True, starts_on=StartEvent.ARRIVAL),))
    # Friday after hours: registered Monday, but this period runs from the Friday itself
    result = deadline("statement", "2026-11-06T20:00", rules=book)
    assert (result.registered_on, result.start, result.due) == (
        date(2026, 11, 9), date(2026, 11, 6), date(2026, 11, 10))


def test_every_kind_of_the_formats_has_a_shipped_rule_with_its_citation():
    book = shipped_rules()
    assert book.kinds == KINDS
    for kind in KINDS:
        rule = book.rule_for(kind, date(2026, 11, 2))
        assert rule.citation and rule.note, kind
    # what we could not confirm from the law's text is said, not invented
    assert all("не сверен" in r.note for r in book.rules)
    assert book.rule_for("complaint", date(2026, 1, 1)).period == 20


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(UnknownKind) as unknown:
        deadline("petition", "2026-11-02T10:00")
    assert "statement" in str(unknown.value) and "licence_new" in str(unknown.value)


@pytest.mark.parametrize(("field", "value"), [
    ("kind", "petition"), ("period", 0), ("unit", "weeks"), ("starts_on", "sending"),
    ("citation", ""), ("valid_from", "soon")])
def test_a_rule_that_is_not_a_rule_is_refused(field, value):
    fields = {"code": "x", "kind": "statement", "period": 15, "unit": "working_days",
              "starts_on": "registration", "citation": "АППК", "valid_from": "2021-07-01"}
    with pytest.raises((RuleError, ValueError)):
        parse_rules("[[rule]]\n" + "\n".join(
            f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}"
            for k, v in {**fields, field: value}.items()))


def test_working_hours_must_make_sense():
    assert WorkingHours.parse("08:30-17:00", "Asia/Almaty").end.hour == 17
    with pytest.raises(ValueError):
        WorkingHours.parse("18:00-09:00", "Asia/Almaty")
