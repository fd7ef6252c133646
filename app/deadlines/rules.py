"""Deadline rules as data: which period the law gives a document of each kind.

A rule says how long (``period`` in a ``unit``), from which event (arrival or
registration, that day counted or not), under which law (``citation``, ``note``) and
since when (``valid_from``). A document is judged by the rule of its kind in force on the
day it arrived. Pure: no Flask, no database.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.languages import in_language
from app.procedures import PROCEDURES

SHIPPED_RULES = Path(__file__).with_name("rules.toml")

#: every kind a rule may apply to: the deadline rule each procedure names (one per appeal
#: type and application kind today; app/procedures/table.py)
KINDS: tuple[str, ...] = tuple(dict.fromkeys(p.deadline_rule for p in PROCEDURES.values()))


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class StartEvent(enum.StrEnum):
    ARRIVAL = "arrival"
    REGISTRATION = "registration"


class RuleError(ValueError):
    """Raised when a rule (from the file, the database or a form) is not a rule: names the
    rule and the field."""


class UnknownKind(LookupError):
    """Raised when a kind has no rule at all; ``known`` lists the kinds that have."""

    def __init__(self, kind: str, known: Iterable[str]):
        self.kind = kind
        self.known = tuple(known)
        super().__init__(f"unknown kind {kind!r}; known kinds: {', '.join(self.known)}")


class NoRuleInForce(LookupError):
    """Raised when the kind has rules, none of them yet in force on the day."""

    def __init__(self, kind: str, on: date):
        self.kind, self.on = kind, on
        super().__init__(f"no rule for {kind!r} was in force on {on.isoformat()}")


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    period: int
    unit: Unit
    starts_on: StartEvent
    #: False: the period runs from the day after the starting event
    start_day_counts: bool
    #: the legal source and what the rule means, in Russian (every page falls back to it)
    citation: str
    note: str
    valid_from: date
    #: the same in Kazakh and in English; empty: the Russian
    citation_kk: str = ""
    citation_en: str = ""
    note_kk: str = ""
    note_en: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rule:
        """A rule from a TOML table or a database row's fields; RuleError names what is
        wrong."""
        code = str(data.get("code") or "").strip()
        if not code:
            raise RuleError("a rule needs a code")
        kind = str(data.get("kind") or "")
        if kind not in KINDS:
            raise RuleError(f"rule {code}: kind {kind!r} is not one of {', '.join(KINDS)}")
        period = data.get("period")
        if not isinstance(period, int) or isinstance(period, bool) or not 0 < period <= 366:
            raise RuleError(f"rule {code}: period must be a whole number from 1 to 366")
        try:
            unit = Unit(str(data.get("unit")))
            starts_on = StartEvent(str(data.get("starts_on")))
        except ValueError as exc:
            raise RuleError(f"rule {code}: {exc}") from exc
        valid_from = data.get("valid_from")
        if isinstance(valid_from, str):
            valid_from = date.fromisoformat(valid_from)
        if not isinstance(valid_from, date):
            raise RuleError(f"rule {code}: valid_from must be a date")
        citation = str(data.get("citation") or "").strip()
        if not citation:
            raise RuleError(f"rule {code}: a rule needs its legal citation")
        return cls(code=code, kind=kind, period=period, unit=unit, starts_on=starts_on,
                   start_day_counts=bool(data.get("start_day_counts", False)),
                   citation=citation, note=_text(data, "note"), valid_from=valid_from,
                   **{name: _text(data, name) for name in TRANSLATED})

    def citation_in(self, language: str) -> str:
        """The citation a reader of ``language`` sees (Russian when not written)."""
        return in_language(language, ru=self.citation, kk=self.citation_kk,
                           en=self.citation_en)

    def note_in(self, language: str) -> str:
        """The note a reader of ``language`` sees (Russian when not written)."""
        return in_language(language, ru=self.note, kk=self.note_kk, en=self.note_en)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "period": self.period,
                "unit": self.unit.value, "starts_on": self.starts_on.value,
                "start_day_counts": self.start_day_counts, "citation": self.citation,
                "note": self.note, "valid_from": self.valid_from.isoformat(),
                **{name: getattr(self, name) for name in TRANSLATED}}


#: the fields a rule keeps in Kazakh and English beside the Russian ones
TRANSLATED = ("citation_kk", "citation_en", "note_kk", "note_en")


def _text(data: Mapping[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


@dataclass(frozen=True)
class RuleBook:
    """Every rule, by kind, each kind's rules in order of entry into force."""

    rules: tuple[Rule, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        present = {r.kind for r in self.rules}
        return tuple(k for k in KINDS if k in present)

    def rule_for(self, kind: str, on: date) -> Rule:
        """The rule of ``kind`` in force on ``on``: the latest ``valid_from`` not after it."""
        candidates = [r for r in self.rules if r.kind == kind]
        if not candidates:
            raise UnknownKind(kind, self.kinds)
        in_force = [r for r in candidates if r.valid_from <= on]
        if not in_force:
            raise NoRuleInForce(kind, on)
        return max(in_force, key=lambda r: r.valid_from)


def parse_rules(text: str) -> RuleBook:
    data = tomllib.loads(text)
    rules = tuple(Rule.from_mapping(item) for item in data.get("rule", []))
    codes = [r.code for r in rules]
    if len(set(codes)) != len(codes):
        raise RuleError("two rules share a code")
    return RuleBook(rules)


@lru_cache(maxsize=1)
def shipped_rules() -> RuleBook:
    """The rules shipped in ``rules.toml``."""
    return parse_rules(SHIPPED_RULES.read_text(encoding="utf-8"))
