"""The legal deadline of the documents in the database, and the administrator's edits of
the rules and the calendar that move it.

Plain functions: the actor, the moment and the body's settings come in as arguments; they
flush, never commit. A document's deadline is written at registration; when a rule or a
day swap changes, every open document whose legal deadline moves gets the new one and a
history entry saying from what to what; a deadline a head set by hand stays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit.log import record
from app.audit.models import AuditKind
from app.auth.models import User
from app.deadlines.compute import Deadline, compute_deadline
from app.deadlines.models import CalendarDay, DeadlineRuleRecord
from app.deadlines.rules import (
    TRANSLATED,
    NoRuleInForce,
    Rule,
    RuleBook,
    RuleError,
    UnknownKind,
    shipped_rules,
)
from app.documents.models import Document, DocumentFamily
from app.documents.states import CLOSED_STATES, Action, DocumentState
from app.errors import Refused
from app.extensions import db
from app.formats.choices import AppealType
from app.procedures import PROCEDURES, procedure_for
from app.settings import Settings
from app.timeutil import as_utc
from app.workdays import Calendar, WorkingHours
from app.workflow.deadlines import DeadlineRules
from app.workflow.models import HistoryEntry
from app.workflow.permissions import require
from app.workflow.service import reopen as reopen_document
from app.workflow.transition import transition


@dataclass(frozen=True)
class DeadlineSetup:
    """What a legal deadline is computed from: the rules, the calendar with every day swap
    (the configuration's and the administrator's), the office hours."""

    rules: RuleBook
    calendar: Calendar
    hours: WorkingHours

    @classmethod
    def load(cls, *, calendar: Calendar, hours: WorkingHours) -> DeadlineSetup:
        """The rules and day swaps in the database on top of ``calendar`` (the settings')."""
        return cls(rules=load_rules(), calendar=load_calendar(calendar), hours=hours)


def load_rules() -> RuleBook:
    """The rules in the database; the shipped ones while it holds none."""
    rows = list(db.session.scalars(select(DeadlineRuleRecord).order_by(DeadlineRuleRecord.id)))
    if not rows:
        return shipped_rules()
    return RuleBook(tuple(row.to_rule() for row in rows))


def load_calendar(base: Calendar) -> Calendar:
    days = list(db.session.scalars(select(CalendarDay)))
    return base.with_swaps(days_off=[d.day for d in days if not d.working],
                           working_days=[d.day for d in days if d.working])


def seed_rules() -> int:
    """Copy the shipped rules the database lacks (by code, or by kind and date), and the
    Kazakh and English words of those it has unchanged; safe to run twice. Returns how
    many were added."""
    rows = {r.code: r for r in db.session.scalars(select(DeadlineRuleRecord))}
    slots = {(r.kind, r.valid_from) for r in rows.values()}
    added = 0
    for rule in shipped_rules().rules:
        if rule.code in rows:
            _fill_translations(rows[rule.code], rule)
            continue
        if (rule.kind, rule.valid_from) in slots:
            continue
        db.session.add(DeadlineRuleRecord(**_fields(rule)))
        added += 1
    db.session.flush()
    return added


def _fill_translations(row: DeadlineRuleRecord, shipped: Rule) -> None:
    """A shipped rule seeded before its Kazakh and English words existed gets them, as
    long as its Russian words are still the shipped ones (an administrator's own stay)."""
    if (row.citation, row.note) != (shipped.citation, shipped.note):
        return
    for name in TRANSLATED:
        if not getattr(row, name):
            setattr(row, name, getattr(shipped, name))


def _fields(rule: Rule) -> dict[str, Any]:
    return {"code": rule.code, "kind": rule.kind, "period": rule.period,
            "unit": rule.unit.value, "starts_on": rule.starts_on.value,
            "start_day_counts": rule.start_day_counts, "citation": rule.citation,
            "note": rule.note, "valid_from": rule.valid_from,
            **{name: getattr(rule, name) for name in TRANSLATED}}


# --- a document's legal deadline -----------------------------------------------------


def deadline_kind(document: Document) -> str:
    """The kind of rule that applies: the one the document's procedure names (by the
    appeal type or application kind as signed); an appeal whose type could not be read is
    taken as a statement (the common case)."""
    try:
        return procedure_for(document.kind, document.content).deadline_rule
    except ValueError:  # a kind or appeal type no procedure knows
        pass
    if document.family is DocumentFamily.APPEAL:
        return PROCEDURES[AppealType.STATEMENT].deadline_rule
    return document.kind


def legal_deadline(document: Document, setup: DeadlineSetup) -> Deadline | None:
    """The deadline the law gives the document, explained; None when no rule applies.
    A reopened document's counts from its last reopening (``deadline_from``)."""
    return deadline_from(document, setup, reopened=reopened_at(document))


def deadline_from(document: Document, setup: DeadlineSetup, *,
                  reopened: datetime | None) -> Deadline | None:
    """The legal deadline of ``document``, reopened at ``reopened`` (None: never).

    The law counts the period from registration (the APC RK for appeals, the Law "On
    permits and notifications" for applications) and says nothing of an office reopening
    a case it closed itself (an answer sent by mistake, a redirection undone). We read the
    reopening as the document coming back for consideration: the period of its rule (the
    rule in force when it first arrived, as for every document) counts anew from the
    reopening, as from an arrival at that moment — after working hours or on a day off,
    from the next working day. Counting from the first registration instead would make a
    document closed longer ago than its period overdue before anyone could act on it and,
    past the two-month ceiling of an extension, beyond any lawful deadline at all; the
    reopening itself stays in the history and the reports (answered late is still late).
    """
    arrived = as_utc(document.received_at)
    try:
        if reopened is None:
            return compute_deadline(deadline_kind(document), arrived, rules=setup.rules,
                                    calendar=setup.calendar, hours=setup.hours)
        deadline = compute_deadline(deadline_kind(document), as_utc(reopened),
                                    rules=setup.rules, calendar=setup.calendar,
                                    hours=setup.hours,
                                    judged_on=setup.hours.local(arrived).date())
    except (UnknownKind, NoRuleInForce):
        return None
    return replace(deadline, arrived_at=setup.hours.local(arrived),
                   reopened_at=deadline.arrived_at)


def reopened_at(document: Document) -> datetime | None:
    """When an administrator last reopened the document; None if never.

    A desk asks this for every row it lists; reopenings are rare, so a request reads them
    all once (``_reopenings``) instead of one query a row. Outside a request (jobs,
    commands, a step just taken) it asks for the one document."""
    if document.id is None:
        return None
    if has_request_context():
        if "qujat_reopenings" not in g:
            g.qujat_reopenings = _reopenings()
        return g.qujat_reopenings.get(document.id)
    return db.session.scalar(select(func.max(HistoryEntry.at)).where(
        HistoryEntry.document_id == document.id, HistoryEntry.action == Action.REOPEN))


def _reopenings() -> dict[int, datetime]:
    """Every reopened document's last reopening, in one query (for recomputing many)."""
    return {document_id: at for document_id, at in db.session.execute(
        select(HistoryEntry.document_id, func.max(HistoryEntry.at))
        .where(HistoryEntry.action == Action.REOPEN).group_by(HistoryEntry.document_id))}


def reopen(document: Document, *, admin: User, reason: str, now: datetime,
           setup: DeadlineSetup, expected_version: int | None = None) -> Deadline | None:
    """The administrator's reopening (``app.workflow.service.reopen``) with the legal
    deadline the reopened document is owed, counted from now (``deadline_from`` says
    why); its history entry names it."""
    deadline = deadline_from(document, setup, reopened=now)
    reopen_document(document, admin=admin, reason=reason, now=now,
                    expected_version=expected_version,
                    due=deadline.due if deadline else None,
                    deadline_rule=deadline.rule.code if deadline else None)
    if has_request_context():
        g.pop("qujat_reopenings", None)  # this request now knows one more reopening
    return deadline


def give_legal_deadline(document: Document, setup: DeadlineSetup) -> Deadline | None:
    """At registration: the document's deadline becomes the legal one (and names its
    rule)."""
    deadline = legal_deadline(document, setup)
    document.due_date = deadline.due if deadline else None
    document.deadline_rule_code = deadline.rule.code if deadline else None
    document.due_date_by_hand = False
    return deadline


#: the states whose deadline still runs (registered up to the reply's signature)
OPEN_STATES = frozenset(set(DocumentState) - CLOSED_STATES
                        - {DocumentState.PENDING, DocumentState.RECEIVED})


def recompute_open_deadlines(setup: DeadlineSetup, *, admin: User, now: datetime,
                             why: dict[str, Any], comment: str = "") -> int:
    """Give every open document whose legal deadline moved its new one, with a history
    entry (``why``: the facts of the change, ``comment``: the administrator's note); a
    deadline set by hand stays. Returns how many moved."""
    moved = 0
    reopenings = _reopenings()
    documents = db.session.scalars(
        select(Document).where(Document.state.in_(OPEN_STATES),
                               Document.due_date_by_hand.is_(False))
        .order_by(Document.id))
    for document in documents:
        deadline = deadline_from(document, setup, reopened=reopenings.get(document.id))
        if deadline is None or (deadline.due == document.due_date
                                and deadline.rule.code == document.deadline_rule_code):
            continue
        require(admin, Action.RECOMPUTE_DEADLINE, document)
        _move(document, deadline, actor=admin, now=now, comment=comment, why=why)
        moved += 1
    return moved


def backfill_open_deadlines(setup: DeadlineSetup, *, now: datetime) -> int:
    """Give every open document without a deadline the legal one (documents registered
    before the deadline rules existed, or reopened before reopening gave one), with a
    history entry by the system; safe to run twice (``qujat init-db`` runs it). Returns
    how many got one."""
    given = 0
    reopenings = _reopenings()
    documents = db.session.scalars(
        select(Document).where(Document.state.in_(OPEN_STATES), Document.due_date.is_(None),
                               Document.due_date_by_hand.is_(False))
        .order_by(Document.id))
    for document in documents:
        deadline = deadline_from(document, setup, reopened=reopenings.get(document.id))
        if deadline is None:
            continue
        _move(document, deadline, actor=None, now=now, why={"backfilled": True})
        given += 1
    return given


def _move(document: Document, deadline: Deadline, *, actor: User | None, now: datetime,
          why: dict[str, Any], comment: str = "") -> None:
    previous = document.due_date
    document.due_date = deadline.due
    document.deadline_rule_code = deadline.rule.code
    transition(document, Action.RECOMPUTE_DEADLINE, actor=actor, now=now, comment=comment,
               facts={**why, "due": deadline.due.isoformat(),
                      "previous_due": previous.isoformat() if previous else None,
                      "deadline_rule": deadline.rule.code})


# --- the administrator's edits -------------------------------------------------------


def save_rule(data: dict[str, Any], *, admin: User, now: datetime, calendar: Calendar,
              hours: WorkingHours) -> tuple[DeadlineRuleRecord, int]:
    """Add a rule or change the one with this code, then recompute the open deadlines.
    Returns the rule and how many documents' deadlines moved."""
    try:
        rule = Rule.from_mapping(data)
    except (RuleError, ValueError) as exc:
        raise Refused(_l("The rule is not valid: %(problem)s", problem=str(exc)),
                      code="deadline_rule_invalid") from exc
    seed_rules()
    row = db.session.scalar(select(DeadlineRuleRecord).where(
        DeadlineRuleRecord.code == rule.code))
    clash = db.session.scalar(select(DeadlineRuleRecord).where(
        DeadlineRuleRecord.kind == rule.kind, DeadlineRuleRecord.valid_from == rule.valid_from,
        DeadlineRuleRecord.code != rule.code))
    if clash is not None:
        raise Refused(_l("Rule %(code)s already applies to this kind from %(day)s.",
                         code=clash.code, day=rule.valid_from.strftime("%d.%m.%Y")),
                      code="deadline_rule_clash", rule=clash.code)
    before = row.to_rule().to_dict() if row is not None else None
    if row is None:
        row = DeadlineRuleRecord(**_fields(rule))
        db.session.add(row)
    else:
        for name, value in _fields(rule).items():
            setattr(row, name, value)
    row.updated_at, row.updated_by_id = now, admin.id
    db.session.flush()
    record(AuditKind.DEADLINE_RULE_SET, actor_id=admin.id, target=f"deadline rule {rule.code}",
           details={"before": before, "after": rule.to_dict()}, now=now)
    moved = recompute_open_deadlines(
        DeadlineSetup.load(calendar=calendar, hours=hours), admin=admin, now=now,
        why={"changed_rule": rule.code})
    return row, moved


def set_calendar_day(day: date, *, working: bool, note: str, admin: User, now: datetime,
                     calendar: Calendar, hours: WorkingHours) -> int:
    """Record the government's swap of ``day`` (a day off, or a working day) and
    recompute the open deadlines; returns how many moved."""
    note = note.strip()
    public = Calendar()
    if working and public.is_working_day(day):
        raise Refused(_l("%(day)s is a working day already; a working day by decree is a "
                         "weekend day or a holiday.", day=day.strftime("%d.%m.%Y")),
                      code="calendar_day_already_working", day=day.isoformat())
    if not working and not public.is_working_day(day):
        raise Refused(_l("%(day)s is a day off already (a weekend day or a public "
                         "holiday).", day=day.strftime("%d.%m.%Y")),
                      code="calendar_day_already_off", day=day.isoformat())
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        row = CalendarDay(day=day, working=working, note=note, created_at=now,
                          created_by_id=admin.id)
        db.session.add(row)
    else:
        row.working, row.note = working, note
    db.session.flush()
    record(AuditKind.CALENDAR_DAY_SET, actor_id=admin.id, target=f"calendar {day.isoformat()}",
           details={"working": working, "note": note}, now=now)
    return recompute_open_deadlines(
        DeadlineSetup.load(calendar=calendar, hours=hours), admin=admin, now=now,
        why={"calendar_day": day.isoformat(), "calendar_working": working}, comment=note)


def remove_calendar_day(day: date, *, admin: User, now: datetime, calendar: Calendar,
                        hours: WorkingHours) -> int:
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        return 0
    db.session.delete(row)
    db.session.flush()
    record(AuditKind.CALENDAR_DAY_REMOVED, actor_id=admin.id,
           target=f"calendar {day.isoformat()}", now=now)
    return recompute_open_deadlines(
        DeadlineSetup.load(calendar=calendar, hours=hours), admin=admin, now=now,
        why={"calendar_day": day.isoformat(), "calendar_removed": True})


def setup_of(settings: Settings) -> DeadlineSetup:
    """The running body's setup: its configured day swaps and hours, the database's rules
    and day swaps (for views, jobs and commands)."""
    return DeadlineSetup.load(calendar=settings.calendar, hours=settings.working_hours)


def urgency_rules(settings: Settings) -> DeadlineRules:
    """"Due soon" and "overdue" counted on the whole calendar: the settings' day swaps and
    the administrator's."""
    rules = DeadlineRules.of(settings)
    return replace(rules, calendar=load_calendar(rules.calendar))
