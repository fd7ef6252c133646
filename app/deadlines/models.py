"""The deadline rules and the government's day swaps, kept in the database so an
administrator edits them on the desk (the rules seeded from ``rules.toml``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.deadlines.rules import TRANSLATED, Rule
from app.extensions import Model


class DeadlineRuleRecord(Model):
    """One rule of ``app.deadlines.rules``: a kind's period from a date on."""

    __tablename__ = "deadline_rules"
    __table_args__ = (UniqueConstraint("kind", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable name of the rule, written on the documents it gave a deadline
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: an AppealType or ApplicationKind code
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[int]
    #: app.deadlines.rules.Unit
    unit: Mapped[str] = mapped_column(String(16))
    #: app.deadlines.rules.StartEvent
    starts_on: Mapped[str] = mapped_column(String(16))
    #: False: the period runs from the day after the starting event
    start_day_counts: Mapped[bool] = mapped_column(default=False)
    citation: Mapped[str] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(Text, default="")
    #: the citation and the note in Kazakh and English; empty: the Russian ones
    citation_kk: Mapped[str] = mapped_column(String(500), default="", server_default="")
    citation_en: Mapped[str] = mapped_column(String(500), default="", server_default="")
    note_kk: Mapped[str] = mapped_column(Text, default="", server_default="")
    note_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: the rule judges documents arriving on this day or later (until a later rule)
    valid_from: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def to_rule(self) -> Rule:
        return Rule.from_mapping({
            "code": self.code, "kind": self.kind, "period": self.period, "unit": self.unit,
            "starts_on": self.starts_on, "start_day_counts": self.start_day_counts,
            "citation": self.citation, "note": self.note, "valid_from": self.valid_from,
            **{name: getattr(self, name) for name in TRANSLATED}})


class CalendarDay(Model):
    """A day the government's decree moved: a day off on a weekday (``working`` False) or a
    working Saturday (True). Public holidays themselves come from ``holidays``."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    working: Mapped[bool]
    #: the decree or the reason, as the administrator wrote it
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
