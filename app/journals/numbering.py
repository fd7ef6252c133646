"""Gapless, duplicate-free registration numbers.

The counter is bumped with one ``UPDATE ... RETURNING`` inside the registering
transaction. On PostgreSQL the row stays locked until that transaction ends, so a second
clerk waits and then reads the committed value; if the registration fails and rolls back,
the bump rolls back with it. No number is ever skipped or handed out twice. On SQLite the
database-wide write lock gives the same guarantee.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.errors import Refused
from app.extensions import db
from app.journals.models import Journal, JournalCounter


def journal_for(kind: str) -> Journal:
    """The active journal that registers documents of ``kind``."""
    for journal in db.session.scalars(select(Journal).where(Journal.active).order_by(Journal.id)):
        if kind in (journal.kinds or []):
            return journal
    raise Refused(_l("No registration journal is configured for documents of the kind "
                     "“%(kind)s”; tell the administrator.", kind=kind),
                  code="no_journal_for_kind", kind=kind)


def next_number(journal: Journal, *, year: int) -> int:
    _ensure_counter(journal.id, year)
    bumped = db.session.execute(
        update(JournalCounter)
        .where(JournalCounter.journal_id == journal.id, JournalCounter.year == year)
        .values(value=JournalCounter.value + 1)
        .returning(JournalCounter.value)
    ).scalar_one()
    return bumped


def format_number(journal: Journal, *, year: int, seq: int, language: str = "ru") -> str:
    """The number as written in ``language``: a journal may prefix its Kazakh numbers in
    Kazakh (``pattern_kk``); the sequence is the same either way."""
    pattern = journal.pattern_kk if language == "kk" and journal.pattern_kk else journal.pattern
    return pattern.format(year=year, seq=seq)


def set_pattern(code: str, pattern: str, *, by: User | None = None) -> Journal:
    """Change a journal's pattern after checking it formats and carries the sequence;
    the change is chained into the audit log (``by`` None: the command line)."""
    journal = _journal(code)
    return set_patterns(journal, pattern=pattern, pattern_kk=journal.pattern_kk, by=by)


def set_patterns(journal: Journal, *, pattern: str, pattern_kk: str | None,
                 by: User | None = None) -> Journal:
    """Change a journal's number patterns, the one every language writes and the Kazakh
    one (None or empty: none), after checking each formats and carries the sequence;
    the change is chained into the audit log (``by`` None: the command line)."""
    pattern, pattern_kk = pattern.strip(), (pattern_kk or "").strip() or None
    _check_pattern(pattern, code="journal_pattern")
    if pattern_kk is not None:
        _check_pattern(pattern_kk, code="journal_pattern_kk")
    before = {"pattern": journal.pattern, "pattern_kk": journal.pattern_kk}
    journal.pattern, journal.pattern_kk = pattern, pattern_kk
    details: dict = {"before": before["pattern"], "after": pattern}
    if before["pattern_kk"] != pattern_kk:
        details |= {"before_kk": before["pattern_kk"], "after_kk": pattern_kk}
    record(AuditKind.JOURNAL_PATTERN_SET, actor_id=by.id if by is not None else None,
           target=f"journal {journal.code}", details=details)
    return journal


def _journal(code: str) -> Journal:
    journal = db.session.scalar(select(Journal).where(Journal.code == code))
    if journal is None:
        raise Refused(_l("There is no journal with the code “%(journal_code)s”.",
                         journal_code=code),
                      code="journal_not_found", journal_code=code)
    return journal


def _check_pattern(pattern: str, *, code: str) -> None:
    """Refuse a pattern that cannot be filled in or that lacks the sequence: ``code`` +
    "_unformattable" / "_without_seq" names which pattern of the form it was."""
    try:
        sample = pattern.format(year=2026, seq=123)
    except (KeyError, IndexError, ValueError) as exc:
        raise Refused(_l("The pattern “%(pattern)s” cannot be filled in (%(problem)s): use "
                         "{year} and {seq}, e.g. “ЖТ-{year}-{seq:06d}”.",
                         pattern=pattern, problem=repr(exc)),
                      code=f"{code}_unformattable", pattern=pattern,
                      problem=repr(exc)) from exc
    if "{seq" not in pattern or sample == pattern.format(year=2026, seq=124):
        raise Refused(_l("The pattern must contain the sequence number {seq}, or numbers "
                         "would repeat."),
                      code=f"{code}_without_seq", pattern=pattern)


def _ensure_counter(journal_id: int, year: int) -> None:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(JournalCounter)
        .values(journal_id=journal_id, year=year, value=0)
        .on_conflict_do_nothing(index_elements=["journal_id", "year"])
    )
