"""Registration journals and their counters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class Journal(Model):
    """A register of incoming documents of some kinds, with its own numbering."""

    __tablename__ = "journals"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: str.format pattern over {prefix}, {year} and {seq}, e.g. "ЖТ-{year}-{seq:06d}"
    pattern: Mapped[str] = mapped_column(String(100))
    #: the pattern of a number written in Kazakh (an outgoing letter in Kazakh, "ШЫҒ-…");
    #: None: ``pattern`` in every language. Both share one counter, so no number repeats
    pattern_kk: Mapped[str | None] = mapped_column(String(100))
    #: document kinds registered here, e.g. ["appeal_individual"]
    kinds: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class JournalCounter(Model):
    """The last number issued in a journal in a year; numbering restarts every year."""

    __tablename__ = "journal_counters"

    journal_id: Mapped[int] = mapped_column(ForeignKey("journals.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
