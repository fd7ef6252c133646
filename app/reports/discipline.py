"""Executive discipline: what became of the documents registered in a period, counted by the
database (one GROUP BY per table of the report), never by loading documents.

The population is every document *registered* in the period (dates in the body's zone).
Each figure is a sum over it:

- received: registered in the period;
- answered on time / late: answered (the signed letter sent), the letter's date on or before
  the deadline / after it (a document with no deadline is on time);
- in work: not closed yet; overdue now: in work and its deadline before today;
- extended: its deadline was moved later with a reason (``extended_documents``);
- redirected by competence; left without consideration (by the head's resolution, or a reply
  that says so);
- outcomes of the replies: satisfied (and decisions to issue a licence), refused (and
  decisions to refuse one), explained;
- average days to answer: calendar days from the registration date to the letter's date.

A department's figures are those of its whole subtree; the sums per department come from
the database and are added up along the tree here (a few rows per department, not documents).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import User
from app.control.models import ControlDecision, ControlKind
from app.documents.models import Document
from app.documents.states import CLOSED_STATES, DocumentState
from app.execution.models import Letter
from app.extensions import db
from app.formats.choices import Outcome
from app.org.models import Department
from app.resolution.models import Resolution

#: the figures in the order the page, the chart and the exports show them
COUNTS = ("received", "on_time", "late", "in_work", "overdue", "extended", "redirected",
          "left", "satisfied", "refused", "explained")

SATISFIED = (Outcome.SATISFIED.value, Outcome.LICENCE_ISSUED.value)
REFUSED = (Outcome.REFUSED.value, Outcome.LICENCE_REFUSED.value)
EXPLAINED = (Outcome.EXPLAINED.value,)


@dataclass(frozen=True)
class Period:
    """Dates ``start`` to ``end`` inclusive, on the wall clock of ``zone``."""

    start: date
    end: date
    zone: str

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC instants: [first midnight, midnight after the last day)."""
        tz = ZoneInfo(self.zone)
        begin = datetime.combine(self.start, time(0), tz).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), tz).astimezone(UTC)
        return begin, after


@dataclass
class Figures:
    received: int = 0
    on_time: int = 0
    late: int = 0
    in_work: int = 0
    overdue: int = 0
    extended: int = 0
    redirected: int = 0
    left: int = 0
    satisfied: int = 0
    refused: int = 0
    explained: int = 0
    #: the sum of days to answer over the answered documents (for the average)
    answer_days: int = 0

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def average_days(self) -> float | None:
        if not self.answered:
            return None
        return round(self.answer_days / self.answered, 1)

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @classmethod
    def of_row(cls, row: Any) -> Figures:
        return cls(**{f.name: int(getattr(row, f.name) or 0) for f in fields(cls)})


@dataclass
class Line:
    """One line of the report: a department (with its subtree), an executor or a kind."""

    key: Any
    name: str
    figures: Figures
    #: a department's depth in the tree (0 at the top), for indenting
    depth: int = 0


@dataclass
class Report:
    period: Period
    today: date
    total: Figures
    departments: list[Line] = field(default_factory=list)
    executors: list[Line] = field(default_factory=list)
    kinds: list[Line] = field(default_factory=list)


def extended_documents():
    """The documents whose deadline was moved later with a reasoned decision: a head's
    extension under control of execution (the author told by an "extended" mark; every
    lengthening past the legal deadline is one now, app/resolution/service.py), or a
    resolution carrying an extension's reason (an assignment past the legal deadline, and
    the changes of deadline recorded before they went through control of execution).
    The one place that says what "extended" means."""
    return union(
        select(Resolution.document_id)
        .where(Resolution.extension_reason.is_not(None), Resolution.extension_reason != ""),
        select(ControlDecision.document_id)
        .where(ControlDecision.kind == ControlKind.EXTENSION))


def latest_letters():
    """The last letter of each document (a reopened document may have several)."""
    return (select(Letter.document_id, func.max(Letter.id).label("letter_id"))
            .group_by(Letter.document_id).subquery("latest"))


def _local_date(column, zone: str, dialect: str, near: date) -> ColumnElement[Any]:
    """A stored UTC instant as a date on the body's wall clock, computed by the database.
    SQLite (development and tests) shifts by the zone's offset near the period; PostgreSQL
    knows the zone's history."""
    if dialect == "postgresql":
        return cast(func.timezone(zone, column), Date)
    offset = datetime.combine(near, time(12), ZoneInfo(zone)).utcoffset() or timedelta(0)
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _days_between(later, earlier, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return cast(later - earlier, Integer)
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _figure_columns(period: Period, today: date, dialect: str) -> tuple[list, Any]:
    latest = latest_letters()
    letter = Letter.__table__.alias("letter")
    answered = Document.state == DocumentState.ANSWERED
    in_time = or_(Document.due_date.is_(None), letter.c.outgoing_date <= Document.due_date)
    open_ = Document.state.not_in(sorted(CLOSED_STATES))
    days = _days_between(letter.c.outgoing_date,
                         _local_date(Document.registered_at, period.zone, dialect,
                                     period.start), dialect)
    columns = [
        func.count(Document.id).label("received"),
        _count(and_(answered, in_time)).label("on_time"),
        _count(and_(answered, ~in_time)).label("late"),
        _count(open_).label("in_work"),
        _count(and_(open_, Document.due_date < today)).label("overdue"),
        _count(Document.id.in_(extended_documents())).label("extended"),
        _count(Document.state == DocumentState.REDIRECTED).label("redirected"),
        _count(or_(Document.state == DocumentState.LEFT_WITHOUT_CONSIDERATION,
                   and_(answered, letter.c.outcome == Outcome.LEFT_WITHOUT_CONSIDERATION.value))
               ).label("left"),
        _count(and_(answered, letter.c.outcome.in_(SATISFIED))).label("satisfied"),
        _count(and_(answered, letter.c.outcome.in_(REFUSED))).label("refused"),
        _count(and_(answered, letter.c.outcome.in_(EXPLAINED))).label("explained"),
        func.coalesce(func.sum(case((answered, days), else_=0)), 0).label("answer_days"),
    ]

    def joined(stmt):
        return (stmt.select_from(Document)
                .outerjoin(latest, latest.c.document_id == Document.id)
                .outerjoin(letter, letter.c.id == latest.c.letter_id))

    return columns, joined


#: the three groupings of the report, by the column each groups on
GROUPINGS = {"department": Document.department_id, "executor": Document.executor_id,
             "kind": Document.kind}


def _grouped(period: Period, today: date, scope: set[int] | None
             ) -> dict[str, dict[Any, Figures]]:
    """The figures by department, by executor and by kind. PostgreSQL reads the period's
    documents once (GROUPING SETS); SQLite, which has none, once per grouping."""
    dialect = db.session.get_bind().dialect.name
    columns, joined = _figure_columns(period, today, dialect)
    begin, after = period.bounds()
    where = [Document.registered_at >= begin, Document.registered_at < after]
    if scope is not None:
        where.append(Document.department_id.in_(scope))
    found: dict[str, dict[Any, Figures]] = {name: {} for name in GROUPINGS}
    keys = list(GROUPINGS.values())
    if dialect == "postgresql":
        # grouping() has a bit set for each column a row is *not* grouped by
        bits = {name: sum(1 << (len(keys) - 1 - i) for i in range(len(keys)) if i != own)
                for own, name in enumerate(GROUPINGS)}
        by_bits = {value: name for name, value in bits.items()}
        stmt = (joined(select(*keys, func.grouping(*keys).label("grouping"), *columns))
                .where(*where)
                .group_by(func.grouping_sets(*(tuple_(key) for key in keys))))
        for row in db.session.execute(stmt):
            name = by_bits[row.grouping]
            found[name][row[list(GROUPINGS).index(name)]] = Figures.of_row(row)
        return found
    for name, key in GROUPINGS.items():
        stmt = joined(select(key.label("key"), *columns)).where(*where).group_by(key)
        found[name] = {row.key: Figures.of_row(row) for row in db.session.execute(stmt)}
    return found


def _tree(scope: set[int] | None) -> list[tuple[Department, int]]:
    """The departments in scope, each after its parent, with its depth."""
    everyone = list(db.session.scalars(select(Department).order_by(Department.name)))
    shown = [d for d in everyone if scope is None or d.id in scope]
    ids = {d.id for d in shown}
    children: dict[int | None, list[Department]] = {}
    for department in shown:
        parent = department.parent_id if department.parent_id in ids else None
        children.setdefault(parent, []).append(department)
    ordered: list[tuple[Department, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for department in children.get(parent, []):
            ordered.append((department, depth))
            walk(department.id, depth + 1)

    walk(None, 0)
    return ordered


def _subtree_sums(by_department: dict[Any, Figures], tree: list[tuple[Department, int]]
                  ) -> dict[int, Figures]:
    below: dict[int | None, list[int]] = {}
    for department, _depth in tree:
        below.setdefault(department.parent_id, []).append(department.id)
    sums: dict[int, Figures] = {}

    def total(department_id: int) -> Figures:
        figures = Figures()
        figures.add(by_department.get(department_id, Figures()))
        for child in below.get(department_id, []):
            figures.add(total(child))
        sums[department_id] = figures
        return figures

    for department, _depth in tree:
        if department.id not in sums:
            total(department.id)
    return sums


def discipline_report(period: Period, *, today: date, scope: set[int] | None,
                      kind_label=str, unrouted_label: str = "—",
                      unassigned_label: str = "—", language: str = "ru") -> Report:
    """The report for ``period``: documents of the departments in ``scope`` (None: every
    document, those not routed yet among them), the departments named in ``language``."""
    grouped = _grouped(period, today, scope)
    by_department = grouped["department"]
    tree = _tree(scope)
    sums = _subtree_sums(by_department, tree)
    total = Figures()
    for figures in by_department.values():
        total.add(figures)
    report = Report(period=period, today=today, total=total)
    report.departments = [Line(d.id, d.name_in(language), sums[d.id], depth) for d, depth in tree]
    if None in by_department:
        report.departments.append(Line(None, unrouted_label, by_department[None]))

    by_executor = grouped["executor"]
    names = _names(k for k in by_executor if k is not None)
    report.executors = sorted(
        (Line(k, names.get(k, unassigned_label) if k is not None else unassigned_label, f)
         for k, f in by_executor.items()),
        key=lambda line: (line.key is None, line.name))

    by_kind = grouped["kind"]
    report.kinds = sorted((Line(k, str(kind_label(k)), f) for k, f in by_kind.items()),
                          key=lambda line: line.name)
    return report


def _names(user_ids: Iterable[int]) -> dict[int, str]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
